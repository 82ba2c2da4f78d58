import { toSortedEntries, type RingEntry, type RingMember } from './members.js'
import { murmur3 } from './murmur3.js'

const DIGEST_SEED_HIGH = 0x2f8a3c5d
const DIGEST_SEED_LOW = 0x7b1e4f93

/**
 * Digest of entries already sorted by id: two independently seeded murmur3_x86_32 of the canonical
 * encoding `JSON.stringify([[id, weight], ...])`, as 16 lowercase hex chars. JSON.stringify and
 * number-to-string are fixed by ECMAScript, so the encoding is the same on every engine.
 * Not cryptographic: it detects accidental differences between views, not forged ones.
 */
export function digestOfSortedEntries (entries: readonly RingEntry[]): string {
  const canonical = JSON.stringify(entries.map(({ id, weight }) => [id, weight]))
  return toHex8(murmur3(canonical, DIGEST_SEED_HIGH)) + toHex8(murmur3(canonical, DIGEST_SEED_LOW))
}

/**
 * Order-independent digest of a member set (ids and weights, weight default 1), 16 lowercase hex
 * chars; equal to `createRing(members).digest`. Throws the same errors as `createRing` on bad input.
 */
export function membersDigest (members: Iterable<RingMember>): string {
  return digestOfSortedEntries(toSortedEntries(members))
}

function toHex8 (value: number): string {
  return value.toString(16).padStart(8, '0')
}
