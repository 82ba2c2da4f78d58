import type { GroupSnapshot } from './watch.js'

/** What `group:agreement` carries. */
export interface AgreementChange {
  /** The group. */
  group: string
  /** Our view digest of the group. */
  digest: string
  /** Every live member advertises `digest`. */
  agreed: boolean
  /** How many live members the group has. */
  members: number
}

/**
 * Follows whether the views of the groups a watcher tracks agree, and reports each change of a
 * group's (agreed, digest): it starts or stops agreeing, or its view moves on. A group nobody is in
 * any more is forgotten silently (its members' `member:leave` events said it all).
 */
export class AgreementTracker {
  readonly #snapshot: (group: string) => GroupSnapshot
  readonly #report: (change: AgreementChange) => void
  /** Group -> `${agreed}/${digest}` as last reported. */
  readonly #last = new Map<string, string>()

  constructor (snapshot: (group: string) => GroupSnapshot, report: (change: AgreementChange) => void) {
    this.#snapshot = snapshot
    this.#report = report
  }

  /** Re-checks `group` (after a heartbeat about it or a change of its view); reports a change. */
  check (group: string): void {
    const { digest, agreed, members } = this.#snapshot(group)
    if (members.length === 0) {
      this.#last.delete(group)
      return
    }
    const state = `${agreed}/${digest}`
    if (this.#last.get(group) === state) return
    this.#last.set(group, state)
    this.#report({ group, digest, agreed, members: members.length })
  }
}
