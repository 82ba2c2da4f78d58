import { describe, expect, it } from 'vitest'
import { backoffMs } from '../src/connectivity.js'
import { jitteredDelayMs } from '../src/heartbeat-loop.js'

describe('jitteredDelayMs', () => {
  it.each([
    [1000, 0.1, 0, 900],
    [1000, 0.1, 0.5, 1000],
    [1000, 0.1, 0.999999, 1000 + 0.1 * 1000 * (2 * 0.999999 - 1)],
    [200, 0, 0.3, 200]
  ])('interval %d, jitter %d, random %d -> %d', (interval, jitter, random, expected) => {
    expect(jitteredDelayMs(interval, jitter, random)).toBeCloseTo(expected, 9)
  })
})

describe('backoffMs', () => {
  it.each([
    [0, 0], [1, 200], [2, 400], [3, 800], [4, 1000], [50, 1000]
  ])('after %d failures waits %d ms (base 200, max 1000)', (failures, expected) => {
    expect(backoffMs(failures, 200, 1000)).toBe(expected)
  })
})
