import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach } from 'vitest'
import type { Libp2p } from '@libp2p/interface'
import { pubsubService } from '../../src/pubsub.js'
import type { GossipSub } from '../../src/pubsub.js'
import { waitFor } from './wait-for.js'

/** A libp2p node with the cluster's gossipsub service and nothing of the cluster. */
export type GossipsubNode = Libp2p<{ pubsub: GossipSub }>

/**
 * A node on the memory transport (noise, yamux, identify) running gossipsub as the cluster
 * configures it (mesh degree 2, IHAVE to 2 peers, flood publish), subscribed to `topic`.
 */
export async function gossipsubNode (topic: string): Promise<GossipsubNode> {
  const libp2p = await createLibp2p({
    addresses: { listen: [`/memory/${crypto.randomUUID()}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: pubsubService({ local: true, meshDegree: 2, gossipPeers: 2, topic }) }
  })
  libp2p.services.pubsub.subscribe(topic)
  return libp2p
}

/** Stops every node (for `afterEach`). */
export async function stopNodes (nodes: readonly Libp2p[]): Promise<void> {
  await Promise.all(nodes.map(async node => { await node.stop() }))
}

/** A list for the nodes a test starts (push them as they are made): each is stopped after the test. Call in `describe`. */
export function stoppedAfterEach<T extends Libp2p = GossipsubNode> (): T[] {
  const nodes: T[] = []
  afterEach(async () => { await stopNodes(nodes.splice(0)) })
  return nodes
}

/** Two such nodes on `topic`, the first (the sender) dialled to the second, once the sender counts the receiver as subscribed. */
export async function subscribedPair (topic: string): Promise<[sender: GossipsubNode, receiver: GossipsubNode]> {
  const [sender, receiver] = await Promise.all([gossipsubNode(topic), gossipsubNode(topic)])
  try {
    await sender.dial(multiaddr(receiver.getMultiaddrs()[0] ?? ''))
    await waitFor(() => sender.services.pubsub.getSubscribers(topic).length === 1, { timeoutMs: 10_000, what: 'the receiver to be subscribed at the sender' })
  } catch (err) {
    await stopNodes([sender, receiver])
    throw err
  }
  return [sender, receiver]
}
