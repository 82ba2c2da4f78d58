import type { MembershipTable, MemberView } from '@gossip-ring/membership'

/** Which groups a node tracks beyond those it joined: every group (`'*'`) or the listed names. */
export type WatchGroups = '*' | readonly string[]

/**
 * True when a node that joined `joined` and watches `watchGroups` tracks `group`: its own groups
 * always, others when watched. The one rule for "which groups does this node keep a view of".
 */
export function tracksGroup (watchGroups: WatchGroups, joined: readonly string[], group: string): boolean {
  return watchGroups === '*' || watchGroups.includes(group) || joined.includes(group)
}

/** A live member of a group as an observer sees it: its view plus the digest it last advertised. */
export interface WatchedMember extends MemberView {
  /** The view digest of the group this member sent in its last heartbeat (undefined for self or none yet). */
  advertised: string | undefined
}

/** One group as this node sees it now, whether it joined it or only watches it. */
export interface GroupSnapshot {
  /** The group. */
  group: string
  /** Our view digest of the group (the ring digest of its live members). */
  digest: string
  /** Live members sorted by id. */
  members: WatchedMember[]
  /**
   * The views agree: the group has members and every live member other than us advertises
   * `digest`. For a group we joined this is `isConverged(group)`; a watcher has no other measure.
   */
  agreed: boolean
}

/** The snapshot of `group` from the membership table. */
export function snapshotGroup (membership: MembershipTable, group: string): GroupSnapshot {
  const digest = membership.digest(group)
  const members = membership.members(group).map((member): WatchedMember => ({ ...member, advertised: membership.advertisedDigest(group, member.id) }))
  const agreed = members.length > 0 && members.every(member => member.self || member.advertised === digest)
  return { group, digest, members, agreed }
}
