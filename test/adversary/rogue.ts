/**
 * A rogue peer for the adversary suite: a libp2p node with gossipsub on the heartbeat topic that
 * publishes whatever bytes it likes, signed by its own key or by any other key it holds (it swaps
 * gossipsub's signing key between publishes, which is how one connection carries many signers). It
 * also records every heartbeat it receives, to replay them later.
 */
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { createClusterNode } from '../../packages/cluster/src/node.js'
import { resolveClusterOptions } from '../../packages/cluster/src/options.js'
import { Heartbeat as HeartbeatMessage } from '../../packages/cluster/src/wire/heartbeat.generated.js'
import type { ClusterServices } from '../../packages/cluster/src/node.js'
import type { Heartbeat } from '../../packages/cluster/src/wire/heartbeat.generated.js'

/** A heartbeat as the rogue writes it: any field may be anything the protobuf allows. */
export type RawHeartbeat = Partial<Heartbeat>

/** A valid heartbeat of wire version 1 sent now, in `groups` with weight 1, unless overridden. */
export function rawHeartbeat (bootId: string, seq: number, groups: string[], extra: RawHeartbeat = {}): Uint8Array {
  return HeartbeatMessage.encode({
    version: 1,
    bootId,
    seq: BigInt(seq),
    leaving: false,
    groups: groups.map(name => ({ name, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' })),
    addrs: [],
    sentAtMs: BigInt(Date.now()),
    ...extra
  })
}

interface SigningConfig { type: number, author: unknown, key: Uint8Array, privateKey: PrivateKey }

/** Private gossipsub state the rogue rewires (test-only). */
interface GossipSubInternals { publishConfig: SigningConfig }

/** A rogue peer; see the module comment. */
export class Rogue {
  readonly libp2p: Libp2p<ClusterServices>
  readonly topic: string
  /** Heartbeat payloads received, by signer id, in arrival order. */
  readonly captured = new Map<string, Uint8Array[]>()
  readonly #ownConfig: SigningConfig

  private constructor (libp2p: Libp2p<ClusterServices>, topic: string) {
    this.libp2p = libp2p
    this.topic = topic
    this.#ownConfig = (libp2p.services.pubsub as unknown as GossipSubInternals).publishConfig
    libp2p.services.pubsub.addEventListener('message', evt => {
      if (evt.detail.type !== 'signed' || evt.detail.topic !== topic) return
      const from = evt.detail.from.toString()
      this.captured.set(from, [...(this.captured.get(from) ?? []), evt.detail.data])
    })
  }

  /** Starts a rogue on loopback (namespace `default` unless given) and dials `bootstrap`. */
  static async start (init: { bootstrap: string[], namespace?: string, networkKey?: Uint8Array, privateKey?: PrivateKey }): Promise<Rogue> {
    const options = resolveClusterOptions({
      local: true,
      mdns: false,
      ...(init.namespace !== undefined ? { namespace: init.namespace } : {}),
      ...(init.networkKey !== undefined ? { networkKey: init.networkKey } : {})
    })
    const libp2p = await createClusterNode({ privateKey: init.privateKey ?? await generateKeyPair('Ed25519') }, options)
    libp2p.services.pubsub.subscribe(options.topic)
    const rogue = new Rogue(libp2p, options.topic)
    await rogue.dial(init.bootstrap)
    return rogue
  }

  /** Connects to more peers (nobody dials the rogue: it never heartbeats its addresses). */
  async dial (addrs: string[]): Promise<void> {
    await Promise.all(addrs.map(async addr => this.libp2p.dial(multiaddr(addr))))
  }

  /** The rogue's own id. */
  get id (): string {
    return this.libp2p.peerId.toString()
  }

  /** Publishes `data` on the heartbeat topic signed by `signer` (default: the rogue's own key), with a fresh gossipsub seqno. */
  async send (data: Uint8Array, signer?: PrivateKey): Promise<void> {
    const pubsub = this.libp2p.services.pubsub as unknown as GossipSubInternals
    if (signer !== undefined) {
      pubsub.publishConfig = { ...this.#ownConfig, author: peerIdFromPrivateKey(signer), key: publicKeyBytes(signer), privateKey: signer }
    }
    try {
      await this.libp2p.services.pubsub.publish(this.topic, data)
    } finally {
      pubsub.publishConfig = this.#ownConfig
    }
  }

  /**
   * Publishes as fast as it can for `durationMs`: message `i` is `next(i)` (bytes and an optional
   * signer). Publish failures (nobody left to send to) are counted, not thrown. Returns the counts.
   */
  async flood (durationMs: number, next: (i: number) => { data: Uint8Array, signer?: PrivateKey }): Promise<{ sent: number, failed: number }> {
    const endMs = performance.now() + durationMs
    let sent = 0
    let failed = 0
    for (let i = 0; performance.now() < endMs; i++) {
      const { data, signer } = next(i)
      try {
        await this.send(data, signer)
        sent++
      } catch {
        failed++
        // nobody to send to any more: wait a little instead of spinning
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    }
    return { sent, failed }
  }

  /** Waits until the rogue is subscribed-connected to `count` peers on the topic (so publishes go out). */
  hasTopicPeers (count: number): boolean {
    return this.libp2p.services.pubsub.getSubscribers(this.topic).length >= count
  }

  async stop (): Promise<void> {
    await this.libp2p.stop()
  }
}

function publicKeyBytes (key: PrivateKey): Uint8Array {
  // gossipsub puts the signer's protobuf public key in `key`
  return publicKeyToProtobuf(key.publicKey)
}
