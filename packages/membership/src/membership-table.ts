import { membersDigest } from '@gossip-ring/ring'
import { TypedEventEmitter } from 'main-event'
import { ConvergenceGate } from './convergence-gate.js'
import { InvalidOptionError } from './errors.js'
import { EventQueue } from './event-queue.js'
import { FlapDamper } from './flap-damper.js'
import { GroupView } from './group-view.js'
import { advertisedDigest, isWellFormedHeartbeat, sanitizeGroups } from './heartbeat.js'
import { orderHeartbeat, retireBootId } from './incarnation.js'
import { Tombstones } from './tombstones.js'
import { TimerLag } from './timer-lag.js'
import { earliestDeadlineMs, judgedTimings, memberDeadlineMs, memberLiveness, readAdvertisedInterval, resolveTimings } from './timings.js'
import { requireBoolean, requireMetadata, requireMinMembers, requireNonEmptyString, requireNonNegativeMs, requirePositiveInteger, requireWeight } from './validation.js'
import type { Clock, WallClock } from './clock.js'
import type { Incarnation } from './incarnation.js'
import type { Timings, TimingsInit } from './timings.js'
import type {
  GroupAdvert, Heartbeat, IngestResult, JoinOptions, LeaveReason, MemberView, MembershipComponents,
  MembershipCounters, MembershipEvents, MembershipInit
} from './types.js'

/** What the table keeps of a member other than self (its memberships live in the group views). */
interface MemberRecord {
  readonly id: string
  bootId: string
  seq: number
  retiredBootIds: readonly string[]
  /** Sender wall clock in the last accepted heartbeat, if it sent one. */
  sentAtMs: number | undefined
  /** Receiver clock at the last accepted heartbeat. */
  lastSeenMs: number
  /** The heartbeat interval its last accepted heartbeat advertised (clamped), if usable: it is judged by it. */
  advertisedIntervalMs: number | undefined
  suspected: boolean
  /** Groups the member is in (applied to the group views). */
  readonly groups: Set<string>
  /** Set while flap damping holds the member back: when its probation started. */
  probationSinceMs: number | undefined
}

/**
 * The membership of every group, derived from received heartbeats on an injected clock. See the
 * package README for the rules; events are described on {@link MembershipEvents}.
 *
 * Handlers run synchronously inside `ingest`, `expire`, `joinGroup` and `leaveGroup` (or the expiry
 * timer) and must not block. They may call back into the table.
 */
export class MembershipTable extends TypedEventEmitter<MembershipEvents> {
  /** Counts of ingest outcomes and dropped adverts. */
  readonly counters: MembershipCounters = { accepted: 0, stale: 0, damped: 0, self: 0, invalidGroups: 0, untrackedGroups: 0, overCapacity: 0, skewed: 0, intervalsClamped: 0, intervalsInvalid: 0 }
  readonly #clock: Clock
  readonly #wallClock: WallClock | undefined
  readonly #maxClockSkewMs: number
  readonly #tombstones: Tombstones
  readonly #selfId: string
  #timings: Timings
  readonly #damper: FlapDamper
  /** Our own timer lateness, when awareness is on. */
  readonly #lag: TimerLag | undefined
  /** `minMembers` and the settle window of each joined group. */
  readonly #gate: ConvergenceGate
  /** Member records in ascending `lastSeenMs` order (an accepted heartbeat moves its record last). */
  readonly #records = new Map<string, MemberRecord>()
  readonly #groups = new Map<string, GroupView>()
  readonly #selfGroups = new Map<string, Readonly<GroupAdvert>>()
  /** Groups watched without being joined (tracked when `trackAllGroups` is false). */
  readonly #watched = new Set<string>()
  readonly #trackAllGroups: boolean
  readonly #maxMembersPerGroup: number
  readonly #events = new EventQueue<MembershipEvents>(this)
  /** Groups whose members, weights or metadata changed during the current operation. */
  readonly #changed = new Set<string>()
  /** Groups whose convergence must be checked at the end of the current operation. */
  readonly #touched = new Set<string>()
  #emptyDigest: string | undefined
  #started = false
  /** The pending expiry timer and the member deadline it is armed for (minus infinity for a deferred pass). */
  #timer: { handle: unknown, deadlineMs: number } | undefined

