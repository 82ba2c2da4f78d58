import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRing, membersDigest, type HashRing, type RingMember } from '../src/index.js'

const KEYS = Array.from({ length: 2000 }, (_, i) => `resource_${i}`)
const memberId = fc.string({ minLength: 1, maxLength: 12 })
const weight = fc.constantFrom(1, 2, 0.5, 3)
/** 1..12 members with distinct ids; half the time with mixed weights. */
const memberSet = fc.tuple(fc.uniqueArray(memberId, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.array(weight, { minLength: 12, maxLength: 12 }))
  .map(([ids, weighted, weights]): RingMember[] => ids.map((id, i) => weighted ? { id, weight: weights[i]! } : { id }))

function ownersOf (ring: HashRing): Array<string | undefined> {
  return KEYS.map((key) => ring.owner(key))
}

describe('createRing properties', () => {
  it('gives the same owners and digest whatever the member order', () => {
    fc.assert(fc.property(memberSet.chain((members) => fc.tuple(fc.constant(members), fc.shuffledSubarray(members, { minLength: members.length }))), ([members, shuffled]) => {
      const a = createRing(members)
      const b = createRing(shuffled)
      expect(ownersOf(b)).toEqual(ownersOf(a))
      expect(b.digest).toBe(a.digest)
    }), { numRuns: 50 })
  })

  it('moves only the leaver\'s keys when a member leaves', () => {
    fc.assert(fc.property(memberSet.filter((m) => m.length >= 2), fc.nat(), (members, pick) => {
      const ring = createRing(members)
      const leaver = members[pick % members.length]!.id
      const after = ring.withoutMember(leaver)
      const before = ownersOf(ring)
      ownersOf(after).forEach((owner, i) => {
        if (before[i] !== leaver) expect(owner).toBe(before[i])
        else expect(owner).not.toBe(leaver)
      })
    }), { numRuns: 50 })
  })

  it('moves only keys the joiner now owns when a member joins', () => {
    fc.assert(fc.property(memberSet, memberId, weight, (members, joiner, joinerWeight) => {
      fc.pre(!members.some((m) => m.id === joiner))
      const ring = createRing(members)
      const after = ring.withMember({ id: joiner, weight: joinerWeight })
      const before = ownersOf(ring)
      ownersOf(after).forEach((owner, i) => {
        if (owner !== joiner) expect(owner).toBe(before[i])
      })
    }), { numRuns: 50 })
  })

  it('derives with withMember / withoutMember exactly the ring createRing builds', () => {
    fc.assert(fc.property(memberSet, memberId, weight, (members, id, newWeight) => {
      const ring = createRing(members)
      const joined = ring.withMember({ id, weight: newWeight })
      const expected = createRing([...members.filter((m) => m.id !== id), { id, weight: newWeight }])
      expect(joined.members).toEqual(expected.members)
      expect(joined.digest).toBe(expected.digest)
      expect(ownersOf(joined)).toEqual(ownersOf(expected))
      const left = joined.withoutMember(id)
      const expectedLeft = createRing(members.filter((m) => m.id !== id))
      expect(left.digest).toBe(expectedLeft.digest)
      expect(ownersOf(left)).toEqual(ownersOf(expectedLeft))
    }), { numRuns: 50 })
  })

  it('gives a member of weight 2 twice the keys of one of weight 1, within 5%', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `key-${i}`)
    fc.assert(fc.property(fc.uniqueArray(memberId, { minLength: 2, maxLength: 2 }), ([heavy, light]) => {
      const ring = createRing([{ id: heavy!, weight: 2 }, { id: light!, weight: 1 }])
      const heavyCount = ring.extractSubset(keys, heavy!).length
      const ratio = heavyCount / (keys.length - heavyCount)
      expect(ratio).toBeGreaterThan(2 * 0.95)
      expect(ratio).toBeLessThan(2 * 1.05)
    }), { numRuns: 15 })
  })

  it('gives the same owners when every weight is scaled by one factor', () => {
    fc.assert(fc.property(memberSet, fc.constantFrom(2, 0.25, 7), (members, factor) => {
      const scaled = members.map(({ id, weight = 1 }) => ({ id, weight: weight * factor }))
      expect(ownersOf(createRing(scaled))).toEqual(ownersOf(createRing(members)))
    }), { numRuns: 30 })
  })

  it('honours weights among many members: each share within 10% of weight / total', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `item/${i}`)
    const members = Array.from({ length: 10 }, (_, i) => ({ id: `member-${i}`, weight: 1 + (i % 3) }))
    const ring = createRing(members)
    for (const { id } of members) {
      const share = ring.extractSubset(keys, id).length / keys.length
      expect(Math.abs(share / ring.shareOf(id) - 1)).toBeLessThan(0.1)
    }
  })

  it('lists distinct owners, starting with owner(key), as many as asked up to the size', () => {
    fc.assert(fc.property(memberSet, fc.string(), fc.integer({ min: 1, max: 15 }), (members, key, n) => {
      const ring = createRing(members)
      const owners = ring.owners(key, n)
      expect(owners).toHaveLength(Math.min(n, members.length))
      expect(new Set(owners).size).toBe(owners.length)
      expect(owners[0]).toBe(ring.owner(key))
      expect(ring.owners(key, members.length).slice(0, owners.length)).toEqual(owners)
    }), { numRuns: 300 })
  })

  it('keeps the rest of the preference list in order when its head leaves', () => {
    fc.assert(fc.property(memberSet.filter((m) => m.length >= 3), fc.string(), (members, key) => {
      const ring = createRing(members)
      const [head, ...rest] = ring.owners(key, members.length)
      expect(ring.withoutMember(head!).owners(key, members.length)).toEqual(rest)
    }), { numRuns: 100 })
  })

  it('agrees between owner, isOwner and extractSubset', () => {
    fc.assert(fc.property(memberSet, (members) => {
      const ring = createRing(members)
      const owners = ownersOf(ring)
      for (const { id } of members) {
        const expected = KEYS.filter((_, i) => owners[i] === id)
        expect(ring.extractSubset(KEYS, id)).toEqual(expected)
        expect(KEYS.filter((key) => ring.isOwner(key, id))).toEqual(expected)
      }
    }), { numRuns: 30 })
  })

  it('extracts by keyOf and by String(item) by default', () => {
    const ring = createRing([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    const items = Array.from({ length: 300 }, (_, i) => ({ name: `r${i}` }))
    const mine = ring.extractSubset(items, 'b', (item) => item.name)
    expect(mine.map((item) => item.name)).toEqual(items.map((item) => item.name).filter((key) => ring.owner(key) === 'b'))
    const numbers = Array.from({ length: 300 }, (_, i) => i)
    expect(ring.extractSubset(numbers, 'a')).toEqual(numbers.filter((i) => ring.owner(String(i)) === 'a'))
    expect(ring.extractSubset(numbers, 'stranger')).toEqual([])
  })

  it('reports shareOf as weight over total weight, 0 for non-members', () => {
    const ring = createRing([{ id: 'a', weight: 3 }, { id: 'b' }])
    expect(ring.shareOf('a')).toBe(0.75)
    expect(ring.shareOf('b')).toBe(0.25)
    expect(ring.shareOf('c')).toBe(0)
  })
})

