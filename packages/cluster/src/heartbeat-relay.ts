import type { MembershipTable } from '@gossip-ring/membership'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { forwardWhen } from './pubsub.js'
import type { DeliveredMessage, GossipSub, Message } from './pubsub.js'
import { RelayPolicy } from './relay-policy.js'
import type { RelayRequest } from './relay-policy.js'
import type { RelayMode } from './options.js'
import type { DecodedHeartbeat } from './wire/codec.js'
import { WIRE_LIMITS } from './wire/limits.js'

/** What the relay reads and drives. */
export interface HeartbeatRelayComponents {
  libp2p: Libp2p<{ pubsub: GossipSub }>
  membership: MembershipTable
  /** The heartbeat our topic validator decoded from a delivered message; undefined for anything else. */
  heartbeatOf: (message: Message) => DecodedHeartbeat | undefined
  /** Asks for an early heartbeat (a member's connection dropped: our request changes). */
  beatSoon: () => void
}

/** How the relay is tuned (from the cluster options). */
export interface HeartbeatRelayInit {
  selfId: string
  topic: string
  mode: RelayMode
  heartbeatIntervalMs: number
  memberTimeoutMs: number
}

/** Counters of the forwarding decisions; they only grow. */
export interface RelayStats {
  /** Received heartbeats handed back to gossipsub to forward (mesh and IHAVE gossip). */
  forwarded: number
  /** Received heartbeats not forwarded: every member hears their author directly. */
  notForwarded: number
}

/** A member not heard straight from its author for this many intervals is asked for. */
const UNHEARD_AFTER_INTERVALS = 1.5

/**
 * Connects the {@link RelayPolicy} to the node: tells gossipsub, for each heartbeat it delivered,
 * whether to forward it; notes which authors arrive straight from themselves and what each
 * member's heartbeat asks for; builds our own request; and beats early when the connection to a
 * member drops, so the others start relaying its heartbeats to us within a round trip.
 */
export class HeartbeatRelay {
  readonly stats: RelayStats = { forwarded: 0, notForwarded: 0 }
  readonly #components: HeartbeatRelayComponents
  readonly #init: HeartbeatRelayInit
  readonly #policy: RelayPolicy
  #removeHook: (() => void) | undefined

  constructor (components: HeartbeatRelayComponents, init: HeartbeatRelayInit) {
    this.#components = components
    this.#init = init
    this.#policy = new RelayPolicy({
      unheardAfterMs: UNHEARD_AFTER_INTERVALS * init.heartbeatIntervalMs,
      requestTtlMs: init.memberTimeoutMs,
      maxListed: WIRE_LIMITS.maxUnheard
    })
  }

  /** Starts deciding; idempotent. */
  start (): void {
    if (this.#removeHook !== undefined) return
    this.#removeHook = forwardWhen(this.#components.libp2p.services.pubsub, this.#decide)
    this.#components.libp2p.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  /** Stops deciding; idempotent. */
  stop (): void {
    this.#removeHook?.()
    this.#removeHook = undefined
    this.#components.libp2p.removeEventListener('peer:disconnect', this.#onDisconnect)
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

  /** An accepted heartbeat: what its sender asks for replaces what it asked before. */
  heard (heartbeat: DecodedHeartbeat): void {
    this.#policy.noteRequest(heartbeat.from, heartbeat.relay, performance.now())
  }

  readonly #decide = ({ msg, propagationSource }: DeliveredMessage): boolean => {
    // other topics on the node are forwarded as gossipsub would without asyncValidation
    if (msg.topic !== this.#init.topic) return true
    const heartbeat = this.#components.heartbeatOf(msg)
    if (heartbeat === undefined) return false
    const nowMs = performance.now()
    if (propagationSource.toString() === heartbeat.from) this.#policy.heardDirectly(heartbeat.from, nowMs)
    const forward = this.#init.mode === 'always' || this.#policy.shouldRelay(heartbeat.from, this.#settled(), nowMs)
    if (forward) this.stats.forwarded++
    else this.stats.notForwarded++
    return forward
  }

  /** Our view of every joined group is converged (nobody is joining or leaving). */
  #settled (): boolean {
    const { membership } = this.#components
    return membership.groups().every(group => membership.isConverged(group))
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.#components.membership.isMember(evt.detail.toString())) this.#components.beatSoon()
  }
}
