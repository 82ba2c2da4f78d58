import { describe, expect, it } from 'vitest'
import { joinsAgreement } from '../src/agreement-beat.js'

/** Our digests of the groups we are in. */
function ours (digests: Record<string, string>): (group: string) => string | undefined {
  return (group) => digests[group]
}

describe('joinsAgreement (an early heartbeat once someone shares our new view)', () => {
  it('is due when a peer advertises our current digest and our last heartbeat carried another', () => {
    expect(joinsAgreement({ g: 'new' }, ours({ g: 'new' }), { g: 'old' })).toBe(true)
  })

  it('is due before our first heartbeat went out', () => {
    expect(joinsAgreement({ g: 'new' }, ours({ g: 'new' }), undefined)).toBe(true)
  })

  it('is not due once our last heartbeat carried that digest: one early beat per view', () => {
    expect(joinsAgreement({ g: 'new' }, ours({ g: 'new' }), { g: 'new' })).toBe(false)
  })

  it('is not due while the peer advertises another view than ours', () => {
    expect(joinsAgreement({ g: 'theirs' }, ours({ g: 'new' }), { g: 'old' })).toBe(false)
  })

  it('ignores groups we are not in', () => {
    expect(joinsAgreement({ other: 'x' }, ours({ g: 'new' }), { g: 'old' })).toBe(false)
  })

  it('is due when any one of several groups is', () => {
    expect(joinsAgreement({ a: 'same', b: 'new' }, ours({ a: 'same', b: 'new' }), { a: 'same', b: 'old' })).toBe(true)
  })
})
