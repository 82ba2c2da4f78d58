import type { OwningAdvert } from './wire/codec.js'

/** What `group:policy-mismatch` reports: a member whose ownership options for a group differ from ours. */
export interface PolicyMismatch {
  /** The group. */
  group: string
  /** The member's id. */
  id: string
  /** Our options that every member must share, in words (`handoff on, quorum majority, onMinority own-nothing, settleMs 0`); the member's differ. */
  ours: string
}

/** Member and group pairs remembered as reported at once (a fleet churning for weeks costs no more memory). */
const MAX_REPORTED = 1024

/**
 * Compares the policy fingerprint each member advertises for a group with ours: members of a group
 * whose ownership options differ (a copied config, a half-done rolling change) break its guarantees
 * in silence (say one member owns all on the minority side while the others own nothing there).
 * Reports each member and group once, until it advertises our fingerprint again.
 */
export class PolicyWatch {
  readonly #onMismatch: (group: string, id: string) => void
  readonly #reported = new Set<string>()

  constructor (onMismatch: (group: string, id: string) => void) {
    this.#onMismatch = onMismatch
  }

  /**
   * A heartbeat of `from` was accepted: checks the fingerprint it advertises for each of `groups`
   * against `ours(group)` (undefined for a group we have not joined: nothing to compare).
   */
  check (from: string, groups: ReadonlyArray<{ name: string }>, owning: Readonly<Record<string, OwningAdvert>>, ours: (group: string) => number | undefined): void {
    for (const { name } of groups) {
      const theirs = owning[name]?.policy
      const mine = theirs === undefined ? undefined : ours(name)
      if (mine === undefined) continue
      // the common case (every member agrees, nothing reported) builds no key: this runs per heartbeat
      if (theirs === mine && this.#reported.size === 0) continue
      const key = `${name}\u0000${from}`
      if (theirs === mine) {
        this.#reported.delete(key)
        continue
      }
      if (this.#reported.has(key)) continue
      if (this.#reported.size >= MAX_REPORTED) this.#reported.delete(this.#reported.values().next().value ?? '')
      this.#reported.add(key)
      this.#onMismatch(name, from)
    }
  }
}
