import { DuplicateMemberError, InvalidMemberIdError, InvalidWeightError } from './errors.js'

/** A member as callers describe it. */
export interface RingMember {
  /** Unique, non-empty id (a libp2p peer id in gossip-ring). */
  id: string
  /**
   * Relative capacity: a member of weight 2 owns twice the keys of one of weight 1. Finite, > 0.
   * @default 1
   */
  weight?: number
}

/** A validated member as the ring holds it. */
export interface RingEntry {
  /** The member's id. */
  readonly id: string
  /** Its weight, the default (1) filled in. */
  readonly weight: number
}

/** Validates one member and returns it as a frozen entry with its weight filled in. */
export function toEntry (member: RingMember): RingEntry {
  const id: unknown = member?.id
  if (typeof id !== 'string' || id === '') {
    throw new InvalidMemberIdError(`member id must be a non-empty string, got ${describe(id)}`)
  }
  const weight: unknown = member.weight ?? 1
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw new InvalidWeightError(`weight of member "${id}" must be a finite number > 0, got ${describe(weight)}`)
  }
  return Object.freeze({ id, weight })
}

/** Code-unit order of ids, the one order every ring and digest is defined over. */
export function compareIds (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Validates a member set and returns its entries sorted by id; throws on duplicates. */
export function toSortedEntries (members: Iterable<RingMember>): RingEntry[] {
  const entries = Array.from(members, toEntry).sort((a, b) => compareIds(a.id, b.id))
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.id === entries[i - 1]!.id) {
      throw new DuplicateMemberError(`member id "${entries[i]!.id}" appears more than once`)
    }
  }
  return entries
}

/** A short printable form of a bad value for error messages. */
function describe (value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
