import { describe, expect, it } from 'vitest'
import { CONFLICT_SWITCHES, ConnectionBootIds, IdentityConflicts, userAgentWithBootId } from '../src/identity-conflict.js'

const WINDOW_MS = 1000

/** Feeds (bootId, seq, atMs) heartbeats of id 'x'; returns the conflicts reported. */
function feed (heartbeats: Array<[string, number, number]>, detector = new IdentityConflicts(WINDOW_MS)): unknown[] {
  return heartbeats.flatMap(([bootId, seq, atMs]) => detector.observe('x', bootId, seq, atMs) ?? [])
}

describe('item 3: detecting two live agents with one id', () => {
  it('item 3: alternating boot ids with fresh seqs (A, B, A, B, A) within the window are a conflict, reported once', () => {
    const detector = new IdentityConflicts(WINDOW_MS)
    const reports = feed([['A', 1, 0], ['B', 1, 100], ['A', 2, 200], ['B', 2, 300], ['A', 3, 400], ['B', 3, 500], ['A', 4, 600]], detector)
    expect(CONFLICT_SWITCHES).toBe(4)
    expect(reports).toEqual([{ id: 'x', bootIds: ['A', 'B'] }])
    expect(detector.active(600, 16)).toEqual(['x'])
    expect(detector.active(1700, 16)).toEqual([])
  })

  it('item 3: a restart (A then B) is not a conflict', () => {
    expect(feed([['A', 1, 0], ['A', 2, 100], ['B', 1, 200], ['B', 2, 300], ['B', 3, 400]])).toEqual([])
  })

  it('item 3: a replayed old heartbeat after a restart is not a conflict (its seq is not fresh)', () => {
    expect(feed([['A', 5, 0], ['B', 1, 100], ['A', 5, 150], ['A', 4, 160], ['B', 2, 200], ['A', 5, 250], ['B', 3, 300], ['A', 3, 350], ['B', 4, 400]])).toEqual([])
  })

  it('item 3: one delayed last heartbeat of the old process is not a conflict (A, B, A, B)', () => {
    expect(feed([['A', 4, 0], ['B', 1, 100], ['A', 5, 150], ['B', 2, 200], ['B', 3, 300]])).toEqual([])
  })

  it('item 3: alternations spread wider than the window are not a conflict', () => {
    expect(feed([['A', 1, 0], ['B', 1, 600], ['A', 2, 1200], ['B', 2, 1800], ['A', 3, 2400]])).toEqual([])
  })

  it('item 3: a peer telling us our id is in conflict is reported once per episode', () => {
    const detector = new IdentityConflicts(WINDOW_MS)
    expect([0, 200, 900].map(at => detector.reportedAboutSelf(at))).toEqual([true, false, false])
    expect(detector.reportedAboutSelf(1800)).toBe(false)
    expect(detector.reportedAboutSelf(2900)).toBe(true)
  })
})

describe('item 3: boot ids per connection (identify user agent)', () => {
  it('item 3: two open connections of one peer naming two boot ids are a suspicion; closed ones are forgotten', () => {
    const seen = new ConnectionBootIds()
    const open = new Set(['c1', 'c2'])
    const isOpen = (id: string): boolean => open.has(id)
    expect(seen.identified('x', 'c1', userAgentWithBootId('boot-a'), isOpen)).toEqual(['boot-a'])
    expect(seen.identified('x', 'c2', userAgentWithBootId('boot-a'), isOpen)).toEqual(['boot-a'])
    expect(seen.identified('x', 'c2', userAgentWithBootId('boot-b'), isOpen)).toEqual(['boot-a', 'boot-b'])
    open.delete('c1')
    expect(seen.identified('x', 'c2', userAgentWithBootId('boot-b'), isOpen)).toEqual(['boot-b'])
    expect(seen.identified('y', 'c3', 'js-libp2p/3.3.11 node/20', isOpen)).toEqual([])
  })

  it('item 3: a confirmed connection conflict is reported once per window', () => {
    const detector = new IdentityConflicts(WINDOW_MS)
    expect(detector.observeConnections('x', ['boot-a'], 0)).toBeUndefined()
    expect(detector.observeConnections('x', ['boot-a', 'boot-b'], 0)).toEqual({ id: 'x', bootIds: ['boot-a', 'boot-b'] })
    expect(detector.observeConnections('x', ['boot-a', 'boot-b'], 500)).toBeUndefined()
    expect(detector.active(500, 16)).toEqual(['x'])
  })
})
