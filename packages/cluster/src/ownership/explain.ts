import type { HashRing, MemberScore, RingKey } from '@gossip-ring/ring'
import type { GroupOwnership, OwnershipMode } from './group-ownership.js'

/** Why a key has the owner it has, as this member sees it: what `cluster.explainOwner()` returns. */
export interface OwnerExplanation {
  /** The group. */
  group: string
  /** The key, as text (a number or bigint key is its decimal text). */
  key: string
  /** The digest of our membership view of the group. */
  viewDigest: string
  /** The digest of the ring we own by (differs from the view while settling); `-` when we own nothing. */
  owningDigest: string
  /** The members of the ring we own by with their rendezvous score for the key, best first. */
  members: MemberScore[]
  /** The owner in that ring; undefined when it is empty. */
  owner: string | undefined
  /** The owner's fencing epoch for the key. */
  epoch: number
  /** Whether we own the key now (after partition policy and safe handoff). */
  mine: boolean
  /** Whether every live member advertises our view digest. */
  converged: boolean
  /** Partition policy: our mode. */
  mode: OwnershipMode
  /** The members in our view. */
  viewSize: number
  /** How many alive members the quorum needs now (0: no quorum). */
  quorumRequired: number
}

/** Builds the explanation of `key` from a group's ownership. */
export function explainKey (group: string, key: RingKey, ownership: GroupOwnership, converged: boolean): OwnerExplanation {
  const ring: HashRing = ownership.ring
  const { owner, epoch } = ownership.ownership(key)
  const state = ownership.state
  return {
    group,
    key: String(key),
    viewDigest: state.viewDigest,
    owningDigest: state.owningDigest,
    members: ring.scores(key),
    owner,
    epoch,
    mine: ownership.isMine(key),
    converged,
    mode: state.mode,
    viewSize: state.viewSize,
    quorumRequired: state.quorumRequired
  }
}
