import { membersDigest } from '@gossip-ring/ring'
import type { MemberState, MemberView } from './types.js'

interface GroupMember {
  weight: number
  metadata: Readonly<Record<string, string>>
  state: MemberState
  readonly self: boolean
  /** The view digest of this group the member advertised in its last heartbeat. */
  advertised: string | undefined
  /** Since when (receiver clock) its advertised digest has differed from ours; undefined while it matches. */
  disagreeSinceMs: number | undefined
}

/** What {@link GroupView.put} did. */
export type PutOutcome = 'added' | 'updated' | 'unchanged'

/**
 * The live members of one group, with the sorted member list and the view digest cached until the
 * group changes, and the convergence count kept up to date incrementally, so that a heartbeat that
 * changes nothing costs O(1) here.
 */
export class GroupView {
  readonly name: string
  /** Whether `group:converged` was last reported true (set by the table). */
  reportedConverged = false
  /** The odd member last reported by `group:odd-member` (set by the table). */
  reportedOdd: string | undefined
  #members = new Map<string, GroupMember>()
  #selfPresent = false
  #views: readonly MemberView[] | undefined
  #digest: string | undefined
  /** How many non-self members advertise `#digest`; -1 when it must be recounted. */
  #matching = -1

  constructor (name: string) {
    this.name = name
  }

  /** How many live members the group has, self included. */
  get size (): number {
    return this.#members.size
  }

  /** Whether self has joined this group. */
  get hasSelf (): boolean {
    return this.#selfPresent
  }

  /** Whether `id` is a live member. */
  has (id: string): boolean {
    return this.#members.has(id)
  }

  /** Adds a member or updates its weight and metadata (copied, never kept by reference). */
  put (id: string, weight: number, metadata: Readonly<Record<string, string>>, self: boolean): PutOutcome {
    const existing = this.#members.get(id)
    if (existing === undefined) {
      this.#members.set(id, { weight, metadata: frozenCopy(metadata), state: 'alive', self, advertised: undefined, disagreeSinceMs: undefined })
      this.#selfPresent ||= self
      this.#invalidate()
      return 'added'
    }
    if (existing.weight === weight && sameMetadata(existing.metadata, metadata)) {
      return 'unchanged'
    }
    existing.weight = weight
    existing.metadata = frozenCopy(metadata)
    this.#invalidate()
    return 'updated'
  }

  /** Removes a member; returns whether it was there. */
  remove (id: string): boolean {
    const member = this.#members.get(id)
    if (member === undefined) {
      return false
    }
    this.#members.delete(id)
    if (member.self) {
      this.#selfPresent = false
    }
    this.#invalidate()
    return true
  }

  /** Records a member's liveness; it shows in {@link GroupView.members} but not in the digest. */
  setState (id: string, state: MemberState): void {
    const member = this.#members.get(id)
    if (member !== undefined && member.state !== state) {
      member.state = state
      this.#views = undefined
    }
  }

  /** Records the digest a member advertised for this group in its last heartbeat, at `nowMs`. */
  advertise (id: string, digest: string | undefined, nowMs: number): void {
    const member = this.#members.get(id)
    if (member === undefined || member.advertised === digest) {
      return
    }
    if (this.#matching >= 0) {
      this.#matching += Number(digest === this.#digest) - Number(member.advertised === this.#digest)
      member.disagreeSinceMs = digest === this.#digest ? undefined : member.disagreeSinceMs ?? nowMs
    }
    member.advertised = digest
  }

  /** Forgets what every member advertised (it is stale): the group is not converged until each advertises our digest again. */
  forgetAdvertised (): void {
    for (const member of this.#members.values()) {
      member.advertised = undefined
      member.disagreeSinceMs = undefined
    }
    this.#matching = -1
  }

  /** The digest `id` advertised for this group in its last heartbeat (undefined for self, an unknown id, or none sent). */
  advertisedBy (id: string): string | undefined {
    return this.#members.get(id)?.advertised
  }

  /** The live members sorted by id (code-unit order); frozen, shared until the group changes. */
  members (): readonly MemberView[] {
    this.#views ??= Object.freeze([...this.#members]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, member]) => Object.freeze({ id, weight: member.weight, metadata: member.metadata, state: member.state, self: member.self })))
    return this.#views
  }

  /** The ring digest of the live members and their weights. */
  digest (): string {
    this.#digest ??= membersDigest(Array.from(this.#members, ([id, member]) => ({ id, weight: member.weight })))
    return this.#digest
  }

  /**
   * True iff self has joined and every other live member advertised {@link GroupView.digest}.
   * `nowMs` dates the disagreements noticed by a recount (see {@link GroupView.oddMember}).
   */
  isConverged (nowMs: number): boolean {
    if (!this.#selfPresent) {
      return false
    }
    if (this.#matching < 0) {
      const digest = this.digest()
      this.#matching = 0
      for (const member of this.#members.values()) {
        if (member.self) continue
        const matches = member.advertised === digest
        this.#matching += Number(matches)
        member.disagreeSinceMs = matches ? undefined : member.disagreeSinceMs ?? nowMs
      }
    }
    return this.#matching === this.#members.size - 1
  }

  /**
   * The digest-poisoning rule: the one member whose advertised digest has differed from ours for at
   * least `graceMs` while every other member (at least one besides self) advertises ours; undefined
   * when there is no such member. Call after {@link GroupView.isConverged} (which keeps the count).
   */
  oddMember (nowMs: number, graceMs: number): string | undefined {
    if (!this.#selfPresent || this.#matching !== this.#members.size - 2 || this.#members.size < 3) {
      return undefined
    }
    for (const [id, member] of this.#members) {
      if (!member.self && member.disagreeSinceMs !== undefined) {
        return nowMs - member.disagreeSinceMs >= graceMs ? id : undefined
      }
    }
    return undefined
  }

  /** The digest `id` advertised last, if any. */
  advertised (id: string): string | undefined {
    return this.#members.get(id)?.advertised
  }

  #invalidate (): void {
    this.#views = undefined
    this.#digest = undefined
    this.#matching = -1
  }
}

function sameMetadata (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let count = 0
  for (const key in b) {
    if (a[key] !== b[key]) {
      return false
    }
    count++
  }
  return count === Object.keys(a).length
}

function frozenCopy (metadata: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return Object.isFrozen(metadata) ? metadata : Object.freeze({ ...metadata })
}
