import { describe, expect, it } from 'vitest'
import { earliestDeadlineMs, InvalidOptionError, memberDeadlineMs, memberLiveness, resolveTimings } from '../src/index.js'
import type { TimingsInit } from '../src/index.js'

describe('resolveTimings', () => {
  it.each([
    [{}, { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 }],
    [{ heartbeatIntervalMs: 200 }, { heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 }],
    [{ heartbeatIntervalMs: 100, suspectAfterMs: 150 }, { heartbeatIntervalMs: 100, suspectAfterMs: 150, memberTimeoutMs: 500 }],
    [{ heartbeatIntervalMs: 100, memberTimeoutMs: 301 }, { heartbeatIntervalMs: 100, suspectAfterMs: 300, memberTimeoutMs: 301 }],
    [{ heartbeatIntervalMs: 0.5, suspectAfterMs: 1, memberTimeoutMs: 2 }, { heartbeatIntervalMs: 0.5, suspectAfterMs: 1, memberTimeoutMs: 2 }]
  ] as Array<[TimingsInit, ReturnType<typeof resolveTimings>]>)('%o resolves to %o', (init, expected) => {
    expect(resolveTimings(init)).toEqual(expected)
  })

  it('does not mutate the caller options', () => {
    const init = Object.freeze({ heartbeatIntervalMs: 10 })
    resolveTimings(init)
    expect(init).toEqual({ heartbeatIntervalMs: 10 })
  })

  it.each([
    [{ heartbeatIntervalMs: 0 }, /heartbeatIntervalMs must be a finite number of milliseconds greater than 0, got 0/],
    [{ heartbeatIntervalMs: -5 }, /heartbeatIntervalMs .* got -5/],
    [{ heartbeatIntervalMs: Number.NaN }, /heartbeatIntervalMs .* got NaN/],
    [{ heartbeatIntervalMs: Number.POSITIVE_INFINITY }, /heartbeatIntervalMs .* got Infinity/],
    [{ heartbeatIntervalMs: 1000, suspectAfterMs: 1000 }, /suspectAfterMs .* greater than heartbeatIntervalMs \(1000\), got 1000/],
    [{ heartbeatIntervalMs: 1000, suspectAfterMs: 500 }, /suspectAfterMs .* got 500/],
    [{ heartbeatIntervalMs: 1000, memberTimeoutMs: 3000 }, /memberTimeoutMs .* greater than suspectAfterMs \(3000\), got 3000/],
    [{ heartbeatIntervalMs: 1000, suspectAfterMs: 6000 }, /memberTimeoutMs .* greater than suspectAfterMs \(6000\), got 5000/],
    [{ memberTimeoutMs: Number.NaN }, /memberTimeoutMs .* got NaN/]
  ] as Array<[TimingsInit, RegExp]>)('%o is rejected with InvalidOptionError', (init, message) => {
    const error = captureError(() => resolveTimings(init))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect(error?.name).toBe('InvalidOptionError')
    expect(error?.message).toMatch(message)
  })
})

const timings = { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 }

describe('memberLiveness (receiver clock)', () => {
  it.each([
    [0, 0, 'alive'],
    [0, 2999, 'alive'],
    [0, 3000, 'suspect'],
    [0, 4999, 'suspect'],
    [0, 5000, 'expired'],
    [0, 99_999, 'expired'],
    [10_000, 12_999.5, 'alive'],
    [10_000, 13_000, 'suspect'],
    [10_000, 15_000, 'expired']
  ] as const)('last seen %d, now %d: %s', (lastSeenMs, nowMs, expected) => {
    expect(memberLiveness(lastSeenMs, nowMs, timings)).toBe(expected)
  })
})

describe('memberDeadlineMs', () => {
  it.each([
    [0, false, 3000],
    [0, true, 5000],
    [250, false, 3250],
    [250, true, 5250]
  ] as const)('last seen %d, suspected %s: next change at %d', (lastSeenMs, suspected, expected) => {
    expect(memberDeadlineMs(lastSeenMs, suspected, timings)).toBe(expected)
  })
})

describe('earliestDeadlineMs', () => {
  it.each([
    ['no members', [], undefined],
    ['one alive member', [{ lastSeenMs: 100, suspected: false }], 3100],
    ['a suspect before alive members', [{ lastSeenMs: 0, suspected: true }, { lastSeenMs: 1000, suspected: false }], 4000],
    ['a suspect whose removal comes first', [{ lastSeenMs: 0, suspected: true }, { lastSeenMs: 2500, suspected: false }], 5000],
    ['suspects ahead of the first alive', [{ lastSeenMs: 0, suspected: true }, { lastSeenMs: 1, suspected: true }, { lastSeenMs: 1500, suspected: false }], 4500],
    ['equal last seen', [{ lastSeenMs: 7, suspected: false }, { lastSeenMs: 7, suspected: false }], 3007]
  ] as const)('%s', (_name, members, expected) => {
    expect(earliestDeadlineMs(members, timings)).toBe(expected)
  })

  it('stops reading once no later member can come first', () => {
    const read: number[] = []
    function * members (): Generator<{ lastSeenMs: number, suspected: boolean }> {
      for (const lastSeenMs of [0, 10, 20, 30]) {
        read.push(lastSeenMs)
        yield { lastSeenMs, suspected: false }
      }
    }
    expect(earliestDeadlineMs(members(), timings)).toBe(3000)
    expect(read).toEqual([0, 10])
  })
})

function captureError (fn: () => unknown): Error | undefined {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  return undefined
}
