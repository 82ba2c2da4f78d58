import { MembershipTable } from '@gossip-ring/membership'
import { createRing } from '@gossip-ring/ring'
import { TypedEventEmitter } from 'main-event'
import type { GroupAdvert, JoinOptions, MembershipEvents, MemberView } from '@gossip-ring/membership'
import type { HashRing, RingKey } from '@gossip-ring/ring'
import type { ComponentLogger, Libp2p, Logger, PeerId, PrivateKey } from '@libp2p/interface'
import { AgreementTracker } from './agreement.js'
import { HeartbeatTimings } from './auto-interval.js'
import type { IntervalTimings } from './auto-interval.js'
import { onlyOtherHeartbeatTopics } from './peer-unreachable.js'
import { systemClock, wallClock } from './clock.js'
import { Connectivity } from './connectivity.js'
import { AbortError, ClusterStoppedError, GroupNotJoinedError, InvalidKeyError, InvalidOptionError, WatcherCannotJoinError } from './errors.js'
import { earlyBeatGapMs, HeartbeatLoop } from './heartbeat-loop.js'
import { joinsAgreement } from './agreement-beat.js'
import { AdvertisedAddrs } from './advertised-addrs.js'
import { HeartbeatRelay } from './heartbeat-relay.js'
import { AbuseWatch } from './abuse-watch.js'
import { StreamRateWatch } from './stream-rate-watch.js'
import { FloodGuard } from './flood-guard.js'
import { HeartbeatIntake } from './heartbeat-intake.js'
import type { AcceptedHeartbeat } from './heartbeat-intake.js'
import { IdentityGuard } from './identity-guard.js'
import { PeerGuard } from './peer-guard.js'
import { MistakeReports } from './mistake-reports.js'
import { observeUnreadableFrames } from './gossipsub-hooks.js'
import { SCORE_THRESHOLDS, forwardWhen, isNoPeersError, startGossipOn, unreachedPeers, untilPublishReaches, validateTopic } from './pubsub.js'
import { explainKey } from './ownership/explain.js'
import { LARGEST_OWNING_ADVERT } from './ownership/group-ownership.js'
import { Ownerships } from './ownership/ownerships.js'
import { snapshotGroup, tracksGroup } from './watch.js'
import { WatcherRegistry } from './watchers.js'
import { WireVersionWatch } from './wire-version.js'
import { encodeHeartbeat } from './wire/codec.js'
import { HeartbeatSealer } from './wire/envelope.js'
import { describeSignatureBackend } from './wire/ed25519.js'
import { WIRE_LIMITS, groupListProblem } from './wire/limits.js'
import type { OutgoingHeartbeat } from './wire/codec.js'
import type { ClusterOptions, GroupSpec } from './options.js'
import type { KeyOwnership } from './ownership/group-ownership.js'
import type { OwnerExplanation } from './ownership/explain.js'
import type { OwnershipInit } from './ownership/policy.js'
import type { DeliveredMessage, GossipSub } from './pubsub.js'
import type { GroupSnapshot } from './watch.js'
import type { ClusterEvents, ClusterStats } from './cluster-events.js'

/** Options of {@link Cluster.stop}. */
export interface StopOptions {
  /**
   * Publish a leaving heartbeat first, so peers drop us at once. `false` simulates a crash (tests):
   * peers drop us only after memberTimeoutMs.
   *
   * @default true
   */
  goodbye?: boolean
}

/** What a cluster runs on. */
export interface ClusterComponents {
  /** A started libp2p node with gossipsub as `services.pubsub`, configured as the cluster's own node has it (StrictNoSign, `heartbeatMessageIds`). */
  libp2p: Libp2p<{
    /** Gossipsub, carrying the heartbeats. */
    pubsub: GossipSub
  }>
  /** The node's private key (Ed25519, the key of `libp2p.peerId`): it signs our heartbeats. */
  privateKey: PrivateKey
  /** Where this library's log lines go. */
  logger: ComponentLogger
  /** Stop the libp2p node in `stop()`: true when the cluster created it. */
  ownsLibp2p: boolean
  /** This incarnation's boot id (`createCluster` also puts it in the node's user agent). @default a random UUID */
  bootId?: string
  /** The allow-list and bans, shared with the node's connection gater. @default one built from the options (not in any gater) */
  guard?: PeerGuard
}

type MembershipEventName = keyof MembershipEvents

/** Heartbeats one signer may send per interval on average: 1 regular, the rest early beats after view changes (at most one per quarter interval). */
const SIGNER_HEARTBEATS_PER_INTERVAL = 5
/** Heartbeats one signer may send in a burst above that rate (joins and leaves beat at once). */
const SIGNER_BURST = 10
/** Shortest time, in intervals, from our last heartbeat to one that tells the others we share a view someone advertised (whatever the fleet's size). */
const AGREEMENT_BEAT_GAP = 0.25
/** The window of `maxSignersPerPeer`: long, because an honest relayer relays the same signers all the time, while rotating fresh ids must show. */
const SIGNER_WINDOW_MS = 60_000
/** How long a peer hung up on for abuse stays banned. */
const ABUSER_BAN_MS = 60_000
/**
 * Streams a peer may open to us: at once, and per second above that. An agent opens a few per
 * connection (identify, gossipsub, the boot-id probe, a ping a minute), a few connections per heal.
 */
