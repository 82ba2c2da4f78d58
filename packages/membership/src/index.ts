/**
 * @packageDocumentation
 *
 * The membership table of gossip-ring: every group's live members derived from received
 * heartbeats, by the receiver's own monotonic clock, with suspicion, expiry, restarts (boot ids),
 * goodbyes, flap damping, an order-independent view digest (the ring digest) and a convergence
 * check. Pure and deterministic: no network, and time only through an injected {@link Clock}.
 *
 * @example
 * ```ts
 * import { ManualClock, MembershipTable } from '@gossip-ring/membership'
 *
 * const clock = new ManualClock()
 * const table = new MembershipTable({ clock }, { selfId: 'a', heartbeatIntervalMs: 1000 })
 * table.addEventListener('view:change', ({ detail }) => console.log(detail.group, detail.digest))
 * table.start()
 * table.joinGroup('pollers')
 * table.ingest({ from: 'b', bootId: 'b1', seq: 1, groups: [{ name: 'pollers', weight: 1, metadata: {} }], leaving: false, digests: {} })
 * table.members('pollers') // [{ id: 'a', ... self: true }, { id: 'b', ... }]
 * clock.advance(5000)      // b is silent for memberTimeoutMs (5 intervals): removed, reason 'timeout'
 * ```
 */
export { ManualClock } from './clock.js'
export type { Clock, WallClock } from './clock.js'
export { InvalidOptionError } from './errors.js'
export { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_MEMBERS_PER_GROUP, MembershipTable, tombstoneLifetimeMs } from './membership-table.js'
export { MAX_WEIGHT, requirePositiveInteger } from './validation.js'
export { DEFAULT_MEMBER_TIMEOUT_INTERVALS, DEFAULT_SUSPECT_AFTER_INTERVALS, earliestDeadlineMs, judgedTimings, MAX_ADVERTISED_INTERVAL_MS, memberDeadlineMs, memberLiveness, readAdvertisedInterval, resolveTimings } from './timings.js'
export type { AdvertisedInterval, DeadlineSource, Liveness, Timings, TimingsInit } from './timings.js'
export type {
  GroupAdvert, GroupConvergedDetail, GroupOddMemberDetail, Heartbeat, IngestResult, JoinOptions, LeaveReason, MemberEventDetail,
  MemberLeaveDetail, MemberState, MemberUpdateDetail, MemberView, MembershipComponents, MembershipCounters,
  MembershipEvents, MembershipInit, ViewChangeDetail
} from './types.js'
