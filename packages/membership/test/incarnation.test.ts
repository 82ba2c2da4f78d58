import { describe, expect, it } from 'vitest'
import { orderHeartbeat, RETIRED_BOOT_IDS_KEPT, retireBootId } from '../src/incarnation.js'

const known = { bootId: 'b2', seq: 10, retiredBootIds: ['b1'] }

describe('orderHeartbeat', () => {
  it.each([
    ['nothing known', 'first', undefined, 'b2', 1],
    ['same boot, higher seq', 'next', known, 'b2', 11],
    ['same boot, equal seq (replay)', 'stale', known, 'b2', 10],
    ['same boot, lower seq (reordered)', 'stale', known, 'b2', 3],
    ['new boot, any seq', 'restart', known, 'b3', 1],
    ['retired boot, higher seq', 'stale', known, 'b1', 99]
  ] as const)('%s -> %s', (_name, expected, incarnation, bootId, seq) => {
    expect(orderHeartbeat(incarnation, bootId, seq)).toBe(expected)
  })
})

describe('retireBootId', () => {
  it('appends and keeps only the most recent boot ids', () => {
    let retired: readonly string[] = []
    for (let i = 1; i <= RETIRED_BOOT_IDS_KEPT + 2; i++) {
      retired = retireBootId(retired, `b${i}`)
    }
    expect(retired).toHaveLength(RETIRED_BOOT_IDS_KEPT)
    expect(retired[0]).toBe('b3')
    expect(retired.at(-1)).toBe(`b${RETIRED_BOOT_IDS_KEPT + 2}`)
  })

  it('does not modify the given list', () => {
    const before = Object.freeze(['b1'])
    expect(retireBootId(before, 'b2')).toEqual(['b1', 'b2'])
    expect(before).toEqual(['b1'])
  })
})
