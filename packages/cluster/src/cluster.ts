import { MembershipTable } from '@gossip-ring/membership'
import { createRing } from '@gossip-ring/ring'
import { TypedEventEmitter } from 'main-event'
import type { GroupAdvert, LeaveReason, MembershipEvents, MemberView } from '@gossip-ring/membership'
import type { HashRing } from '@gossip-ring/ring'
import type { ComponentLogger, Libp2p, Logger } from '@libp2p/interface'
import { systemClock } from './clock.js'
import { Connectivity } from './connectivity.js'
import { AbortError, ClusterStoppedError, HeartbeatDecodeError, InvalidOptionError } from './errors.js'
import { HeartbeatLoop } from './heartbeat-loop.js'
import { isNoPeersError, signerOf, validateTopic } from './pubsub.js'
import { explainKey } from './ownership/explain.js'
import { Ownerships } from './ownership/ownerships.js'
import { decodeHeartbeat, encodeHeartbeat } from './wire/codec.js'
import { groupListProblem } from './wire/limits.js'
import type { DropReason } from './errors.js'
import type { DecodedHeartbeat, OutgoingHeartbeat } from './wire/codec.js'
import type { ClusterOptions, GroupSpec } from './options.js'
import type { KeyOwnership } from './ownership/group-ownership.js'
import type { OwnerExplanation } from './ownership/explain.js'
import type { OwnershipInit } from './ownership/policy.js'
import type { GossipSub, Message } from './pubsub.js'

/**
 * The events of a cluster. They are dispatched synchronously from the network and timer callbacks,
 * so handlers must not block (start async work and return) and must not throw. Per received
 * heartbeat or expiry pass the order is: `member:*` events as the changes were applied, then
 * `ring:change` and `ownership:change` per group whose ring changed, then `group:converged`.
 * `ownership:change` also fires alone when safe handoff, the partition policy or settling changed
 * what we own.
 */
export interface ClusterEvents {
  /** A member entered a group (self too, when it joins). */
  'member:join': CustomEvent<{ group: string, id: string }>
  /** A member left a group: `left` (said so, or goodbye), `timeout` (silent for memberTimeoutMs), `replaced` (restarted without the group). */
  'member:leave': CustomEvent<{ group: string, id: string, reason: LeaveReason }>
  /** A member has been silent for suspectAfterMs; it keeps its share until it times out. */
  'member:suspect': CustomEvent<{ group: string, id: string }>
  /** A suspect was heard from again. */
  'member:alive': CustomEvent<{ group: string, id: string }>
  /** The ring we own by changed (members or weights; after `settleMs`). `members` are ids sorted. */
  'ring:change': CustomEvent<{ group: string, digest: string, members: string[] }>
  /** What `extractMySubset`/`isMine` return for the group may have changed (ring, safe handoff, partition policy): re-split now. */
  'ownership:change': CustomEvent<{ group: string }>
  /** Every live member of the group now advertises our view digest of it. */
  'group:converged': CustomEvent<{ group: string, digest: string }>
}

/** Counters of what the cluster has done; they only grow. */
export interface ClusterStats {
  /** Messages received on our heartbeat topic. */
  received: number
  /** Received messages dropped, by reason; each drop is logged at debug. */
  dropped: Record<DropReason, number>
  /** Heartbeats published. */
  published: number
  /** Heartbeats that failed to publish for another reason than having no peer yet (logged as errors). */
  publishErrors: number
  /** Heartbeats not sent because no peer subscribed to the topic is connected yet (normal while alone). */
  publishNoPeers: number
  /** First dials of discovered or learned peers. */
  dials: number
  /** Redials of peers we had been connected to (the reconnect loop healing a cut). */
  redials: number
  /** Failed dials, each retried with backoff. */
  dialFailures: number
}

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
  libp2p: Libp2p<{ pubsub: GossipSub }>
  logger: ComponentLogger
  /** Stop the libp2p node in `stop()`: true when the cluster created it. */
  ownsLibp2p: boolean
}

type MembershipEventName = keyof MembershipEvents

/** Membership events re-dispatched as they are. */
const FORWARDED_EVENTS = ['member:join', 'member:leave', 'member:suspect', 'member:alive', 'group:converged'] as const satisfies readonly MembershipEventName[]

/**
 * One agent of a gossip cluster: the partition coordinator. Create it with `createCluster()`; see
 * the package README for the full story. Answers (`members`, `owner`, `extractMySubset`, ...) come
 * from the local view, which heartbeats keep fresh; they never wait for the network.
 */
