import { describe, expect, it } from 'vitest'
import { advertisedDigest, isWellFormedHeartbeat, sanitizeGroups } from '../src/heartbeat.js'
import { advert, heartbeat } from './helpers.js'
import type { GroupAdvert, Heartbeat } from '../src/index.js'

describe('sanitizeGroups', () => {
  it('returns the same array when every advert is usable', () => {
    const groups = [advert('a'), advert('b', 2, { zone: 'x' })]
    expect(sanitizeGroups(groups)).toEqual({ adverts: groups, dropped: 0 })
    expect(sanitizeGroups(groups).adverts).toBe(groups)
  })

  it.each([
    ['an empty name', { name: '', weight: 1, metadata: {} }],
    ['a zero weight', { name: 'x', weight: 0, metadata: {} }],
    ['a negative weight', { name: 'x', weight: -1, metadata: {} }],
    ['a NaN weight', { name: 'x', weight: Number.NaN, metadata: {} }],
    ['an infinite weight', { name: 'x', weight: Number.POSITIVE_INFINITY, metadata: {} }],
    ['a non-string metadata value', { name: 'x', weight: 1, metadata: { n: 1 } }],
    ['null metadata', { name: 'x', weight: 1, metadata: null }],
    ['a duplicate name', { name: 'a', weight: 5, metadata: {} }]
  ])('drops an advert with %s and keeps the others', (_name, bad) => {
    const groups = [advert('a'), bad as unknown as GroupAdvert, advert('b')]
    expect(sanitizeGroups(groups)).toEqual({ adverts: [advert('a'), advert('b')], dropped: 1 })
  })
})

describe('isWellFormedHeartbeat', () => {
  it.each([
    ['a complete heartbeat', {}, true],
    ['an empty sender', { from: '' }, false],
    ['an empty boot id', { bootId: '' }, false],
    ['a NaN seq', { seq: Number.NaN }, false],
    ['groups that are not an array', { groups: null }, false]
  ])('%s -> %s', (_name, patch, expected) => {
    expect(isWellFormedHeartbeat({ ...heartbeat('m', 1, ['a']), ...patch } as Heartbeat)).toBe(expected)
  })
})

describe('advertisedDigest', () => {
  it('reads own string entries only', () => {
    const hb = heartbeat('m', 1, ['a'], { digests: { a: 'abc', b: 7 as unknown as string } })
    expect(advertisedDigest(hb, 'a')).toBe('abc')
    expect(advertisedDigest(hb, 'b')).toBeUndefined()
    expect(advertisedDigest(hb, 'constructor')).toBeUndefined()
    expect(advertisedDigest({ ...hb, digests: null as unknown as Record<string, string> }, 'a')).toBeUndefined()
  })
})