const PEER_STREAMS = Object.freeze({ burst: 128, perSecond: 4 })

/** Membership events re-dispatched as they are. */
const FORWARDED_EVENTS = ['member:join', 'member:leave', 'member:suspect', 'member:alive', 'member:update', 'group:converged', 'group:odd-member'] as const satisfies readonly MembershipEventName[]

/**
 * One agent of a gossip cluster: the partition coordinator. Create it with `createCluster()`; see
 * the package README for the full story. Answers (`members`, `owner`, `extractMySubset`, ...) come
 * from the local view, which heartbeats keep fresh; they never wait for the network.
 */
export class Cluster extends TypedEventEmitter<ClusterEvents> {
  /** Our member id: the libp2p peer id (the key that signs our heartbeats). */
  readonly id: string
  /** The libp2p node the cluster runs on. */
  readonly libp2p: ClusterComponents['libp2p']
  readonly #options: ClusterOptions
  readonly #ownsLibp2p: boolean
  readonly #log: Logger
  readonly #membership: MembershipTable
  readonly #connectivity: Connectivity
  readonly #loop: HeartbeatLoop
  readonly #ownership: Ownerships
  readonly #guard: PeerGuard
  readonly #intake: HeartbeatIntake
  readonly #sealer: HeartbeatSealer
  readonly #abuse: AbuseWatch
  readonly #streams: StreamRateWatch
  readonly #watchers: WatcherRegistry
  readonly #agreement: AgreementTracker | undefined
  readonly #identity: IdentityGuard
  readonly #relay: HeartbeatRelay
  /** Our addresses, as our heartbeats advertise them. */
  readonly #addrs: AdvertisedAddrs
  readonly #wireVersions: WireVersionWatch
  readonly #floods: FloodGuard
  readonly #mistakes: MistakeReports
  /** Our heartbeat timings now: fixed, or following the fleet (`heartbeatIntervalMs: 'auto'`). */
  readonly #timings: HeartbeatTimings
  /** This incarnation: a random id per process start, sent in every heartbeat; a new one tells peers we restarted. */
  readonly bootId: string
  readonly #stopped = new AbortController()
  #removeValidator: (() => void) | undefined
  #removeFrameWatch: (() => void) | undefined
  #removeForwarding: (() => void) | undefined
  readonly #counters = {
    published: 0,
    publishErrors: 0,
    publishNoPeers: 0,
    silences: 0
  }

  #seq = 0
  /** Events dispatched during `start()`, delivered one macrotask later (see `start`). */
  #held: Array<() => void> | undefined
  #alone = false
  /** The group digests our last delivered heartbeat carried (undefined before the first). */
  #publishedDigests: Readonly<Record<string, string>> | undefined
  #started = false
  #stopping: Promise<void> | undefined
  /** The start of the last beat before the silence we last noticed (see `#noticeSilence`). */
  #silenceNoticed = Number.NaN

  /**
   * Use `createCluster()`, which validates the options, builds the node and starts the cluster.
   *
   * @internal
   */
  constructor (components: ClusterComponents, options: ClusterOptions) {
    super()
    this.libp2p = components.libp2p
    this.id = this.libp2p.peerId.toString()
    this.#options = options
    this.#ownsLibp2p = components.ownsLibp2p
    this.bootId = components.bootId ?? crypto.randomUUID()
    this.#log = components.logger.forComponent('gossip-ring:cluster')
    this.#guard = components.guard ?? new PeerGuard(options.allowedPeers !== undefined ? { allowedPeers: options.allowedPeers } : {})
    // a lone agent's settle window stretches while contact with another agent is under way
    const contactPending = (): boolean => this.#connectivity.contactPending(id => this.#membership.isMember(id) || this.#watchers.has(id))
    this.#membership = new MembershipTable({ clock: systemClock, wallClock, contactPending }, {
      selfId: this.id,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      suspectAfterMs: options.suspectAfterMs,
      memberTimeoutMs: options.memberTimeoutMs,
      flapDampingMs: options.flapDampingMs,
      awareness: options.awareness,
      trackAllGroups: options.watchGroups === '*',
      maxMembersPerGroup: options.maxMembersPerGroup,
      maxClockSkewMs: options.maxClockSkewMs
    })
    this.#mistakes = new MistakeReports({
      log: this.#log,
      emit: (type, detail) => { this.#emit(type, detail) },
      describePolicy: group => this.#ownership.get(group).sharedPolicy,
      isJoined: this.#isJoined,
      ourGroupNames: this.#ourGroupNames,
      policyFingerprint: this.#ourPolicyFingerprint
    }, {
      maxClockSkewMs: options.maxClockSkewMs,
      topic: options.topic,
      bootstrap: options.bootstrap,
      networkKey: options.networkKey !== undefined ? 'set' : components.ownsLibp2p ? 'none' : 'unknown'
    })
    this.#connectivity = new Connectivity({ libp2p: this.libp2p, log: this.#log.newScope('connectivity') }, {
      selfId: this.id,
      reconnectIntervalMs: options.reconnectIntervalMs,
      dialGraceMs: options.dialGraceMs,
      maxBackoffMs: options.reconnectMaxBackoffMs,
      forgetAfterMs: options.redialGiveUpMs,
      bootstrap: options.bootstrap,
      ...(options.peerSetSize !== undefined ? { peerSetSize: options.peerSetSize } : {}),
      subscribedPeers: () => new Set(this.libp2p.services.pubsub.getSubscribers(options.topic).map(String)),
      onDialled: (peerId, connection) => { startGossipOn(this.libp2p.services.pubsub, peerId, connection) },
      onNotReached: (peerId, via, attempts, cause) => {
        const peer = peerId.toString()
        // our own allow-list refusing the peer explains any failure better than the dial error ("blocked by gater")
        return this.#mistakes.notReached(peer, via, attempts, this.#guard.isAllowed(peer) ? cause : { notAllowed: true })
      }
    })
    this.#identity = new IdentityGuard({ libp2p: this.libp2p, log: this.#log.newScope('identity') }, {
      selfId: this.id,
      bootId: this.bootId,
      windowMs: options.memberTimeoutMs,
      onConflict: conflict => { this.#mistakes.identityConflict(conflict) },
      isMember: peer => this.#membership.isMember(peer),
      hearsMembers: () => this.#membership.knownGroups().some(group => this.#membership.members(group).some(member => !member.self))
    })
    this.#wireVersions = new WireVersionWatch({ libp2p: this.libp2p, log: this.#log.newScope('wire') }, peer => { this.#mistakes.incompatible(peer) })
    this.#watchers = new WatcherRegistry(options.memberTimeoutMs)
    this.#agreement = options.watcher
      ? new AgreementTracker(group => snapshotGroup(this.#membership, group), detail => { this.#emit('group:agreement', detail) })
      : undefined
    const { heartbeatIntervalMs, suspectAfterMs, memberTimeoutMs } = options
    this.#timings = new HeartbeatTimings({ heartbeatIntervalMs, suspectAfterMs, memberTimeoutMs }, options.autoInterval, this.#onTimingsChange)
    this.#floods = new FloodGuard({
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      // a member heartbeating faster than us (it says so in its heartbeats) gets the budget of its interval
      advertisedIntervalMs: id => this.#membership.advertisedIntervalMs(id),
      heartbeatsPerInterval: SIGNER_HEARTBEATS_PER_INTERVAL,
      burst: SIGNER_BURST,
      maxSignersPerPeer: options.maxSignersPerPeer,
      windowMs: SIGNER_WINDOW_MS
    })
    this.#intake = new HeartbeatIntake({ guard: this.#guard, floods: this.#floods, log: this.#log, hangUpOn: (peer, why) => { this.#abuse.hangUpOn(peer, why) } }, options.topic)
    this.#sealer = new HeartbeatSealer(components.privateKey, options.topic)
    this.#abuse = new AbuseWatch({ libp2p: this.libp2p, guard: this.#guard, log: this.#log.newScope('abuse') }, {
      intervalMs: options.heartbeatIntervalMs,
      disconnectBelowScore: SCORE_THRESHOLDS.graylistThreshold,
      banMs: ABUSER_BAN_MS
    })
    this.#streams = new StreamRateWatch({ libp2p: this.libp2p, hangUpOn: (peer, why) => { this.#abuse.hangUpOn(peer, why) }, log: this.#log.newScope('streams') }, PEER_STREAMS)
    this.#ownership = new Ownerships({ clock: systemClock, selfId: this.id, changed: this.#onOwnershipChange, wallClock, maxClockSkewMs: options.maxClockSkewMs, minMembersOf: group => this.#membership.minMembers(group) }, options, options.groups.map(group => [group.name, group]))
    this.#loop = new HeartbeatLoop(async () => this.#publish(false), {
      intervalMs: options.heartbeatIntervalMs,
      jitter: options.heartbeatJitter,
      minGapMs: () => earlyBeatGapMs(this.#timings.current.heartbeatIntervalMs, this.#connectivity.knownPeers),
      beforeBeat: (sinceLastBeatMs) => { this.#noticeSilence(sinceLastBeatMs) }
    })
    this.#addrs = new AdvertisedAddrs(this.libp2p)
    this.#relay = new HeartbeatRelay({
      libp2p: this.libp2p,
      pubsub: this.libp2p.services.pubsub,
      membership: this.#membership,
      beatSoon: () => { this.#loop.beatSoon() }
    }, {
      selfId: this.id,
      mode: options.relay,
      topic: options.topic
    })
  }

  /**
   * Our heartbeat interval now, in ms: `heartbeatIntervalMs`, or with `'auto'` the one picked for
   * the number of agents we hear (our suspicion and timeout follow it; see `ClusterInit.heartbeatIntervalMs`).
   */
  get heartbeatIntervalMs (): number {
    return this.#timings.current.heartbeatIntervalMs
  }

  /** The gossipsub topic our heartbeats travel on (from the namespace). */
  get topic (): string {
    return this.#options.topic
  }

  /** True for a watcher: an observer in no group (see `ClusterInit.watcher`). */
  get watcher (): boolean {
    return this.#options.watcher
  }

  /** The addresses others can dial (each with `/p2p/<id>`), e.g. for their `bootstrap` list. */
  get multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(String)
  }

  /** A snapshot of the counters. */
  get stats (): ClusterStats {
    const { dials, redials, dialFailures, forgotten, repairs, pruned } = this.#connectivity.stats
    const { received, dropped, signatureChecks } = this.#intake.counters
    return {
      ...this.#counters,
      ...this.#mistakes.counters,
      received,
      dropped: { ...dropped },
      signatureChecks,
      dials,
      redials,
      dialFailures,
      forgottenPeers: forgotten,
      connectionRepairs: repairs,
      prunedConnections: pruned,
      knownPeers: this.#connectivity.knownPeers,
      abusersDisconnected: this.#abuse.disconnected,
      identityClaimsDropped: this.#identity.claimsDropped,
      implausibleEpochs: this.#ownership.implausibleEpochs,
      membership: { ...this.#membership.counters },
      ...this.#relay.stats
    }
  }

  /**
   * Subscribes to the heartbeat topic, joins the initial groups and starts heartbeating, dialling
   * and expiring; idempotent. `createCluster()` calls it. The events of the initial joins (self's
   * `member:join`, `ring:change`) are delivered one macrotask later, so listeners added right after
   * `await createCluster(...)` receive them; the state (members, rings) is already there.
   *
   * @throws {HeartbeatTooLargeError} when the initial groups would not fit in a heartbeat (nothing started)
   */
  start (): void {
    if (this.#started) return
    this.#checkHeartbeatFits(this.#options.groups.map(group => ({ name: group.name, weight: group.weight ?? 1, metadata: group.metadata ?? {} })))
    this.#started = true
    this.#held = []
    setTimeout(this.#releaseHeld, 0)
    // ownership hears each membership event before the application does, so a `group:converged`
    // or `member:leave` handler already sees the share that event leads to
    this.#ownership.follow(this.#membership)
    for (const type of FORWARDED_EVENTS) {
      this.#membership.addEventListener(type, (evt: CustomEvent) => { this.#emit(type, evt.detail) })
    }
    this.#membership.addEventListener('view:change', this.#onViewChange)
    this.#removeValidator = validateTopic(this.libp2p.services.pubsub, this.#options.topic, this.#intake.validate)
    this.#removeFrameWatch = observeUnreadableFrames(this.libp2p.services.pubsub, this.#intake.refuseFrame)
    this.#removeForwarding = forwardWhen(this.libp2p.services.pubsub, this.#onDelivered)
    this.#relay.start()
    this.#addrs.start()
    this.libp2p.services.pubsub.addEventListener('subscription-change', this.#onSubscriptionChange)
    this.#identity.start()
    this.#wireVersions.start()
    this.libp2p.services.pubsub.subscribe(this.#options.topic)
    this.#membership.start()
    this.#streams.start()
    this.#connectivity.start()
    this.#abuse.start()
    if (this.#options.watchGroups !== '*') for (const group of this.#options.watchGroups) this.#membership.watchGroup(group)
    for (const group of this.#options.groups) this.#membership.joinGroup(group.name, group)
    this.#loop.start()
    this.#log('relayed heartbeats\' signatures checked by %s', describeSignatureBackend())
  }

  /**
   * Joins `group` (or updates our weight, metadata, `minMembers` or ownership options in it: an
   * option left out keeps its current value; an ownership option given as undefined goes back to
   * its default) and heartbeats at once.
   *
   * @throws {InvalidOptionError} for an empty or too long name, a weight outside (0, 1000], bad or too much metadata, too many groups, a `minMembers` that is not an integer >= 1, bad ownership options
   * @throws {HeartbeatTooLargeError} when our heartbeat with this group would exceed the wire size limit
   * @throws {ClusterStoppedError} after `stop()`
   * @throws {WatcherCannotJoinError} on a watcher
   */
  async joinGroup (group: string, opts: JoinOptions & OwnershipInit = {}): Promise<void> {
    this.#throwIfStopped()
    if (this.#options.watcher) throw new WatcherCannotJoinError()
    this.#checkJoin(group, opts)
    this.#ownership.configure(group, opts)
    this.#membership.joinGroup(group, opts)
    this.#ownership.get(group).minMembersChanged()
    this.#mistakes.joinedChanged()
    await this.#loop.beatNow()
  }

  /**
   * Leaves `group` and heartbeats at once, so peers re-split it without us; a group we are not in is ignored.
   *
   * @throws {ClusterStoppedError} after `stop()`
   */
  async leaveGroup (group: string): Promise<void> {
    this.#throwIfStopped()
    this.#membership.leaveGroup(group)
    this.#mistakes.joinedChanged()
    this.#ownership.forget(group)
    await this.#loop.beatNow()
  }

  /** The groups we have joined, sorted. */
  groups (): string[] {
    return this.#membership.groups()
  }

  /** Every group we keep a view of (joined, or watched and heard of with live members), sorted. @throws {ClusterStoppedError} after `stop()` */
  knownGroups (): string[] {
    this.#throwIfStopped()
    const joined = this.#membership.groups()
    return this.#membership.knownGroups().filter(group => tracksGroup(this.#options.watchGroups, joined, group))
  }

  /** `group` as we see it now: members with the digest each advertises, our digest, and whether the views agree. @throws {ClusterStoppedError} after `stop()` */
  snapshot (group: string): GroupSnapshot {
    this.#throwIfStopped()
    return snapshotGroup(this.#membership, group)
  }

  /** The ids of the watchers we hear (observers in no group), sorted. @throws {ClusterStoppedError} after `stop()` */
  watchers (): string[] {
    this.#throwIfStopped()
    return this.#watchers.list(systemClock.now())
  }

  /**
   * The live (alive and suspect) members of `group` sorted by id, self included once joined; `[]` for
   * a group we have not joined (adverts of groups we are not in are not tracked).
   *
   * @throws {ClusterStoppedError} after `stop()`, as every question about membership and ownership
   */
  members (group: string): MemberView[] {
    this.#throwIfStopped()
    return this.#membership.members(group)
  }

  /**
   * The ring of `group` we own by: our view once settled (`settleMs`), through the group's
   * partition policy (empty while a minority side owns nothing; the last ring with the quorum while
   * it keeps its last share); empty for a group we have not joined, or nobody advertises. Safe
   * handoff may still hold back a key it maps to us: ask `isMine` or `owner`.
   *
   * @throws {ClusterStoppedError} after `stop()`
   */
  ring (group: string): HashRing {
    this.#readyToAnswer()
    return this.#ownership.find(group).ring
  }

  /**
   * The member that owns `key` in `group` as far as we can vouch: its owner in the ring we own by
   * (`ring`), but never us unless we own the key now (`isMine`: a key we gain waits for its safe
   * handoff); undefined then, when the group has no member, and on a minority side that owns
   * nothing. A key is a string, or a finite number or bigint standing for its decimal text.
   *
   * @throws {InvalidKeyError} for any other key
   * @throws {ClusterStoppedError} after `stop()`
   */
  owner (group: string, key: RingKey): string | undefined {
    this.#readyToAnswer()
    return this.#ownership.find(group).ownerOf(key)
  }

  /** The first `n` distinct owners of `key` in `group` (owner first, then failovers; none when `owner` is undefined). Throws `InvalidReplicaCountError` for n < 1, `InvalidKeyError`, `ClusterStoppedError` as `owner`. */
  owners (group: string, key: RingKey, n: number): string[] {
    this.#readyToAnswer()
    return this.#ownership.find(group).ownersOf(key, n)
  }

  /** True when we are in `group` and own `key` there (after the group's partition policy and safe handoff). Throws `InvalidKeyError` and `ClusterStoppedError` as `owner`. */
  isMine (group: string, key: RingKey): boolean {
    this.#readyToAnswer()
    return this.#ownership.find(group).isMine(key) && this.#isJoined(group)
  }

  /**
   * The owner of `key` in the ring of `group` we own by, and its fencing epoch: it grows each time
   * the key's owner changes (see the README, "Fencing epochs"), so a store can refuse a stale owner.
   * Throws `InvalidKeyError` and `ClusterStoppedError` as `owner`.
   */
  ownership (group: string, key: RingKey): KeyOwnership {
    this.#readyToAnswer()
    return this.#ownership.find(group).ownership(key)
  }

  /**
   * Why `key` has its owner in `group`: view digest, members with their scores for the key, owner,
   * epoch, converged, partition mode. Throws `InvalidKeyError` and `ClusterStoppedError` as `owner`.
   */
  explainOwner (group: string, key: RingKey): OwnerExplanation {
    return explainKey(group, key, this.#ownership.find(group), this.isConverged(group))
  }

  /**
   * The items we own in `group` (tooz's `extract_my_subset`); `[]` for a group we have not joined.
   * It answers from the current view, through the group's partition policy and safe handoff. Each
   * item must be a key (a string, finite number or bigint) unless `keyOf` maps it to one (a string).
   * Every member of the group must map an item to the same key: members whose `keyOf` differ (`r =>
   * r.id` in one version, `r => r.url` in another) own the same items, and no heartbeat can tell.
   *
   * @throws {InvalidKeyError} for an item that is not a key without `keyOf`, or a `keyOf` that returns a non-string
   * @throws {ClusterStoppedError} after `stop()`
   */
  extractMySubset<T> (group: string, items: Iterable<T>, keyOf?: (item: T) => string): T[] {
    this.#readyToAnswer()
    if (!this.#isJoined(group)) return []
    const ownership = this.#ownership.find(group)
    const mine: T[] = []
    for (const item of items) {
      const key = keyOf === undefined ? item as RingKey : keyOf(item)
      if (keyOf !== undefined && typeof key !== 'string') throw new InvalidKeyError(`keyOf must return a string, got ${typeof key}`)
      if (ownership.isMine(key)) mine.push(item)
    }
    return mine
  }

  /**
   * True when we are in `group`, every live member advertises our view digest of it, at least the
   * group's `minMembers` live members are seen, and we are not alone in it within `suspectAfterMs`
   * of joining (the settle window). Alone, it turns true when the window's timer runs, never on
   * the clock alone, so `extractMySubset` already returns our keys when it does; a window that
   * ends while contact is under way (a bootstrap peer not dialled yet, a dial in flight, a
   * connected peer not heard yet) stretches (by at most `suspectAfterMs` more), so we do not claim every key
   * just before hearing that peer.
   *
   * @throws {ClusterStoppedError} after `stop()`
   */
  isConverged (group: string): boolean {
    this.#readyToAnswer()
    return this.#membership.isConverged(group)
  }

  /**
   * Resolves when `group` is converged (at once if it is already).
   *
   * @throws {GroupNotJoinedError} when we have not joined `group`
   * @throws {AbortError} when `signal` aborts
   * @throws {ClusterStoppedError} when the cluster stops first
   */
  async converged (group: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.#throwIfStopped()
    if (!this.#isJoined(group)) throw new GroupNotJoinedError(`converged(${JSON.stringify(group)}): this agent has not joined the group, so it never converges; joinGroup() first`)
    const { signal } = opts
    if (signal?.aborted === true) throw new AbortError()
    if (this.isConverged(group)) return
    await new Promise<void>((resolve, reject) => {
      const finish = (settle: () => void): void => {
        this.removeEventListener('group:converged', onConverged)
        signal?.removeEventListener('abort', onAbort)
        this.#stopped.signal.removeEventListener('abort', onStop)
        settle()
      }
      const onConverged = (evt: ClusterEvents['group:converged']): void => {
        if (evt.detail.group === group) finish(resolve)
      }
      const onAbort = (): void => { finish(() => { reject(new AbortError()) }) }
      const onStop = (): void => { finish(() => { reject(new ClusterStoppedError()) }) }
      this.addEventListener('group:converged', onConverged)
      signal?.addEventListener('abort', onAbort)
      this.#stopped.signal.addEventListener('abort', onStop)
    })
  }

  /**
   * Publishes a heartbeat now (for agents that drive heartbeats themselves, as with tooz); the
   * regular ones continue. Publish failures are logged and retried on the next beat, never thrown.
   *
   * @throws {ClusterStoppedError} after `stop()`
   */
  async heartbeat (): Promise<void> {
    this.#throwIfStopped()
    await this.#loop.beatNow()
  }

  /**
   * Says goodbye (a leaving heartbeat: peers drop us at once and re-split) unless `goodbye: false`,
   * then stops heartbeats, dialling and expiry, and stops the libp2p node if the cluster created it.
   * A member it connected to moments ago that gossipsub did not reach yet (its subscription still
   * unread) gets the goodbye once more when gossipsub reaches it, within half an interval: `stop()`
   * then returns that much later.
   * Idempotent: later calls return the first call's promise. Pending `converged()` calls reject.
   */
  async stop (opts: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#shutdown(opts.goodbye ?? true)
    return this.#stopping
  }

  async #shutdown (goodbye: boolean): Promise<void> {
    this.#loop.stop()
    this.#connectivity.stop()
    this.#abuse.stop()
    this.#streams.stop()
    if (goodbye && this.#started) {
      // gossipsub sends the goodbye only to the peers it counts as subscribed, over a stream it has
      // open: a member that connected moments ago, whose subscription our busy process has not read
      // yet, would hear it only if someone relays it. Once gossipsub reaches it (at most half an
      // interval later), we say goodbye once more; the others ignore a second one
      const { pubsub } = this.libp2p.services
      const unreached = unreachedPeers(pubsub, this.#options.topic, this.#connectedMembers())
      await this.#publish(true)
      if (unreached.length > 0) {
        const still = await untilPublishReaches(pubsub, this.#options.topic, unreached, this.#timings.current.heartbeatIntervalMs / 2)
        if (still.length < unreached.length) await this.#publish(true)
      }
    }
    this.#stopped.abort()
    this.#membership.stop()
    this.#ownership.stop()
    this.#removeValidator?.()
    this.#removeFrameWatch?.()
    this.#removeForwarding?.()
    this.#relay.stop()
    this.#addrs.stop()
    this.libp2p.services.pubsub.removeEventListener('subscription-change', this.#onSubscriptionChange)
    this.#wireVersions.stop()
    await this.#identity.stop()
    if (this.#ownsLibp2p) {
      await this.libp2p.stop()
    } else if (this.libp2p.status === 'started') {
      // the application may have stopped its node first (gossipsub then refuses to unsubscribe)
      this.libp2p.services.pubsub.unsubscribe(this.#options.topic)
    }
  }

  readonly #isJoined = (group: string): boolean => this.#membership.hasJoined(group)

  /** The members of our groups (not us) we have a connection to. */
  #connectedMembers (): string[] {
    const connected = new Set(this.libp2p.getConnections().map(connection => connection.remotePeer.toString()))
    const members = new Set<string>()
    for (const group of this.#membership.groups()) {
      for (const member of this.#membership.members(group)) {
        if (!member.self && connected.has(member.id)) members.add(member.id)
      }
    }
    return [...members]
  }

  /** The group names a name heard is compared with (see `group:lookalike`): the groups we joined, or on a watcher every group heard. */
  readonly #ourGroupNames = (): readonly string[] => this.#options.watcher ? this.#membership.knownGroups() : this.#membership.groups()

  #throwIfStopped (): void {
    if (this.#stopping !== undefined) throw new ClusterStoppedError()
  }

  /** Before answering who owns what: throws after `stop()`, and notices a silence of ours first (see `#noticeSilence`). */
  #readyToAnswer (): void {
    this.#throwIfStopped()
    this.#noticeSilence(this.#loop.sinceLastBeatMs())
  }

  /**
   * Notices that we were silent (no heartbeat of ours) for `silentMs`: beyond the member timeout
   * less one interval, the others may have dropped us and re-split our share while our process
   * was paused (SIGSTOP, a VM or laptop suspended, a long synchronous task), and our view, frozen with
   * us, still says converged with our old share. So the membership forgets the agreement it saw and
   * ownership gives up every share until we catch up again, as a newcomer does. Checked as each beat
   * starts and before each ownership question, so an application timer that runs before our
   * heartbeat timer after the pause gets the safe answer. Once per silence: the next beat ends it.
   */
  #noticeSilence (silentMs: number): void {
    const { heartbeatIntervalMs, memberTimeoutMs } = this.#timings.current
    if (silentMs <= memberTimeoutMs - heartbeatIntervalMs || this.#silenceNoticed === this.#loop.lastBeatStartMs) return
    this.#silenceNoticed = this.#loop.lastBeatStartMs
    this.#counters.silences++
    this.#log.error('no heartbeat of ours for %d ms (member timeout %d ms: was this process paused, or the machine suspended?): others may have dropped us and taken our share, so we own nothing until we catch up with the group again', Math.round(silentMs), memberTimeoutMs)
    this.#membership.forgetAgreement()
    this.#ownership.silenced()
    this.#emit('self:silenced', { silentMs: Math.round(silentMs), memberTimeoutMs })
  }

  /** Refuses a group whose advert peers would drop (bad name, weight or metadata, or too many groups). */
  #checkJoin (name: string, opts: Omit<GroupSpec, 'name'>): void {
    const groups = this.#membership.selfGroups()
    const current = groups.find(group => group.name === name)
    const advert: GroupAdvert = { name, weight: opts.weight ?? current?.weight ?? 1, metadata: opts.metadata ?? current?.metadata ?? {} }
    const others = groups.filter(group => group.name !== name)
    const problem = groupListProblem([...others, advert])
    if (problem !== undefined) throw new InvalidOptionError(`Cannot join group: ${problem}`)
    this.#checkHeartbeatFits([...others, advert])
  }

  /**
   * Throws `HeartbeatTooLargeError` when a heartbeat advertising `groups` (with a digest each, and
   * the largest ownership fields: a 2^53 epoch and an owning digest) would not fit the wire limits.
   */
  #checkHeartbeatFits (groups: GroupAdvert[]): void {
    const digests = Object.fromEntries(groups.map(group => [group.name, this.#membership.digest(group.name)]))
    const owning = Object.fromEntries(groups.map(group => [group.name, LARGEST_OWNING_ADVERT]))
    encodeHeartbeat({ ...this.#heartbeatOf(groups, false), digests, owning })
  }

  /** Dispatches an event now, or holds it while `start()` runs or one heartbeat is applied (see there). */
  #emit<K extends keyof ClusterEvents & string> (type: K, detail: ClusterEvents[K]['detail']): void {
    if (this.#held !== undefined) {
      this.#held.push(() => { this.safeDispatchEvent(type, { detail }) })
    } else {
      this.safeDispatchEvent(type, { detail })
    }
  }

  readonly #releaseHeld = (): void => {
    const held = this.#held ?? []
    this.#held = undefined
    for (const dispatch of held) dispatch()
  }

  #heartbeatOf (groups: GroupAdvert[], leaving: boolean): OutgoingHeartbeat {
    return {
      bootId: this.bootId,
      seq: this.#seq,
      sentAtMs: wallClock.now(),
      leaving,
      groups,
      digests: this.#membership.digests(),
      addrs: this.#addrs.current(),
      conflicts: this.#identity.conflicted(WIRE_LIMITS.maxConflicts),
      watcher: this.#options.watcher,
      owning: this.#ownership.adverts(groups.map(group => group.name)),
      heartbeatIntervalMs: this.#timings.current.heartbeatIntervalMs,
      ...(leaving ? {} : { relay: this.#relay.request() })
    }
  }

  /** Builds and publishes one heartbeat; logs failures (never throws), to be retried on the next beat. */
  async #publish (leaving: boolean): Promise<void> {
    try {
      this.#seq++
      const heartbeat = this.#heartbeatOf(leaving ? [] : this.#membership.selfGroups(), leaving)
      await this.libp2p.services.pubsub.publish(this.#options.topic, this.#sealer.seal(encodeHeartbeat(heartbeat)))
      this.#publishedDigests = heartbeat.digests
      this.#counters.published++
      this.#alone = false
    } catch (err) {
      if (isNoPeersError(err)) {
        this.#counters.publishNoPeers++
        if (!this.#alone) this.#log('no peer subscribed to %s is connected yet; heartbeats resume when one is', this.#options.topic)
        this.#alone = true
      } else {
        this.#counters.publishErrors++
        this.#log.error('Error sending a heartbeat (retrying next interval): %e', err)
      }
    }
  }

  /**
   * Every message gossipsub delivered: heartbeats on our topic are ingested, then forwarded only if
   * the relay policy says so; messages of other topics are forwarded as gossipsub always would.
   */
  readonly #onDelivered = (delivered: DeliveredMessage): boolean => {
    if (delivered.msg.topic !== this.#options.topic) return true
    const accepted = this.#intake.accepted(delivered.msg)
    if (accepted !== undefined) this.#onHeartbeat(accepted)
    return this.#relay.shouldForward(delivered, accepted?.heartbeat, () => accepted !== undefined && this.#intake.mayForward(accepted))
  }

  #onHeartbeat ({ heartbeat, author }: AcceptedHeartbeat): void {
    this.#ownership.noteEpochs(heartbeat)
    // the events this heartbeat causes reach the application only once ownership has heard it too:
    // the heartbeat that makes the group converge is often the handoff acknowledgement that completes
    // our share, and a `group:converged` handler must already see that share
    const holding = this.#held === undefined
    if (holding) this.#held = []
    let result: ReturnType<MembershipTable['ingest']>
    try {
      result = this.#membership.ingest(heartbeat)
      if (result === 'accepted') this.#ownership.heard(heartbeat)
      else if (result === 'skewed') this.#mistakes.skewed(heartbeat, wallClock.now())
    } finally {
      if (holding) this.#releaseHeld()
    }
    // after the ingest: a claim in it that our id is in conflict counts only from an admitted member
    this.#identity.noteHeartbeat(heartbeat)
    if (heartbeat.leaving) this.#connectivity.forget(author)
    // only admitted members (live in a group we track) are dialled: fake ids and strangers' groups cost no dials
    else if (result === 'accepted' && this.#membership.isMember(heartbeat.from)) this.#connectivity.learn(author, heartbeat.addrs)
    if (result === 'accepted') {
      this.#mistakes.accepted(heartbeat)
      this.#watchers.heard(heartbeat, systemClock.now())
      this.#relay.heard(heartbeat)
      this.#beatIfJoiningAgreement(heartbeat.digests)
    }
    if (this.#agreement !== undefined) this.#checkAgreement(this.#agreement, heartbeat.groups.map(group => group.name))
  }

  /** The fingerprint of our ownership options in `group` when we have joined it (called per heartbeat heard: no allocation). */
  readonly #ourPolicyFingerprint = (group: string): number | undefined => this.#isJoined(group) ? this.#ownership.get(group).policyFingerprint : undefined

  /** Our view digest of `group` when we have joined it (called per heartbeat heard: no allocation). */
  readonly #ourDigest = (group: string): string | undefined => this.#isJoined(group) ? this.#membership.digest(group) : undefined

  /** Someone already shares our new view of a group and the others do not know we do: tell them now (see `joinsAgreement`). */
  #beatIfJoiningAgreement (advertised: Readonly<Record<string, string>>): void {
    if (joinsAgreement(advertised, this.#ourDigest, this.#publishedDigests)) this.#loop.beatSoon(this.#timings.current.heartbeatIntervalMs * AGREEMENT_BEAT_GAP)
  }

  /** A peer that just subscribed to our topic hears from us soon, not up to one interval later. */
  readonly #onSubscriptionChange = (evt: CustomEvent<{ peerId: PeerId, subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    const { peerId, subscriptions } = evt.detail
    const otherTopics = onlyOtherHeartbeatTopics(subscriptions.filter(sub => sub.subscribe).map(sub => sub.topic), this.#options.topic)
    if (otherTopics !== undefined) this.#connectivity.onOtherTopics(peerId, otherTopics)
    if (subscriptions.some(sub => sub.subscribe && sub.topic === this.#options.topic)) {
      this.#connectivity.subscribed(peerId)
      this.#loop.beatSoon()
    }
  }

  readonly #onViewChange = (evt: MembershipEvents['view:change']): void => {
    const { group, members } = evt.detail
    const ownership = this.#ownership.get(group)
    const ring = ringOf(members)
    if (ownership.view.digest !== ring.digest) {
      // tell the others our new view now rather than up to an interval later: convergence in ~1 round trip
      if (this.#isJoined(group)) this.#loop.beatSoon()
      ownership.setView(ring)
    }
    if (this.#agreement !== undefined) this.#checkAgreement(this.#agreement, [group])
    if (this.#options.autoInterval !== undefined) this.#timings.fleetSize(this.#fleetSize())
  }

  /** The distinct agents (self included) in the groups we joined: what `'auto'` sizes the interval by. */
  #fleetSize (): number {
    const agents = new Set<string>([this.id])
    for (const group of this.#membership.groups()) {
      for (const member of this.#membership.members(group)) agents.add(member.id)
    }
    return agents.size
  }

  /**
   * `'auto'` picked another interval: we heartbeat at it from the next beat on (whose heartbeat
   * advertises it), judge others by timings scaled to it, budget signers by it, and the ownership
   * defaults that derive from the timings follow.
   */
  readonly #onTimingsChange = (timings: IntervalTimings): void => {
    this.#log('heartbeat interval now %d ms (suspect after %d ms, timeout %d ms)', timings.heartbeatIntervalMs, timings.suspectAfterMs, timings.memberTimeoutMs)
    this.#loop.setIntervalMs(timings.heartbeatIntervalMs)
    this.#membership.setTimings(timings)
    this.#floods.retune(timings.heartbeatIntervalMs)
    this.#ownership.retime(timings)
  }

  /** A watcher re-checks the agreement of the tracked ones among `groups`. */
  #checkAgreement (tracker: AgreementTracker, groups: string[]): void {
    for (const group of groups) {
      if (tracksGroup(this.#options.watchGroups, [], group)) tracker.check(group)
    }
  }

  /** Our ownership of `group` may have changed; `ring` when the ring we own by changed. */
  readonly #onOwnershipChange = (group: string, ring: HashRing | undefined): void => {
    if (ring !== undefined) this.#emit('ring:change', { group, digest: ring.digest, members: ring.members.map(member => member.id) })
    this.#emit('ownership:change', { group })
  }
}

/** The ring of a member list. */
function ringOf (members: readonly MemberView[]): HashRing {
  return createRing(members.map(member => ({ id: member.id, weight: member.weight })))
}
