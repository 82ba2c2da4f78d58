import { describe, expect, it } from 'vitest'
import type { RingEvent } from '../src/events.js'
import { agreedRings, checkSplit, handedOffRings, ringDigest, ringSplit } from '../src/split.js'
import { formatTable } from '../src/table.js'

function view (members: string[], digest: string): RingEvent {
  return { event: 'ring', group: 'g', members, mine: 0, digest }
}

describe('agreedRings', () => {
  it('returns the views when all see the expected members under one digest, whatever the order', () => {
    const views = [view(['a', 'b'], 'd1'), view(['b', 'a'], 'd1')]
    expect(agreedRings(views, ['b', 'a'])).toEqual(views)
  })

  it.each([
    ['a view is missing', [view(['a', 'b'], 'd1'), undefined]],
    ['a view lacks a member', [view(['a', 'b'], 'd1'), view(['a'], 'd1')]],
    ['a view has an extra member', [view(['a', 'b'], 'd1'), view(['a', 'b', 'c'], 'd1')]],
    ['the digests differ', [view(['a', 'b'], 'd1'), view(['a', 'b'], 'd2')]]
  ])('is undefined when %s', (_, views) => {
    expect(agreedRings(views, ['a', 'b'])).toBeUndefined()
  })
})

describe('checkSplit', () => {
  it('accepts an exact split', () => {
    expect(checkSplit([['resource_0', 'resource_2'], ['resource_1']], 3)).toEqual({ overlap: [], missing: [], unknown: [] })
  })

  it('reports overlaps, gaps and names that are not resources', () => {
    expect(checkSplit([['resource_0', 'resource_1'], ['resource_1', 'bogus']], 3))
      .toEqual({ overlap: ['resource_1'], missing: ['resource_2'], unknown: ['bogus'] })
  })
})

describe('ringSplit / ringDigest', () => {
  it('gives every resource to exactly one member and matches an order-independent digest', () => {
    const split = ringSplit(['b', 'a', 'c'], 50)
    expect(checkSplit([...split.values()], 50)).toEqual({ overlap: [], missing: [], unknown: [] })
    expect(ringSplit(['a', 'b', 'c'], 50)).toEqual(split)
    expect(ringDigest(['c', 'a', 'b'])).toBe(ringDigest(['a', 'b', 'c']))
    expect(ringDigest(['a', 'b'])).not.toBe(ringDigest(['a', 'b', 'c']))
  })
})

describe('formatTable', () => {
  it('pads columns to the widest cell and underlines the header', () => {
    expect(formatTable(['agent', 'owns'], [['agent-a', '12'], ['b', '3']])).toBe([
      'agent    owns',
      '-------  ----',
      'agent-a  12',
      'b        3'
    ].join('\n'))
  })
})

describe('handedOffRings', () => {
  it('waits until each agent owns exactly its share, not only the same ring', () => {
    const ids = ['a', 'b']
    const split = ringSplit(ids, 10)
    const digest = ringDigest(ids)
    const full = ids.map((id) => ({ ...view(ids, digest), mine: split.get(id)?.length ?? -1 }))
    expect(handedOffRings(full, ids, 10)).toEqual(full)
    const pending = [{ ...full[0]!, mine: 0 }, full[1]!]
    expect(handedOffRings(pending, ids, 10)).toBeUndefined()
  })
})
