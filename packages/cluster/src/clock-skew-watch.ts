/** What `peer:clock-skew` reports: an agent whose wall clock differs from ours by more than `maxClockSkewMs`. */
export interface ClockSkew {
  /** Its peer id (member id). */
  id: string
  /** Its clock minus ours, as its heartbeats' timestamps show on receipt (ms; delivery delay included). */
  offsetMs: number
  /** Our allowance (`ClusterInit.maxClockSkewMs`). */
  maxClockSkewMs: number
}

/** Options of {@link ClockSkewWatch}. */
export interface ClockSkewWatchInit {
  /** The allowance beyond which heartbeats of a sender without a record are refused. */
  maxClockSkewMs: number
  /** Called once per sender per episode (until a heartbeat of it is admitted). */
  onSkew: (skew: ClockSkew) => void
  /** Refused heartbeats in a row, of one incarnation with rising seq and one offset, before a report. @default 3 */
  confirmations?: number
  /** How far the offsets of those heartbeats may spread (delivery delay, our event loop's lag). @default 5000 */
  toleranceMs?: number
  /** Senders followed at once (a flood of fresh ids costs no more memory). @default 64 */
  maxTracked?: number
}

interface Suspect {
  bootId: string
  seq: number
  /** The offset of the first heartbeat of this run. */
  offsetMs: number
  /** Heartbeats in this run. */
  count: number
  reported: boolean
}

/**
 * Tells an agent whose wall clock is off from replays. Heartbeats of a sender we have no record of
 * are refused when their timestamp is further than `maxClockSkewMs` from our clock; so an agent whose
 * clock is that far off never joins, and it refuses ours too: each side is alone, looks converged and
 * owns every resource. A replay is a few captured heartbeats, older and older; a wrong clock is a
 * steady stream: one incarnation, seq rising, at one offset. After `confirmations` such heartbeats
 * in a row the sender is reported, once until one of its heartbeats is admitted.
 */
export class ClockSkewWatch {
  readonly #init: Required<ClockSkewWatchInit>
  readonly #suspects = new Map<string, Suspect>()

  constructor (init: ClockSkewWatchInit) {
    this.#init = { confirmations: 3, toleranceMs: 5000, maxTracked: 64, ...init }
  }

  /** A heartbeat of `from` was refused for its timestamp (`sentAtMs`, our wall clock `nowMs`). */
  refused (from: string, bootId: string, seq: number, sentAtMs: number | undefined, nowMs: number): void {
    if (sentAtMs === undefined) return
    const offsetMs = sentAtMs - nowMs
    const suspect = this.#suspects.get(from)
    if (suspect === undefined || suspect.bootId !== bootId || seq <= suspect.seq || Math.abs(offsetMs - suspect.offsetMs) > this.#init.toleranceMs) {
      this.#track(from, { bootId, seq, offsetMs, count: 1, reported: suspect?.reported ?? false })
    } else {
      suspect.seq = seq
      suspect.count++
    }
    const current = this.#suspects.get(from)
    if (current !== undefined && !current.reported && current.count >= this.#init.confirmations) {
      current.reported = true
      this.#init.onSkew({ id: from, offsetMs: current.offsetMs, maxClockSkewMs: this.#init.maxClockSkewMs })
    }
  }

  /** A heartbeat of `from` was admitted: its clock is fine (again). Cheap when nobody is suspected. */
  admitted (from: string): void {
    if (this.#suspects.size > 0) this.#suspects.delete(from)
  }

  #track (from: string, suspect: Suspect): void {
    this.#suspects.delete(from)
    if (this.#suspects.size >= this.#init.maxTracked) {
      const oldest = this.#suspects.keys().next().value
      if (oldest !== undefined) this.#suspects.delete(oldest)
    }
    this.#suspects.set(from, suspect)
  }
}
