import type { HashRing, RingKey } from '@gossip-ring/ring'
import type { GroupOwnership, OwnershipMode } from './group-ownership.js'

/** Why a key has the owner it has, as this member sees it: what `cluster.explainOwner()` returns. */
export interface OwnerExplanation {
  group: string
  key: string
  /** The digest of our membership view of the group, and of the ring we own by (they differ while settling). */
  viewDigest: string
  owningDigest: string
  /** The members of the ring we own by with their rendezvous score for the key, best first. */
  members: Array<{ id: string, weight: number, score: number }>
  /** The owner in that ring (undefined when empty), and its fencing epoch for the key. */
  owner: string | undefined
  epoch: number
  /** Whether we own the key now (after partition policy and safe handoff). */
  mine: boolean
  /** Whether every live member advertises our view digest. */
  converged: boolean
  /** Partition policy: our mode, the members in view and how many the quorum needs (0: none). */
  mode: OwnershipMode
  viewSize: number
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
