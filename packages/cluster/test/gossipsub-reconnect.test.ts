import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { stoppedAfterEach, subscribedPair } from './support/gossipsub-node.js'
import type { GossipsubNode } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'reconnect-test'

/** Gossipsub's own stream bookkeeping, which the exported interface does not declare. */
interface GossipsubStreams {
  streamsOutbound: ReadonlyMap<string, unknown>
}

/** Whether `from`'s gossipsub would send a message to `to` now: it counts `to` subscribed and has a stream open to it. */
function sendsTo (from: GossipsubNode, to: GossipsubNode): boolean {
  const pubsub = from.services.pubsub
  return pubsub.getSubscribers(TOPIC).some(id => id.equals(to.peerId)) &&
    (pubsub as unknown as GossipsubStreams).streamsOutbound.has(to.peerId.toString())
}

/** `sender` publishes `text` and it reaches `receiver` within 5 s (straight: they are the only two). */
async function reaches (sender: GossipsubNode, receiver: GossipsubNode, text: string): Promise<void> {
  let arrived = false
  const onMessage = ({ detail }: CustomEvent<{ msg: { data: Uint8Array } }>): void => {
    if (new TextDecoder().decode(detail.msg.data) === text) arrived = true
  }
  receiver.services.pubsub.addEventListener('gossipsub:message', onMessage)
  try {
    await sender.services.pubsub.publish(TOPIC, new TextEncoder().encode(text))
    await waitFor(() => arrived, { timeoutMs: 5000, what: `"${text}" to reach the receiver` })
  } finally {
    receiver.services.pubsub.removeEventListener('gossipsub:message', onMessage)
  }
}

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`, part 5. Gossipsub forgets a peer (closes its streams,
 * drops its subscriptions) when libp2p says it disconnected, and libp2p says so only after an
 * asynchronous peer store read: a peer that connected again meanwhile (a redial after a cut, a repair)
 * was forgotten with its new connection open, so the two sent each other nothing directly until
 * something else (identify on another connection, the dialer's repair) started gossipsub on it again.
 */
describe('gossipsub keeps a peer whose disconnect libp2p reports after it connected again (patched @libp2p/gossipsub)', () => {
  const nodes = stoppedAfterEach()

  it('a disconnect libp2p reports late, after the peer connected again, leaves the new connection\'s streams alone', async () => {
    const [a, b] = await subscribedPair(TOPIC)
    nodes.push(a, b)
    // libp2p tells gossipsub of a disconnect only after reading the peer's record from the peer store
    // (asynchronous: under load it takes long enough for a redial to complete first); hold that read
    let release = (): void => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    let disconnectRead: Promise<unknown> | undefined
    const get = a.peerStore.get.bind(a.peerStore)
    a.peerStore.get = async (peerId, options) => {
      const forDisconnect = new Error().stack?.includes('_onDisconnect') === true
      if (disconnectRead !== undefined || !forDisconnect || !peerId.equals(b.peerId)) return get(peerId, options)
      disconnectRead = held.then(async () => get(peerId, options))
      return disconnectRead as ReturnType<typeof get>
    }
    await a.hangUp(b.peerId)
    await waitFor(() => disconnectRead !== undefined, { timeoutMs: 5000, what: 'libp2p to read b\'s record for the disconnect' })
    await a.dial(multiaddr(b.getMultiaddrs()[0] ?? ''))
    await waitFor(() => sendsTo(a, b), { timeoutMs: 5000, what: 'a to send to b on the new connection' })
    release()
    await disconnectRead
    await new Promise(resolve => setImmediate(resolve)) // gossipsub hears of the disconnect in the read's continuation
    expect(a.getConnections(b.peerId)).toHaveLength(1)
    expect(sendsTo(a, b), 'a\'s gossipsub still sends to b, connected').toBe(true)
    await reaches(a, b, 'after the late disconnect')
  })
})