describe('digest', () => {
  it('is 16 lowercase hex chars, order-independent, and equal to membersDigest', () => {
    fc.assert(fc.property(memberSet, (members) => {
      const ring = createRing(members)
      expect(ring.digest).toMatch(/^[0-9a-f]{16}$/)
      expect(membersDigest([...members].reverse())).toBe(ring.digest)
    }), { numRuns: 100 })
  })

  it('changes with any weight change, join or leave', () => {
    fc.assert(fc.property(memberSet, fc.nat(), memberId, (members, pick, stranger) => {
      fc.pre(!members.some((m) => m.id === stranger))
      const ring = createRing(members)
      const target = members[pick % members.length]!
      expect(ring.withMember({ id: target.id, weight: (target.weight ?? 1) + 1 }).digest).not.toBe(ring.digest)
      expect(ring.withoutMember(target.id).digest).not.toBe(ring.digest)
      expect(ring.withMember({ id: stranger }).digest).not.toBe(ring.digest)
    }), { numRuns: 100 })
  })

  it('treats a missing weight as weight 1', () => {
    expect(membersDigest([{ id: 'a' }])).toBe(membersDigest([{ id: 'a', weight: 1 }]))
  })
})

describe('derivation', () => {
  it('returns the same ring for an unknown leaver or an unchanged member', () => {
    const ring = createRing([{ id: 'a', weight: 2 }])
    expect(ring.withoutMember('zzz')).toBe(ring)
    expect(ring.withMember({ id: 'a', weight: 2 })).toBe(ring)
  })
})
