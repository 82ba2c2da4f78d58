import { InvalidOptionError } from './errors.js'

/** The heartbeat timings of a membership table, in milliseconds, after defaults. */
export interface Timings {
  /** How often members send a heartbeat. */
  heartbeatIntervalMs: number
  /** Silence after which a member is suspected (still a member, still owns its share). */
  suspectAfterMs: number
  /** Silence after which a member is removed. */
  memberTimeoutMs: number
}

/** The timing options as the user gives them; every field optional. */
export interface TimingsInit {
  /** How often members send a heartbeat, in milliseconds. @default 1000 */
  heartbeatIntervalMs?: number
  /** Silence after which a member is suspected, in milliseconds. @default 3 x heartbeatIntervalMs */
  suspectAfterMs?: number
  /** Silence after which a member is removed, in milliseconds. @default 5 x heartbeatIntervalMs */
  memberTimeoutMs?: number
}

/** Default heartbeat interval in milliseconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000
/** Default suspicion delay, in heartbeat intervals. */
export const DEFAULT_SUSPECT_AFTER_INTERVALS = 3
/** Default member timeout, in heartbeat intervals. */
export const DEFAULT_MEMBER_TIMEOUT_INTERVALS = 5

/**
 * Applies the defaults (interval 1000 ms, suspect after 3 intervals, timeout after 5 intervals) and
 * validates `memberTimeoutMs > suspectAfterMs > heartbeatIntervalMs > 0`, all finite.
 *
 * @throws {InvalidOptionError} when a value is not finite or the order does not hold
 */
export function resolveTimings (init: TimingsInit): Timings {
  const heartbeatIntervalMs = init.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  requireFiniteAbove('heartbeatIntervalMs', heartbeatIntervalMs, 0, '0')
  const suspectAfterMs = init.suspectAfterMs ?? DEFAULT_SUSPECT_AFTER_INTERVALS * heartbeatIntervalMs
  requireFiniteAbove('suspectAfterMs', suspectAfterMs, heartbeatIntervalMs, `heartbeatIntervalMs (${heartbeatIntervalMs})`)
  const memberTimeoutMs = init.memberTimeoutMs ?? DEFAULT_MEMBER_TIMEOUT_INTERVALS * heartbeatIntervalMs
  requireFiniteAbove('memberTimeoutMs', memberTimeoutMs, suspectAfterMs, `suspectAfterMs (${suspectAfterMs})`)
  return { heartbeatIntervalMs, suspectAfterMs, memberTimeoutMs }
}

function requireFiniteAbove (name: string, value: number, bound: number, boundName: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= bound) {
    throw new InvalidOptionError(`${name} must be a finite number of milliseconds greater than ${boundName}, got ${String(value)}`)
  }
}

/** Where a member stands after some silence: `expired` members are removed. */
export type Liveness = 'alive' | 'suspect' | 'expired'

/**
 * The liveness of a member last heard at `lastSeenMs` (receiver clock), at `nowMs`: alive while the
 * silence is shorter than `suspectAfterMs`, suspect while shorter than `memberTimeoutMs`, expired
 * from exactly `memberTimeoutMs` on.
 */
export function memberLiveness (lastSeenMs: number, nowMs: number, timings: Timings): Liveness {
  const silenceMs = nowMs - lastSeenMs
  if (silenceMs >= timings.memberTimeoutMs) {
    return 'expired'
  }
  return silenceMs >= timings.suspectAfterMs ? 'suspect' : 'alive'
}

/** The next instant a member's liveness changes: its suspicion if alive, its removal if suspect. */
export function memberDeadlineMs (lastSeenMs: number, suspected: boolean, timings: Timings): number {
  return lastSeenMs + (suspected ? timings.memberTimeoutMs : timings.suspectAfterMs)
}

/** What {@link earliestDeadlineMs} needs to know of a member. */
export interface DeadlineSource {
  /** When it was last heard from, on the receiver's clock (milliseconds). */
  readonly lastSeenMs: number
  /** Whether it is already suspected (its next deadline is then the timeout, not the suspicion). */
  readonly suspected: boolean
  /** The heartbeat interval the member advertises (usable, already clamped), if any: see {@link judgedTimings}. */
  readonly advertisedIntervalMs?: number | undefined
}

