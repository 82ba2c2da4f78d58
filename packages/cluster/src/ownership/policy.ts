import { InvalidOptionError } from '../errors.js'

/** What a member on the minority side of a partition (a view below the quorum) owns. */
export type MinorityMode = 'own-all' | 'own-nothing' | 'keep-last'

/** How a group splits work: per group, in `groups` entries and `joinGroup` options. */
export interface OwnershipInit {
  /**
   * Safe handoff: a key we gain is taken only once the member next in its preference list (its
   * previous owner on a join, its heir otherwise) owns by a ring that includes us, or after
   * memberTimeoutMs; a newcomer takes nothing until its view converged with the others (or
   * memberTimeoutMs). Keys we lose are released at once. Trades a short gap (about one heartbeat
   * plus one round trip per moved key) for no double ownership on joins and graceful leaves.
   *
   * @default true
   */
  handoff?: boolean
  /**
   * The members a view needs to count as the majority side: a count, or `'majority'` of the
   * largest membership seen in the last `quorumWindowMs` (goodbyes not counted). Below it,
   * `onMinority` applies. Unset: no quorum (every view owns its share).
   *
   * @default undefined
   */
  quorum?: number | 'majority'
  /**
   * Below the quorum: `'own-all'` re-splits everything among the members in view (no gap, but
   * double ownership across a partition), `'own-nothing'` owns nothing (no double ownership, the
   * minority's share idles), `'keep-last'` keeps our share of the last ring with quorum for
   * `keepLastMs`, then owns nothing. The last two need `quorum`: without one no view is a minority,
   * so they would do nothing (an `InvalidOptionError` says so).
   *
   * @default 'own-all'
   */
  onMinority?: MinorityMode
  /**
   * How long `'keep-last'` keeps the last share after losing the quorum, in milliseconds. We lose
   * it when the others turn suspect (suspectAfterMs after their last heartbeat); the majority takes
   * our share when we time out there (memberTimeoutMs after our last heartbeat, which may be one
   * interval older). The default keeps the share until then and no longer (no double ownership);
   * longer keeps working through short cuts at the price of double ownership. Only with
   * `onMinority: 'keep-last'` (else an `InvalidOptionError`: it would do nothing).
   *
   * @default memberTimeoutMs - suspectAfterMs - heartbeatIntervalMs
   */
  keepLastMs?: number
  /** How long a member that timed out still counts towards `'majority'`, in milliseconds. Longer keeps a long partition's minority idle longer; shorter lets a fleet that lost members for good regain a quorum sooner. Only with `quorum: 'majority'` (else an `InvalidOptionError`). @default 10 * memberTimeoutMs */
  quorumWindowMs?: number
  /**
   * Ring changes reach the application (`ring:change`, `extractMySubset`, `owner`) only once the
   * view has not changed for this long, in milliseconds: a member flapping faster than this moves
   * no key. Every change (a crash too) is applied this much later. 0 applies at once.
   *
   * @default 0
   */
  settleMs?: number
}

/** The ownership options after defaults. */
export interface OwnershipPolicy {
  handoff: boolean
  quorum: number | 'majority' | undefined
  onMinority: MinorityMode
  keepLastMs: number
  quorumWindowMs: number
  settleMs: number
  /** How long a newcomer waits for convergence, and a gained key for its acknowledgement, before taking anyway. */
  patienceMs: number
  /** `suspectAfterMs` and `memberTimeoutMs` in heartbeat intervals (rounded to 1/100): what a cut-off member's and the others' timers share. */
  suspectAfterIntervals: number
  memberTimeoutIntervals: number
}

/** The cluster timings the ownership defaults derive from. */
export interface OwnershipTimings {
  heartbeatIntervalMs: number
  suspectAfterMs: number
  memberTimeoutMs: number
}

const MINORITY_MODES: readonly MinorityMode[] = ['own-all', 'own-nothing', 'keep-last']

/**
 * Applies defaults and validates; never mutates `init`.
 *
 * @throws {InvalidOptionError} naming the option, what was wrong and what was expected
 */
export function resolveOwnershipPolicy (init: OwnershipInit, timings: OwnershipTimings): OwnershipPolicy {
  const handoff = init.handoff ?? true
  if (typeof handoff !== 'boolean') throw new InvalidOptionError(`handoff must be a boolean, got ${JSON.stringify(handoff)}`)
  const quorum = init.quorum
  if (quorum !== undefined && quorum !== 'majority' && !(Number.isInteger(quorum) && quorum >= 1)) {
    throw new InvalidOptionError(`quorum must be an integer >= 1 or 'majority', got ${JSON.stringify(quorum)}`)
  }
  const onMinority = init.onMinority ?? 'own-all'
  if (!MINORITY_MODES.includes(onMinority)) {
    throw new InvalidOptionError(`onMinority must be one of ${MINORITY_MODES.join(', ')}, got ${JSON.stringify(onMinority)}`)
  }
  requireEffective(init, quorum, onMinority)
  return {
    handoff,
    quorum,
    onMinority,
    keepLastMs: nonNegativeMs('keepLastMs', init.keepLastMs ?? Math.max(0, timings.memberTimeoutMs - timings.suspectAfterMs - timings.heartbeatIntervalMs)),
    quorumWindowMs: nonNegativeMs('quorumWindowMs', init.quorumWindowMs ?? 10 * timings.memberTimeoutMs),
    settleMs: nonNegativeMs('settleMs', init.settleMs ?? 0),
    patienceMs: timings.memberTimeoutMs,
    suspectAfterIntervals: intervalsOf(timings.suspectAfterMs, timings),
    memberTimeoutIntervals: intervalsOf(timings.memberTimeoutMs, timings)
  }
}

/**
 * An option that would do nothing with the others given is a mistake, not a preference: `onMinority:
 * 'own-nothing'` without a quorum never applies (no view is ever a minority), and the agent that
 * was meant to own nothing across a partition owns its share of every side.
 *
 * @throws {InvalidOptionError} naming the option and what it needs
 */
function requireEffective (init: OwnershipInit, quorum: OwnershipPolicy['quorum'], onMinority: MinorityMode): void {
  if (quorum === undefined && onMinority !== 'own-all') {
    throw new InvalidOptionError(`onMinority '${onMinority}' has no effect without a quorum: set quorum (a count or 'majority')`)
  }
  if (init.keepLastMs !== undefined && onMinority !== 'keep-last') {
    throw new InvalidOptionError(`keepLastMs has no effect unless onMinority is 'keep-last' (it is '${onMinority}')`)
  }
  if (init.quorumWindowMs !== undefined && quorum !== 'majority') {
    throw new InvalidOptionError(`quorumWindowMs has no effect unless quorum is 'majority' (it is ${JSON.stringify(quorum ?? null)})`)
  }
}

function nonNegativeMs (name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(`${name} must be a finite number of milliseconds >= 0, got ${String(value)}`)
  }
  return value
}

/** `ms` in heartbeat intervals, rounded to 1/100. */
function intervalsOf (ms: number, timings: OwnershipTimings): number {
  return Math.round(100 * ms / timings.heartbeatIntervalMs) / 100
}
