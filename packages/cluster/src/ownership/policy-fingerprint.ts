import type { OwnershipPolicy } from './policy.js'

/** The ownership options every member of a group must share: what decides who owns a key when. */
export type SharedPolicy = Pick<OwnershipPolicy, 'handoff' | 'quorum' | 'onMinority' | 'settleMs'>

/** The shared options in words, for a warning: `handoff on, quorum majority, onMinority own-nothing, settleMs 0`. Pure. */
export function describePolicy (policy: SharedPolicy): string {
  return `handoff ${policy.handoff ? 'on' : 'off'}, quorum ${policy.quorum ?? 'none'}, onMinority ${policy.onMinority}, settleMs ${policy.settleMs}`
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
