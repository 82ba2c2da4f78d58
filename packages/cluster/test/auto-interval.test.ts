import { describe, expect, it } from 'vitest'
import { autoIntervalMs, autoIntervalRule, HeartbeatTimings, scaleTimings } from '../src/auto-interval.js'

const rule = autoIntervalRule(32)

describe('autoIntervalMs (32 heartbeats a second, base 1 s, at most 16 s)', () => {
  it.each([
    [1, 1000],
    [2, 1000],
    [33, 1000],
    [34, 2000],
    [50, 2000],
    [65, 2000],
    [66, 4000],
    [100, 4000],
    [129, 4000],
    [130, 8000],
    [257, 8000],
    [258, 16_000],
    [10_000, 16_000]
  ])('%d agents from 1 s: %d ms, so each agent receives at most 32 a second (up to the cap)', (agents, expected) => {
    expect(autoIntervalMs(agents, 1000, rule)).toBe(expected)
    if (expected < 16_000) expect((agents - 1) * 1000 / expected).toBeLessThanOrEqual(32)
  })

  it('steps down only at 3/4 of the budget (hysteresis): a fleet near a threshold does not flap', () => {
    expect(autoIntervalMs(34, 1000, rule)).toBe(2000)
    expect(autoIntervalMs(33, 2000, rule)).toBe(2000)      // 32/s at 1 s would be the whole budget
    expect(autoIntervalMs(26, 2000, rule)).toBe(2000)      // 25/s > 24
    expect(autoIntervalMs(25, 2000, rule)).toBe(1000)      // 24/s = 3/4 of 32
    expect(autoIntervalMs(90, 16_000, rule)).toBe(4000)    // a big drop steps down as far as it may (89/4 = 22.25/s)
    expect(autoIntervalMs(100, 16_000, rule)).toBe(8000)   // 99/4 = 24.75/s > 24: not to 4 s
    expect(autoIntervalMs(98, 8000, rule)).toBe(8000)      // 97/4 = 24.25/s > 24
    expect(autoIntervalMs(97, 8000, rule)).toBe(4000)
  })

  it('a smaller budget steps up sooner (the knob an embedded agent turns)', () => {
    const one = autoIntervalRule(1)
    expect(autoIntervalMs(2, 1000, one)).toBe(1000)
    expect(autoIntervalMs(3, 1000, one)).toBe(2000)
    expect(autoIntervalMs(5, 1000, one)).toBe(4000)
  })
})

describe('HeartbeatTimings', () => {
  const base = { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 }

  it('keeps the ratios of suspicion and timeout to the interval', () => {
    expect(scaleTimings(base, 4000)).toEqual({ heartbeatIntervalMs: 4000, suspectAfterMs: 12_000, memberTimeoutMs: 20_000 })
    expect(scaleTimings({ heartbeatIntervalMs: 1000, suspectAfterMs: 2500, memberTimeoutMs: 7000 }, 2000)).toEqual({ heartbeatIntervalMs: 2000, suspectAfterMs: 5000, memberTimeoutMs: 14_000 })
  })

  it('with auto, reports each change once, and none while the interval stays', () => {
    const changes: number[] = []
    const timings = new HeartbeatTimings(base, rule, t => { changes.push(t.heartbeatIntervalMs) })
    for (const agents of [1, 10, 33, 34, 40, 33, 26, 25, 25, 100]) timings.fleetSize(agents)
    expect(changes).toEqual([2000, 1000, 4000])
    expect(timings.current).toEqual({ heartbeatIntervalMs: 4000, suspectAfterMs: 12_000, memberTimeoutMs: 20_000 })
  })

  it('without a rule (a fixed interval), never changes', () => {
    const timings = new HeartbeatTimings(base, undefined, () => { throw new Error('changed') })
    timings.fleetSize(1000)
    expect(timings.current).toBe(base)
  })
})