  /**
   * @throws {InvalidOptionError} for a missing clock, an empty `selfId`, bad timings (see
   * `resolveTimings`), a negative `flapDampingMs` or an `awareness` that is not a boolean
   */
  constructor (components: MembershipComponents, init: MembershipInit) {
    super()
    if (typeof components?.clock?.now !== 'function') {
      throw new InvalidOptionError('components.clock must be a Clock with now(), setTimeout() and clearTimeout()')
    }
    if (components.contactPending !== undefined && typeof components.contactPending !== 'function') {
      throw new InvalidOptionError('components.contactPending must be a function returning a boolean')
    }
    this.#clock = components.clock
    this.#selfId = requireNonEmptyString('selfId', init.selfId)
    this.#timings = resolveTimings(init)
    this.#damper = new FlapDamper(requireNonNegativeMs('flapDampingMs', init.flapDampingMs ?? 0))
    this.#lag = requireBoolean('awareness', init.awareness ?? true) ? new TimerLag(this.#timings) : undefined
    this.#trackAllGroups = requireBoolean('trackAllGroups', init.trackAllGroups ?? true)
    this.#maxMembersPerGroup = requirePositiveInteger('maxMembersPerGroup', init.maxMembersPerGroup ?? DEFAULT_MAX_MEMBERS_PER_GROUP)
    this.#wallClock = components.wallClock
    this.#maxClockSkewMs = requireNonNegativeMs('maxClockSkewMs', init.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS)
    this.#tombstones = new Tombstones(tombstoneLifetimeMs(this.#maxClockSkewMs, this.#timings), MAX_TOMBSTONES)
    this.#gate = new ConvergenceGate(this.#clock, this.#timings.suspectAfterMs, group => {
      this.#touched.add(group)
      this.#finish()
    }, components.contactPending)
  }

  /** Arms the expiry timer (idempotent). Without it, members only expire on explicit `expire()` calls. */
  start (): void {
    if (!this.#started) {
      this.#started = true
      this.#armTimer()
      this.#gate.start()
    }
  }

  /** Disarms the expiry timer (idempotent); the table keeps its state. */
  stop (): void {
    if (this.#started) {
      this.#started = false
      this.#disarmTimer()
      this.#gate.stop()
    }
  }

  /**
   * Self joins `group`, or updates its weight, metadata or `minMembers` there: an option left out of
   * an update keeps its current value.
   *
   * @throws {InvalidOptionError} for an empty group name, a weight outside (0, 1000], metadata that is not an object of strings, or a `minMembers` that is not an integer >= 1
   */
  joinGroup (group: string, opts: JoinOptions = {}): void {
    requireNonEmptyString('group', group)
    const current = this.#selfGroups.get(group)
    const weight = requireWeight('weight', opts.weight ?? current?.weight ?? 1)
    const metadata = requireMetadata('metadata', opts.metadata ?? current?.metadata ?? {})
    const minMembers = opts.minMembers === undefined ? undefined : requireMinMembers('minMembers', opts.minMembers)
    this.#selfGroups.set(group, Object.freeze({ name: group, weight, metadata }))
    this.#gate.join(group, minMembers)
    this.#putMember(group, this.#selfId, weight, metadata, true)
    this.#finish()
  }

  /**
   * Self leaves `group` (member:leave with reason `left`); a group self is not in is ignored. When
   * the group is no longer tracked (`trackAllGroups: false` and not watched) its view is forgotten:
   * one last `view:change` with no members, and no more events for it.
   */
  leaveGroup (group: string): void {
    if (this.#selfGroups.delete(group)) {
      this.#gate.leave(group)
      this.#removeMember(group, this.#selfId, 'left')
      this.#forgetIfUntracked(group)
      this.#finish()
    }
  }

  /**
   * Tracks `group` without joining it (an observer): its members, events and convergence are
   * followed from the members' next heartbeats on. Only matters with `trackAllGroups: false`.
   *
   * @throws {InvalidOptionError} for an empty group name
   */
  watchGroup (group: string): void {
    this.#watched.add(requireNonEmptyString('group', group))
  }

  /** Stops watching `group`; unless self is in it, its view is forgotten as in {@link MembershipTable.leaveGroup}. */
  unwatchGroup (group: string): void {
    if (this.#watched.delete(group)) {
      this.#forgetIfUntracked(group)
      this.#finish()
    }
  }

  /** True when `id` (not self) is a live member of at least one tracked group: an admitted member, worth connecting to. */
  isMember (id: string): boolean {
    return (this.#records.get(id)?.groups.size ?? 0) > 0
  }

  /** True when adverts of `group` are applied: every group, or only joined and watched ones. */
  tracks (group: string): boolean {
    return this.#trackAllGroups || this.#selfGroups.has(group) || this.#watched.has(group)
  }

  /**
   * Applies a received heartbeat, by the receiver's clock. Never throws on a well-typed heartbeat:
   * unusable group adverts are dropped and counted in `counters.invalidGroups`.
   *
   * @returns `self` for own heartbeats; `skewed` for a sender without a record whose timestamp is
   * missing or further than `maxClockSkewMs` from our wall clock (a replay, or a clock that is off);
   * `stale` for a replayed or reordered seq, a retired boot id or a malformed sender/boot id/seq;
   * `damped` while flap damping holds the sender back; else `accepted`
   */
  ingest (hb: Heartbeat): IngestResult {
    if (hb.from === this.#selfId) {
      this.counters.self++
      return 'self'
    }
    const nowMs = this.#clock.now()
    const live = this.#records.get(hb.from)
    if (live === undefined && !this.#isFresh(hb)) {
      this.counters.skewed++
      return 'skewed'
    }
    const known = live ?? this.#tombstones.get(hb.from, nowMs)
    const order = isWellFormedHeartbeat(hb) ? orderHeartbeat(known, hb.bootId, hb.seq, hb.sentAtMs) : 'stale'
    if (order === 'stale') {
      this.counters.stale++
      return 'stale'
    }
    const record = live ?? this.#newRecord(hb.from, nowMs, known)
    this.#tombstones.delete(hb.from)
    if (order === 'restart') {
      record.retiredBootIds = retireBootId(record.retiredBootIds, record.bootId)
    }
    record.bootId = hb.bootId
    record.seq = hb.seq
    record.sentAtMs = hb.sentAtMs
    record.advertisedIntervalMs = this.#advertisedInterval(hb)
    record.lastSeenMs = nowMs
    this.#records.delete(record.id)
    this.#records.set(record.id, record)
    this.#ensureTimer(memberDeadlineMs(nowMs, false, judgedTimings(this.#timings, record.advertisedIntervalMs)))
    if (record.probationSinceMs !== undefined) {
      if (!this.#damper.probationOver(record.probationSinceMs, nowMs)) {
        this.counters.damped++
        return 'damped'
      }
      record.probationSinceMs = undefined
    }
    this.#apply(record, hb, hb.leaving || order !== 'restart' ? 'left' : 'replaced')
    this.counters.accepted++
    this.#finish()
    return 'accepted'
  }

  /** Self's own timings: the floor of every member's thresholds (see `timingsOf`). */
  get timings (): Timings {
    return this.#timings
  }

  /**
   * Changes self's own timings (the cluster's `heartbeatIntervalMs: 'auto'` does when the group
   * size changes): defaults and checks as in the constructor; every deadline is re-armed at once.
   *
   * @throws {InvalidOptionError} for bad timings (see `resolveTimings`); nothing changes then
   */
  setTimings (init: TimingsInit): void {
    this.#timings = resolveTimings(init)
    this.#lag?.retune(this.#timings)
    this.#disarmTimer()
    this.#armTimer()
  }

  /**
   * The timings by which member `id` is judged: self's own ratios applied to the interval its last
   * heartbeat advertised, never shorter than self's own (see `judgedTimings`); self's own timings
   * for a member that advertises none, or that we have no record of.
   */
  timingsOf (id: string): Timings {
    return judgedTimings(this.#timings, this.#records.get(id)?.advertisedIntervalMs)
  }

  /** The heartbeat interval member `id` advertised in its last accepted heartbeat (clamped), if usable; undefined without one or a record. */
  advertisedIntervalMs (id: string): number | undefined {
    return this.#records.get(id)?.advertisedIntervalMs
  }

  /**
   * How much the suspect and removal deadlines of others are extended now because our own expiry
   * timer fired late recently (awareness): 0 when awareness is off or our timers are on time.
   */
  get lagAllowanceMs (): number {
    return this.#lag?.allowanceMs(this.#clock.now()) ?? 0
  }

  /**
   * One expiry pass at `clock.now()`: suspects and removes silent members (also run by the timer).
   * With awareness, silences are judged as of `clock.now() - lagAllowanceMs`.
   */
  expire (): void {
    const nowMs = this.#clock.now()
    const asOfMs = nowMs - this.lagAllowanceMs
    for (const record of this.#records.values()) {
      // no member's thresholds are shorter than our own: nobody after this one is due yet
      if (record.lastSeenMs + this.#timings.suspectAfterMs > asOfMs) {
        break
      }
      const liveness = memberLiveness(record.lastSeenMs, asOfMs, judgedTimings(this.#timings, record.advertisedIntervalMs))
      if (liveness === 'alive') continue
      if (liveness === 'expired') {
        this.#expireRecord(record, nowMs)
      } else if (!record.suspected) {
        this.#suspect(record)
      }
    }
    this.#damper.prune(nowMs)
    this.#tombstones.prune(nowMs)
    this.#disarmTimer()
    this.#armTimer()
    this.#finish()
  }

  /** Whether self has joined `group` (`groups().includes(group)`, without building the list). */
  hasJoined (group: string): boolean {
    return this.#selfGroups.has(group)
  }

  /** The groups self has joined, sorted. */
  groups (): string[] {
    return [...this.#selfGroups.keys()].sort()
  }

  /** What self advertises in its heartbeats: one advert per joined group, sorted by name (copies). */
  selfGroups (): GroupAdvert[] {
    return this.groups().map(name => {
      const advert = this.#selfGroups.get(name) as GroupAdvert
      return { name, weight: advert.weight, metadata: { ...advert.metadata } }
    })
  }

  /** Every group with at least one live member, joined or not, sorted. */
  knownGroups (): string[] {
    return [...this.#groups.keys()].sort()
  }

  /** The view digest `id` advertised for `group` in its last heartbeat; undefined for self, a non-member, or none sent. */
  advertisedDigest (group: string, id: string): string | undefined {
    return this.#groups.get(group)?.advertisedBy(id)
  }

  /** The live (alive and suspect) members of `group` sorted by id, self included once joined. */
  members (group: string): MemberView[] {
    return this.#groups.get(group)?.members().slice() ?? []
  }

  /** `membersDigest(members(group))`; the digest of the empty set for an unknown group. */
  digest (group: string): string {
    return this.#groups.get(group)?.digest() ?? this.#digestOfNobody()
  }

  /** The digest of every joined group, to put in self's heartbeat. */
  digests (): Record<string, string> {
    // no prototype: a group named "__proto__" is a key like any other
    const digests: Record<string, string> = Object.create(null) as Record<string, string>
    for (const group of this.groups()) {
      digests[group] = this.digest(group)
    }
    return digests
  }

  /**
   * True iff self has joined `group`, every other live member advertised `digest(group)` in its last
   * heartbeat, the group has at least its `minMembers` live members, and self is not alone in it
   * within `suspectAfterMs` of joining (the settle window).
   */
  isConverged (group: string): boolean {
    const view = this.#groups.get(group)
    // the odd-member path counts once reported (at the end of an operation), so answers match the events
    return view !== undefined && (view.isConverged(this.#clock.now()) || view.reportedOdd !== undefined) && this.#gate.allows(group, view.size)
  }

  /**
   * Self was silent for longer than the others wait before dropping it (its process was paused):
   * the digests they advertised before may be stale, so every joined group where self has company is
   * no longer converged, until each member advertises our digest again in a heartbeat accepted from
   * now on (`group:converged` fires then). Membership itself is kept.
   */
  forgetAgreement (): void {
    for (const [group, view] of this.#groups) {
      if (!view.hasSelf || view.size < 2) continue
      view.forgetAdvertised()
      this.#touched.add(group)
    }
    this.#finish()
  }

  /** The `minMembers` of a joined group (1 unless set by `joinGroup`). */
  minMembers (group: string): number {
    return this.#gate.minMembers(group)
  }

  /** A record for a sender without one, carrying on from its tombstone if it has one. */
  #newRecord (id: string, nowMs: number, buried: Incarnation | undefined): MemberRecord {
    const probationSinceMs = this.#damper.takeFlapping(id, nowMs) ? nowMs : undefined
    return {
      id,
      bootId: buried?.bootId ?? '',
      seq: buried?.seq ?? 0,
      retiredBootIds: buried?.retiredBootIds ?? [],
      sentAtMs: buried?.sentAtMs,
      lastSeenMs: nowMs,
      advertisedIntervalMs: undefined,
      suspected: false,
      groups: new Set(),
      probationSinceMs
    }
  }

  /** The usable interval a heartbeat advertises (clamped), counting clamped and invalid ones. */
  #advertisedInterval (hb: Heartbeat): number | undefined {
    const { intervalMs, outcome } = readAdvertisedInterval(hb.heartbeatIntervalMs)
    if (outcome === 'clamped') this.counters.intervalsClamped++
    else if (outcome === 'invalid') this.counters.intervalsInvalid++
    return intervalMs
  }

  /** True when the heartbeat's sender timestamp is within `maxClockSkewMs` of our wall clock (always, without a wall clock). */
  #isFresh (hb: Heartbeat): boolean {
    if (this.#wallClock === undefined) return true
    return typeof hb.sentAtMs === 'number' && Math.abs(this.#wallClock.now() - hb.sentAtMs) <= this.#maxClockSkewMs
  }

  /** Makes the member's groups those of its heartbeat (none when leaving) and records its digests. */
  #apply (record: MemberRecord, hb: Heartbeat, removalReason: LeaveReason): void {
    const wasSuspected = record.suspected
    record.suspected = false
    const { adverts, dropped } = hb.leaving ? NO_GROUPS : sanitizeGroups(hb.groups)
    this.counters.invalidGroups += dropped
    for (const group of record.groups) {
      if (!adverts.some(advert => advert.name === group)) {
        record.groups.delete(group)
        this.#removeMember(group, record.id, removalReason)
      }
    }
    for (const advert of adverts) {
      if (!this.#admits(record, advert.name)) continue
      const outcome = this.#putMember(advert.name, record.id, advert.weight, advert.metadata, false)
      const view = this.#groups.get(advert.name) as GroupView
      if (outcome === 'added') {
        record.groups.add(advert.name)
      } else if (wasSuspected) {
        view.setState(record.id, 'alive')
        this.#events.push('member:alive', { group: advert.name, id: record.id })
      }
      view.advertise(record.id, advertisedDigest(hb, advert.name), this.#clock.now())
    }
  }

  /** Whether an advert of `group` by `record` is applied: a tracked group with room (or the record already in it); counts refusals. */
  #admits (record: MemberRecord, group: string): boolean {
    if (!this.tracks(group)) {
      this.counters.untrackedGroups++
      return false
    }
    if (!record.groups.has(group) && (this.#groups.get(group)?.size ?? 0) >= this.#maxMembersPerGroup) {
      this.counters.overCapacity++
      return false
    }
    return true
  }

  /** Drops the view of a group no longer tracked: no member of it is followed any more. */
  #forgetIfUntracked (group: string): void {
    const view = this.#groups.get(group)
    if (view === undefined || this.tracks(group)) return
    for (const record of this.#records.values()) record.groups.delete(group)
    this.#groups.delete(group)
    this.#changed.add(group)
  }

  #putMember (group: string, id: string, weight: number, metadata: Readonly<Record<string, string>>, self: boolean): 'added' | 'updated' | 'unchanged' {
    let view = this.#groups.get(group)
    if (view === undefined) {
      view = new GroupView(group)
      this.#groups.set(group, view)
    }
    const outcome = view.put(id, weight, metadata, self)
    if (outcome === 'added') {
      this.#events.push('member:join', { group, id })
    } else if (outcome === 'updated') {
      this.#events.push('member:update', { group, id, weight, metadata: { ...metadata } })
    }
    if (outcome !== 'unchanged') {
      this.#changed.add(group)
    }
    this.#touched.add(group)
    return outcome
  }

  #removeMember (group: string, id: string, reason: LeaveReason): void {
    if (this.#groups.get(group)?.remove(id) === true) {
      this.#events.push('member:leave', { group, id, reason })
      this.#changed.add(group)
      this.#touched.add(group)
    }
  }

  #suspect (record: MemberRecord): void {
    record.suspected = true
    for (const group of record.groups) {
      this.#groups.get(group)?.setState(record.id, 'suspect')
      this.#events.push('member:suspect', { group, id: record.id })
    }
  }

  #expireRecord (record: MemberRecord, nowMs: number): void {
    this.#records.delete(record.id)
    this.#tombstones.bury(record.id, record, nowMs)
    if (record.groups.size > 0 || record.probationSinceMs !== undefined) {
      this.#damper.noteTimeout(record.id, nowMs)
    }
    for (const group of record.groups) {
      this.#removeMember(group, record.id, 'timeout')
    }
  }

  /** Queues the batched `view:change` and `group:converged` events of the operation, then dispatches. */
  #finish (): void {
    if (this.#changed.size > 0) {
      const changed = sortedNames(this.#changed)
      this.#changed.clear()
      for (const group of changed) {
        // a changed view converges anew: group:converged fires again once it does
        const view = this.#groups.get(group)
        if (view !== undefined) view.reportedConverged = false
        this.#events.push('view:change', { group, members: this.members(group), digest: this.digest(group) })
      }
    }
    if (this.#touched.size > 0) {
      const touched = sortedNames(this.#touched)
      this.#touched.clear()
      for (const group of touched) {
        this.#reportConvergence(group)
      }
    }
    this.#events.flush()
  }

  #reportConvergence (group: string): void {
    const view = this.#groups.get(group)
    if (view === undefined) {
      return
    }
    if (view.size === 0) {
      this.#groups.delete(group)
      return
    }
    const { agreed, odd } = this.#agreement(view)
    if (odd !== undefined && odd !== view.reportedOdd) {
      this.#events.push('group:odd-member', { group, id: odd, digest: view.advertised(odd) ?? '' })
    }
    view.reportedOdd = odd
    const converged = agreed && this.#gate.allows(group, view.size)
    if (converged && !view.reportedConverged) {
      this.#events.push('group:converged', { group, digest: view.digest() })
    }
    view.reportedConverged = converged
  }

  /**
   * Whether the members agree with our view now: every other member advertises our digest, or all
   * but one odd member do and that one has disagreed for `memberTimeoutMs` (it cannot block the
   * others forever). `minMembers` and the settle window come on top (the convergence gate).
   */
  #agreement (view: GroupView): { agreed: boolean, odd: string | undefined } {
    const nowMs = this.#clock.now()
    if (view.isConverged(nowMs)) return { agreed: true, odd: undefined }
    const odd = view.oddMember(nowMs, this.#timings.memberTimeoutMs)
    return { agreed: odd !== undefined, odd }
  }

  #digestOfNobody (): string {
    this.#emptyDigest ??= membersDigest([])
    return this.#emptyDigest
  }

  /**
   * Makes sure a timer is armed no later than `deadlineMs` (a member just heard): members are judged
   * by their own intervals, so a member heard later can be due sooner than the one the timer waits
   * for. An armed timer that fires early just re-arms.
   */
  #ensureTimer (deadlineMs: number): void {
    if (this.#timer === undefined || deadlineMs < this.#timer.deadlineMs) {
      this.#disarmTimer()
      this.#armTimer()
    }
  }

  /** Arms one timer at the earliest member deadline (plus the lag allowance), if the table is started and has members. */
  #armTimer (): void {
    const deadlineMs = this.#started ? earliestDeadlineMs(this.#records.values(), this.#timings) : undefined
    if (deadlineMs === undefined) {
      return
    }
    const nowMs = this.#clock.now()
    const dueMs = Math.max(nowMs, deadlineMs + this.lagAllowanceMs)
    this.#schedule(dueMs - nowMs, deadlineMs, () => { this.#onTimer(dueMs) })
  }

  /**
   * The expiry timer due at `dueMs` fired. If it fired late, our loop was blocked and fresh
   * heartbeats may be queued behind it: note the lateness and run the pass one turn later
   * (`setTimeout(0)`, after the poll phase), never deferring that deferred pass again.
   */
  #onTimer (dueMs: number): void {
    if (this.#lag?.noteFired(dueMs, this.#clock.now()) === true) {
      this.#schedule(0, Number.NEGATIVE_INFINITY, () => { this.expire() })
    } else {
      this.expire()
    }
  }

  /** Makes `pass` the one pending timer, `delayMs` from now, armed for the member deadline `deadlineMs`. */
  #schedule (delayMs: number, deadlineMs: number, pass: () => void): void {
    const timer: { handle: unknown, deadlineMs: number } = { handle: undefined, deadlineMs }
    timer.handle = this.#clock.setTimeout(() => {
      if (this.#timer === timer) {
        this.#timer = undefined
        pass()
      }
    }, delayMs)
    this.#timer = timer
  }

  #disarmTimer (): void {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer.handle)
      this.#timer = undefined
    }
  }
}

/** Default of `maxClockSkewMs`: generous, for LANs without NTP; members' clocks must agree this well. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 60_000

/** How long gossipsub remembers a message id (its seen cache): replays within it never reach us. */
const GOSSIPSUB_SEEN_TTL_MS = 120_000

/** Most tombstones kept; the oldest is forgotten first. */
const MAX_TOMBSTONES = 4096

/**
 * How long a departed member is remembered: past gossipsub's seen cache and twice the clock-skew
 * allowance (after which the skew check alone refuses its heartbeats), plus the removal window.
 */
export function tombstoneLifetimeMs (maxClockSkewMs: number, timings: Timings): number {
  return Math.max(GOSSIPSUB_SEEN_TTL_MS, 2 * maxClockSkewMs) + timings.memberTimeoutMs
}

/** Default of `maxMembersPerGroup`. */
export const DEFAULT_MAX_MEMBERS_PER_GROUP = 256

const NO_GROUPS = Object.freeze({ adverts: Object.freeze([]), dropped: 0 })

function sortedNames (names: Set<string>): Iterable<string> {
  return names.size === 1 ? [names.values().next().value as string] : [...names].sort()
}
