import { describe, expect, it } from 'vitest'
import { FloodGuard } from '../src/flood-guard.js'

const init = { heartbeatIntervalMs: 1000, heartbeatsPerInterval: 4, burst: 8, maxSignersPerPeer: 3, windowMs: 5000 }

describe('FloodGuard', () => {
  it('lets a burst through, then the refill rate, per signer', () => {
    const guard = new FloodGuard(init)
    const charged = Array.from({ length: 10 }, () => guard.charge('s', 0))
    expect(charged.filter(Boolean)).toHaveLength(8)
    expect(charged.at(-1)).toBe(false)
    expect(guard.charge('other', 0)).toBe(true)          // budgets are per signer
    expect(guard.charge('s', 250)).toBe(true)            // 4 per 1000 ms: one token after 250 ms
    expect(guard.charge('s', 250)).toBe(false)
  })

  it('an honest rate (1 per interval plus a few early beats) is never refused', () => {
    const guard = new FloodGuard(init)
    for (let t = 0; t < 60_000; t += 1000) {
      for (const offset of [0, 250, 500, 750]) expect(guard.charge('s', t + offset)).toBe(true)
    }
  })

  it('caps distinct signers per relaying peer per window', () => {
    const guard = new FloodGuard(init)
    expect(['a', 'b', 'c', 'd'].map(signer => guard.admit('p', signer, 0))).toEqual([true, true, true, false])
    expect(guard.admit('q', 'd', 0)).toBe(true)               // another peer has its own cap
    expect(guard.admit('p', 'a', 1)).toBe(true)               // known signers of p still pass
    expect(guard.admit('p', 'd', 5000)).toBe(true)            // a new window
  })

  it('excuses a relayer as many bad signatures as one signer\'s budget, apart from the signers\' budgets', () => {
    const guard = new FloodGuard(init)
    const excused = Array.from({ length: 9 }, () => guard.excuseBadSignature('p', 0))
    expect(excused.filter(Boolean)).toHaveLength(8)
    expect(excused.at(-1)).toBe(false)
    expect(guard.excuseBadSignature('q', 0)).toBe(true)      // per relayer
    expect(guard.charge('p', 0)).toBe(true)                  // a signer named like the relayer keeps its own budget
    expect(guard.excuseBadSignature('p', 250)).toBe(true)    // refilled at the signers' rate
  })
})
