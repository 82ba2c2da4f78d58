import { afterEach, describe, expect, it } from 'vitest'
import { heartbeatTopic } from '../src/index.js'
import type { Cluster } from '../src/index.js'
import { gossipsubStream, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = heartbeatTopic('default')

function subscribed (cluster: Cluster, peer: Cluster): boolean {
  return cluster.libp2p.services.pubsub.getSubscribers(TOPIC).some(id => id.equals(peer.libp2p.peerId))
}

describe('connections that heal themselves', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('item 16: a peer that said goodbye is not redialled and is pruned from the peer store', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    expect(a.stats.knownPeers).toBe(1)
    await b.stop()
    await waitFor(() => a.stats.knownPeers === 0, { timeoutMs: 5000, what: 'a to stop tracking b' })
    await waitFor(() => a.libp2p.getConnections(b.libp2p.peerId).length === 0, { timeoutMs: 5000, what: 'the connection to close' })
    expect(await a.libp2p.peerStore.has(b.libp2p.peerId)).toBe(false)
    expect(a.stats).toMatchObject({ forgottenPeers: 1, dialFailures: 0 })
  })

  it('item 16: a timed-out peer is given up after redialGiveUpMs: no more dials, pruned from the peer store', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'], redialGiveUpMs: 2000 }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    await b.stop({ goodbye: false })
    await waitFor(() => a.stats.dialFailures > 0, { timeoutMs: 5000, what: 'a to try redialling the crashed b' })
    await waitFor(() => a.stats.knownPeers === 0, { timeoutMs: 10_000, what: 'a to give up on b' })
    expect(await a.libp2p.peerStore.has(b.libp2p.peerId)).toBe(false)
    expect(a.stats.forgottenPeers).toBe(1)
    expect(a.members('g').map(m => m.id)).toEqual([a.id])
  })

  it('item 15: a connected peer that gossipsub dropped (oversized frame) is repaired: its heartbeats count again', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    // b opens a new gossipsub stream to a and announces a frame far above gossipsub's inbound limit:
    // a's gossipsub replaces b's inbound stream with it, fails reading it and drops b as a peer
    const stream = await gossipsubStream(b, a)
    stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x01]))   // varint length 2^28 bytes
    await waitFor(() => !subscribed(a, b), { timeoutMs: 5000, what: 'a\'s gossipsub to drop b' })
    expect(a.libp2p.getConnections(b.libp2p.peerId).length).toBeGreaterThan(0)
    await waitFor(() => subscribed(a, b), { timeoutMs: 10_000, what: 'a to count b as a gossipsub peer again' })
    expect(a.stats.connectionRepairs).toBeGreaterThan(0)
    const seq = b.stats.published
    await waitFor(() => b.stats.published > seq + 2 && a.members('g').length === 2 && a.isConverged('g'), { timeoutMs: 10_000, what: 'b\'s heartbeats to reach a again' })
  })
})
