import { describe, expect, it } from 'vitest'
import { QuorumTracker } from '../../src/ownership/quorum.js'

describe('QuorumTracker', () => {
  it('needs nothing without a quorum, and a fixed count with one', () => {
    expect(new QuorumTracker(undefined, 1000).hasQuorum(0)).toBe(true)
    const fixed = new QuorumTracker(3, 1000)
    fixed.view(['a', 'b'], 0)
    expect(fixed.hasQuorum(0)).toBe(false)
    fixed.view(['a', 'b', 'c'], 0)
    expect(fixed.hasQuorum(0)).toBe(true)
  })

  it('majority: counts members that timed out for windowMs, not those that said goodbye', () => {
    const q = new QuorumTracker('majority', 10_000)
    q.view(['a', 'b', 'c', 'd', 'e'], 0)
    q.view(['a', 'b'], 100)                       // c, d, e timed out: 2 of 5
    expect(q.required(100)).toBe(3)
    expect(q.hasQuorum(100)).toBe(false)
    expect(q.nextChangeMs()).toBe(10_100)
    expect(q.hasQuorum(10_100)).toBe(true)         // they left the window: 2 of 2
    const g = new QuorumTracker('majority', 10_000)
    g.view(['a', 'b', 'c', 'd', 'e'], 0)
    for (const id of ['c', 'd', 'e']) g.left(id)   // goodbye comes before the view change
    g.view(['a', 'b'], 100)
    expect(g.hasQuorum(100)).toBe(true)
  })

  it('does not count suspects: the minority knows before the majority times it out', () => {
    const q = new QuorumTracker('majority', 10_000)
    q.view(['a', 'b', 'c'], 0)
    q.suspect('b', true)
    expect(q.hasQuorum(0)).toBe(true)
    q.suspect('c', true)
    expect(q.hasQuorum(0)).toBe(false)
    q.suspect('c', false)
    expect(q.hasQuorum(0)).toBe(true)
  })
})
