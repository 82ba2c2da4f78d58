import { DEFAULT_MEMBER_TIMEOUT_INTERVALS, DEFAULT_SUSPECT_AFTER_INTERVALS } from '@gossip-ring/membership'
import type { OwnershipPolicy } from './policy.js'

/**
 * The ownership options every member of a group must share: what decides who owns a key when. The
 * timers in heartbeat intervals too (not the interval itself: fleets may mix intervals): `own-nothing`
 * and `keep-last` hold because a cut-off member suspects the others before they time it out, and
 * safe handoff's patience is the member timeout. A member suspecting after 2.5 s among members
 * timing out after 1 s owned its share beside its new owners for 1.5 s, and nobody said a word.
 */
export type SharedPolicy = Pick<OwnershipPolicy, 'handoff' | 'quorum' | 'onMinority' | 'settleMs' | 'suspectAfterIntervals' | 'memberTimeoutIntervals'>

/**
 * The shared options in words, for a warning: `handoff on, quorum majority, onMinority own-nothing,
 * settleMs 0`, then `, suspect after 4 intervals, timeout after 8 intervals` unless those are the
 * defaults (3 and 5), so fleets on the default timers keep the fingerprint of earlier releases. Pure.
 */
export function describePolicy (policy: SharedPolicy): string {
  const options = `handoff ${policy.handoff ? 'on' : 'off'}, quorum ${policy.quorum ?? 'none'}, onMinority ${policy.onMinority}, settleMs ${policy.settleMs}`
  const defaultTimers = policy.suspectAfterIntervals === DEFAULT_SUSPECT_AFTER_INTERVALS && policy.memberTimeoutIntervals === DEFAULT_MEMBER_TIMEOUT_INTERVALS
  return defaultTimers ? options : `${options}, suspect after ${policy.suspectAfterIntervals} intervals, timeout after ${policy.memberTimeoutIntervals} intervals`
}

/**
 * A 32-bit fingerprint of the shared options (FNV-1a of {@link describePolicy}), never 0 (0 on the
 * wire means "not advertised"). Heartbeats carry it per group so members can tell they disagree.
 * The windows that default from each agent's timings (keepLastMs, quorumWindowMs) are left out: they
 * follow `heartbeatIntervalMs: 'auto'` and may differ for a while. Pure.
 */
export function policyFingerprint (policy: SharedPolicy): number {
  let hash = 0x811c9dc5
  for (const char of describePolicy(policy)) {
    hash ^= char.charCodeAt(0)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash === 0 ? 1 : hash
}
