/** How `heartbeatIntervalMs: 'auto'` picks the interval (see {@link autoIntervalMs}). */
export interface AutoIntervalRule {
  /** The interval of a small fleet, in ms. */
  baseMs: number
  /** The most heartbeats per second an agent should receive: the interval doubles until the others send at most this many. */
  heartbeatsPerSecond: number
  /** The longest interval picked, in ms. */
  maxMs: number
  /** Hysteresis: a step down happens only once the others would send at most this fraction of `heartbeatsPerSecond` at the shorter interval. */
  stepDownAt: number
}

/** The base interval of `'auto'`, in ms: the default interval. */
export const AUTO_BASE_INTERVAL_MS = 1000
/** Default of `autoHeartbeatsPerSecond`: 32 (a 33-agent fleet stays at 1 s; see the option). */
export const DEFAULT_AUTO_HEARTBEATS_PER_SECOND = 32
/** The longest interval `'auto'` picks, in ms: 16 s (an 80 s timeout with the default ratios). */
export const AUTO_MAX_INTERVAL_MS = 16_000
/** The hysteresis of `'auto'`: back down a step only at 3/4 of the budget. */
export const AUTO_STEP_DOWN_AT = 0.75

/** The rule `'auto'` follows, with the given budget of heartbeats received per second. */
export function autoIntervalRule (heartbeatsPerSecond: number): AutoIntervalRule {
  return { baseMs: AUTO_BASE_INTERVAL_MS, heartbeatsPerSecond, maxMs: AUTO_MAX_INTERVAL_MS, stepDownAt: AUTO_STEP_DOWN_AT }
}

/**
 * The heartbeat interval for a fleet of `agents` agents (self included) when the interval is now
 * `currentMs`: `baseMs` times a power of two, the smallest at which the other `agents - 1` agents
 * send at most `heartbeatsPerSecond` heartbeats a second (each agent receives one heartbeat per
 * interval from every other), at most `maxMs`. Doubling steps keep agents that see slightly
 * different fleet sizes on the same interval most of the time. With hysteresis: a step up is taken
 * as soon as the budget is exceeded, a step down only once the shorter interval would use at most
 * `stepDownAt` of the budget, so a fleet near a threshold does not flap. Pure.
 */
export function autoIntervalMs (agents: number, currentMs: number, rule: AutoIntervalRule): number {
  const others = Math.max(0, agents - 1)
  const fits = (intervalMs: number, budget: number): boolean => others * 1000 / intervalMs <= budget || intervalMs >= rule.maxMs
  let up = rule.baseMs
  while (!fits(up, rule.heartbeatsPerSecond)) up = Math.min(rule.maxMs, up * 2)
  if (up >= currentMs) return up
  let down = up
  while (!fits(down, rule.stepDownAt * rule.heartbeatsPerSecond)) down = Math.min(rule.maxMs, down * 2)
  return Math.min(currentMs, down)
}

/** Timings in ms: the interval, and the suspicion and timeout that follow it. */
export interface IntervalTimings {
  /** How often we heartbeat. */
  heartbeatIntervalMs: number
  /** Silence after which a member is suspected. */
  suspectAfterMs: number
  /** Silence after which a member is removed. */
  memberTimeoutMs: number
}

/** `base` scaled to the interval `intervalMs`: suspicion and timeout keep their ratios to the interval. Pure. */
export function scaleTimings (base: IntervalTimings, intervalMs: number): IntervalTimings {
  const scale = intervalMs / base.heartbeatIntervalMs
  return { heartbeatIntervalMs: intervalMs, suspectAfterMs: base.suspectAfterMs * scale, memberTimeoutMs: base.memberTimeoutMs * scale }
}

/**
 * Our heartbeat timings now: fixed, or with `heartbeatIntervalMs: 'auto'` following the number of
 * agents we hear (see {@link autoIntervalMs}); `changed` is called with the new timings each time
 * they change, before the next heartbeat is built (which advertises the new interval).
 */
export class HeartbeatTimings {
  readonly #base: IntervalTimings
  readonly #rule: AutoIntervalRule | undefined
  readonly #changed: (timings: IntervalTimings) => void
  #current: IntervalTimings

  /** `rule` undefined: the timings stay `base`. */
  constructor (base: IntervalTimings, rule: AutoIntervalRule | undefined, changed: (timings: IntervalTimings) => void) {
    this.#base = base
    this.#rule = rule
    this.#changed = changed
    this.#current = base
  }

  /** The timings now. */
  get current (): IntervalTimings {
    return this.#current
  }

  /** We now hear `agents` distinct agents (self included) across our groups: with 'auto', the interval may change. */
  fleetSize (agents: number): void {
    if (this.#rule === undefined) return
    const intervalMs = autoIntervalMs(agents, this.#current.heartbeatIntervalMs, this.#rule)
    if (intervalMs === this.#current.heartbeatIntervalMs) return
    this.#current = scaleTimings(this.#base, intervalMs)
    this.#changed(this.#current)
  }
}