export class Cluster extends TypedEventEmitter<ClusterEvents> {
  /** Our member id: the libp2p peer id (the key that signs our heartbeats). */
  readonly id: string
  /** The libp2p node the cluster runs on. */
  readonly libp2p: Libp2p<{ pubsub: GossipSub }>
  readonly #options: ClusterOptions
  readonly #ownsLibp2p: boolean
  readonly #log: Logger
  readonly #membership: MembershipTable
  readonly #connectivity: Connectivity
  readonly #loop: HeartbeatLoop
  readonly #ownership: Ownerships
  /** This incarnation: a random id per process start, sent in every heartbeat; a new one tells peers we restarted. */
  readonly bootId = crypto.randomUUID()
  readonly #stopped = new AbortController()
  /** Heartbeats decoded by the topic validator, picked up by the message handler. */
  readonly #decoded = new WeakMap<Message, DecodedHeartbeat>()
  #removeValidator: (() => void) | undefined
  readonly #counters = {
    received: 0,
    dropped: { oversized: 0, malformed: 0, 'unknown-version': 0, 'invalid-field': 0, unsigned: 0 } satisfies Record<DropReason, number>,
    published: 0,
    publishErrors: 0,
    publishNoPeers: 0
  }

  #seq = 0
  #alone = false
  #started = false
  #stopping: Promise<void> | undefined

  /** Prefer `createCluster()`, which builds the node and starts the cluster. */
  constructor (components: ClusterComponents, options: ClusterOptions) {
    super()
    this.libp2p = components.libp2p
    this.id = this.libp2p.peerId.toString()
    this.#options = options
    this.#ownsLibp2p = components.ownsLibp2p
    this.#log = components.logger.forComponent('gossip-ring:cluster')
    this.#membership = new MembershipTable({ clock: systemClock }, {
      selfId: this.id,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      suspectAfterMs: options.suspectAfterMs,
      memberTimeoutMs: options.memberTimeoutMs,
      flapDampingMs: options.flapDampingMs,
      awareness: options.awareness
    })
    this.#connectivity = new Connectivity({ libp2p: this.libp2p, log: this.#log.newScope('connectivity') }, {
      selfId: this.id,
      reconnectIntervalMs: options.reconnectIntervalMs,
      dialGraceMs: options.dialGraceMs,
      maxBackoffMs: options.reconnectMaxBackoffMs,
      bootstrap: options.bootstrap
    })
    this.#ownership = new Ownerships({ clock: systemClock, selfId: this.id, changed: this.#onOwnershipChange }, options, options.groups.map(group => [group.name, group]))
    this.#loop = new HeartbeatLoop(async () => this.#publish(false), {
      intervalMs: options.heartbeatIntervalMs,
      jitter: options.heartbeatJitter
    })
  }

  /** The addresses others can dial (each with `/p2p/<id>`), e.g. for their `bootstrap` list. */
  get multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(String)
  }

  /** A snapshot of the counters. */
  get stats (): ClusterStats {
    const { dials, redials, dialFailures } = this.#connectivity.stats
    return { ...this.#counters, dropped: { ...this.#counters.dropped }, dials, redials, dialFailures }
  }

  /**
   * Subscribes to the heartbeat topic, joins the initial groups and starts heartbeating, dialling
   * and expiring; idempotent. `createCluster()` calls it.
   */
  start (): void {
    if (this.#started) return
    this.#started = true
    for (const type of FORWARDED_EVENTS) {
      this.#membership.addEventListener(type, (evt: CustomEvent) => { this.safeDispatchEvent(type, { detail: evt.detail }) })
    }
    this.#membership.addEventListener('view:change', this.#onViewChange)
    this.#ownership.follow(this.#membership)
    this.#removeValidator = validateTopic(this.libp2p.services.pubsub, this.#options.topic, this.#validate)
    this.libp2p.services.pubsub.addEventListener('message', this.#onMessage)
    this.libp2p.services.pubsub.addEventListener('subscription-change', this.#onSubscriptionChange)
    this.libp2p.services.pubsub.subscribe(this.#options.topic)
    this.#membership.start()
    this.#connectivity.start()
    for (const group of this.#options.groups) this.#membership.joinGroup(group.name, group)
    this.#loop.start()
  }

  /**
   * Joins `group` (or updates our weight and metadata in it) and heartbeats at once.
   *
   * @throws {InvalidOptionError} for an empty or too long name, a weight that is not finite and > 0, bad or too much metadata, too many groups, bad ownership options
   * @throws {HeartbeatTooLargeError} when our heartbeat with this group would exceed the wire size limit
   * @throws {ClusterStoppedError} after `stop()`
   */
  async joinGroup (group: string, opts: { weight?: number, metadata?: Record<string, string> } & OwnershipInit = {}): Promise<void> {
    this.#throwIfStopped()
    this.#checkJoin(group, opts)
    this.#ownership.configure(group, opts)
    this.#membership.joinGroup(group, opts)
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
    await this.#loop.beatNow()
  }

  /** The groups we have joined, sorted. */
  groups (): string[] {
    return this.#membership.groups()
  }

  /** The live (alive and suspect) members of `group` sorted by id, self included once joined. */
  members (group: string): MemberView[] {
    return this.#membership.members(group)
  }

  /** The ring of `group` we own by: our view once settled (`settleMs`); empty for a group nobody advertises. */
  ring (group: string): HashRing {
    return this.#ownership.find(group).ring
  }

  /** The member that owns `key` in the ring of `group`, or undefined when the group has no member. */
  owner (group: string, key: string): string | undefined {
    return this.ring(group).owner(key)
  }

  /** The first `n` distinct owners of `key` in `group` (owner first, then failovers). Throws `InvalidReplicaCountError` for n < 1. */
  owners (group: string, key: string, n: number): string[] {
    return this.ring(group).owners(key, n)
  }

  /** True when we are in `group` and own `key` there (after the group's partition policy and safe handoff). */
  isMine (group: string, key: string): boolean {
    return this.#isJoined(group) && this.#ownership.find(group).isMine(key)
  }

  /**
   * The owner of `key` in the ring of `group` we own by, and its fencing epoch: it grows each time
   * the key's owner changes (see the README, "Fencing epochs"), so a store can refuse a stale owner.
   */
  ownership (group: string, key: string): KeyOwnership {
    return this.#ownership.find(group).ownership(key)
  }

  /** Why `key` has its owner in `group`: view digest, members with their scores for the key, owner, epoch, converged, partition mode. */
  explainOwner (group: string, key: string): OwnerExplanation {
    return explainKey(group, key, this.#ownership.find(group), this.isConverged(group))
  }

  /**
   * The items we own in `group` (tooz's `extract_my_subset`); `[]` for a group we have not joined.
   * It answers from the current view, through the group's partition policy and safe handoff.
   * `keyOf` maps an item to its key (default `String(item)`).
   */
  extractMySubset<T> (group: string, items: Iterable<T>, keyOf?: (item: T) => string): T[] {
    if (!this.#isJoined(group)) return []
    const ownership = this.#ownership.find(group)
    const mine: T[] = []
    for (const item of items) if (ownership.isMine(keyOf === undefined ? String(item) : keyOf(item))) mine.push(item)
    return mine
  }

  /** True when we are in `group` and every live member advertises our view digest of it. */
  isConverged (group: string): boolean {
    return this.#membership.isConverged(group)
  }

  /**
   * Resolves when `group` is converged (at once if it is already).
   *
   * @throws {AbortError} when `signal` aborts
   * @throws {ClusterStoppedError} when the cluster stops first
   */
  async converged (group: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.#throwIfStopped()
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
   * Idempotent: later calls return the first call's promise. Pending `converged()` calls reject.
   */
  async stop (opts: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#shutdown(opts.goodbye ?? true)
    return this.#stopping
  }

  async #shutdown (goodbye: boolean): Promise<void> {
    this.#loop.stop()
    this.#connectivity.stop()
    if (goodbye && this.#started) await this.#publish(true)
    this.#stopped.abort()
    this.#membership.stop()
    this.#ownership.stop()
    this.#removeValidator?.()
    this.libp2p.services.pubsub.removeEventListener('message', this.#onMessage)
    this.libp2p.services.pubsub.removeEventListener('subscription-change', this.#onSubscriptionChange)
    if (this.#ownsLibp2p) {
      await this.libp2p.stop()
    } else {
      this.libp2p.services.pubsub.unsubscribe(this.#options.topic)
    }
  }

  #isJoined (group: string): boolean {
    return this.#membership.groups().includes(group)
  }

  #throwIfStopped (): void {
    if (this.#stopping !== undefined) throw new ClusterStoppedError()
  }

  /** Refuses a group whose advert peers would drop (bad name, weight or metadata, or too many groups). */
  #checkJoin (name: string, opts: Omit<GroupSpec, 'name'>): void {
    const advert: GroupAdvert = { name, weight: opts.weight ?? 1, metadata: opts.metadata ?? {} }
    const others = this.#membership.selfGroups().filter(group => group.name !== name)
    const problem = groupListProblem([...others, advert])
    if (problem !== undefined) throw new InvalidOptionError(`Cannot join group: ${problem}`)
    // the whole heartbeat must still fit, even when every group advertises its largest ownership fields: throws HeartbeatTooLargeError
    const groups = [...others, advert]
    encodeHeartbeat({ ...this.#heartbeatOf(groups, false), owning: Object.fromEntries(groups.map(group => [group.name, LARGEST_OWNING_ADVERT])) })
  }

  #heartbeatOf (groups: GroupAdvert[], leaving: boolean): OutgoingHeartbeat {
    const owning = this.#ownership.adverts(groups.map(group => group.name))
    return { bootId: this.bootId, seq: this.#seq, leaving, groups, digests: this.#membership.digests(), addrs: this.libp2p.getMultiaddrs(), owning }
  }

  /** Builds and publishes one heartbeat; logs failures (never throws), to be retried on the next beat. */
  async #publish (leaving: boolean): Promise<void> {
    try {
      this.#seq++
      const bytes = encodeHeartbeat(this.#heartbeatOf(leaving ? [] : this.#membership.selfGroups(), leaving))
      await this.libp2p.services.pubsub.publish(this.#options.topic, bytes)
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
   * Gossipsub's validator for our topic: decodes and checks every inbound heartbeat, so invalid ones
   * are counted, logged and neither delivered nor forwarded. The id is the verified signer.
   */
  readonly #validate = (message: Message): boolean => {
    this.#counters.received++
    const from = signerOf(message)
    if (from === undefined) {
      this.#drop('unsigned', 'unsigned message')
      return false
    }
    try {
      this.#decoded.set(message, decodeHeartbeat(message.data, from))
      return true
    } catch (err) {
      this.#drop(err instanceof HeartbeatDecodeError ? err.reason : 'malformed', `from ${from}: ${(err as Error).message}`)
      return false
    }
  }

  readonly #onMessage = (evt: CustomEvent<Message>): void => {
    const message = evt.detail
    const heartbeat = this.#decoded.get(message)
    if (message.topic !== this.#options.topic || heartbeat === undefined || message.type !== 'signed') return
    this.#ownership.heard(heartbeat)
    this.#membership.ingest(heartbeat)
    this.#connectivity.learn(message.from, heartbeat.addrs)
  }

  /** A peer that just subscribed to our topic hears from us soon, not up to one interval later. */
  readonly #onSubscriptionChange = (evt: CustomEvent<{ subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    if (evt.detail.subscriptions.some(sub => sub.subscribe && sub.topic === this.#options.topic)) {
      this.#loop.beatSoon()
    }
  }

  readonly #onViewChange = (evt: MembershipEvents['view:change']): void => {
    const { group, members } = evt.detail
    const ownership = this.#ownership.get(group)
    const ring = ringOf(members)
    if (ownership.view.digest === ring.digest) return
    // tell the others our new view now rather than up to an interval later: convergence in ~1 round trip
    if (this.#isJoined(group)) this.#loop.beatSoon()
    ownership.setView(ring)
  }

  /** Our ownership of `group` may have changed; `ring` when the ring we own by changed. */
  readonly #onOwnershipChange = (group: string, ring: HashRing | undefined): void => {
    if (ring !== undefined) this.safeDispatchEvent('ring:change', { detail: { group, digest: ring.digest, members: ring.members.map(member => member.id) } })
    this.safeDispatchEvent('ownership:change', { detail: { group } })
  }

  #drop (reason: DropReason, detail: string): void {
    this.#counters.dropped[reason]++
    this.#log('dropped a heartbeat (%s) %s', reason, detail)
  }
}

/** The largest ownership fields a group can advertise (a 2^53 epoch, a full digest while settling): joinGroup checks the heartbeat fits with them. */
const LARGEST_OWNING_ADVERT = Object.freeze({ epoch: Number.MAX_SAFE_INTEGER, digest: 'f'.repeat(16) })

/** The ring of a member list. */
function ringOf (members: readonly MemberView[]): HashRing {
  return createRing(members.map(member => ({ id: member.id, weight: member.weight })))
}
