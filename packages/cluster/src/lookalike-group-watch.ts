import { looksAlike } from './lookalike-names.js'

/** What `group:lookalike` reports: a group named like one of ours (on a watcher: like a group heard before), a typo away, that has a member. */
export interface LookalikeGroup {
  /** Our group (on a watcher: the group heard first). */
  group: string
  /** The other group's name, which looks like a typo of ours (or ours of it). */
  lookalike: string
  /** The first member heard in it. */
  id: string
}

/** Names of other groups remembered with their verdict; beyond, the verdicts start over (strangers' names cost no more memory). */
const MAX_VERDICTS = 1024
/** Pairs of names reported at most: honest fleets have one or two; a stranger inventing names gets no more reports (nor log lines) beyond. */
const MAX_REPORTED = 256

/**
 * Compares the names of the groups members advertise with the names of ours: agents meant for one
 * group but given names a typo apart (`workers` / `Workers`, `orders` / `oders`, see
 * {@link looksAlike}) form two groups in one namespace, each converged on its own and owning every
 * resource. Reports each pair of names once, and at most {@link MAX_REPORTED} pairs.
 */
export class LookalikeGroupWatch {
  readonly #onLookalike: (report: LookalikeGroup) => void
  /** Each other group heard: the group of ours it looks like, or null. */
  readonly #verdicts = new Map<string, string | null>()
  readonly #reported = new Set<string>()

  constructor (onLookalike: (report: LookalikeGroup) => void) {
    this.#onLookalike = onLookalike
  }

  /**
   * A heartbeat of `from` was accepted: checks each of `groups` we have not joined (`joined` false)
   * against `ours`: the groups we joined, or on a watcher the groups heard so far (a name is judged
   * once, against the names known then, so a pair is reported once, when its second name is first
   * heard). Per heartbeat: a map lookup per group we are not in.
   */
  check (from: string, groups: ReadonlyArray<{ name: string }>, joined: (group: string) => boolean, ours: () => readonly string[]): void {
    for (const { name } of groups) {
      if (joined(name)) continue
      let verdict = this.#verdicts.get(name)
      if (verdict === undefined) {
        if (this.#verdicts.size >= MAX_VERDICTS) this.#verdicts.clear()
        verdict = ours().find(group => looksAlike(group, name)) ?? null
        this.#verdicts.set(name, verdict)
      }
      if (verdict === null) continue
      const pair = `${verdict}\u0000${name}`
      if (this.#reported.has(pair) || this.#reported.size >= MAX_REPORTED) continue
      this.#reported.add(pair)
      this.#onLookalike({ group: verdict, lookalike: name, id: from })
    }
  }

  /** The groups we joined changed: the verdicts are recomputed as names are heard again. */
  oursChanged (): void {
    this.#verdicts.clear()
  }
}
