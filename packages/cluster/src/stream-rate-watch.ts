import type { Connection, Libp2p, Logger, PeerId } from '@libp2p/interface'
import { TokenBuckets } from './token-buckets.js'

/** How many streams a peer may open to us. */
export interface StreamRateInit {
  /** Streams a peer may open at once, over all its connections. */
  burst: number
  /** Streams a peer may open per second above that. */
  perSecond: number
}

/** The part of a connection's stream muxer we listen to: it announces each stream the remote opens. */
interface InboundStreams {
  addEventListener: (type: 'stream', listener: () => void) => void
  removeEventListener: (type: 'stream', listener: () => void) => void
}

/** A connection's muxer, where libp2p keeps it (not part of the `Connection` interface); undefined when absent. */
function inboundStreamsOf (connection: Connection): InboundStreams | undefined {
  const muxer = (connection as unknown as { muxer?: Partial<InboundStreams> }).muxer
  return typeof muxer?.addEventListener === 'function' && typeof muxer.removeEventListener === 'function' ? muxer as InboundStreams : undefined
}

/**
 * Hangs up on a peer that opens streams to us faster than any agent does. Each stream a peer opens
 * costs us a protocol negotiation and a peer store write before any handler sees it, and libp2p
 * bounds only how many are open at once, not how fast they come: a peer on loopback opened
 * 2,500-3,500 a second, for as long as it liked. An agent opens a handful per connection (identify, gossipsub, the
 * boot-id probe, a ping a minute), so the budget is generous; past it, `hangUpOn` is called (the
 * cluster hangs up and bans). Counted as the remote's muxer announces each stream, before the
 * negotiation. With a libp2p that keeps no muxer on its connections, nothing is watched, and an
 * error log says so once.
 */
export class StreamRateWatch {
  readonly #libp2p: Libp2p
  readonly #hangUpOn: (peer: PeerId, why: string) => void
  readonly #log: Logger
  readonly #init: StreamRateInit
  readonly #budgets: TokenBuckets
  /** The stream listener of each watched connection. */
  readonly #watched = new Map<Connection, () => void>()
  #warned = false

  constructor (components: { libp2p: Libp2p, hangUpOn: (peer: PeerId, why: string) => void, log: Logger }, init: StreamRateInit) {
    this.#libp2p = components.libp2p
    this.#hangUpOn = components.hangUpOn
    this.#log = components.log
    this.#init = init
    this.#budgets = new TokenBuckets(init.burst)
  }

  /** Watches every open connection and each new one; idempotent. */
  start (): void {
    this.#libp2p.addEventListener('connection:open', this.#onOpen)
    this.#libp2p.addEventListener('connection:close', this.#onClose)
    for (const connection of this.#libp2p.getConnections()) this.#watch(connection)
  }

  /** Stops watching; idempotent. */
  stop (): void {
    this.#libp2p.removeEventListener('connection:open', this.#onOpen)
    this.#libp2p.removeEventListener('connection:close', this.#onClose)
    for (const connection of [...this.#watched.keys()]) this.#unwatch(connection)
  }

  readonly #onOpen = (evt: CustomEvent<Connection>): void => { this.#watch(evt.detail) }

  readonly #onClose = (evt: CustomEvent<Connection>): void => {
    this.#unwatch(evt.detail)
    // a bucket idle this long is full again: forget it, so memory follows the peers that open streams
    this.#budgets.forgetIdle(performance.now(), this.#init.burst / this.#init.perSecond * 1000)
  }

  #watch (connection: Connection): void {
    const streams = inboundStreamsOf(connection)
    if (streams === undefined) {
      if (!this.#warned) this.#log.error('cannot watch how fast peers open streams: this libp2p keeps no stream muxer on its connections (a peer may open streams as fast as it likes)')
      this.#warned = true
      return
    }
    if (this.#watched.has(connection)) return
    const peer = connection.remotePeer
    const onStream = (): void => {
      if (!this.#budgets.take(peer.toString(), performance.now(), this.#init.perSecond / 1000)) {
        this.#hangUpOn(peer, `more than ${this.#init.burst} streams at once, or ${this.#init.perSecond} a second, opened`)
      }
    }
    streams.addEventListener('stream', onStream)
    this.#watched.set(connection, onStream)
  }

  #unwatch (connection: Connection): void {
    const onStream = this.#watched.get(connection)
    if (onStream === undefined) return
    inboundStreamsOf(connection)?.removeEventListener('stream', onStream)
    this.#watched.delete(connection)
  }
}
