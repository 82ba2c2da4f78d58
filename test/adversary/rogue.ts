/**
 * A rogue peer for the adversary suite: a libp2p node with gossipsub on the heartbeat topic that
 * publishes whatever heartbeat bytes it likes in wire-2 envelopes, signed by its own key or by any
 * other key it holds (which is how one connection carries many authors), or forged: naming an author
 * whose key it does not hold, with a signature that is not the author's. It also records every
 * heartbeat it receives, to replay them later.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import { createClusterNode } from '../../packages/cluster/src/node.js'
import { resolveClusterOptions } from '../../packages/cluster/src/options.js'
import { HeartbeatSealer, authorPeerId, openEnvelope } from '../../packages/cluster/src/wire/envelope.js'
import { Heartbeat as HeartbeatMessage, SignedHeartbeat } from '../../packages/cluster/src/wire/heartbeat.generated.js'
import { WIRE_VERSION } from '../../packages/cluster/src/wire/limits.js'
import type { ClusterServices } from '../../packages/cluster/src/node.js'
import type { Heartbeat } from '../../packages/cluster/src/wire/heartbeat.generated.js'

/** A heartbeat as the rogue writes it: any field may be anything the protobuf allows. */
export type RawHeartbeat = Partial<Heartbeat>

/** A valid heartbeat of the current wire version sent now, in `groups` with weight 1, unless overridden. */
export function rawHeartbeat (bootId: string, seq: number, groups: string[], extra: RawHeartbeat = {}): Uint8Array {
  return HeartbeatMessage.encode({
    version: WIRE_VERSION,
    bootId,
    seq: BigInt(seq),
    leaving: false,
    groups: groups.map(name => ({ name, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 })),
    addrs: [],
    sentAtMs: BigInt(Date.now()),
    ...extra
  })
}

/**
 * The same heartbeat with a unique unknown field appended (decoders skip it): once signed, a new
 * envelope, so a new gossipsub message id. To our layer that is a replay that got past gossipsub's
 * 120 s seen cache, which a test cannot wait out.
 */
export function pastSeenCache (heartbeat: Uint8Array): Uint8Array {
  // field 15, length-delimited, 8 random bytes
  return Uint8Array.from([...heartbeat, 0x7a, 8, ...randomBytes(8)])
}

/** A rogue peer; see the module comment. */
export class Rogue {
  readonly libp2p: Libp2p<ClusterServices>
  readonly topic: string
  /** Heartbeats received (the encoded Heartbeat inside each envelope), by author id, in arrival order. */
  readonly captured = new Map<string, Uint8Array[]>()
  readonly #sealer: HeartbeatSealer
  readonly #sealers = new Map<PrivateKey, HeartbeatSealer>()

  private constructor (libp2p: Libp2p<ClusterServices>, topic: string, privateKey: PrivateKey) {
    this.libp2p = libp2p
    this.topic = topic
    this.#sealer = new HeartbeatSealer(privateKey, topic)
    libp2p.services.pubsub.addEventListener('message', evt => {
      if (evt.detail.topic !== topic) return
      const envelope = openEnvelope(evt.detail.data)
      const from = authorPeerId(envelope.author).toString()
      this.captured.set(from, [...(this.captured.get(from) ?? []), envelope.heartbeat])
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
    const privateKey = init.privateKey ?? await generateKeyPair('Ed25519')
    const libp2p = await createClusterNode({ privateKey }, options)
    libp2p.services.pubsub.subscribe(options.topic)
    const rogue = new Rogue(libp2p, options.topic, privateKey)
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

  /** Publishes the heartbeat `data` on the topic in an envelope signed by `signer` (default: the rogue's own key). */
  async send (data: Uint8Array, signer?: PrivateKey): Promise<void> {
    await this.libp2p.services.pubsub.publish(this.topic, this.#sealerOf(signer).seal(data))
  }

  /** Publishes the heartbeat `data` in an envelope naming `author` as its author, with a signature that is not the author's. */
  async sendForged (data: Uint8Array, author: PeerId): Promise<void> {
    await this.libp2p.services.pubsub.publish(this.topic, forgedEnvelope(data, author))
  }

  #sealerOf (signer: PrivateKey | undefined): HeartbeatSealer {
    if (signer === undefined) return this.#sealer
    let sealer = this.#sealers.get(signer)
    if (sealer === undefined) {
      sealer = new HeartbeatSealer(signer, this.topic)
      this.#sealers.set(signer, sealer)
    }
    return sealer
  }

  /**
   * Publishes as fast as it can for `durationMs`: message `i` is `next(i)` (heartbeat bytes and an
   * optional signer, or an author to forge). Publish failures (nobody left to send to) are counted, not thrown. Returns the counts.
   */
  async flood (durationMs: number, next: (i: number) => { data: Uint8Array, signer?: PrivateKey, forge?: PeerId }): Promise<{ sent: number, failed: number }> {
    const endMs = performance.now() + durationMs
    let sent = 0
    let failed = 0
    for (let i = 0; performance.now() < endMs; i++) {
      const { data, signer, forge } = next(i)
      try {
        await (forge !== undefined ? this.sendForged(data, forge) : this.send(data, signer))
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

/** An envelope naming `author` with a random signature (what a forger who lacks the author's key can send). */
export function forgedEnvelope (data: Uint8Array, author: PeerId): Uint8Array {
  return SignedHeartbeat.encode({ author: new Uint8Array(author.toMultihash().bytes), heartbeat: new Uint8Array(data), signature: new Uint8Array(randomBytes(64)) })
}
