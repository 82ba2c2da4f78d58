/**
 * Remembers members removed by timeout for `flapDampingMs`, so that one coming back within that time
 * is put on probation instead of re-added at once. Entries are kept in removal order, so pruning
 * pops from the front.
 */
export class FlapDamper {
  readonly dampingMs: number
  readonly #removedAtMs = new Map<string, number>()

  /** @param dampingMs - how long a timed-out member stays suspicious; 0 turns damping off */
  constructor (dampingMs: number) {
    this.dampingMs = dampingMs
  }

  /** Notes that `id` was removed by timeout (or died again on probation) at `nowMs`. */
  noteTimeout (id: string, nowMs: number): void {
    if (this.dampingMs > 0) {
      this.#removedAtMs.delete(id)
      this.#removedAtMs.set(id, nowMs)
    }
  }

  /** True if `id` timed out less than `dampingMs` ago; the note is consumed either way. */
  takeFlapping (id: string, nowMs: number): boolean {
    const removedAtMs = this.#removedAtMs.get(id)
    if (removedAtMs === undefined) {
      return false
    }
    this.#removedAtMs.delete(id)
    return nowMs - removedAtMs < this.dampingMs
  }

  /** True once a member on probation since `sinceMs` has been heard for `dampingMs`. */
  probationOver (sinceMs: number, nowMs: number): boolean {
    return nowMs - sinceMs >= this.dampingMs
  }

  /** Forgets notes older than `dampingMs`. */
  prune (nowMs: number): void {
    for (const [id, removedAtMs] of this.#removedAtMs) {
      if (nowMs - removedAtMs < this.dampingMs) {
        return
      }
      this.#removedAtMs.delete(id)
    }
  }
}
