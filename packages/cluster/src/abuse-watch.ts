import type { Libp2p, Logger, PeerId } from '@libp2p/interface'
import type { PeerGuard } from './peer-guard.js'
import { scoreOf } from './pubsub.js'
import type { GossipSub } from './pubsub.js'

/** How the abuse watch behaves. */
export interface AbuseWatchInit {
  /** How often connected peers' scores are checked. */
  intervalMs: number
  /** Hang up on peers whose gossipsub score is below this. */
  disconnectBelowScore: number
  /** How long a peer we hung up on stays banned (its dials and ours are refused). */
  banMs: number
}

/**
 * Disconnects abusers: gossipsub only graylists a peer whose score fell (it ignores its RPCs but
 * keeps reading them off the wire); this watch hangs up on it and bans it in the `PeerGuard`, so
 * the node's connection gater refuses it for `banMs`. Others report abusers gossipsub does not
 * score through `hangUpOn`. Timers are `unref`'d.
 */
export class AbuseWatch {
  /** Peers hung up on so far. */
  disconnected = 0
  readonly #libp2p: Libp2p<{ pubsub: GossipSub }>
  readonly #guard: PeerGuard
  readonly #log: Logger
  readonly #init: AbuseWatchInit
  #timer: ReturnType<typeof setInterval> | undefined

  constructor (components: { libp2p: Libp2p<{ pubsub: GossipSub }>, guard: PeerGuard, log: Logger }, init: AbuseWatchInit) {
    this.#libp2p = components.libp2p
    this.#guard = components.guard
    this.#log = components.log
    this.#init = init
  }

  /** Starts checking; idempotent. */
  start (): void {
    if (this.#timer !== undefined) return
    this.#timer = setInterval(this.#check, this.#init.intervalMs)
    this.#timer.unref()
  }

  /** Stops checking; idempotent. */
  stop (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Hangs up on `peer` and bans it for `banMs` (counted once per ban); `why` is logged. */
  hangUpOn (peer: PeerId, why: string): void {
    if (!this.#guard.isBanned(peer.toString())) {
      this.#guard.ban(peer.toString(), this.#init.banMs)
      this.disconnected++
      this.#log('hanging up on %p (%s) and banning it for %d ms', peer, why, this.#init.banMs)
    }
    this.#libp2p.hangUp(peer).catch(err => { this.#log('hang up on %p failed - %e', peer, err) })
  }

  readonly #check = (): void => {
    for (const connection of this.#libp2p.getConnections()) {
      const peer = connection.remotePeer
      const score = scoreOf(this.#libp2p.services.pubsub, peer.toString())
      if (score < this.#init.disconnectBelowScore) this.hangUpOn(peer, `gossipsub score ${score}`)
    }
  }
}
