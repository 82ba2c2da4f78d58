import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { randomBytes } from 'node:crypto'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { createClusterNode } from '../src/node.js'
import { heartbeatTopic, resolveClusterOptions } from '../src/options.js'
import { encodeHeartbeat } from '../src/wire/codec.js'
import { HeartbeatSealer } from '../src/wire/envelope.js'
import { Heartbeat as HeartbeatMessage, SignedHeartbeat } from '../src/wire/heartbeat.generated.js'
import { WIRE_LIMITS, WIRE_VERSION } from '../src/wire/limits.js'
import type { Cluster, DropReason } from '../src/index.js'
import type { Libp2p } from '@libp2p/interface'
import { memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = heartbeatTopic('default')

/** Refused messages sent by one raw node: well below the 9 in quick succession that graylist it (see `scoreParams`). */
const REFUSALS_PER_SENDER = 4

/** Seals heartbeat bytes as one sender signs them. */
type Seal = (heartbeat: Uint8Array) => Uint8Array

/** A libp2p node that can publish anything on a topic (gossipsub `services.pubsub`). */
type RawNode = Libp2p<{ pubsub: { subscribe: (t: string) => void, publish: (t: string, d: Uint8Array) => Promise<unknown>, getSubscribers: (t: string) => unknown[] } }>

async function connectRaw (raw: RawNode, to: Cluster): Promise<void> {
  raw.services.pubsub.subscribe(TOPIC)
  await raw.dial(multiaddr(to.multiaddrs[0] as string))
  await waitFor(() => raw.services.pubsub.getSubscribers(TOPIC).length > 0, { what: 'the raw node to see a subscriber' })
}

function validMessage (overrides: Partial<HeartbeatMessage> = {}): HeartbeatMessage {
  return { version: WIRE_VERSION, bootId: 'raw-boot', seq: 1n, leaving: false, groups: [{ name: 'g', weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }], addrs: [], sentAtMs: BigInt(Date.now()), conflicts: [], watcher: false, unheard: [], unheardMore: false, ...overrides }
}

function totalDrops (cluster: Cluster): number {
  return Object.values(cluster.stats.dropped).reduce((sum, n) => sum + n, 0)
}

describe('bad input from a raw gossipsub node on the heartbeat topic', () => {
  let clusters: Cluster[] = []
  const raws: RawNode[] = []
  afterEach(async () => {
    await stopAll(clusters)
    clusters = []
    await Promise.all(raws.splice(0).map(async raw => raw.stop()))
  })

  it('drops random, truncated, oversized, unsupported-key, bad-signature, unknown-version and invalid-field messages, counts them by reason, and keeps working', async () => {
    clusters = await startClusters(3, () => ({ groups: ['g'] }))
    const ids = clusters.map(c => c.id)
    await waitForAgreement(clusters, 'g', ids)
    const target = clusters[0]!
    // each refusal costs its sender (refusals)² of gossipsub score, and from the 9th in quick succession
    // the sender is graylisted and its messages ignored unread: the refusals below would then stop
    // being counted once the target refreshed its cached score (under load, when they span more than
    // a second), so they come from a new raw node every few
    let sender: { node: RawNode, seal: Seal, sent: number } | undefined
    const nextSender = async (): Promise<{ node: RawNode, seal: Seal }> => {
      if (sender === undefined || sender.sent >= REFUSALS_PER_SENDER) {
        const key = await generateKeyPair('Ed25519')
        const node = await createClusterNode({ privateKey: key }, resolveClusterOptions({ local: true, mdns: false })) as unknown as RawNode
        raws.push(node)
        await connectRaw(node, target)
        const sealer = new HeartbeatSealer(key, TOPIC)
        sender = { node, seal: heartbeat => sealer.seal(heartbeat), sent: 0 }
      }
      sender.sent++
      return sender
    }
    const publishAndExpect = async (message: Uint8Array | ((seal: Seal) => Uint8Array), reason: DropReason | 'any'): Promise<void> => {
      const { node, seal } = await nextSender()
      const before = target.stats.dropped
      const beforeTotal = totalDrops(target)
      await node.services.pubsub.publish(TOPIC, message instanceof Uint8Array ? message : message(seal))
      await waitFor(() => totalDrops(target) > beforeTotal, { what: `a drop (${reason})` })
      if (reason !== 'any') expect(target.stats.dropped[reason]).toBe(before[reason] + 1)
    }
    let seq = 1n
    const inner = (overrides: Partial<HeartbeatMessage>): Uint8Array => HeartbeatMessage.encode(validMessage({ seq: ++seq, ...overrides }))
    /** A heartbeat sealed by its sender, with `overrides`. */
    const next = (overrides: Partial<HeartbeatMessage>) => (seal: Seal): Uint8Array => seal(inner(overrides))

    await publishAndExpect(Uint8Array.from({ length: 200 }, (_, i) => (i * 7919 + 13) % 256), 'any')
    await publishAndExpect(seal => { const valid = seal(inner({})); return valid.subarray(0, valid.length - 2) }, 'malformed')
    await publishAndExpect(HeartbeatMessage.encode(validMessage({ seq: ++seq })), 'malformed')   // a heartbeat without its envelope
    await publishAndExpect(new Uint8Array(20 * 1024).fill(0x0a), 'oversized')
    await publishAndExpect(seal => seal(new Uint8Array(WIRE_LIMITS.maxHeartbeatBytes + 1)), 'oversized')
    const signature = new Uint8Array(randomBytes(64))
    const secp = new Uint8Array(peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toMultihash().bytes)
    await publishAndExpect(SignedHeartbeat.encode({ author: secp, heartbeat: new Uint8Array(inner({})), signature }), 'unsupported-key')
    // relayed (the raw node is not the author it names), so checked: the signature is not the author's
    const victim = new Uint8Array(clusters[1]!.libp2p.peerId.toMultihash().bytes)
    await publishAndExpect(SignedHeartbeat.encode({ author: victim, heartbeat: new Uint8Array(inner({})), signature }), 'bad-signature')
    await publishAndExpect(next({ version: 1 }), 'unknown-version')
    await publishAndExpect(next({ version: 3 }), 'unknown-version')
    await publishAndExpect(next({ version: 0 }), 'unknown-version')
    await publishAndExpect(next({ groups: [{ name: '', weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }] }), 'invalid-field')
    await publishAndExpect(next({ groups: [{ name: 'g', weight: Number.NaN, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }] }), 'invalid-field')
    await publishAndExpect(next({ groups: [{ name: 'g', weight: -1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }] }), 'invalid-field')
    await publishAndExpect(next({ groups: ['g', 'g'].map(name => ({ name, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 })) }), 'invalid-field')
    await publishAndExpect(next({ groups: Array.from({ length: 65 }, (_, i) => ({ name: `g${i}`, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 })) }), 'invalid-field')
    await publishAndExpect(next({ bootId: '' }), 'invalid-field')
    await publishAndExpect(next({ addrs: [multiaddr(`/ip4/127.0.0.1/tcp/1/p2p/${ids[1]}`).bytes] }), 'invalid-field')

    // none of it was delivered to the host or forwarded: the raw node is in no group, the others saw nothing
    expect(memberIds(target, 'g')).toEqual([...ids].sort())
    expect(clusters.slice(1).every(cluster => totalDrops(cluster) === 0)).toBe(true)
    // the nodes still work: still converged, still heartbeating (seq moves), and a valid heartbeat is
    // accepted under its author's id, the only id a sender can have (sent by a raw node with no refusals)
    await waitForAgreement(clusters, 'g', ids)
    const published = target.stats.published
    await waitFor(() => target.stats.published > published, { what: 'more heartbeats' })
    const goodKey = await generateKeyPair('Ed25519')
    const good = await createClusterNode({ privateKey: goodKey }, resolveClusterOptions({ local: true, mdns: false })) as unknown as RawNode
    raws.push(good)
    await connectRaw(good, target)
    await good.services.pubsub.publish(TOPIC, new HeartbeatSealer(goodKey, TOPIC).seal(encodeHeartbeat({ bootId: 'raw-boot', seq: 1, sentAtMs: Date.now(), leaving: false, groups: [{ name: 'g', weight: 1, metadata: {} }], digests: {}, addrs: [] })))
    await waitFor(() => clusters.every(cluster => memberIds(cluster, 'g').includes(good.peerId.toString())), { what: 'the raw node to be a member under its own id' })
  })

  it('never hears wire-1 messages (gossipsub StrictSign, as an old agent sends them): gossipsub StrictNoSign refuses them before they reach the cluster', async () => {
    // a lone cluster node, so every message it receives comes from the raw nodes below
    clusters = await startClusters(1, () => ({ groups: ['g'] }))
    const target = clusters[0]!
    const old = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictSign, allowPublishToZeroTopicPeers: true }) }
    })
    raws.push(old as unknown as RawNode)
    await connectRaw(old as unknown as RawNode, target)
    for (let i = 0; i < 5; i++) await old.services.pubsub.publish(TOPIC, HeartbeatMessage.encode(validMessage({ version: 1, seq: BigInt(i + 1) })))
    // a wire-2 heartbeat published after them (the old ones had a head start of a whole node
    // start-up) is the only message the cluster receives
    const rawKey = await generateKeyPair('Ed25519')
    const current = await createClusterNode({ privateKey: rawKey }, resolveClusterOptions({ local: true, mdns: false })) as unknown as RawNode
    raws.push(current)
    await connectRaw(current, target)
    await current.services.pubsub.publish(TOPIC, new HeartbeatSealer(rawKey, TOPIC).seal(HeartbeatMessage.encode(validMessage({ groups: [] }))))
    await waitFor(() => target.stats.received > 0, { what: 'the wire-2 heartbeat' })
    expect(target.stats.received).toBe(1)
    expect(totalDrops(target)).toBe(0)
    expect(memberIds(target, 'g')).toEqual([target.id])
  })
})
