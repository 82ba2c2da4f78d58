import type { Incarnation } from './incarnation.js'

/** What is remembered of a departed member: its last incarnation, and when it was buried. */
export interface Tombstone extends Incarnation {
  /** Receiver clock when the member's record was removed. */
  readonly buriedAtMs: number
}

/**
 * Bounded memory of departed members (timed out, or said goodbye and then expired), so that a
 * replayed heartbeat of a dead incarnation (same boot id, seq not above the last one seen, or a
 * retired boot id, or an older sender timestamp) cannot bring it back while the tombstone lasts.
 * Kept in burial order: pruning pops from the front, and past `maxEntries` the oldest is evicted.
 */
export class Tombstones {
  readonly lifetimeMs: number
  readonly maxEntries: number
  readonly #entries = new Map<string, Tombstone>()

  constructor (lifetimeMs: number, maxEntries: number) {
    this.lifetimeMs = lifetimeMs
    this.maxEntries = maxEntries
  }

  /** How many tombstones are kept. */
  get size (): number {
    return this.#entries.size
  }

  /** Remembers the last incarnation of `id`, removed at `nowMs`. */
  bury (id: string, incarnation: Incarnation, nowMs: number): void {
    this.#entries.delete(id)
    this.#entries.set(id, { bootId: incarnation.bootId, seq: incarnation.seq, retiredBootIds: incarnation.retiredBootIds, sentAtMs: incarnation.sentAtMs, buriedAtMs: nowMs })
    if (this.#entries.size > this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string)
    }
  }

  /** The live tombstone of `id`, if any. */
  get (id: string, nowMs: number): Tombstone | undefined {
    const tombstone = this.#entries.get(id)
    return tombstone !== undefined && nowMs - tombstone.buriedAtMs < this.lifetimeMs ? tombstone : undefined
  }

  /** Forgets the tombstone of `id` (a newer incarnation is alive). */
  delete (id: string): void {
    this.#entries.delete(id)
  }

  /** Forgets tombstones older than `lifetimeMs`. */
  prune (nowMs: number): void {
    for (const [id, tombstone] of this.#entries) {
      if (nowMs - tombstone.buriedAtMs < this.lifetimeMs) return
      this.#entries.delete(id)
    }
  }
}
