import { peerIdFromString } from '@libp2p/peer-id'
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import type { Connection, Libp2p, Logger, PeerId, PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { UnreachableCause, UnreachableVia } from './peer-unreachable.js'
import { PeerSet } from './peer-set.js'

/** How the dialer and reconnect loop behave. */
export interface ConnectivityInit {
  /** Our peer id, for the tie-break (the smaller id dials first). */
  selfId: string
  /** How often the reconnect loop runs. */
  reconnectIntervalMs: number
  /** How long the larger id waits before dialling a discovered or lost peer itself. */
  dialGraceMs: number
  /** Longest wait between redials of one unreachable peer. */
  maxBackoffMs: number
  /** Dials in flight at most. @default 4 */
  maxParallelDials?: number
  /** Give up on a peer unreachable (or never reached) for this long: stop redialling it and drop it from the peer store (bootstrap peers are never dropped). @default 120_000 */
  forgetAfterMs?: number
  /**
   * The peers (ids) gossipsub counts as subscribed to our topic, asked once per reconnect round.
   * A connected peer we have heard heartbeats from that gossipsub counted and then lost for longer
   * than `dialGraceMs` (it dropped it, e.g. after a bad frame, while the connection stayed up) is
   * hung up and redialled, which repairs it. One that gossipsub has not counted yet on this
   * connection gets `stalledAfterMs`: under load, identify and gossipsub's stream set-up take
   * seconds, and hanging up a slow connection throws that work away (50 agents on 2 cores: a
   * median of 10 hang-ups per agent in its first 20 s when both waits were `dialGraceMs`).
   * @default none: no repair
   */
  subscribedPeers?: () => ReadonlySet<string>
  /** How long a connected member may stay unknown to gossipsub (never subscribed on this connection) before it is hung up and redialled. @default 5 x dialGraceMs */
  stalledAfterMs?: number
  /** Multiaddrs with `/p2p/<id>` to dial at start and never forget (any transport; our own id is skipped). @default [] */
  bootstrap?: string[]
  /**
   * Dial only this many of the known peers (see {@link preferredPeers}), plus the bootstrap peers,
   * instead of all of them; connections others open to us are kept. A picked peer that does not
   * answer is still redialled, with backoff, and the next-ranked reachable one is dialled meanwhile.
   * @default undefined: every known peer
   */
  peerSetSize?: number
  /**
   * Called with each connection a dial of ours opened: the peer is a gossip-ring agent (we learnt it
   * from its heartbeats, mDNS or the bootstrap list), so the cluster starts gossipsub on it at once
   * instead of after identify. @default none
   */
  onDialled?: (peerId: PeerId, connection: Connection) => void
  /**
   * Called for each attempt that did not reach (connect, and see subscribed to our topic) a bootstrap
   * peer not reached since we started, or, while we have reached no peer at all, a peer found by
   * discovery (mDNS): how we learnt of it, the attempts so far and what this one ran into (the peer
   * is still redialled). Returns true when it has reported the peer: no more calls for it.
   * @default none
   */
  onNotReached?: (peerId: PeerId, via: UnreachableVia, attempts: number, cause: UnreachableCause) => boolean
}

/** What the dialer has done; counters only grow. */
export interface ConnectivityStats {
  /** Successful first dials of discovered or learned peers. */
  dials: number
  /** Successful redials of known peers that had been connected before (what heals a partition). */
  redials: number
  /** Failed dials (each one is retried with backoff). */
  dialFailures: number
  /** Peers given up on: unreachable for `forgetAfterMs`, or said goodbye (each also dropped from the peer store). */
  forgotten: number
  /** Connections hung up because gossipsub had dropped a peer that stayed connected (then redialled). */
  repairs: number
  /** Connections we had dialled hung up because, with a bounded peer set, neither side picks the other any more (a pick made when we knew fewer peers). */
  pruned: number
}

interface KnownPeer {
  peerId: PeerId
  /** We have been connected to it at least once. */
  wasConnected: boolean
  /** Consecutive failed dials. */
  failures: number
  /** Do not dial before this time (performance.now()): the backoff after failed dials. */
  dueAtMs: number
  /** Since when the tie-break wait (see `graceFor`) runs (performance.now()): found, or disconnected; -Infinity for a bootstrap peer. */
  graceFromMs: number
  /** Since when it has been disconnected (performance.now()), for forgetting. */
  disconnectedSinceMs: number
  /** The addresses its last heartbeats advertised, sorted and joined: what `addrs` holds, by value. */
  addrsKey: string
  /** The `addrsKey` last merged into the peer store (at a dial of ours). */
  storedAddrsKey: string
  /** The advertised addresses of its last heartbeat, as decoded. */
  addrs: readonly Multiaddr[]
  dialing: boolean
  /** We heard heartbeats from it: it should be a gossipsub peer on our topic. */
  onTopic: boolean
  /** Since when it has been connected but not subscribed to our topic (performance.now()), if so. */
  unsubscribedSinceMs: number | undefined
  /** Gossipsub counted it as subscribed on the current connection (reset when disconnected). */
  subscribedOnce: boolean
  /** When a heartbeat of it last arrived, relayed or not (performance.now()): a peer we do not dial is forgotten only once it goes silent. */
  heardAtMs: number
  /** Found by a discovery service (mDNS), not only learnt from heartbeats or the bootstrap list. */
  discovered: boolean
  /** Subscribed to our topic at least once since we started (what reaching a peer means). */
  reachedOnce: boolean
  /** Attempts that did not reach it (failed dials, connections closed or stalled before it subscribed); counted until it is reached. */
  unreachedAttempts: number
  /** Reported by `onNotReached` (a peer not reached). */
  reportedUnreachable: boolean
  /** We hung up a connection of ours to it as not picked, and have not dialled it since: a connection it opens to us now stays, so two differing views cannot make a loop of dials and hang-ups. */
  pruned: boolean
}

/** Options of {@link ConnectivityInit} without a default. */
type OptionalHook = 'subscribedPeers' | 'peerSetSize' | 'onDialled' | 'onNotReached'

/** Failed dials in a row after which a picked peer no longer counts toward the peer set (it is still redialled). */
const FAILING_AFTER = 2

/** With a bounded peer set, how long after a peer is found the dialer decides whom to dial (ms). */
const DECIDE_AFTER_MS = 100

/** Wait after `failures` consecutive failed dials: `baseMs` doubled per failure, at most `maxMs`; 0 before any failure. Pure. */
export function backoffMs (failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30))
}

