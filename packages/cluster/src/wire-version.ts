import type { IdentifyResult, Libp2p, Logger, PeerId } from '@libp2p/interface'
import { WIRE_VERSION } from './wire/limits.js'

/** What `peer:incompatible` reports: a connected gossip-ring agent on another wire version (it and we cannot read each other's heartbeats). */
export interface IncompatiblePeer {
  /** Its peer id (member id). */
  id: string
  /** Its wire version (1 for an agent that does not name one: every agent before wire 2). */
  wireVersion: number
  /** Its libp2p user agent, as identify reported it. */
  agentVersion: string
}

/** A gossip-ring agent's user agent starts so (see `userAgentWithBootId`). */
const GOSSIP_RING_AGENT = /^gossip-ring /
const WIRE_IN_AGENT = / wire\/(\d{1,6})(?: |$)/

/**
 * The wire version a libp2p user agent announces: undefined for an agent that is not a gossip-ring
 * agent the cluster built (a user's own libp2p node names none), 1 for a gossip-ring agent that
 * names none (they all predate wire 2).
 */
export function wireVersionOf (agentVersion: string | undefined): number | undefined {
  if (agentVersion === undefined || !GOSSIP_RING_AGENT.test(agentVersion)) return undefined
  const named = WIRE_IN_AGENT.exec(agentVersion)?.[1]
  return named === undefined ? 1 : Number(named)
}

/**
 * Makes mixed wire versions loud: agents on two wire versions in one namespace cannot read each
 * other's heartbeats, so they would form two clusters that each look converged and own the same
 * keys. Each connected peer whose identify names another wire version is reported once per
 * connection episode (`onIncompatible`, logged as an error).
 */
export class WireVersionWatch {
  readonly #libp2p: Libp2p
  readonly #log: Logger
  readonly #onIncompatible: (peer: IncompatiblePeer) => void
  /** Peers reported and still connected. */
  readonly #reported = new Set<string>()

  constructor (components: { libp2p: Libp2p, log: Logger }, onIncompatible: (peer: IncompatiblePeer) => void) {
    this.#libp2p = components.libp2p
    this.#log = components.log
    this.#onIncompatible = onIncompatible
  }

  /** Starts listening to identify; idempotent. */
  start (): void {
    this.stop()
    this.#libp2p.addEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  /** Stops listening; idempotent. */
  stop (): void {
    this.#libp2p.removeEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.removeEventListener('peer:disconnect', this.#onDisconnect)
  }

  readonly #onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, agentVersion } = evt.detail
    const wireVersion = wireVersionOf(agentVersion)
    const id = peerId.toString()
    if (wireVersion === undefined || wireVersion === WIRE_VERSION || this.#reported.has(id)) return
    this.#reported.add(id)
    this.#log.error('peer %s runs gossip-ring wire version %d, this agent %d: neither reads the other\'s heartbeats, so they form two clusters that own the same keys. Run one version per namespace (upgrade every agent, or give the new ones another namespace)', id, wireVersion, WIRE_VERSION)
    this.#onIncompatible({ id, wireVersion, agentVersion: agentVersion ?? '' })
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.#reported.delete(evt.detail.toString())
  }
}
