import type { Clock, WallClock } from './clock.js'

/** One group a member advertises in its heartbeat. */
export interface GroupAdvert {
  /** The group name: a non-empty string. */
  name: string
  /** The member's relative share in the group: in (0, 1000] (1 = a normal share). */
  weight: number
  /** Free-form string metadata of the member in this group. */
  metadata: Record<string, string>
}

/** A decoded heartbeat; `from` is the verified sender id (the cluster fills it from the gossipsub signer). */
export interface Heartbeat {
  /** The verified sender id. */
  from: string
  /** Random per process start; a new one means a restarted member. */
  bootId: string
  /** Increases with each heartbeat of one boot id. */
  seq: number
  /** The groups the sender is in now. */
  groups: GroupAdvert[]
  /** Goodbye: remove the sender from every group at once. */
  leaving: boolean
  /** Group name -> the sender's view digest of that group. */
  digests: Record<string, string>
  /**
   * The sender's wall clock (Unix epoch ms) when it sent this heartbeat. When given (and the table
   * has a `wallClock`), a heartbeat from a sender without a live record must be within
   * `maxClockSkewMs` of our wall clock, and a new boot id must carry a later timestamp than the
   * incarnation it replaces.
   */
  sentAtMs?: number
  /**
   * The sender's heartbeat interval (ms) when it sent this heartbeat. The receiver judges the
   * sender's silence by it (its own suspicion and timeout ratios applied to it, never shorter than
   * its own thresholds, at most `MAX_ADVERTISED_INTERVAL_MS`); absent, the receiver's own timings
   * apply. A value that is not a positive integer is ignored (`counters.intervalsInvalid`), one above
   * the maximum is clamped (`counters.intervalsClamped`).
   */
  heartbeatIntervalMs?: number
}

/** A live member is `alive`, or `suspect` once silent for `suspectAfterMs` (it keeps its share). */
export type MemberState = 'alive' | 'suspect'

/** A live member of a group as seen by this table. */
export interface MemberView {
  /** The member's id (its libp2p peer id in gossip-ring). */
  id: string
  /** Its relative share of the group's keys (finite, > 0; 1 = a normal share). */
  weight: number
  /** The string pairs it advertises in the group. */
  metadata: Record<string, string>
  /** `alive`, or `suspect` while silent for longer than `suspectAfterMs`. */
  state: MemberState
  /** True for this table's own member (`selfId`). */
  self: boolean
}

/** Why a member left a group: silent for `memberTimeoutMs`, said so, or restarted without the group. */
export type LeaveReason = 'timeout' | 'left' | 'replaced'

/** The outcome of {@link MembershipTable.ingest}. */
export type IngestResult = 'accepted' | 'stale' | 'skewed' | 'self' | 'damped'

/**
 * The events of a membership table. They are dispatched synchronously, after the table's state is
 * fully updated, in this order per call: `member:*` events in the order the changes were applied,
 * then one `view:change` per changed group (by group name), then `group:odd-member` and
 * `group:converged` (by group name).
 */
export interface MembershipEvents {
  /** A member entered a group. */
  'member:join': CustomEvent<MemberEventDetail>
  /** A member has been silent for `suspectAfterMs`; it still owns its share. */
  'member:suspect': CustomEvent<MemberEventDetail>
  /** A suspect was heard from again. */
  'member:alive': CustomEvent<MemberEventDetail>
  /** A member left a group. */
  'member:leave': CustomEvent<MemberLeaveDetail>
  /** A member's weight or metadata in a group changed (it stays a member); the new values. */
  'member:update': CustomEvent<MemberUpdateDetail>
  /** The members, weights or metadata of a group changed; batched: one per group per call or expiry pass. */
  'view:change': CustomEvent<ViewChangeDetail>
  /** {@link MembershipTable.isConverged} turned true for a group: once after each change of its view (members, weights or metadata). */
  'group:converged': CustomEvent<GroupConvergedDetail>
  /**
   * Digest poisoning: one member's advertised digest (`digest`) has differed from ours for
   * `memberTimeoutMs` while every other member advertises ours; it is left out of the convergence
   * check until it agrees (or leaves). Fired once per odd member, before `group:converged`.
   */
  'group:odd-member': CustomEvent<GroupOddMemberDetail>
}

/** The detail of `member:join`, `member:suspect` and `member:alive`: which member, in which group. */
export interface MemberEventDetail {
  /** The group. */
  group: string
  /** The member's id. */
  id: string
}

/** The detail of `member:leave`: which member left which group, and why. */
export interface MemberLeaveDetail extends MemberEventDetail {
  /** `left` (said so, or goodbye), `timeout` (silent for `memberTimeoutMs`), `replaced` (restarted without the group). */
  reason: LeaveReason
}

/** The detail of `member:update`: a member whose weight or metadata in a group changed, with the new values. */
export interface MemberUpdateDetail extends MemberEventDetail {
  /** Its new weight in the group. */
  weight: number
  /** Its new metadata in the group. */
  metadata: Record<string, string>
}

/** The detail of `view:change`: a group's members after the change, and their digest. */
export interface ViewChangeDetail {
  /** The group. */
  group: string
  /** Its live members, sorted by id. */
  members: MemberView[]
  /** The ring digest of those members (16 hex characters). */
  digest: string
}

/** The detail of `group:converged`: the group, and the digest every live member now advertises. */
export interface GroupConvergedDetail {
  /** The group. */
  group: string
  /** The ring digest all live members agree on. */
  digest: string
}

