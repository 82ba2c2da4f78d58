import { describe, expect, it } from 'vitest'
import { FloodGuard } from '../src/flood-guard.js'

const init = { heartbeatIntervalMs: 1000, heartbeatsPerInterval: 4, burst: 8, maxSignersPerPeer: 3, windowMs: 5000 }

describe('FloodGuard', () => {
  it('lets a burst through, then the refill rate, per signer', () => {
    const guard = new FloodGuard(init)
    const verdicts = Array.from({ length: 10 }, () => guard.check('p', 's', 0))
    expect(verdicts.filter(v => v === 'ok')).toHaveLength(8)
    expect(verdicts.at(-1)).toBe('over-budget')
    expect(guard.check('p', 'other', 0)).toBe('ok')          // budgets are per signer
    expect(guard.check('p', 's', 250)).toBe('ok')            // 4 per 1000 ms: one token after 250 ms
    expect(guard.check('p', 's', 250)).toBe('over-budget')
  })

  it('an honest rate (1 per interval plus a few early beats) is never refused', () => {
    const guard = new FloodGuard(init)
    for (let t = 0; t < 60_000; t += 1000) {
      for (const offset of [0, 250, 500, 750]) expect(guard.check('p', 's', t + offset)).toBe('ok')
    }
  })

  it('caps distinct signers per relaying peer per window', () => {
    const guard = new FloodGuard(init)
    expect(['a', 'b', 'c', 'd'].map(signer => guard.check('p', signer, 0))).toEqual(['ok', 'ok', 'ok', 'too-many-signers'])
    expect(guard.check('q', 'd', 0)).toBe('ok')               // another peer has its own cap
    expect(guard.check('p', 'a', 1)).toBe('ok')               // known signers of p still pass
    expect(guard.check('p', 'd', 5000)).toBe('ok')            // a new window
  })
})
