import { createRing } from '@gossip-ring/ring'
import { syntheticResources } from '@gossip-ring/cli'
import type { RingEvent } from '@gossip-ring/cli'

/** Whether the owned resource lists of several agents cover `resource_0..n-1` exactly once. */
export interface SplitCheck {
  /** Resources claimed by more than one agent. */
  overlap: string[]
  /** Resources nobody claims. */
  missing: string[]
  /** Claimed names that are not resources at all. */
  unknown: string[]
}

/**
 * Given each agent's latest ring view, returns the views when every one of them sees exactly the
 * members `expectedIds` under one digest; `undefined` while they do not agree yet.
 */
export function agreedRings (views: ReadonlyArray<RingEvent | undefined>, expectedIds: readonly string[]): RingEvent[] | undefined {
  const expected = [...expectedIds].sort().join(',')
  const rings: RingEvent[] = []
  for (const view of views) {
    if (view === undefined || [...view.members].sort().join(',') !== expected) return undefined
    rings.push(view)
  }
  return rings.every((r) => r.digest === rings[0]?.digest) ? rings : undefined
}

/**
 * `agreedRings`, and also every agent owns exactly its share of `resource_0..count-1` (with safe
 * handoff an agent takes a gained key a moment after the ring changed): `views[i]` is the view of
 * the member `memberIds[i]`. `undefined` until then.
 */
export function handedOffRings (views: ReadonlyArray<RingEvent | undefined>, memberIds: readonly string[], count: number): RingEvent[] | undefined {
  const rings = agreedRings(views, memberIds)
  if (rings === undefined) return undefined
  const expected = ringSplit(memberIds, count)
  return rings.every((ring, i) => ring.mine === expected.get(memberIds[i] ?? '')?.length) ? rings : undefined
}

/** Checks that the agents' owned lists (`resources` of their ring events) split `resource_0..count-1` with no overlap and no gap. */
export function checkSplit (owned: ReadonlyArray<readonly string[]>, count: number): SplitCheck {
  const all = syntheticResources(count)
  const valid = new Set(all)
  const claims = new Map<string, number>()
  const unknown: string[] = []
  for (const list of owned) {
    for (const name of list) {
      if (!valid.has(name)) unknown.push(name)
      claims.set(name, (claims.get(name) ?? 0) + 1)
    }
  }
  return {
    overlap: all.filter((name) => (claims.get(name) ?? 0) > 1),
    missing: all.filter((name) => !claims.has(name)),
    unknown
  }
}

/**
 * What the ring says each member owns of `resource_0..count-1` when the members are `memberIds`
 * (all of weight 1, as `gossip-ring node` joins): an independent answer to compare the agents' own
 * claims with.
 */
export function ringSplit (memberIds: readonly string[], count: number): Map<string, string[]> {
  const ring = createRing(memberIds.map((id) => ({ id })))
  const resources = syntheticResources(count)
  return new Map(memberIds.map((id) => [id, ring.extractSubset(resources, id)]))
}

/** The digest the ring (and the membership view) has for `memberIds`, all of weight 1. */
export function ringDigest (memberIds: readonly string[]): string {
  return createRing(memberIds.map((id) => ({ id }))).digest
}
