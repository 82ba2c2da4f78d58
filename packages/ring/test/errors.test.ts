import { describe, expect, it } from 'vitest'
import { createRing, membersDigest } from '../src/index.js'

describe('bad input gets a named error', () => {
  it.each([
    ['an empty id', [{ id: '' }], 'InvalidMemberIdError'],
    ['a non-string id', [{ id: 42 as unknown as string }], 'InvalidMemberIdError'],
    ['a missing member', [undefined as unknown as { id: string }], 'InvalidMemberIdError'],
    ['duplicate ids', [{ id: 'a' }, { id: 'b' }, { id: 'a', weight: 2 }], 'DuplicateMemberError'],
    ['a NaN weight', [{ id: 'a', weight: Number.NaN }], 'InvalidWeightError'],
    ['an infinite weight', [{ id: 'a', weight: Infinity }], 'InvalidWeightError'],
    ['a negative weight', [{ id: 'a', weight: -1 }], 'InvalidWeightError'],
    ['a zero weight', [{ id: 'a', weight: 0 }], 'InvalidWeightError'],
    ['a string weight', [{ id: 'a', weight: '2' as unknown as number }], 'InvalidWeightError']
  ])('createRing and membersDigest reject %s', (_, members, name) => {
    expect(() => createRing(members)).toThrowError(expect.objectContaining({ name }))
    expect(() => membersDigest(members)).toThrowError(expect.objectContaining({ name }))
  })

  it('withMember validates the member', () => {
    const ring = createRing([{ id: 'a' }])
    expect(() => ring.withMember({ id: '' })).toThrowError(expect.objectContaining({ name: 'InvalidMemberIdError' }))
    expect(() => ring.withMember({ id: 'b', weight: -2 })).toThrowError(expect.objectContaining({ name: 'InvalidWeightError' }))
  })

  it.each([0, -1, 1.5, Number.NaN, Infinity])('owners rejects n = %d with InvalidReplicaCountError', (n) => {
    expect(() => createRing([{ id: 'a' }]).owners('key', n)).toThrowError(expect.objectContaining({ name: 'InvalidReplicaCountError' }))
    expect(() => createRing([]).owners('key', n)).toThrowError(expect.objectContaining({ name: 'InvalidReplicaCountError' }))
  })

  it('error classes carry their name statically and on instances', async () => {
    const errors = await import('../src/errors.js')
    for (const [exported, ErrorClass] of Object.entries(errors)) {
      expect(ErrorClass.name).toBe(exported)
      expect(new ErrorClass().name).toBe(exported)
      expect(new ErrorClass()).toBeInstanceOf(Error)
    }
  })
})

describe('the empty ring', () => {
  const ring = createRing([])

  it('has no owner, no owners, no subset and no share', () => {
    expect(ring.size).toBe(0)
    expect(ring.members).toEqual([])
    expect(ring.owner('key')).toBeUndefined()
    expect(ring.owners('key', 3)).toEqual([])
    expect(ring.isOwner('key', 'a')).toBe(false)
    expect(ring.extractSubset(['x', 'y'], 'a')).toEqual([])
    expect(ring.shareOf('a')).toBe(0)
    expect(ring.has('a')).toBe(false)
  })

  it('has the digest of the empty set and grows by withMember', () => {
    expect(ring.digest).toBe(membersDigest([]))
    const one = ring.withMember({ id: 'solo' })
    expect(one.owner('anything')).toBe('solo')
    expect(one.shareOf('solo')).toBe(1)
    expect(one.withoutMember('solo').digest).toBe(ring.digest)
  })
})
