import type { Timings } from './timings.js'

/** Lateness the expiry timer may have without counting as late: Node timers routinely fire a few ms late. */
export const LATE_TIMER_GRACE_MAX_MS = 50

/** The grace for one set of timings: `min(50, heartbeatIntervalMs / 4)`. */
export function lateTimerGraceMs (timings: Timings): number {
  return Math.min(LATE_TIMER_GRACE_MAX_MS, timings.heartbeatIntervalMs / 4)
}

interface LateSample {
  readonly atMs: number
  readonly lateMs: number
}

/**
 * How late this node's own expiry timer fired recently (Lifeguard's local health, memberlist's
 * awareness): a late timer means our event loop was blocked, so the heartbeats of others may be
 * sitting unread in socket buffers. Keeps the maximum lateness seen in the last `memberTimeoutMs`
 * (a sliding window on the injected clock), capped at `memberTimeoutMs`, as the allowance by which
 * the deadlines of others are extended.
 */
export class TimerLag {
  #graceMs = 0
  #windowMs = 0
  #capMs = 0
  /** Late samples in time order with strictly decreasing lateness: the first is the window's maximum. */
  #samples: LateSample[] = []

  constructor (timings: Timings) {
    this.retune(timings)
  }

  /** Follows new timings (the heartbeat interval changed): grace, window and cap; the samples are kept. */
  retune (timings: Timings): void {
    this.#graceMs = lateTimerGraceMs(timings)
    this.#windowMs = timings.memberTimeoutMs
    this.#capMs = timings.memberTimeoutMs
  }

  /** Notes a timer due at `dueMs` that fired at `nowMs`; true (and remembered) if it was late by more than the grace. */
  noteFired (dueMs: number, nowMs: number): boolean {
    const lateMs = nowMs - dueMs
    if (lateMs <= this.#graceMs) {
      return false
    }
    while (this.#samples.length > 0 && (this.#samples.at(-1) as LateSample).lateMs <= lateMs) {
      this.#samples.pop()
    }
    this.#samples.push({ atMs: nowMs, lateMs })
    return true
  }

  /** The allowance at `nowMs`: the largest lateness noted within the window, at most the cap; 0 when none. */
  allowanceMs (nowMs: number): number {
    let oldest = this.#samples[0]
    while (oldest !== undefined && oldest.atMs + this.#windowMs <= nowMs) {
      this.#samples.shift()
      oldest = this.#samples[0]
    }
    return Math.min(this.#capMs, oldest?.lateMs ?? 0)
  }
}
