import { describe, expect, it } from 'vitest'
import { describePolicy, policyFingerprint } from '../../src/ownership/policy-fingerprint.js'
import { resolveOwnershipPolicy } from '../../src/ownership/policy.js'

const TIMINGS = { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 }
const fingerprint = (init: Parameters<typeof resolveOwnershipPolicy>[0], timings = TIMINGS): number => policyFingerprint(resolveOwnershipPolicy(init, timings))

describe('policyFingerprint', () => {
  it('differs for each shared option, and is never 0 (not advertised)', () => {
    const all = [{}, { handoff: false }, { quorum: 2 }, { quorum: 'majority' as const }, { quorum: 2, onMinority: 'own-nothing' as const }, { settleMs: 3000 }].map(init => fingerprint(init))
    expect(new Set(all).size).toBe(all.length)
    expect(all).not.toContain(0)
  })

  it('leaves out the windows that follow each agent\'s timings (heartbeatIntervalMs: \'auto\' moves them)', () => {
    expect(fingerprint({ quorum: 'majority' }, { heartbeatIntervalMs: 2000, suspectAfterMs: 6000, memberTimeoutMs: 10_000 })).toBe(fingerprint({ quorum: 'majority' }))
    expect(fingerprint({ quorum: 'majority', onMinority: 'keep-last', keepLastMs: 10 })).toBe(fingerprint({ quorum: 'majority', onMinority: 'keep-last' }))
  })

  it('covers the timers in intervals, not the interval: agents at 200 ms and 1 s on the default ratios agree; other ratios differ', () => {
    expect(fingerprint({}, { heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 })).toBe(fingerprint({}))
    const others = [{ heartbeatIntervalMs: 1000, suspectAfterMs: 4000, memberTimeoutMs: 5000 }, { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 8000 }]
    for (const timings of others) expect(fingerprint({ quorum: 2, onMinority: 'own-nothing' }, timings)).not.toBe(fingerprint({ quorum: 2, onMinority: 'own-nothing' }))
    // the default timers leave the words (and so the fingerprint) of earlier releases unchanged
    expect(policyFingerprint({ handoff: true, quorum: undefined, onMinority: 'own-all', settleMs: 0, suspectAfterIntervals: 3, memberTimeoutIntervals: 5 })).toBe(0xe5a13c38)
  })

  it('describes the shared options in words', () => {
    expect(describePolicy(resolveOwnershipPolicy({ quorum: 'majority', onMinority: 'keep-last', handoff: false }, TIMINGS))).toBe('handoff off, quorum majority, onMinority keep-last, settleMs 0')
  })
})
