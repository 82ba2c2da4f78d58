import { describe, expect, it } from 'vitest'
import { convergenceProblems } from '../src/convergence.js'
import type { MembershipSnapshot } from '../src/convergence.js'
import { findClaimProblems, findDisagreements, formatProblems } from '../src/ownership.js'
import type { OwnershipSnapshot } from '../src/ownership.js'

function snapshot (node: number, claims: string[], owners: Record<string, number | undefined>): OwnershipSnapshot {
  return { node, claims: new Set(claims), owners: new Map(Object.entries(owners)) }
}

describe('findClaimProblems', () => {
  it('is empty when each resource is claimed exactly once', () => {
    expect(findClaimProblems(['a', 'b', 'c'], [snapshot(0, ['a', 'c'], {}), snapshot(1, ['b'], {})])).toEqual([])
  })

  it('names unowned and doubly claimed resources with the claimers', () => {
    const problems = findClaimProblems(['a', 'b', 'c'], [snapshot(0, ['a', 'b'], {}), snapshot(3, ['b'], {})])
    expect(problems).toEqual(['b: claimed by n0, n3', 'c: no owner'])
  })
})

describe('findDisagreements', () => {
  it('is empty when every node computes the same owner', () => {
    const owners = { a: 1, b: 0 }
    expect(findDisagreements(['a', 'b'], [snapshot(0, [], owners), snapshot(1, [], owners)])).toEqual([])
  })

  it('shows what each node computes for a disputed resource', () => {
    const problems = findDisagreements(['a', 'b'], [snapshot(0, [], { a: 1, b: 0 }), snapshot(2, [], { a: 2, b: 0 }), snapshot(4, [], { b: 0 })])
    expect(problems).toEqual(['a: n0→n1, n2→n2, n4→none'])
  })
})

describe('formatProblems', () => {
  it('keeps ten lines and counts the rest', () => {
    const text = formatProblems('headline', Array.from({ length: 13 }, (_, i) => `line ${i}`))
    const lines = text.split('\n')
    expect(lines[0]).toBe('headline')
    expect(lines).toHaveLength(12)
    expect(lines[10]).toBe('  line 9')
    expect(lines[11]).toBe('  ... and 3 more')
  })
})

describe('convergenceProblems', () => {
  const view = (node: number, members: string[], converged = true, inGroup = true): [number, MembershipSnapshot] =>
    [node, { node, inGroup, members, converged }]

  it('is empty when each side sees exactly its own members and digests agree', () => {
    const snaps = new Map([view(0, ['n0', 'n1']), view(1, ['n0', 'n1']), view(2, ['n2'])])
    expect(convergenceProblems([[0, 1], [2]], snaps)).toEqual([])
  })

  it('reports a node that still sees a member of the other side', () => {
    const snaps = new Map([view(0, ['n0', 'n1', 'n2']), view(1, ['n0', 'n1']), view(2, ['n2'])])
    expect(convergenceProblems([[0, 1], [2]], snaps)).toEqual(['n0 sees [n0, n1, n2], expected [n0, n1]'])
  })

  it('reports a node whose digests are not agreed yet', () => {
    const snaps = new Map([view(0, ['n0', 'n1'], false), view(1, ['n0', 'n1'])])
    expect(convergenceProblems([[0, 1]], snaps)).toEqual(['n0 sees [n0, n1] (digests not agreed), expected [n0, n1]'])
  })

  it('ignores nodes outside the group and does not expect them as members', () => {
    const snaps = new Map([view(0, ['n0']), view(1, [], true, false)])
    expect(convergenceProblems([[0, 1]], snaps)).toEqual([])
  })
})