/**
 * Keeps this node connected to the other agents. It dials the bootstrap list, peers found by mDNS,
 * or learned from heartbeats (members that know each other only through a third node), with a
 * tie-break so only one side dials: the smaller peer id at once, the larger only if still not
 * connected after `dialGraceMs` (so one-sided discovery still connects). Its reconnect loop redials
 * known peers that got disconnected, with exponential backoff per peer and bounded concurrency:
 * mDNS never re-announces a peer it has seen, so this loop is what heals a partition.
 */
export class Connectivity {
  /** What the dialer has done. */
  readonly stats: ConnectivityStats = { dials: 0, redials: 0, dialFailures: 0, forgotten: 0, repairs: 0, pruned: 0 }
  private readonly libp2p: Libp2p
  private readonly log: Logger
  private readonly init: Required<Omit<ConnectivityInit, OptionalHook>> & Pick<ConnectivityInit, OptionalHook>
  private readonly pinned = new Set<string>()
  private readonly known = new Map<string, KnownPeer>()
  private inFlight = 0
  /** Bootstrap peers whose first dial has not started yet (their address is being stored). */
  private bootstrapsToDial = 0
  /** Some peer subscribed to our topic since we started. */
  private reachedAny = false
  /** Whom we connect to, when the peer set is bounded. */
  private readonly peerSet: PeerSet | undefined
  /** The known peers or their reachability changed since the peer set last learnt them. */
  private peerSetStale = true
  /** A run of the reconnect loop is scheduled soon (discoveries come in bursts: decide once). */
  private soonTimer: ReturnType<typeof setTimeout> | undefined
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (components: { libp2p: Libp2p, log: Logger }, init: ConnectivityInit) {
    this.libp2p = components.libp2p
    this.log = components.log
    this.init = { maxParallelDials: 4, forgetAfterMs: 120_000, bootstrap: [], stalledAfterMs: 5 * init.dialGraceMs, ...init }
    this.peerSet = init.peerSetSize === undefined ? undefined : new PeerSet(init.selfId, init.peerSetSize)
  }

