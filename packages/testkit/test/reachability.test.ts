import { describe, expect, it } from 'vitest'
import { InvalidPartitionError } from '../src/errors.js'
import { Reachability } from '../src/reachability.js'

describe('Reachability', () => {
  it('lets everyone reach everyone until a cut is made', () => {
    const r = new Reachability()
    expect(r.isPartitioned).toBe(false)
    expect(r.canReach(0, 4)).toBe(true)
    expect(r.sides([0, 1, 2])).toEqual([[0, 1, 2]])
  })

  it('splits into the given sides; nodes on the same side reach each other, others do not', () => {
    const r = new Reachability()
    r.split([[0, 1], [2, 3, 4]], 5)
    expect(r.isPartitioned).toBe(true)
    expect(r.canReach(0, 1)).toBe(true)
    expect(r.canReach(2, 4)).toBe(true)
    expect(r.canReach(1, 2)).toBe(false)
    expect(r.canReach(4, 0)).toBe(false)
    expect(r.sides([4, 3, 2, 1, 0])).toEqual([[0, 1], [2, 3, 4]])
  })

  it('puts unlisted and later nodes together on one more side', () => {
    const r = new Reachability()
    r.split([[0], [1]], 4)
    expect(r.canReach(2, 3)).toBe(true)
    expect(r.canReach(2, 5)).toBe(true)
    expect(r.canReach(0, 2)).toBe(false)
    expect(r.sides([0, 1, 2, 3, 5])).toEqual([[0], [1], [2, 3, 5]])
  })

  it('isolates one node and keeps the rest of a split', () => {
    const r = new Reachability()
    r.split([[0, 1, 2], [3, 4]], 5)
    r.isolate(1)
    expect(r.sides([0, 1, 2, 3, 4])).toEqual([[0, 2], [1], [3, 4]])
    r.isolate(0)
    expect(r.canReach(0, 1)).toBe(false)
  })

  it('heals every cut, including isolations', () => {
    const r = new Reachability()
    r.split([[0, 1], [2]], 3)
    r.isolate(0)
    r.heal()
    expect(r.isPartitioned).toBe(false)
    expect(r.sides([0, 1, 2])).toEqual([[0, 1, 2]])
  })

  it('replaces an earlier split', () => {
    const r = new Reachability()
    r.split([[0, 1], [2, 3]], 4)
    r.split([[0, 2], [1, 3]], 4)
    expect(r.canReach(0, 2)).toBe(true)
    expect(r.canReach(0, 1)).toBe(false)
  })

  it.each([
    [[[0, 1], [1, 2]], 'more than one side'],
    [[[0], []], 'empty'],
    [[[0, 7]], 'not a node index'],
    [[[0.5]], 'not a node index']
  ])('rejects %j with InvalidPartitionError', (sides, message) => {
    const r = new Reachability()
    expect(() => { r.split(sides, 3) }).toThrow(InvalidPartitionError)
    expect(() => { r.split(sides, 3) }).toThrow(message)
  })

  it('cuts single links: the pair cannot reach each other, but stays on one side with everyone else, until heal', () => {
    const r = new Reachability()
    r.cut([[0, 1], [3, 2]], 4)
    expect(r.isPartitioned).toBe(true)
    expect(r.canReach(0, 1)).toBe(false)
    expect(r.canReach(1, 0)).toBe(false)
    expect(r.canReach(2, 3)).toBe(false)
    expect(r.canReach(0, 2)).toBe(true)
    expect(r.sides([0, 1, 2, 3])).toEqual([[0, 1, 2, 3]])
    r.heal()
    expect(r.canReach(0, 1)).toBe(true)
    expect(r.isPartitioned).toBe(false)
  })

  it('refuses to cut a node from itself or a node that does not exist', () => {
    const r = new Reachability()
    expect(() => { r.cut([[1, 1]], 3) }).toThrow(InvalidPartitionError)
    expect(() => { r.cut([[0, 3]], 3) }).toThrow(InvalidPartitionError)
    expect(r.canReach(0, 1)).toBe(true)
  })
})
