/**
 * @packageDocumentation
 *
 * `@gossip-ring/ring`: the consistent-hash ring of gossip-ring. Every agent that sees the same set
 * of members assigns every key to the same owner, in every process, on every platform; when a member
 * joins or leaves only the keys it gains or loses move. Rendezvous (highest-random-weight) hashing
 * with weights; pure, synchronous, no I/O.
 *
 * @example
 * ```ts
 * import { createRing } from '@gossip-ring/ring'
 *
 * const ring = createRing([{ id: 'agent-a' }, { id: 'agent-b', weight: 2 }, { id: 'agent-c' }])
 * ring.owner('resource_42')                    // 'agent-b' (say)
 * ring.owners('resource_42', 2)                // ['agent-b', 'agent-a']: owner first, then the failover
 * ring.extractSubset(resources, 'agent-a')     // the resources agent-a owns
 * ring.shareOf('agent-b')                      // 0.5
 * const next = ring.withoutMember('agent-c')   // only agent-c's keys move
 * next.digest !== ring.digest                  // 16 hex chars, order-independent
 * ```
 */
export { createRing, HashRing } from './hash-ring.js'
export type { MemberScore } from './hash-ring.js'
export { membersDigest } from './digest.js'
export type { RingEntry, RingMember } from './members.js'
export { DuplicateMemberError, InvalidKeyError, InvalidMemberIdError, InvalidReplicaCountError, InvalidWeightError } from './errors.js'
export type { RingKey } from './key.js'
