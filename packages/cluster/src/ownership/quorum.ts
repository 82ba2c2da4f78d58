/**
 * The quorum of one group: how many members a view needs to count as the majority side. The
 * reference for `'majority'` is the largest membership seen recently: every member in the view now,
 * plus every member that dropped out of it (timed out) less than `windowMs` ago. Members that said
 * goodbye are not counted: a graceful scale-down never leaves the rest in the minority. A view
 * reaches the quorum with its alive members only: suspects (silent for suspectAfterMs) do not
 * count, so the minority side of a cut knows it before the majority side times it out.
 */
export class QuorumTracker {
  readonly #quorum: number | 'majority' | undefined
  #windowMs: number
  /** Members that dropped out of the view without goodbye -> when. */
  readonly #lost = new Map<string, number>()
  /** Members that said goodbye and are still in the view (the goodbye comes before the view change). */
  readonly #leaving = new Set<string>()
  #view: ReadonlySet<string> = new Set()
  /** Members in the view that are suspect (silent for suspectAfterMs): they do not count towards a quorum. */
  readonly #suspects = new Set<string>()

  constructor (quorum: number | 'majority' | undefined, windowMs: number) {
    this.#quorum = quorum
    this.#windowMs = windowMs
  }

  /** How long a member that timed out still counts (it follows our member timeout, see `Ownerships.retime`). */
  set windowMs (windowMs: number) {
    this.#windowMs = windowMs
  }

  /** The view now has exactly `ids`; members that dropped out of it are remembered from `nowMs`. */
  view (ids: readonly string[], nowMs: number): void {
    const next = new Set(ids)
    for (const id of this.#view) if (!next.has(id) && !this.#leaving.has(id)) this.#lost.set(id, nowMs)
    for (const id of next) this.#lost.delete(id)
    for (const id of this.#suspects) if (!next.has(id)) this.#suspects.delete(id)
    this.#leaving.clear()
    this.#view = next
  }

  /** `id` is suspect (true) or alive again (false). */
  suspect (id: string, suspected: boolean): void {
    if (suspected) this.#suspects.add(id)
    else this.#suspects.delete(id)
  }

  /** `id` said goodbye: it does not count towards the reference any more. */
  left (id: string): void {
    this.#lost.delete(id)
    if (this.#view.has(id)) this.#leaving.add(id)
  }

  /** The size of the largest membership seen recently (see the class). */
  reference (nowMs: number): number {
    this.#prune(nowMs)
    return this.#view.size + this.#lost.size
  }

  /** How many members a view needs now; 0 without a quorum. */
  required (nowMs: number): number {
    if (this.#quorum === undefined) return 0
    if (this.#quorum !== 'majority') return this.#quorum
    return Math.floor(this.reference(nowMs) / 2) + 1
  }

  /** Whether the alive members of the view (suspects not counted) reach the quorum. */
  hasQuorum (nowMs: number): boolean {
    return this.#view.size - this.#suspects.size >= this.required(nowMs)
  }

  /** When the next remembered member leaves the window (the required count may drop then); undefined when none. */
  nextChangeMs (): number | undefined {
    if (this.#quorum !== 'majority' || this.#lost.size === 0) return undefined
    return Math.min(...this.#lost.values()) + this.#windowMs
  }

  #prune (nowMs: number): void {
    for (const [id, sinceMs] of this.#lost) if (sinceMs + this.#windowMs <= nowMs) this.#lost.delete(id)
  }
}
