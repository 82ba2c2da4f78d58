import { createRing } from '@gossip-ring/ring'
import { describe, expect, it } from 'vitest'
import { PeerSet, preferredPeers } from '../src/peer-set.js'

const ids = Array.from({ length: 50 }, (_, i) => `12D3KooWpeer${String(i).padStart(3, '0')}`)

/** The graph the agents' picks make: an edge wherever one side picks the other. */
function pickGraph (all: string[], size: number): Map<string, Set<string>> {
  const graph = new Map(all.map((id) => [id, new Set<string>()]))
  for (const id of all) {
    for (const other of preferredPeers(id, all, size)) {
      graph.get(id)?.add(other)
      graph.get(other)?.add(id)
    }
  }
  return graph
}

function reachableFrom (graph: Map<string, Set<string>>, start: string): Set<string> {
  const seen = new Set([start])
  const queue = [start]
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of graph.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return seen
}

describe('preferredPeers', () => {
  it('picks count peers, never self, the same whatever the order of the candidates', () => {
    const picks = preferredPeers(ids[0] as string, ids, 4)
    expect(picks.size).toBe(4)
    expect(picks.has(ids[0] as string)).toBe(false)
    expect(preferredPeers(ids[0] as string, [...ids].reverse(), 4)).toEqual(picks)
  })

  it('picks the count closest to its own id on a ring of the others alone, whether or not the candidates include it', () => {
    for (let fleet = 2; fleet <= 40; fleet += 3) {
      const all = Array.from({ length: fleet }, (_, i) => `12D3KooWfleet${fleet}x${i * 7919}`)
      for (const chooser of all) {
        const others = all.filter((id) => id !== chooser)
        for (const count of [1, 3, 8]) {
          const expected = new Set(createRing(others.map((id) => ({ id }))).closest(chooser, count))
          expect(preferredPeers(chooser, all, count)).toEqual(expected)
          expect(preferredPeers(chooser, others, count)).toEqual(expected)
        }
      }
    }
  })

  it('picks every candidate when there are at most count', () => {
    expect(preferredPeers('a', ['a', 'b', 'c'], 4)).toEqual(new Set(['b', 'c']))
  })

  it('differs from agent to agent: each picks its own, so no agent is everyone\'s pick', () => {
    const timesPicked = new Map<string, number>()
    for (const id of ids) for (const other of preferredPeers(id, ids, 4)) timesPicked.set(other, (timesPicked.get(other) ?? 0) + 1)
    expect(Math.max(...timesPicked.values())).toBeLessThan(15)
  })

  it('makes a connected graph in which every agent has at least count neighbours and far fewer than all', () => {
    for (const size of [3, 4, 8]) {
      const graph = pickGraph(ids, size)
      expect(reachableFrom(graph, ids[0] as string).size).toBe(ids.length)
      const degrees = [...graph.values()].map((neighbours) => neighbours.size)
      expect(Math.min(...degrees)).toBeGreaterThanOrEqual(size)
      const edges = degrees.reduce((sum, d) => sum + d, 0) / 2
      expect(edges).toBeLessThanOrEqual(ids.length * size)
    }
  })

  it('makes mostly mutual picks: about 4 neighbours per agent for 3 picks among 50, not the 6 of independent picks', () => {
    const graph = pickGraph(ids, 3)
    const meanDegree = [...graph.values()].reduce((sum, neighbours) => sum + neighbours.size, 0) / ids.length
    // independent picks: 3 picked + about 3 picking us (5.8 in simulations); a symmetric pair score: about 3.9
    expect(meanDegree).toBeLessThan(4.5)
    expect(Math.max(...[...graph.values()].map((neighbours) => neighbours.size))).toBeLessThanOrEqual(9)
  })

  it('moves few picks when one more agent is known (a pick made early mostly stays)', () => {
    let moved = 0
    for (const id of ids) {
      const before = preferredPeers(id, ids.slice(0, 49), 4)
      const after = preferredPeers(id, ids, 4)
      moved += [...before].filter((other) => !after.has(other)).length
    }
    // the newcomer displaces one pick of about 4 agents in 49 (it is in their top 4 of 49)
    expect(moved).toBeLessThan(15)
  })
})

describe('PeerSet', () => {
  it('picks the preferred peers, and while a pick does not answer, the next-ranked one too', () => {
    const self = ids[0] as string
    const set = new PeerSet(self, 3)
    set.changed(ids, ids)
    const best = [...preferredPeers(self, ids, 3)]
    for (const id of best) expect(set.picks(id)).toBe(true)
    expect(ids.filter((id) => set.picks(id))).toHaveLength(3)
    const failing = best[0] as string
    set.changed(ids, ids.filter((id) => id !== failing))
    const replacement = [...preferredPeers(self, ids.filter((id) => id !== failing), 3)].find((id) => !best.includes(id)) as string
    expect(set.picks(failing)).toBe(true)
    expect(set.picks(replacement)).toBe(true)
    expect(ids.filter((id) => set.picks(id))).toHaveLength(4)
  })

  it('tells whether another agent that knows what we know picks us', () => {
    const self = ids[0] as string
    const set = new PeerSet(self, 3)
    set.changed(ids.slice(1), ids.slice(1))
    for (const other of ids.slice(1)) {
      expect(set.pickedBy(other)).toBe(preferredPeers(other, ids, 3).has(self))
    }
    expect(ids.slice(1).some((other) => set.pickedBy(other))).toBe(true)
  })
})