  /** Listens for discovery and connection events and starts the reconnect loop; idempotent. */
  start (): void {
    if (this.timer !== undefined) return
    this.libp2p.addEventListener('peer:discovery', this.onDiscovery)
    this.libp2p.addEventListener('peer:connect', this.onConnect)
    this.libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    this.timer = setInterval(this.tick, this.init.reconnectIntervalMs)
    this.timer.unref()
    for (const addr of this.init.bootstrap) this.addBootstrap(multiaddr(addr))
  }

  /** Stops listening and the loop; dials in flight complete. Idempotent. */
  stop (): void {
    if (this.timer === undefined) return
    clearInterval(this.timer)
    this.timer = undefined
    clearTimeout(this.soonTimer)
    this.soonTimer = undefined
    this.libp2p.removeEventListener('peer:discovery', this.onDiscovery)
    this.libp2p.removeEventListener('peer:connect', this.onConnect)
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  /**
   * Records the addresses a heartbeat's signer advertised, and the peer becomes known, so we connect
   * to it and redial it after a cut. They go into the peer store only when we dial it (see
   * `storeAdvertised`): a peer store write costs about what a relayed heartbeat does, and with a
   * bounded peer set most members are never dialled.
   */
  learn (peerId: PeerId, addrs: Multiaddr[]): void {
    const peer = this.remember(peerId)
    peer.onTopic = true
    peer.heardAtMs = performance.now()
    // the heartbeat decoder hands out the same Multiaddr objects for the same addresses: compare those first
    if (addrs.length === 0 || sameItems(addrs, peer.addrs)) return
    peer.addrs = addrs
    const addrsKey = addrs.map(String).sort().join(' ')
    if (addrsKey !== peer.addrsKey) {
      peer.addrsKey = addrsKey
      this.consider(peer)
    }
  }

  /**
   * A peer said goodbye: stop redialling it and drop it from the peer store (a bootstrap peer stays:
   * it is how we join). A heartbeat of its next start makes it known again.
   */
  forget (peerId: PeerId): void {
    const id = peerId.toString()
    if (this.pinned.has(id) || !this.known.has(id)) return
    this.drop(id, peerId)
  }

  /** `peerId` subscribed to our topic: it counts as reached from now on, and so do we (a peer mDNS found is reported only while we reached no one). */
  subscribed (peerId: PeerId): void {
    this.reachedAny = true
    const peer = this.known.get(peerId.toString())
    if (peer !== undefined) peer.reachedOnce = true
  }

  /** `peerId` subscribed to these gossip-ring topics of other namespaces, not to ours: told for a peer not reached. */
  onOtherTopics (peerId: PeerId, topics: string[]): void {
    const peer = this.known.get(peerId.toString())
    if (peer !== undefined) this.notReached(peer, { otherTopics: topics })
  }

  /**
   * Whether contact with another agent is under way: a bootstrap peer not dialled yet, a dial of
   * ours in flight or about to be decided (peers just found), or a connected peer whose heartbeat
   * we have not heard (`isHeard(id)` false: it may be on its way, however long our event loop was
   * blocked). Holds a lone agent's settle window open, for a bounded time (see
   * `MembershipComponents.contactPending`).
   */
  contactPending (isHeard: (id: string) => boolean): boolean {
    if (this.inFlight > 0 || this.bootstrapsToDial > 0 || this.soonTimer !== undefined) return true
    return this.libp2p.getConnections().some(connection => !isHeard(connection.remotePeer.toString()))
  }

  /** Peers the dialer keeps connected or redials. */
  get knownPeers (): number {
    return this.known.size
  }

  private drop (id: string, peerId: PeerId): void {
    this.known.delete(id)
    this.peerSetStale = true
    this.stats.forgotten++
    this.libp2p.peerStore.delete(peerId)
      .catch(err => { this.log('cannot drop %p from the peer store - %e', peerId, err) })
  }

  /** A bootstrap peer: pinned, and dialled at once whatever the ids (it cannot know about us). */
  private addBootstrap (addr: Multiaddr): void {
    const id = addr.getComponents().filter(component => component.code === CODE_P2P).pop()?.value
    if (id === undefined || id === this.init.selfId) return
    const peer = this.remember(peerIdFromString(id))
    this.pinned.add(id)
    peer.dueAtMs = 0
    peer.graceFromMs = Number.NEGATIVE_INFINITY
    this.bootstrapsToDial++
    this.libp2p.peerStore.merge(peer.peerId, { multiaddrs: [addr.decapsulateCode(CODE_P2P)] })
      .then(() => { this.dialIfDue(peer) })
      .catch(err => { this.log.error('cannot store bootstrap address %a - %e', addr, err) })
      .finally(() => { this.bootstrapsToDial-- })
  }

  private readonly onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    const peer = this.remember(evt.detail.id)
    peer.discovered = true
    // found again (it answers on the network now): no need to wait out the backoff of old failures
    const now = performance.now()
    if (peer.dueAtMs > now) {
      peer.dueAtMs = now
      peer.graceFromMs = now
    }
    this.consider(peer)
  }

