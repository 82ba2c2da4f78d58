import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRing, InvalidMemberIdError, InvalidReplicaCountError } from '../src/index.js'

const memberId = fc.string({ minLength: 1, maxLength: 12 })
/** 2..30 distinct ids, all of weight 1. */
const idSet = fc.uniqueArray(memberId, { minLength: 2, maxLength: 30 })

describe('HashRing.closest', () => {
  it('lists min(n, others) distinct members, never the member itself, the same whether or not it is on the ring', () => {
    fc.assert(fc.property(idSet, fc.nat(), fc.integer({ min: 1, max: 40 }), (ids, pick, n) => {
      const self = ids[pick % ids.length]!
      const others = ids.filter((id) => id !== self)
      const withSelf = createRing(ids.map((id) => ({ id }))).closest(self, n)
      expect(withSelf).toHaveLength(Math.min(n, others.length))
      expect(new Set(withSelf).size).toBe(withSelf.length)
      expect(withSelf).not.toContain(self)
      expect(createRing(others.map((id) => ({ id }))).closest(self, n)).toEqual(withSelf)
    }), { numRuns: 200 })
  })

  it('scores a pair the same from both ends: following each member\'s first pick ends in a pair that picks each other, never in a longer cycle', () => {
    // a picks b when b's score for a is the highest a has; with a symmetric score the scores never
    // drop along a -> b -> c -> ..., so the walk can only close on two members: a mutual pair.
    // Independent rendezvous orders (owners(self)) close three-member cycles about a quarter of the time.
    fc.assert(fc.property(idSet.filter((ids) => ids.length >= 3), (ids) => {
      const ring = createRing(ids.map((id) => ({ id })))
      const first = new Map(ids.map((id) => [id, ring.closest(id, 1)[0]!]))
      for (const start of ids) {
        const seen: string[] = []
        let at = start
        while (!seen.includes(at)) {
          seen.push(at)
          at = first.get(at)!
        }
        // the walk re-entered the cycle at `at`: it must be a mutual pair
        expect(first.get(first.get(at)!)).toBe(at)
      }
    }), { numRuns: 300 })
  })

  it('ranks by the pair alone: adding a member never reorders the others for a member', () => {
    fc.assert(fc.property(idSet, memberId, fc.nat(), (ids, joiner, pick) => {
      fc.pre(!ids.includes(joiner))
      const self = ids[pick % ids.length]!
      const ring = createRing(ids.map((id) => ({ id })))
      const before = ring.closest(self, ids.length)
      const after = ring.withMember({ id: joiner }).closest(self, ids.length + 1).filter((id) => id !== joiner)
      expect(after).toEqual(before)
    }), { numRuns: 200 })
  })

  it('rejects a bad member id or count by name', () => {
    const ring = createRing([{ id: 'a' }, { id: 'b' }])
    expect(() => ring.closest('', 1)).toThrow(InvalidMemberIdError)
    expect(() => ring.closest(42 as unknown as string, 1)).toThrow(InvalidMemberIdError)
    expect(() => ring.closest('a', 0)).toThrow(InvalidReplicaCountError)
    expect(() => ring.closest('a', 1.5)).toThrow(InvalidReplicaCountError)
    expect(ring.closest('a', 5)).toEqual(['b'])
    expect(createRing([{ id: 'a' }]).closest('a', 3)).toEqual([])
    expect(createRing([]).closest('a', 3)).toEqual([])
  })
})