/**
 * The earliest deadline among members given in ascending `lastSeenMs` order, or `undefined` when
 * there are none; each member is judged by {@link judgedTimings} (`timings` are the receiver's
 * own). Stops as soon as no later member can have an earlier deadline (no member's thresholds are
 * shorter than the receiver's own), so the cost is the number of members silent for longer than
 * the receiver's `suspectAfterMs` plus one in the steady state.
 */
export function earliestDeadlineMs (byLastSeen: Iterable<DeadlineSource>, timings: Timings): number | undefined {
  let earliest: number | undefined
  for (const member of byLastSeen) {
    if (earliest !== undefined && member.lastSeenMs + timings.suspectAfterMs >= earliest) {
      break
    }
    const deadline = memberDeadlineMs(member.lastSeenMs, member.suspected, judgedTimings(timings, member.advertisedIntervalMs))
    if (earliest === undefined || deadline < earliest) {
      earliest = deadline
    }
  }
  return earliest
}

/**
 * The longest advertised heartbeat interval a receiver honours, in milliseconds: a member
 * advertising more is judged as if it had advertised this, so a crashed member (or one lying about
 * its interval) is removed at most `memberTimeoutMs / heartbeatIntervalMs` times this after its last
 * heartbeat (150 s with the default ratios), or by the receiver's own timeout if that is longer.
 */
export const MAX_ADVERTISED_INTERVAL_MS = 30_000

/**
 * The timings by which a receiver with timings `own` judges a member that advertises the heartbeat
 * interval `advertisedMs` (undefined: it advertises none, e.g. an older agent): the receiver's own
 * ratios (`suspectAfterMs / heartbeatIntervalMs`, `memberTimeoutMs / heartbeatIntervalMs`)
 * applied to the advertised interval, clamped to {@link MAX_ADVERTISED_INTERVAL_MS} and never
 * shorter than the receiver's own interval, so never shorter than its own thresholds. Returns
 * `own` itself when the member is judged by the receiver's own timings (no allocation). Pure.
 *
 * Two agents A and B with the same ratios judge each other by the same interval, max(A's, B's):
 * so the side of a partition that suspects the other at `suspectAfterMs` still does so before the
 * other side times it out (what the partition policies count on), whatever their intervals.
 */
export function judgedTimings (own: Timings, advertisedMs: number | undefined): Timings {
  if (advertisedMs === undefined) return own
  const intervalMs = Math.min(advertisedMs, MAX_ADVERTISED_INTERVAL_MS)
  if (!(intervalMs > own.heartbeatIntervalMs)) return own
  const scale = intervalMs / own.heartbeatIntervalMs
  return { heartbeatIntervalMs: intervalMs, suspectAfterMs: own.suspectAfterMs * scale, memberTimeoutMs: own.memberTimeoutMs * scale }
}

/** What a receiver makes of the heartbeat interval a heartbeat advertises (see {@link readAdvertisedInterval}). */
export interface AdvertisedInterval {
  /** The interval to judge the sender by (clamped), or undefined: none, or unusable (then the receiver's own timings apply). */
  intervalMs: number | undefined
  /** `absent`: none given; `ok`; `clamped`: above {@link MAX_ADVERTISED_INTERVAL_MS}; `invalid`: not a positive integer, ignored. */
  outcome: 'absent' | 'ok' | 'clamped' | 'invalid'
}

/**
 * Reads an advertised heartbeat interval: undefined is `absent`; an integer from 1 to
 * {@link MAX_ADVERTISED_INTERVAL_MS} is `ok`; a larger integer is `clamped` to that maximum;
 * anything else (0, negative, fractional, not finite, not a number) is `invalid` and ignored. Pure.
 */
export function readAdvertisedInterval (value: unknown): AdvertisedInterval {
  if (value === undefined) return { intervalMs: undefined, outcome: 'absent' }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return { intervalMs: undefined, outcome: 'invalid' }
  if (value > MAX_ADVERTISED_INTERVAL_MS) return { intervalMs: MAX_ADVERTISED_INTERVAL_MS, outcome: 'clamped' }
  return { intervalMs: value, outcome: 'ok' }
}