  /**
   * Dials `peer` if due; with a bounded peer set, runs the reconnect loop shortly instead: peers are
   * found in bursts (mDNS answers, relayed heartbeats), and picks made from the first few would all
   * go to the peers found first.
   */
  private consider (peer: KnownPeer): void {
    if (this.peerSet === undefined) {
      this.dialIfDue(peer)
      return
    }
    this.soonTimer ??= setTimeout(() => {
      this.soonTimer = undefined
      if (this.timer !== undefined) this.tick()
    }, DECIDE_AFTER_MS)
  }

  private readonly onConnect = (evt: CustomEvent<PeerId>): void => {
    const peer = this.known.get(evt.detail.toString())
    if (peer === undefined) return
    peer.wasConnected = true
    this.setFailures(peer, 0)
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const peer = this.known.get(evt.detail.toString())
    if (peer === undefined || this.timer === undefined) return
    this.notReached(peer, { hungUp: true })
    peer.disconnectedSinceMs = performance.now()
    peer.dueAtMs = performance.now()
    peer.graceFromMs = peer.dueAtMs
    peer.subscribedOnce = false
    peer.unsubscribedSinceMs = undefined
  }

  private readonly tick = (): void => {
    const now = performance.now()
    let subscribed: ReadonlySet<string> | undefined
    for (const [id, peer] of this.known) {
      if (this.isConnected(peer)) {
        if (this.pruneIfUnpicked(id, peer)) continue
        if (this.init.subscribedPeers !== undefined) {
          subscribed ??= this.init.subscribedPeers()
          this.repairIfDropped(peer, this.pinned.has(id), subscribed.has(id), now)
        }
        continue
      }
      if (!this.pinned.has(id) && now - Math.max(peer.disconnectedSinceMs, peer.heardAtMs) > this.init.forgetAfterMs) {
        this.log('giving up on %p: unreachable and unheard for %d ms', peer.peerId, Math.round(now - Math.max(peer.disconnectedSinceMs, peer.heardAtMs)))
        this.drop(id, peer.peerId)
        continue
      }
      if (this.inFlight < this.init.maxParallelDials) this.dialIfDue(peer)
    }
  }

