import { MAX_WEIGHT } from '@gossip-ring/membership'
import type { GroupAdvert } from '@gossip-ring/membership'

/** Wire format version this code writes and the only one it reads. */
export const WIRE_VERSION = 2

/** Bounds of a heartbeat on the wire; a receiver drops anything outside them, a sender refuses to build it. */
export const WIRE_LIMITS = Object.freeze({
  /** Encoded heartbeat size in bytes, checked before decoding. */
  maxHeartbeatBytes: 16 * 1024,
  /** Encoded signed envelope size in bytes (a heartbeat, its author's id and signature), checked before decoding. */
  maxEnvelopeBytes: 16 * 1024 + 128,
  /** Groups per heartbeat. */
  maxGroups: 64,
  /** Largest group weight (the smallest is anything above 0): one member gets at most this many times the share of a weight-1 member. */
  maxWeight: MAX_WEIGHT,
  /** Characters of a group name. */
  maxGroupNameChars: 128,
  /** Metadata entries per group. */
  maxMetadataEntries: 32,
  /** Characters of a metadata key. */
  maxMetadataKeyChars: 64,
  /** Characters of a metadata value. */
  maxMetadataValueChars: 1024,
  /** Characters of a boot id. */
  maxBootIdChars: 64,
  /** Characters of a view digest. */
  maxDigestChars: 64,
  /** Advertised addresses per heartbeat. */
  maxAddrs: 16,
  /** Bytes of one advertised address. */
  maxAddrBytes: 256,
  /** Ids in the `conflicts` field (two processes with one id). */
  maxConflicts: 16,
  /** Characters of one id in `conflicts`. */
  maxConflictIdChars: 128,
  /** Ids in the `unheard` field (members the sender does not hear directly); beyond, it sets `unheard_more`. */
  maxUnheard: 16,
  /** Characters of one id in `unheard`. */
  maxUnheardIdChars: 128
})

/**
 * Checks one group advert against the wire limits and the membership rules (non-empty name, weight
 * in (0, 1000]). Returns what is wrong, or undefined when it is fine. Used by the decoder (drop) and by
 * `joinGroup` (throw), so both sides agree on what a valid group is.
 */
export function groupAdvertProblem (advert: GroupAdvert): string | undefined {
  if (typeof advert.name !== 'string' || advert.name.length === 0) return 'a group name must be a non-empty string'
  if (advert.name.length > WIRE_LIMITS.maxGroupNameChars) return `group name longer than ${WIRE_LIMITS.maxGroupNameChars} characters`
  if (!(advert.weight > 0 && advert.weight <= WIRE_LIMITS.maxWeight)) return `weight of group "${advert.name}" must be in (0, ${WIRE_LIMITS.maxWeight}], got ${advert.weight}`
  if (typeof advert.metadata !== 'object' || advert.metadata === null) return `metadata of group "${advert.name}" must be an object of strings`
  const entries = Object.entries(advert.metadata)
  if (entries.length > WIRE_LIMITS.maxMetadataEntries) return `group "${advert.name}" has more than ${WIRE_LIMITS.maxMetadataEntries} metadata entries`
  for (const [key, value] of entries) {
    if (typeof value !== 'string') return `metadata value of "${key}" in group "${advert.name}" must be a string`
    if (key.length > WIRE_LIMITS.maxMetadataKeyChars) return `metadata key longer than ${WIRE_LIMITS.maxMetadataKeyChars} characters in group "${advert.name}"`
    if (value.length > WIRE_LIMITS.maxMetadataValueChars) return `metadata value longer than ${WIRE_LIMITS.maxMetadataValueChars} characters in group "${advert.name}"`
  }
  return undefined
}

/** Checks a whole group list: each advert, unique names, and the count. Returns what is wrong or undefined. */
export function groupListProblem (groups: readonly GroupAdvert[]): string | undefined {
  if (groups.length > WIRE_LIMITS.maxGroups) return `more than ${WIRE_LIMITS.maxGroups} groups`
  const names = new Set<string>()
  for (const group of groups) {
    const problem = groupAdvertProblem(group)
    if (problem !== undefined) return problem
    if (names.has(group.name)) return `duplicate group name "${group.name}"`
    names.add(group.name)
  }
  return undefined
}
