import { describe, expect, it } from 'vitest'
import { createRing, InvalidKeyError } from '../src/index.js'

const ring = createRing(Array.from({ length: 8 }, (_, i) => ({ id: `m${i}` })))
const numbers = Array.from({ length: 200 }, (_, i) => i)

describe('item 5: keys that are not strings', () => {
  it('item 5: owner() of a number is the owner of its decimal text, so numbers spread over the members', () => {
    for (const n of numbers) expect(ring.owner(n)).toBe(ring.owner(String(n)))
    expect(new Set(numbers.map(n => ring.owner(n))).size).toBe(8)
    expect(ring.owner(12345678901234567890n)).toBe(ring.owner('12345678901234567890'))
    expect(ring.owners(7, 3)).toEqual(ring.owners('7', 3))
    expect(ring.isOwner(7, ring.owner('7') as string)).toBe(true)
    expect(ring.extractSubset(numbers, 'm0')).toEqual(numbers.filter(n => ring.owner(String(n)) === 'm0'))
  })

  it.each([
    ['undefined', undefined], ['null', null], ['an object', { id: 1 }], ['NaN', Number.NaN], ['Infinity', Infinity],
    ['a symbol', Symbol('k')], ['a boolean', true]
  ])('item 5: owner(), owners() and isOwner() of %s throw InvalidKeyError', (_, bad) => {
    const key = bad as unknown as string
    expect(() => ring.owner(key)).toThrow(InvalidKeyError)
    expect(() => ring.owners(key, 2)).toThrow(InvalidKeyError)
    expect(() => ring.isOwner(key, 'm0')).toThrow(InvalidKeyError)
    expect(() => createRing([]).owner(key)).toThrow(expect.objectContaining({ name: 'InvalidKeyError', code: 'ERR_INVALID_KEY' }))
  })

  it('item 5: extractSubset of objects without keyOf, or with a keyOf that returns a non-string, throws InvalidKeyError', () => {
    const items = [{ id: 1 }, { id: 2 }]
    expect(() => ring.extractSubset(items, 'm0')).toThrow(InvalidKeyError)
    expect(() => ring.extractSubset(items, 'm0', item => item.id as unknown as string)).toThrow(/keyOf must return a string, got 1/)
    expect(ring.extractSubset(items, 'm0', item => `r${item.id}`)).toEqual(items.filter(item => ring.owner(`r${item.id}`) === 'm0'))
  })
})