  /**
   * Hangs up a connected member (or bootstrap peer) that gossipsub dropped (counted as subscribed,
   * then not, for `dialGraceMs`) or never counted (for `stalledAfterMs`); the loop then redials it.
   * A bootstrap peer is expected on our topic before we hear from it: when identify times out on
   * both sides of a loaded link, gossipsub never learns of the connection, and a newcomer whose only
   * connection is to its bootstrap peer would hear nobody, ever.
   */
  private repairIfDropped (peer: KnownPeer, bootstrap: boolean, isSubscribed: boolean, now: number): void {
    if (isSubscribed) {
      peer.subscribedOnce = true
      peer.reachedOnce = true
      this.reachedAny = true
      peer.unsubscribedSinceMs = undefined
      return
    }
    if (!peer.onTopic && !bootstrap) return
    peer.unsubscribedSinceMs ??= now
    const waitMs = peer.subscribedOnce ? this.init.dialGraceMs : this.init.stalledAfterMs
    if (now - peer.unsubscribedSinceMs < waitMs) return
    peer.unsubscribedSinceMs = undefined
    if (bootstrap) this.notReached(peer, { neverSubscribed: true })
    this.stats.repairs++
    this.log('%p is connected but gossipsub %s: hanging up to redial', peer.peerId, peer.subscribedOnce ? 'dropped it' : 'never counted it')
    this.libp2p.hangUp(peer.peerId)
      .catch(err => { this.log('cannot hang up %p - %e', peer.peerId, err) })
  }

  private remember (peerId: PeerId): KnownPeer {
    const id = peerId.toString()
    let peer = this.known.get(id)
    if (peer === undefined) {
      const now = performance.now()
      // a peer may already be connected when we learn of it (it dialled us): that counts as connected before
      const wasConnected = this.libp2p.getConnections(peerId).length > 0
      peer = { peerId, wasConnected, failures: 0, dueAtMs: 0, graceFromMs: now, disconnectedSinceMs: now, addrsKey: '', storedAddrsKey: '', addrs: [], dialing: false, onTopic: false, unsubscribedSinceMs: undefined, subscribedOnce: false, heardAtMs: Number.NEGATIVE_INFINITY, pruned: false, discovered: false, reachedOnce: false, unreachedAttempts: 0, reportedUnreachable: false }
      this.known.set(id, peer)
      this.peerSetStale = true
    }
    return peer
  }

  /**
   * The tie-break: 0 for the smaller id, `dialGraceMs` for the larger; with a bounded peer set, 0
   * also when the peer would not pick us (only we dial).
   */
  private graceFor (peer: KnownPeer): number {
    const id = peer.peerId.toString()
    if (this.init.selfId < id) return 0
    const peerSet = this.currentPeerSet()
    return peerSet !== undefined && !peerSet.pickedBy(id) ? 0 : this.init.dialGraceMs
  }

  private isConnected (peer: KnownPeer): boolean {
    return this.libp2p.getConnections(peer.peerId).length > 0
  }

  private dialIfDue (peer: KnownPeer): void {
    if (this.timer === undefined || peer.dialing || this.inFlight >= this.init.maxParallelDials) return
    const now = performance.now()
    if (now < peer.dueAtMs || now < peer.graceFromMs + this.graceFor(peer) || this.isConnected(peer) || !this.wants(peer)) return
    void this.dial(peer)
  }

  /** Whether we dial `peer`: always without a peer set size; with one, if it is a bootstrap peer or one we pick. */
  private wants (peer: KnownPeer): boolean {
    const id = peer.peerId.toString()
    return this.pinned.has(id) || (this.currentPeerSet()?.picks(id) ?? true)
  }

  /** The bounded peer set, told of the known peers if they changed; undefined: we connect to every peer. */
  private currentPeerSet (): PeerSet | undefined {
    if (this.peerSet !== undefined && this.peerSetStale) {
      this.peerSetStale = false
      const known = [...this.known.keys()]
      this.peerSet.changed(known, known.filter(id => (this.known.get(id)?.failures ?? 0) < FAILING_AFTER))
    }
    return this.peerSet
  }

