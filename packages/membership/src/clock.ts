import { InvalidOptionError } from './errors.js'

/** The wall clock, injected: only to bound the age of heartbeats from senders without a record (`maxClockSkewMs`). */
export interface WallClock {
  /** Unix epoch milliseconds now. */
  now(): number
}

/** Injected time source: monotonic milliseconds and one-shot timers. */
export interface Clock {
  /** Monotonic milliseconds (never the wall clock: it may jump). */
  now(): number
  /** Calls `fn` once, `ms` milliseconds from now; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown
  /** Cancels a timer from {@link Clock.setTimeout}; unknown or fired handles are ignored. */
  clearTimeout(handle: unknown): void
}

interface ManualTimer {
  readonly id: number
  readonly dueMs: number
  readonly fn: () => void
}

/**
 * A deterministic clock for tests: time moves only when {@link ManualClock.advance} is called, and
 * due timers fire in time order (ties in the order they were scheduled), each seeing `now()` equal
 * to its due time.
 *
 * @example
 * ```ts
 * const clock = new ManualClock()
 * clock.setTimeout(() => console.log(clock.now()), 50)
 * clock.advance(100) // logs 50; clock.now() is 100 afterwards
 * ```
 */
export class ManualClock implements Clock {
  #nowMs: number
  #nextId = 1
  #timers: ManualTimer[] = []

  /** @param startMs - the initial value of `now()`; @default 0 */
  constructor (startMs = 0) {
    if (!Number.isFinite(startMs)) {
      throw new InvalidOptionError(`ManualClock startMs must be a finite number, got ${String(startMs)}`)
    }
    this.#nowMs = startMs
  }

  /** The current manual time in milliseconds. */
  now (): number {
    return this.#nowMs
  }

  /** Schedules `fn` at `now() + max(0, ms)`; returns a numeric handle. */
  setTimeout (fn: () => void, ms: number): unknown {
    const id = this.#nextId++
    const delayMs = Number.isFinite(ms) && ms > 0 ? ms : 0
    this.#timers.push({ id, dueMs: this.#nowMs + delayMs, fn })
    return id
  }

  /** Cancels a pending timer; unknown handles are ignored. */
  clearTimeout (handle: unknown): void {
    this.#timers = this.#timers.filter(timer => timer.id !== handle)
  }

  /** How many timers are pending (for tests). */
  get pendingTimers (): number {
    return this.#timers.length
  }

  /**
   * Moves time forward by `ms`, firing every timer due within the window in time order, including
   * timers scheduled by callbacks during the advance that fall within it.
   *
   * @throws {InvalidOptionError} when `ms` is negative or not finite
   */
  advance (ms: number): void {
    const targetMs = this.#nowMs + requireAdvance('advance', ms)
    for (let timer = this.#takeDue(targetMs); timer !== undefined; timer = this.#takeDue(targetMs)) {
      this.#nowMs = timer.dueMs
      timer.fn()
    }
    this.#nowMs = targetMs
  }

  /**
   * Moves time forward by `ms` as an event loop blocked that long would (a CPU hog, a GC pause),
   * then runs one timers phase as Node does when the loop unblocks: every timer due by then fires
   * **late**, in time order, each seeing `now()` equal to the end of the window; timers scheduled by
   * these callbacks (even with delay 0) wait for the next `advance` or `advanceBlocked`.
   *
   * @throws {InvalidOptionError} when `ms` is negative or not finite
   */
  advanceBlocked (ms: number): void {
    this.#nowMs += requireAdvance('advanceBlocked', ms)
    const due = this.#timers.filter(timer => timer.dueMs <= this.#nowMs).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)
    for (const timer of due) {
      if (this.#timers.includes(timer)) {
        this.#timers = this.#timers.filter(pending => pending !== timer)
        timer.fn()
      }
    }
  }

  /** Removes and returns the earliest timer due at or before `targetMs` (ties: first scheduled). */
  #takeDue (targetMs: number): ManualTimer | undefined {
    let earliest: ManualTimer | undefined
    for (const timer of this.#timers) {
      if (timer.dueMs <= targetMs && (earliest === undefined || timer.dueMs < earliest.dueMs)) {
        earliest = timer
      }
    }
    if (earliest !== undefined) {
      const taken = earliest
      this.#timers = this.#timers.filter(timer => timer !== taken)
    }
    return earliest
  }
}

function requireAdvance (method: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InvalidOptionError(`${method}(ms) expects a finite number >= 0, got ${String(ms)}`)
  }
  return ms
}
