import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { RPC } from '@libp2p/gossipsub/message'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import type { Connection, Libp2p } from '@libp2p/interface'
import { gossipsubNode, stopNodes } from './support/gossipsub-node.js'
import type { GossipsubNode } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'streams-test'
const GOSSIPSUB_PROTOCOL = '/meshsub/1.2.0'

type Node = GossipsubNode

async function node (): Promise<Node> {
  return gossipsubNode(TOPIC)
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
    await stopNodes(nodes)
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

/** A varint length prefix and the bytes: one frame of gossipsub's stream. */
function lengthPrefixed (bytes: Uint8Array): Uint8Array {
  const prefix: number[] = []
  let rest = bytes.byteLength
  while (rest >= 0x80) { prefix.push((rest & 0x7f) | 0x80); rest >>>= 7 }
  prefix.push(rest)
  return Uint8Array.from([...prefix, ...bytes])
}

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`, part 2: gossipsub reads its inbound streams from the
 * stream's message events with a length-prefixed decoder. Data that arrives before gossipsub listens
 * is handed over in one chunk; only a frame's length is limited, not a chunk's (a first version of the
 * patch ended the stream when a chunk held more than twice the frame limit, which dropped a peer that
 * sent a burst at once).
 */
describe('gossipsub reads a burst of frames in one chunk (patched @libp2p/gossipsub)', () => {
  let nodes: Libp2p[] = []
  afterEach(async () => {
    await stopNodes(nodes)
    nodes = []
  })

  it('delivers every message of a burst several times the frame limit, sent as the stream opens', async () => {
    const receiver = await node()
    const sender = await createLibp2p({
      addresses: { listen: [`/memory/${crypto.randomUUID()}`] },
      transports: [memory()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() }
    })
    nodes = [receiver, sender]
    // speaking gossipsub's protocol makes the receiver's gossipsub take the sender as a peer
    await sender.handle(GOSSIPSUB_PROTOCOL, () => {})
    let delivered = 0
    receiver.services.pubsub.addEventListener('message', () => { delivered++ })
    await sender.dial(multiaddr(receiver.getMultiaddrs()[0] ?? ''))
    await waitFor(() => receiver.services.pubsub.getPeers().some(id => id.equals(sender.peerId)), { timeoutMs: 5000, what: 'the receiver\'s gossipsub to add the sender' })
    const MESSAGES = 200 // of 1 kB: 200 kB in one send, over three times gossipsub's 64 kB frame limit here
    const frames = [lengthPrefixed(RPC.encode({ subscriptions: [{ subscribe: true, topic: TOPIC }], messages: [] }))]
    for (let i = 0; i < MESSAGES; i++) {
      const data = new Uint8Array(1024)
      new DataView(data.buffer).setUint32(0, i) // distinct: gossipsub drops duplicates
      frames.push(lengthPrefixed(RPC.encode({ subscriptions: [], messages: [{ topic: TOPIC, data }] })))
    }
    const burst = new Uint8Array(frames.reduce((sum, f) => sum + f.byteLength, 0))
    frames.reduce((offset, f) => { burst.set(f, offset); return offset + f.byteLength }, 0)
    const stream = await sender.dialProtocol(receiver.peerId, GOSSIPSUB_PROTOCOL)
    stream.send(burst)
    await waitFor(() => delivered === MESSAGES, { timeoutMs: 5000, what: `all ${MESSAGES} messages delivered` })
  })
})
