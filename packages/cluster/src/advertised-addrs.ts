import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Longest time our addresses are reused without libp2p reporting a change (see {@link AdvertisedAddrs}). */
export const ADVERTISED_ADDRS_TTL_MS = 5_000

/** What {@link AdvertisedAddrs} needs of the node. */
export type AddrsSource = Pick<Libp2p, 'getMultiaddrs' | 'addEventListener' | 'removeEventListener'>

/**
 * Our own addresses as every heartbeat advertises them. libp2p works them out afresh on each call
 * (listen addresses expanded over the host's interfaces, address mappings, observed addresses): 2% of
 * an agent's CPU at 20 agents and one heartbeat a second, for a list that almost never changes. They
 * are read again after libp2p reports a change of our peer record ('self:peer:update'), and at the
 * latest `ttlMs` after the last read: a wildcard listener's addresses follow the host's interfaces,
 * and libp2p reports no event when those change. Start before use; stop to let go of the node.
 */
export class AdvertisedAddrs {
  readonly #source: AddrsSource
  readonly #ttlMs: number
  readonly #now: () => number
  #addrs: Multiaddr[] | undefined
  #readAtMs = Number.NEGATIVE_INFINITY

  constructor (source: AddrsSource, ttlMs = ADVERTISED_ADDRS_TTL_MS, now: () => number = () => performance.now()) {
    this.#source = source
    this.#ttlMs = ttlMs
    this.#now = now
  }

  /** Listens for changes of our peer record; idempotent. */
  start (): void {
    this.#source.removeEventListener('self:peer:update', this.#onChange)
    this.#source.addEventListener('self:peer:update', this.#onChange)
  }

  /** Stops listening and forgets the addresses; idempotent. */
  stop (): void {
    this.#source.removeEventListener('self:peer:update', this.#onChange)
    this.#addrs = undefined
  }

  /** Our addresses now (the same array until they are read again: do not modify it). */
  current (): Multiaddr[] {
    const nowMs = this.#now()
    if (this.#addrs === undefined || nowMs - this.#readAtMs >= this.#ttlMs) {
      this.#addrs = this.#source.getMultiaddrs()
      this.#readAtMs = nowMs
    }
    return this.#addrs
  }

  readonly #onChange = (): void => {
    this.#addrs = undefined
  }
}
