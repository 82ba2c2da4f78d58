import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import type { Connection, Libp2p } from '@libp2p/interface'
import { pubsubService } from '../src/pubsub.js'
import type { GossipSub } from '../src/pubsub.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'streams-test'

type Node = Libp2p<{ pubsub: GossipSub }>

async function node (): Promise<Node> {
  const libp2p = await createLibp2p({
    addresses: { listen: [`/memory/${crypto.randomUUID()}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: pubsubService({ local: true, meshDegree: 2, gossipPeers: 2, topic: TOPIC }) }
  })
  libp2p.services.pubsub.subscribe(TOPIC)
  return libp2p
}

function counts (observer: Node, peer: Node): boolean {
  return observer.services.pubsub.getSubscribers(TOPIC).some(id => id.equals(peer.peerId))
}

/**
 * Makes `connection` behave like a link to a peer that does not answer gossipsub's protocol
 * negotiation (a far or overloaded peer): opening a gossipsub stream on it waits until `released`,
 * then fails as libp2p's negotiation timeout would. Other protocols (identify) work.
 */
function stallGossipsubStreams (connection: Connection, released: Promise<void>): void {
  const newStream = connection.newStream.bind(connection)
  connection.newStream = async (protocols, options) => {
    const list = Array.isArray(protocols) ? protocols : [protocols]
    if (!list.some(protocol => protocol.startsWith('/meshsub/'))) return newStream(protocols, options)
    await released
    throw new Error('protocol negotiation timed out')
  }
}

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`: gossipsub opened its outbound stream (which carries
 * our subscriptions, and every message we send) to one new peer at a time, for all peers. One peer
 * slow to answer (a far link, a loaded event loop: 50 agents on 2 cores took seconds per peer) held up
 * every peer that connected after it, up to libp2p's 10 s negotiation timeout each.
 */
describe('gossipsub opens its streams to new peers in parallel (patched @libp2p/gossipsub)', () => {
  let nodes: Node[] = []
  let release = (): void => {}
  afterEach(async () => {
    release()
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('a peer that does not answer does not hold up the streams to peers that connect after it', async () => {
    const released = new Promise<void>((resolve) => { release = resolve })
    const hub = await node()
    const slow = await node()
    const fast = await Promise.all([node(), node(), node()])
    nodes = [hub, slow, ...fast]
    hub.addEventListener('connection:open', ({ detail }) => {
      if (detail.remotePeer.equals(slow.peerId)) stallGossipsubStreams(detail, released)
    })
    await hub.dial(multiaddr(slow.getMultiaddrs()[0] ?? ''))
    // the hub's gossipsub has the slow peer: its stream to it is being opened (and stalls)
    await waitFor(() => hub.services.pubsub.getPeers().some(id => id.equals(slow.peerId)), { timeoutMs: 5000, what: 'the hub\'s gossipsub to add the slow peer' })
    await Promise.all(fast.map(async f => f.dial(multiaddr(hub.getMultiaddrs()[0] ?? ''))))
    // unpatched, they wait for the slow peer's stream to fail (never, here; 10 s in libp2p)
    await waitFor(() => fast.every(f => counts(f, hub)), { timeoutMs: 5000, what: 'the peers connected after the slow one to count the hub as subscribed' })
    expect(counts(slow, hub)).toBe(false)
  })
})
