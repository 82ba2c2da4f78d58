import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { memory } from '@libp2p/memory'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p, Stream } from '@libp2p/interface'
import { waitFor } from './support/wait-for.js'

const PROTOCOL = '/yamux-window-test/1.0.0'
/** yamux's frame type of a window update (its spec: 0 data, 1 window update, 2 ping, 3 go away). */
const WINDOW_UPDATE = 1

type YamuxFactory = ReturnType<typeof yamux>
interface CountingMuxer { handleFrame: (frame: { header: { type: number } }) => void }

/** yamux, with a count of the window-update frames each muxer receives (all connections together). */
function countingYamux (): { factory: YamuxFactory, windowUpdatesReceived: () => number } {
  let windowUpdates = 0
  const inner = yamux()
  const factory: YamuxFactory = () => {
    const muxerFactory = inner()
    const create = muxerFactory.createStreamMuxer.bind(muxerFactory)
    muxerFactory.createStreamMuxer = (maConn) => {
      const muxer = create(maConn)
      const counting = muxer as unknown as CountingMuxer
      const handle = counting.handleFrame.bind(muxer)
      counting.handleFrame = (frame) => {
        if (frame.header.type === WINDOW_UPDATE) windowUpdates++
        handle(frame)
      }
      return muxer
    }
    return muxerFactory
  }
  return { factory, windowUpdatesReceived: () => windowUpdates }
}

async function node (muxer: YamuxFactory): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [`/memory/${crypto.randomUUID()}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [muxer]
  })
}

/** Sends `count` messages of `bytes` bytes each, waiting for the window when the stream asks to. */
async function sendMessages (stream: Stream, count: number, bytes: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!stream.send(new Uint8Array(bytes).fill(i % 256))) await stream.onDrain()
  }
}

/**
 * `patches/@chainsafe__libp2p-yamux@8.0.1.patch`: the receiver of a data frame answered every one
 * with a window-update frame, so each small message (a heartbeat) cost two frames through noise and
 * the transport, one each way. Like go-yamux, it now tells the sender once half the window is used.
 */
describe('yamux window updates (patched @chainsafe/libp2p-yamux)', () => {
  let nodes: Libp2p[] = []
  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  async function pair (): Promise<{ sender: Libp2p, received: () => number, windowUpdatesAtSender: () => number }> {
    const senderMuxer = countingYamux()
    const sender = await node(senderMuxer.factory)
    const receiver = await node(yamux())
    nodes = [sender, receiver]
    let received = 0
    await receiver.handle(PROTOCOL, (stream) => {
      stream.addEventListener('message', (evt) => { received += evt.data.byteLength })
    })
    await sender.dial(multiaddr(receiver.getMultiaddrs()[0] ?? ''))
    return { sender, received: () => received, windowUpdatesAtSender: senderMuxer.windowUpdatesReceived }
  }

  it('small messages are not answered by a window update each', async () => {
    const { sender, received, windowUpdatesAtSender } = await pair()
    const stream = await sender.dialProtocol(pairPeer(sender), PROTOCOL)
    const before = windowUpdatesAtSender()
    await sendMessages(stream, 200, 200) // 40 kB: a sixth of yamux's initial 256 kB window
    await waitFor(() => received() === 200 * 200, { timeoutMs: 5000, what: 'the receiver to read all 200 messages' })
    // unpatched: one per message (about 200); at most the stream's acknowledgement here
    expect(windowUpdatesAtSender() - before).toBeLessThanOrEqual(1)
  })

  it('a transfer many times the window still completes: the window is updated when half is used', async () => {
    const { sender, received, windowUpdatesAtSender } = await pair()
    const stream = await sender.dialProtocol(pairPeer(sender), PROTOCOL)
    const before = windowUpdatesAtSender()
    await sendMessages(stream, 256, 16 * 1024) // 4 MB through a 256 kB initial window
    await waitFor(() => received() === 256 * 16 * 1024, { timeoutMs: 10_000, what: 'the receiver to read all 4 MB' })
    const updates = windowUpdatesAtSender() - before
    expect(updates).toBeGreaterThan(0)
    expect(updates).toBeLessThan(64) // unpatched: one per data frame, 256 or more
  })
})

function pairPeer (sender: Libp2p): Libp2p['peerId'] {
  const remote = sender.getConnections()[0]?.remotePeer
  if (remote === undefined) throw new Error('the sender is not connected')
  return remote
}
