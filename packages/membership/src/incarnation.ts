/** How many boot ids of earlier incarnations a member record remembers, to reject their late heartbeats. */
export const RETIRED_BOOT_IDS_KEPT = 4

/** What the table knows of a member's current incarnation. */
export interface Incarnation {
  readonly bootId: string
  readonly seq: number
  /** Boot ids of earlier incarnations, oldest first, at most {@link RETIRED_BOOT_IDS_KEPT}. */
  readonly retiredBootIds: readonly string[]
  /** The sender's wall-clock timestamp in its last accepted heartbeat, when it sent one. */
  readonly sentAtMs?: number | undefined
}

/**
 * How a heartbeat relates to the known incarnation of its sender:
 * - `first`: nothing known of the sender;
 * - `next`: same boot id, higher seq;
 * - `restart`: a boot id never seen for this member, sent later by the sender's own clock than the
 *   known incarnation's last heartbeat (or either timestamp is unknown);
 * - `stale`: same boot id with an equal or lower seq (replayed or reordered), a retired boot id (a
 *   delayed heartbeat of an earlier incarnation must not resurrect it), or a new boot id whose
 *   sender timestamp is not after the known one's (a replayed heartbeat of an older incarnation must
 *   not retire the live one).
 */
export type HeartbeatOrder = 'first' | 'next' | 'restart' | 'stale'

/** Classifies a heartbeat's `(bootId, seq, sentAtMs)` against what is known of its sender. */
export function orderHeartbeat (known: Incarnation | undefined, bootId: string, seq: number, sentAtMs?: number): HeartbeatOrder {
  if (known === undefined) {
    return 'first'
  }
  if (bootId === known.bootId) {
    return seq > known.seq ? 'next' : 'stale'
  }
  if (known.retiredBootIds.includes(bootId)) {
    return 'stale'
  }
  return sentAtMs !== undefined && known.sentAtMs !== undefined && sentAtMs <= known.sentAtMs ? 'stale' : 'restart'
}

/** The retired boot ids after `bootId` is retired: appended, oldest dropped beyond the bound. */
export function retireBootId (retired: readonly string[], bootId: string): readonly string[] {
  const next = [...retired, bootId]
  return next.length > RETIRED_BOOT_IDS_KEPT ? next.slice(next.length - RETIRED_BOOT_IDS_KEPT) : next
}
