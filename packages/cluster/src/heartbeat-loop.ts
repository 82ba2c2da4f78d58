/** How the heartbeat loop is timed. */
export interface HeartbeatLoopInit {
  /** Mean time between heartbeats. */
  intervalMs: number
  /** Random spread of each interval as a fraction (0.1 = ±10%). */
  jitter: number
  /** Shortest time between two beats asked for by `beatSoon()`, asked each time (it may follow the fleet's size, see `earlyBeatGapMs`). @default intervalMs / 4 */
  minGapMs?: () => number
  /** Uniform random number in [0, 1). @default Math.random */
  random?: () => number
  /** Called as each beat starts, with {@link HeartbeatLoop.sinceLastBeatMs} as it was: how long we were silent. */
  beforeBeat?: (sinceLastBeatMs: number) => void
}

/**
 * The delay before the next heartbeat: `intervalMs` spread uniformly by ±`jitter`, so agents
 * started together drift apart instead of publishing in lockstep. Pure: `random01` is in [0, 1).
 */
export function jitteredDelayMs (intervalMs: number, jitter: number, random01: number): number {
  return intervalMs * (1 + jitter * (2 * random01 - 1))
}

/** Known peers from which early heartbeats are one interval apart (see `earlyBeatGapMs`). */
export const EARLY_BEAT_FULL_GAP_PEERS = 32

/**
 * The shortest time between two early heartbeats (`beatSoon()`: on a view change, or when a new
 * peer subscribes) for an agent that knows `peers` other agents: a quarter interval up to 8 peers,
 * growing with the peers to a whole interval (no early beats at all) from
 * `EARLY_BEAT_FULL_GAP_PEERS` on. Each heartbeat costs every other agent a signature check, and
 * while a large fleet starts, views change many times a second: at a quarter interval, 50 agents
 * starting together published about 2 heartbeats a second each for their first seconds (`pnpm
 * bench:wiring`), doubling the fleet's heartbeat work just when every agent also connects to
 * every other. The price: in a large fleet a view
 * change is announced by the next regular heartbeat, at most one interval later. Pure.
 */
export function earlyBeatGapMs (intervalMs: number, peers: number): number {
  return intervalMs * Math.min(1, Math.max(0.25, peers / EARLY_BEAT_FULL_GAP_PEERS))
}

/**
 * Calls `beat` every jittered interval, and at once on `start()` and `beatNow()` (which also restarts
 * the interval, so a forced heartbeat is not followed by a scheduled one right after). `beatSoon()`
 * asks for an early beat but keeps beats at least `minGapMs` apart and coalesces requests, so a
 * burst of view changes costs one heartbeat. `beat` must not reject: the cluster logs publish
 * failures itself and simply tries again next time. Timers are `unref`'d.
 */
export class HeartbeatLoop {
  private readonly beat: () => Promise<void>
  private intervalMs: number
  private readonly jitter: number
  private readonly minGapMs: () => number
  private readonly random: () => number
  private readonly beforeBeat: ((sinceLastBeatMs: number) => void) | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private soonTimer: ReturnType<typeof setTimeout> | undefined
  /** When the pending early beat is due (performance.now() time). */
  private soonAtMs = Number.POSITIVE_INFINITY
  private lastBeatMs = Number.NEGATIVE_INFINITY
  /** The wall clock (Date.now()) at the last beat: the monotonic clock does not count a machine's suspend. */
  private lastBeatWallMs = Number.NEGATIVE_INFINITY
  private running = false

  constructor (beat: () => Promise<void>, init: HeartbeatLoopInit) {
    this.beat = beat
    this.intervalMs = init.intervalMs
    this.jitter = init.jitter
    this.minGapMs = init.minGapMs ?? (() => this.intervalMs / 4)
    this.random = init.random ?? Math.random
    this.beforeBeat = init.beforeBeat
  }

  /** Changes the mean time between beats; the next scheduled beat keeps its time, the ones after it follow. */
  setIntervalMs (intervalMs: number): void {
    this.intervalMs = intervalMs
  }

  /** Beats now and keeps beating; idempotent. */
  start (): void {
    if (this.running) return
    this.running = true
    void this.beatNow()
  }

  /** Stops the timer; idempotent. A beat in flight completes. */
  stop (): void {
    this.running = false
    this.lastBeatMs = Number.NEGATIVE_INFINITY
    this.lastBeatWallMs = Number.NEGATIVE_INFINITY
    clearTimeout(this.timer)
    clearTimeout(this.soonTimer)
    this.timer = undefined
    this.soonTimer = undefined
  }

  /** When the last beat started (performance.now() time; -Infinity before the first or once stopped). */
  get lastBeatStartMs (): number {
    return this.lastBeatMs
  }

  /**
   * Milliseconds since the last beat started, while running (0 before the first beat or once
   * stopped): a running loop beats at least every interval (plus jitter), so more means our
   * process, or at least its event loop, was stopped that long, or the machine was suspended. The
   * monotonic clock does not count a suspend (Linux's CLOCK_MONOTONIC, macOS), so the wall clock
   * counts too, whichever says more (a forward step of the wall clock reads as a silence: the safe side).
   */
  sinceLastBeatMs (): number {
    if (!this.running || this.lastBeatMs === Number.NEGATIVE_INFINITY) return 0
    return Math.max(performance.now() - this.lastBeatMs, Date.now() - this.lastBeatWallMs)
  }

  /** Beats now and schedules the next beat one jittered interval later (if running). */
  async beatNow (): Promise<void> {
    clearTimeout(this.soonTimer)
    this.soonTimer = undefined
    this.beforeBeat?.(this.sinceLastBeatMs())
    this.lastBeatMs = performance.now()
    this.lastBeatWallMs = Date.now()
    this.schedule()
    await this.beat()
  }

  /**
   * Beats early (when running): now if the last beat is `minGapMs` old (default: the loop's
   * `minGapMs()`), else as soon as it is; requests coalesce into the earliest one asked for.
   */
  beatSoon (minGapMs = this.minGapMs()): void {
    if (!this.running) return
    const atMs = this.lastBeatMs + minGapMs
    if (this.soonTimer !== undefined && this.soonAtMs <= atMs) return
    clearTimeout(this.soonTimer)
    this.soonTimer = undefined
    const waitMs = atMs - performance.now()
    if (waitMs <= 0) {
      void this.beatNow()
      return
    }
    this.soonAtMs = atMs
    this.soonTimer = setTimeout(() => { void this.beatNow() }, waitMs)
    this.soonTimer.unref()
  }

  private schedule (): void {
    clearTimeout(this.timer)
    if (!this.running) return
    this.timer = setTimeout(() => { void this.beatNow() }, jitteredDelayMs(this.intervalMs, this.jitter, this.random()))
    this.timer.unref()
  }
}
