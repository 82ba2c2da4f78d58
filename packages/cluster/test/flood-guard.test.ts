import { describe, expect, it } from 'vitest'
import { FloodGuard, MAX_BUDGET_SPEEDUP, signerBudgetIntervalMs } from '../src/flood-guard.js'

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
    const excused = Array.from({ length: 9 }, () => guard.excuseFault('p', 0))
    expect(excused.filter(Boolean)).toHaveLength(8)
    expect(excused.at(-1)).toBe(false)
    expect(guard.excuseFault('q', 0)).toBe(true)      // per relayer
    expect(guard.charge('p', 0)).toBe(true)                  // a signer named like the relayer keeps its own budget
    expect(guard.excuseFault('p', 250)).toBe(true)    // refilled at the signers' rate
  })

  it('gives a signer that advertises a shorter interval the budget of its interval, at most 8x ours', () => {
    const advertised = new Map([['fast', 200], ['liar', 1]])
    const guard = new FloodGuard({ ...init, advertisedIntervalMs: signer => advertised.get(signer) })
    // a 200 ms agent: 4 per 200 ms, with early beats, never refused by a 1 s receiver
    for (let t = 0; t < 10_000; t += 200) {
      for (const offset of [0, 50, 100, 150]) expect(guard.charge('fast', t + offset)).toBe(true)
    }
    // one advertising 1 ms gets 8x our rate, not 1000x
    const charged = Array.from({ length: 200 }, (_, i) => guard.charge('liar', i * 10))
    expect(charged.filter(Boolean).length).toBeLessThanOrEqual(8 + 4 * MAX_BUDGET_SPEEDUP * 2)
    expect(charged.filter(Boolean).length).toBeGreaterThan(8 + 4 * 2)
  })

  it('retune: a longer interval of ours lowers the budget of signers that advertise nothing', () => {
    const guard = new FloodGuard(init)
    guard.retune(4000)
    expect(Array.from({ length: 9 }, () => guard.charge('s', 0)).filter(Boolean)).toHaveLength(8)
    expect(guard.charge('s', 999)).toBe(false)            // 4 per 4000 ms: one token per 1000 ms
    expect(guard.charge('s', 1000)).toBe(true)
  })
})

describe('signerBudgetIntervalMs', () => {
  it.each([
    [1000, undefined, 1000],
    [1000, 4000, 1000],
    [1000, 200, 200],
    [1000, 1, 125],
    [8000, 1000, 1000],
    [8000, 200, 1000]
  ] as const)('ours %d ms, advertised %s ms: budget per %d ms', (own, advertisedMs, expected) => {
    expect(signerBudgetIntervalMs(own, advertisedMs)).toBe(expected)
  })
})
