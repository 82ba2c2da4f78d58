import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { heartbeatTopic } from '../src/options.js'
import { userAgentWithBootId } from '../src/identity-conflict.js'
import { wireVersionOf } from '../src/wire-version.js'
import { Heartbeat as HeartbeatMessage } from '../src/wire/heartbeat.generated.js'
import { WIRE_VERSION } from '../src/wire/limits.js'
import type { Cluster, IncompatiblePeer } from '../src/index.js'
import type { Libp2p } from '@libp2p/interface'
import { memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

describe('wire version in the user agent', () => {
  it('names ours; an old gossip-ring agent (none named) is 1; other agents are not judged', () => {
    expect(wireVersionOf(userAgentWithBootId('b-1'))).toBe(WIRE_VERSION)
    expect(wireVersionOf('gossip-ring boot/0b8f2c9e-1111-4222-8333-944455556666')).toBe(1)
    expect(wireVersionOf('gossip-ring boot/x wire/3')).toBe(3)
    expect(wireVersionOf('js-libp2p/3.3.11 UserAgent=v24')).toBeUndefined()
    expect(wireVersionOf(undefined)).toBeUndefined()
  })
})

describe('mixed wire versions on the real stack', () => {
  let clusters: Cluster[] = []
  let old: Libp2p | undefined
  afterEach(async () => {
    await stopAll(clusters)
    clusters = []
    await old?.stop()
    old = undefined
  })

  it('an agent of wire 1 (StrictSign, no wire version in its user agent) is reported as peer:incompatible, counted, and never a member', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    const reports: IncompatiblePeer[] = []
    a.addEventListener('peer:incompatible', evt => { reports.push(evt.detail) })
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    expect(a.stats.incompatiblePeers).toBe(0)   // b, on our wire version, is not reported

    // behaves like a wire-1 agent: its user agent, gossipsub StrictSign, version-1 heartbeats
    const topic = heartbeatTopic('default')
    const node = old = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      nodeInfo: { userAgent: 'gossip-ring boot/0b8f2c9e-1111-4222-8333-944455556666' },
      services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictSign }) }
    })
    node.services.pubsub.subscribe(topic)
    await node.dial(multiaddr(a.multiaddrs[0] as string))
    let seq = 0
    const beat = (): void => {
      const heartbeat = HeartbeatMessage.encode({ version: 1, bootId: 'old-boot', seq: BigInt(++seq), leaving: false, groups: [{ name: 'g', weight: 1, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }], addrs: [], sentAtMs: BigInt(Date.now()), conflicts: [], watcher: false })
      void node.services.pubsub.publish(topic, heartbeat).catch(() => {})
    }
    await waitFor(() => { beat(); return reports.length > 0 }, { pollMs: 100, what: 'a to report the wire-1 agent' })
    expect(reports).toEqual([{ id: node.peerId.toString(), wireVersion: 1, agentVersion: 'gossip-ring boot/0b8f2c9e-1111-4222-8333-944455556666' }])
    expect(a.stats.incompatiblePeers).toBe(1)
    expect(b.stats.incompatiblePeers).toBe(0)
    for (let i = 0; i < 5; i++) beat()
    // its heartbeats never reach the cluster (gossipsub StrictNoSign refuses signed messages)
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    expect(memberIds(a, 'g')).toEqual([a.id, b.id].sort())
  })
})
