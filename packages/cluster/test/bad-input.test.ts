import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, StrictNoSign } from '@libp2p/gossipsub'
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
import { Heartbeat as HeartbeatMessage } from '../src/wire/heartbeat.generated.js'
import type { Cluster, DropReason } from '../src/index.js'
import type { Libp2p } from '@libp2p/interface'
import { memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = heartbeatTopic('default')

/** A libp2p node that can publish anything on a topic (gossipsub `services.pubsub`). */
type RawNode = Libp2p<{ pubsub: { subscribe: (t: string) => void, publish: (t: string, d: Uint8Array) => Promise<unknown>, getSubscribers: (t: string) => unknown[] } }>

async function connectRaw (raw: RawNode, to: Cluster): Promise<void> {
  raw.services.pubsub.subscribe(TOPIC)
  await raw.dial(multiaddr(to.multiaddrs[0] as string))
  await waitFor(() => raw.services.pubsub.getSubscribers(TOPIC).length > 0, { what: 'the raw node to see a subscriber' })
}

function validMessage (overrides: Partial<HeartbeatMessage> = {}): HeartbeatMessage {
  return { version: 1, bootId: 'raw-boot', seq: 1n, leaving: false, groups: [{ name: 'g', weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' }], addrs: [], sentAtMs: BigInt(Date.now()), conflicts: [], watcher: false, unheard: [], unheardMore: false, ...overrides }
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

  it('drops random, truncated, oversized, unknown-version and invalid-field messages, counts them by reason, and keeps working', async () => {
    clusters = await startClusters(3, () => ({ groups: ['g'] }))
    const ids = clusters.map(c => c.id)
    await waitForAgreement(clusters, 'g', ids)
    const raw = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false })) as unknown as RawNode
    raws.push(raw)
    const target = clusters[0]!
    await connectRaw(raw, target)

    const publishAndExpect = async (data: Uint8Array, reason: DropReason | 'any'): Promise<void> => {
      const before = target.stats.dropped
      const beforeTotal = totalDrops(target)
      await raw.services.pubsub.publish(TOPIC, data)
      await waitFor(() => totalDrops(target) > beforeTotal, { what: `a drop (${reason})` })
      if (reason !== 'any') expect(target.stats.dropped[reason]).toBe(before[reason] + 1)
    }
    // without the trailing sent_at_ms varint, so that cutting 2 bytes cuts into the groups
    const valid = HeartbeatMessage.encode(validMessage({ sentAtMs: 0n }))
    let seq = 1n
    const next = (overrides: Partial<HeartbeatMessage>): Uint8Array => HeartbeatMessage.encode(validMessage({ seq: ++seq, ...overrides }))

    await publishAndExpect(Uint8Array.from({ length: 200 }, (_, i) => (i * 7919 + 13) % 256), 'any')
    await publishAndExpect(valid.subarray(0, valid.length - 2), 'malformed')
    await publishAndExpect(new Uint8Array(20 * 1024).fill(0x0a), 'oversized')
    await publishAndExpect(next({ version: 2 }), 'unknown-version')
    await publishAndExpect(next({ version: 0 }), 'unknown-version')
    await publishAndExpect(next({ groups: [{ name: '', weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' }] }), 'invalid-field')
    await publishAndExpect(next({ groups: [{ name: 'g', weight: Number.NaN, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' }] }), 'invalid-field')
    await publishAndExpect(next({ groups: [{ name: 'g', weight: -1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' }] }), 'invalid-field')
    await publishAndExpect(next({ groups: ['g', 'g'].map(name => ({ name, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' })) }), 'invalid-field')
    await publishAndExpect(next({ groups: Array.from({ length: 65 }, (_, i) => ({ name: `g${i}`, weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '' })) }), 'invalid-field')
    await publishAndExpect(next({ bootId: '' }), 'invalid-field')
    await publishAndExpect(next({ addrs: [multiaddr(`/ip4/127.0.0.1/tcp/1/p2p/${ids[1]}`).bytes] }), 'invalid-field')

    // none of it was delivered to the host or forwarded: the raw node is in no group, the others saw nothing
    expect(memberIds(target, 'g')).toEqual([...ids].sort())
    expect(clusters.slice(1).every(cluster => totalDrops(cluster) === 0)).toBe(true)
    // the nodes still work: still converged, still heartbeating (seq moves), and a valid heartbeat is
    // accepted under the signer's id, the only id a sender can have
    await waitForAgreement(clusters, 'g', ids)
    const published = target.stats.published
    await waitFor(() => target.stats.published > published, { what: 'more heartbeats' })
    await raw.services.pubsub.publish(TOPIC, encodeHeartbeat({ bootId: 'raw-boot', seq: Number(++seq), sentAtMs: Date.now(), leaving: false, groups: [{ name: 'g', weight: 1, metadata: {} }], digests: {}, addrs: [] }))
    await waitFor(() => clusters.every(cluster => memberIds(cluster, 'g').includes(raw.peerId.toString())), { what: 'the raw node to be a member under its own id' })
  })

  it('never hears unsigned messages: gossipsub StrictSign refuses them before they reach the cluster', async () => {
    // a lone cluster node, so every message it receives comes from the raw nodes below
    clusters = await startClusters(1, () => ({ groups: ['g'] }))
    const target = clusters[0]!
    const unsigned = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, allowPublishToZeroTopicPeers: true }) }
    })
    raws.push(unsigned as unknown as RawNode)
    await connectRaw(unsigned as unknown as RawNode, target)
    for (let i = 0; i < 5; i++) await unsigned.services.pubsub.publish(TOPIC, HeartbeatMessage.encode(validMessage({ seq: BigInt(i + 1) })))
    // a signed heartbeat published after them (the unsigned ones had a head start of a whole node
    // start-up) is the only message the cluster receives
    const signedRaw = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false })) as unknown as RawNode
    raws.push(signedRaw)
    await connectRaw(signedRaw, target)
    await signedRaw.services.pubsub.publish(TOPIC, HeartbeatMessage.encode(validMessage({ groups: [] })))
    await waitFor(() => target.stats.received > 0, { what: 'the signed heartbeat' })
    expect(target.stats.received).toBe(1)
    expect(totalDrops(target)).toBe(0)
    expect(memberIds(target, 'g')).toEqual([target.id])
  })
})
