import type { MembershipTable } from '@gossip-ring/membership'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { observeEveryCopy } from './gossipsub-hooks.js'
import type { DeliveredMessage, GossipSub } from './pubsub.js'
import { isFromAuthor } from './wire/envelope.js'
import { RelayPolicy } from './relay-policy.js'
import type { RelayRequest } from './relay-policy.js'
import type { RelayMode } from './options.js'
import type { DecodedHeartbeat } from './wire/codec.js'
import { WIRE_LIMITS } from './wire/limits.js'

/** What the relay reads and drives. */
export interface HeartbeatRelayComponents {
  libp2p: Libp2p
  /** The gossipsub service: every copy it receives, duplicates included, tells which authors we hear directly. */
  pubsub: GossipSub
  membership: MembershipTable
  /** Asks for an early heartbeat (a member's connection dropped: our request changes). */
  beatSoon: () => void
}

/** How the relay is tuned (from the cluster options). */
export interface HeartbeatRelayInit {
  selfId: string
  mode: RelayMode
  /** Our heartbeat topic. */
  topic: string
}

/** Counters of the forwarding decisions; they only grow. */
export interface RelayStats {
  /** Received heartbeats handed back to gossipsub to forward (mesh and IHAVE gossip). */
  forwarded: number
  /** Received heartbeats not forwarded: every member hears their author directly. */
  notForwarded: number
}

/** A member not heard straight from its author for this many of its intervals is asked for. */
const UNHEARD_AFTER_INTERVALS = 1.5

/**
 * Connects the {@link RelayPolicy} to the node: decides, for each heartbeat gossipsub delivered and
 * the cluster ingested, whether gossipsub forwards it; notes which authors arrive straight from
 * themselves and what each heartbeat asks for; builds our own request; and beats early when the
 * connection to a member drops, so the others start relaying its heartbeats to us within a round trip.
 */
export class HeartbeatRelay {
  readonly stats: RelayStats = { forwarded: 0, notForwarded: 0 }
  readonly #components: HeartbeatRelayComponents
  readonly #init: HeartbeatRelayInit
  readonly #policy: RelayPolicy
  #started = false
  #unobserve: (() => void) | undefined

  constructor (components: HeartbeatRelayComponents, init: HeartbeatRelayInit) {
    this.#components = components
    this.#init = init
    this.#policy = new RelayPolicy({
      // each member by the interval it is judged by (it advertises its own; never shorter than ours)
      unheardAfterMs: id => UNHEARD_AFTER_INTERVALS * components.membership.timingsOf(id).heartbeatIntervalMs,
      requestTtlMs: () => components.membership.timings.memberTimeoutMs,
      maxListed: WIRE_LIMITS.maxUnheard
    })
  }

  /** Starts watching for dropped member connections; idempotent. */
  start (): void {
    if (this.#started) return
    this.#started = true
    this.#components.libp2p.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#unobserve = observeEveryCopy(this.#components.pubsub, this.#onCopy)
  }

  /** Stops watching; idempotent. */
  stop (): void {
    this.#started = false
    this.#components.libp2p.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#unobserve?.()
    this.#unobserve = undefined
  }

  /** What our next heartbeat asks for: the members of our groups we do not hear directly. */
  request (): RelayRequest {
    const members = new Set<string>()
    const { membership } = this.#components
    for (const group of membership.knownGroups()) {
      for (const member of membership.members(group)) members.add(member.id)
    }
    members.delete(this.#init.selfId)
    const connected = new Set(this.#components.libp2p.getConnections().map(connection => connection.remotePeer.toString()))
    return this.#policy.ourRequest(members, id => connected.has(id), performance.now())
  }

  /**
   * An accepted heartbeat: what its sender asks for replaces what it asked before. A sender we had
   * not heard lately is new (a member of our groups or of others, a watcher): it may know the
   * others only from heartbeats relayed to it, and they may know it only from ours, so every
   * heartbeat is forwarded for one member timeout; by then they have dialled each other, and
   * whoever still misses someone asks for it.
   */
  heard (heartbeat: DecodedHeartbeat): void {
    const nowMs = performance.now()
    if (!this.#policy.recentlyHeard(heartbeat.from, nowMs)) this.#policy.relayEverythingFor(this.#components.membership.timings.memberTimeoutMs, nowMs)
    this.#policy.noteRequest(heartbeat.from, heartbeat.relay, nowMs)
  }

  /**
   * Whether gossipsub should forward `delivered`, a heartbeat the cluster has just ingested
   * (`heartbeat`, undefined if it was not decoded): when the policy wants it forwarded and
   * `mayForward` (asked only then: it may check a signature) allows it. Counted in {@link stats}.
   */
  shouldForward ({ propagationSource }: DeliveredMessage, heartbeat: DecodedHeartbeat | undefined, mayForward: () => boolean): boolean {
    if (heartbeat === undefined) return false
    const nowMs = performance.now()
    // #onCopy sees every copy, this one included, unless gossipsub's per-copy entry point could not be observed
    if (this.#unobserve === undefined && propagationSource.toString() === heartbeat.from) this.#policy.heardDirectly(heartbeat.from, nowMs)
    const forward = (this.#init.mode === 'always' || this.#policy.shouldRelay(heartbeat.from, this.#settled(), nowMs)) && mayForward()
    if (forward) this.stats.forwarded++
    else this.stats.notForwarded++
    return forward
  }

  /** Our view of every joined group is converged (nobody is joining or leaving). */
  #settled (): boolean {
    const { membership } = this.#components
    return membership.groups().every(group => membership.isConverged(group))
  }

  /**
   * Every copy gossipsub receives on our topic, before its duplicate check: one its author sent us
   * itself means the link to that author delivers. A copy relayed by another member often arrives
   * first; counting only the first copy, as the delivered message, made such authors look unheard,
   * so the others relayed them, so relayed copies kept arriving first (at N = 100 that kept a fully
   * connected fleet at 2.3 copies per heartbeat).
   */
  readonly #onCopy = (from: PeerId, topic: string, data: Uint8Array | undefined): void => {
    if (topic === this.#init.topic && data !== undefined && isFromAuthor(data, from.toMultihash().bytes)) this.#policy.heardDirectly(from.toString(), performance.now())
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.#components.membership.isMember(evt.detail.toString())) this.#components.beatSoon()
  }
}
