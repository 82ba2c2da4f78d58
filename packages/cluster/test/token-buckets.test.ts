import { describe, expect, it } from 'vitest'
import { TokenBuckets } from '../src/token-buckets.js'

describe('TokenBuckets', () => {
  it('gives each key its burst at once, then what it refilled at the rate asked', () => {
    const buckets = new TokenBuckets(3)
    expect([1, 2, 3, 4].map(() => buckets.take('a', 0, 0.01))).toEqual([true, true, true, false])
    expect(buckets.take('b', 0, 0.01)).toBe(true)            // per key
    expect(buckets.take('a', 50, 0.01)).toBe(false)          // half a token refilled
    expect(buckets.take('a', 100, 0.01)).toBe(true)          // one
    expect(buckets.take('a', 100_000, 0.01)).toBe(true)      // refilled up to the burst, no more
    expect(buckets.take('a', 100_000, 0.01)).toBe(true)
    expect(buckets.take('a', 100_000, 0.01)).toBe(true)
    expect(buckets.take('a', 100_000, 0.01)).toBe(false)
  })

  it('forgets the buckets idle long enough, so memory follows the keys in use', () => {
    const buckets = new TokenBuckets(2)
    buckets.take('a', 0, 0.001)
    buckets.take('b', 900, 0.001)
    buckets.forgetIdle(1000, 500)
    expect(buckets.size).toBe(1)
    buckets.forgetIdle(2000, 500)
    expect(buckets.size).toBe(0)
  })
})