/** The detail of `group:odd-member`: the group, the odd member, and the digest it advertises. */
export interface GroupOddMemberDetail {
  /** The group. */
  group: string
  /** The member whose digest has differed from ours for `memberTimeoutMs` while all others agree. */
  id: string
  /** The digest it advertises. */
  digest: string
}

/** Self's options in a group, for `joinGroup` (of the membership table and of a cluster). */
export interface JoinOptions {
  /** Self's relative share: finite, > 0. @default 1 (or the current value on an update) */
  weight?: number
  /** Self's free-form metadata in the group. @default {} (or the current value on an update) */
  metadata?: Record<string, string>
  /**
   * The group counts as converged only while at least this many live members (self included) are
   * seen. Set it to the number of agents you expect, so that agents that cannot see each other do
   * not both claim every key as converged; an integer >= 1.
   *
   * @default 1 (or the current value on an update)
   */
  minMembers?: number
}

/** What the user tunes. Times are milliseconds of the receiver's monotonic clock. */
export interface MembershipInit {
  /** This member's id: a non-empty string; its own heartbeats are ignored. */
  selfId: string
  /**
   * How often members heartbeat. Shorter detects failures sooner, at more traffic.
   *
   * @default 1000
   */
  heartbeatIntervalMs?: number
  /**
   * Silence after which a member is suspected (event only, it keeps its share); > heartbeatIntervalMs.
   *
   * @default 3 * heartbeatIntervalMs
   */
  suspectAfterMs?: number
  /**
   * Silence after which a member is removed; > suspectAfterMs. Shorter re-splits sooner after a
   * crash, but drops members on a slow or lossy network.
   *
   * @default 5 * heartbeatIntervalMs
   */
  memberTimeoutMs?: number
  /**
   * Flap damping: a member removed by timeout that comes back within this time is only re-added
   * after it has been heard continuously for this time. 0 turns damping off.
   *
   * @default 0
   */
  flapDampingMs?: number
  /**
   * Awareness of our own slowness (Lifeguard): when our expiry timer fires more than
   * `min(50, heartbeatIntervalMs / 4)` ms late, our event loop was blocked and the heartbeats of
   * others may be queued unread, so that pass is deferred by one `setTimeout(0)` (once), and the
   * suspect and removal deadlines of others are extended by the largest such lateness of the last
   * `memberTimeoutMs` (at most `memberTimeoutMs`). The cost: while our own loop lags, a crash is
   * detected later, by up to `memberTimeoutMs`; it is still dropped. `false` restores exact deadlines.
   *
   * @default true
   */
  awareness?: boolean
  /**
   * Track every group heard of (`true`), or only the groups self joined or watches (`false`):
   * adverts of other groups are then ignored (counted in `counters.untrackedGroups`), produce no
   * events and cost no memory, so strangers advertising many groups cannot flood the table.
   *
   * @default true
   */
  trackAllGroups?: boolean
  /**
   * Most live members per group, self included; adverts of further new members are dropped and
   * counted (`counters.overCapacity`) until a member leaves. Bounds what fake members can do to a
   * ring; a real group larger than this loses its newest members, so set it above your fleet size.
   *
   * @default 256
   */
  maxMembersPerGroup?: number
  /**
   * How far a heartbeat's `sentAtMs` may be from our wall clock when its sender has no live record
   * here (never seen, or departed): a replay captured longer ago than this is dropped (counted in
   * `counters.skewed`). It must exceed the real clock offset between members plus delivery delay:
   * a member whose clock is further off can never join. Departed members are also remembered
   * (tombstones: boot id, seq, timestamp) for `max(120 s, 2 × maxClockSkewMs) + memberTimeoutMs`,
   * so a replay is refused by the tombstone until the skew check alone refuses it.
   *
   * @default 60_000
   */
  maxClockSkewMs?: number
}

/** What the table depends on. */
export interface MembershipComponents {
  /** Time and timers (a `ManualClock` in tests). */
  clock: Clock
  /**
   * The wall clock (Unix epoch ms), only to bound the age of heartbeats from senders without a live
   * record (`maxClockSkewMs`); without it that check is off. A `ManualClock` does in tests.
   */
  wallClock?: WallClock
  /**
   * Whether contact with another agent is under way (a dial in flight, a connected agent whose
   * first heartbeat may be on its way). While it says so, self alone in a group does not
   * settle when its settle window ends: the window stretches, by at most `suspectAfterMs` more, so
   * an agent whose event loop ran late does not claim every key just before hearing the agent it
   * was connecting to. Without it, the window never stretches.
   */
  contactPending?: () => boolean
}

/** The table's counters; they only grow. */
export interface MembershipCounters {
  /** Heartbeats applied. */
  accepted: number
  /** Heartbeats ignored: older or equal seq, retired boot id, or malformed sender/boot id/seq. */
  stale: number
  /** Heartbeats of a flapping member held back by flap damping. */
  damped: number
  /** Own heartbeats ignored. */
  self: number
  /** Group adverts dropped from accepted heartbeats: bad name, weight or metadata, or a duplicate name. */
  invalidGroups: number
  /** Group adverts ignored because the group is not tracked (`trackAllGroups: false` and neither joined nor watched). */
  untrackedGroups: number
  /** Group adverts of new members dropped because the group already had `maxMembersPerGroup` live members. */
  overCapacity: number
  /** Heartbeats of senders without a live record whose `sentAtMs` was more than `maxClockSkewMs` from our wall clock (or missing). */
  skewed: number
  /** Accepted heartbeats whose advertised interval was above `MAX_ADVERTISED_INTERVAL_MS` and was clamped to it. */
  intervalsClamped: number
  /** Accepted heartbeats whose advertised interval was not a positive integer (ignored: the receiver's own timings apply). */
  intervalsInvalid: number
}
