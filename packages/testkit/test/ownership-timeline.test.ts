import { describe, expect, it } from 'vitest'
import { OwnershipTimeline } from '../src/ownership-timeline.js'
import { describeIncidents, longerThan } from '../src/ownership-assertions.js'

describe('OwnershipTimeline on a fake timeline', () => {
  it('counts unowned time before the first claims, then nothing while each resource has one owner', () => {
    const t = new OwnershipTimeline(['a', 'b'], 0)
    t.record(0, ['a'], 1000)
    t.record(1, ['b'], 2000)
    const { total } = t.report(5000)
    expect(total.unownedResourceS).toBeCloseTo(1 + 2)
    expect(total.doubleOwnedResourceS).toBe(0)
    expect(total.keysMoved).toBe(0)
  })

  it('measures a join: the newcomer takes b 300 ms before the old owner lets go', () => {
    const t = new OwnershipTimeline(['a', 'b'], 0)
    t.record(0, ['a', 'b'], 0)
    t.mark('join', 1000)
    t.record(1, ['b'], 1200)
    t.record(0, ['a'], 1500)
    const report = t.report(2000)
    expect(report.phases.map((p) => p.label)).toEqual(['start', 'join'])
    expect(report.phases[1]).toMatchObject({ doubleOwnedResourceS: 0.3, unownedResourceS: 0, keysMoved: 1, startMs: 1000, endMs: 2000 })
    expect(t.doubleOwnership(2000)).toEqual([{ resource: 'b', nodes: [0, 1], startMs: 1200, endMs: 1500 }])
  })

  it('measures a crash: the share has no owner until a survivor takes it, and counts it moved', () => {
    const t = new OwnershipTimeline(['a', 'b', 'c'], 0)
    t.record(0, ['a'], 0)
    t.record(1, ['b', 'c'], 0)
    t.mark('crash', 100)
    t.record(1, [], 100)
    t.record(0, ['a', 'b', 'c'], 1100)
    const report = t.report(1500)
    expect(report.phases[1]).toMatchObject({ unownedResourceS: 2, doubleOwnedResourceS: 0, keysMoved: 2 })
    expect(t.gaps(1500, 50).map((g) => [g.resource, g.startMs, g.endMs])).toEqual([['b', 100, 1100], ['c', 100, 1100]])
  })

  it('keeps an incident open until it ends, and reports it up to now', () => {
    const t = new OwnershipTimeline(['a'], 0)
    t.record(0, ['a'], 0)
    t.record(1, ['a'], 10)
    t.record(2, ['a'], 20)
    expect(t.doubleOwnership(50)).toEqual([{ resource: 'a', nodes: [0, 1, 2], startMs: 10, endMs: 50 }])
    expect(t.report(50).total.doubleOwnedResourceS).toBeCloseTo(0.04)
  })

  it('ignores resources outside the timeline and filters incidents by start of interest', () => {
    const t = new OwnershipTimeline(['a'], 0)
    t.record(0, ['a', 'zzz'], 100)
    expect(t.claimsOf(0)).toEqual(new Set(['a']))
    expect(t.gaps(200)).toHaveLength(1)
    expect(t.gaps(200, 150)).toHaveLength(0)
  })
})

describe('ownership assertion messages', () => {
  it('name the resource, the nodes and when, relative to the start', () => {
    const lines = describeIncidents([{ resource: 'r7', nodes: [0, 3], startMs: 1520, endMs: 1640 }, { resource: 'r9', nodes: [], startMs: 1000, endMs: 1900 }], 0)
    expect(lines).toEqual(['r7: owned by n0, n3 for 120 ms (from +1520 ms to +1640 ms)', 'r9: no owner for 900 ms (from +1000 ms to +1900 ms)'])
  })

  it('keep only incidents longer than the limit, longest first', () => {
    const incidents = [{ resource: 'a', nodes: [], startMs: 0, endMs: 10 }, { resource: 'b', nodes: [], startMs: 0, endMs: 30 }, { resource: 'c', nodes: [], startMs: 0, endMs: 20 }]
    expect(longerThan(incidents, 10).map((i) => i.resource)).toEqual(['b', 'c'])
  })
})