  /**
   * With a bounded peer set, hangs up a connection we dialled (`dialGraceMs` ago or more) to a peer
   * that neither we pick nor, as far as we can tell, picks us: we picked it when we knew fewer
   * peers, or in place of a pick that did not answer. Once per dial of ours: a connection the peer
   * opens again stays (its view may differ from ours), one we dial again (we picked it again, as
   * when a pick is cut off once more) goes again. Whether it hung up.
   */
  private pruneIfUnpicked (id: string, peer: KnownPeer): boolean {
    const peerSet = this.currentPeerSet()
    if (peerSet === undefined || peer.pruned || this.pinned.has(id) || peerSet.picks(id) || peerSet.pickedBy(id)) return false
    const ours = this.libp2p.getConnections(peer.peerId).filter(connection => connection.direction === 'outbound' && Date.now() - connection.timeline.open >= this.init.dialGraceMs)
    if (ours.length === 0) return false
    peer.pruned = true
    this.stats.pruned++
    this.log('hanging up on %p: not in our peer set any more', peer.peerId)
    this.libp2p.hangUp(peer.peerId)
      .catch(err => { this.log('cannot hang up %p - %e', peer.peerId, err) })
    return true
  }

  /** Sets `peer`'s count of failed dials in a row, and recomputes the peer set when it starts or stops counting as failing. */
  private setFailures (peer: KnownPeer, failures: number): void {
    if ((peer.failures >= FAILING_AFTER) !== (failures >= FAILING_AFTER)) this.peerSetStale = true
    peer.failures = failures
  }

  /**
   * An attempt did not reach `peer`: told to `onNotReached` for a bootstrap peer, a discovered one
   * while we reached no one, or a discovered agent of another namespace (whose name may be a typo
   * of ours), not reached (nor reported) yet.
   */
  private notReached (peer: KnownPeer, cause: UnreachableCause): void {
    if (peer.reachedOnce || peer.reportedUnreachable) return
    const via = this.pinned.has(peer.peerId.toString()) ? 'bootstrap' : peer.discovered && (!this.reachedAny || 'otherTopics' in cause) ? 'mdns' : undefined
    if (via === undefined) return
    peer.unreachedAttempts++
    peer.reportedUnreachable = this.init.onNotReached?.(peer.peerId, via, peer.unreachedAttempts, cause) ?? false
  }

  /**
   * Merges the addresses `peer` last advertised into the peer store, where libp2p's dialler looks
   * for them, unless they are there since an earlier dial. A failure is logged: the dial goes on
   * with what the store has (mDNS, the bootstrap list, identify).
   */
  private async storeAdvertised (peer: KnownPeer): Promise<void> {
    if (peer.addrsKey === peer.storedAddrsKey) return
    const addrsKey = peer.addrsKey
    try {
      await this.libp2p.peerStore.merge(peer.peerId, { multiaddrs: [...peer.addrs] })
      peer.storedAddrsKey = addrsKey
    } catch (err) {
      this.log.error('cannot store the addresses of %p - %e', peer.peerId, err)
    }
  }

  private async dial (peer: KnownPeer): Promise<void> {
    peer.dialing = true
    this.inFlight++
    const redial = peer.wasConnected
    try {
      await this.storeAdvertised(peer)
      const connection = await this.libp2p.dial(peer.peerId)
      peer.wasConnected = true
      peer.pruned = false
      this.init.onDialled?.(peer.peerId, connection)
      this.setFailures(peer, 0)
      if (redial) this.stats.redials++
      else this.stats.dials++
      this.log('%s %p', redial ? 'redialled' : 'dialled', peer.peerId)
    } catch (err) {
      this.setFailures(peer, peer.failures + 1)
      peer.dueAtMs = performance.now() + backoffMs(peer.failures, this.init.reconnectIntervalMs, this.init.maxBackoffMs)
      this.stats.dialFailures++
      this.log('dial %p failed (%d in a row) - %e', peer.peerId, peer.failures, err)
      this.notReached(peer, { dialError: err })
    } finally {
      peer.dialing = false
      this.inFlight--
      // a work queue, not one batch per tick: the next due peer is dialled now (joining 50 agents
      // took ~12 reconnect intervals at 4 dials per tick)
      this.tick()
    }
  }
}

/** Same length and the same objects at every position. */
function sameItems<T> (a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}
