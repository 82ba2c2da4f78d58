import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, it } from 'vitest'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { createCluster, heartbeatTopic } from '../src/index.js'
import type { Cluster } from '../src/index.js'
import { pubsubService } from '../src/pubsub.js'
import { FAST, stopAll, waitForAgreement } from './support/clusters.js'
import { stopNodes } from './support/gossipsub-node.js'

/** A node as the cluster builds one, on the memory transport, whose identify never runs by itself. */
async function nodeWithoutIdentifyOnConnect (privateKey: PrivateKey): ReturnType<typeof createLibp2p<{ identify: ReturnType<ReturnType<typeof identify>>, pubsub: ReturnType<ReturnType<typeof pubsubService>> }>> {
  return createLibp2p({
    privateKey,
    addresses: { listen: [`/memory/${crypto.randomUUID()}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify({ runOnConnectionOpen: false }),
      pubsub: pubsubService({ local: true, meshDegree: 1, gossipPeers: 2, topic: heartbeatTopic('default') })
    }
  })
}

/**
 * libp2p starts gossipsub on a connection once identify reports that the peer speaks it: under load
 * (50 agents on 2 cores) identify's round trips put 0.5-1 s between a new connection and the first
 * heartbeat over it. The cluster's dialer knows the peers it dials are agents and starts gossipsub
 * at once; here identify never runs, so heartbeats flow only if the dialer does that.
 */
describe('gossipsub on a dialled connection, without waiting for identify', () => {
  let clusters: Cluster[] = []
  let nodes: Libp2p[] = []
  afterEach(async () => {
    await stopAll(clusters)
    await stopNodes(nodes)
    clusters = []
    nodes = []
  })

  it('two agents whose identify never runs still hear each other, over the connection one of them dialled', async () => {
    const keys = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
    const [a, b] = await Promise.all([nodeWithoutIdentifyOnConnect(keys[0]), nodeWithoutIdentifyOnConnect(keys[1])])
    nodes = [a, b]
    const first = await createCluster({ ...FAST, libp2p: a, privateKey: keys[0], groups: ['g'] })
    clusters.push(first)
    clusters.push(await createCluster({ ...FAST, libp2p: b, privateKey: keys[1], groups: ['g'], bootstrap: a.getMultiaddrs().map(String) }))
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id), 5000)
  })
})
