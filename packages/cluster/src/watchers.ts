import type { DecodedHeartbeat } from './wire/codec.js'

/**
 * The watchers (observers) this node hears: peers whose heartbeats carry the watcher flag. They are
 * in no group and never members; they are listed so an operator can see who is watching. A watcher
 * is forgotten when it says goodbye, heartbeats as a member, or is silent for `timeoutMs`.
 */
export class WatcherRegistry {
  readonly #timeoutMs: number
  readonly #lastSeenMs = new Map<string, number>()

  constructor (timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  /** Notes a heartbeat received at `nowMs`. */
  heard (heartbeat: DecodedHeartbeat, nowMs: number): void {
    if (heartbeat.watcher && !heartbeat.leaving) {
      this.#lastSeenMs.delete(heartbeat.from)
      this.#lastSeenMs.set(heartbeat.from, nowMs)
    } else {
      this.#lastSeenMs.delete(heartbeat.from)
    }
  }

  /** Whether `id` is a watcher we heard (and have not forgotten yet). */
  has (id: string): boolean {
    return this.#lastSeenMs.has(id)
  }

  /** The ids of the watchers heard within `timeoutMs` before `nowMs`, sorted; forgets the others. */
  list (nowMs: number): string[] {
    // entries are in order of last heartbeat: the silent ones come first
    for (const [id, lastSeenMs] of this.#lastSeenMs) {
      if (nowMs - lastSeenMs < this.#timeoutMs) break
      this.#lastSeenMs.delete(id)
    }
    return [...this.#lastSeenMs.keys()].sort()
  }
}
