import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { HeartbeatRelay } from '../src/heartbeat-relay.js'
import type { HeartbeatRelayComponents } from '../src/heartbeat-relay.js'
import { HeartbeatSealer } from '../src/wire/envelope.js'

const TOPIC = 'gossip-ring/test/heartbeat/1'

/** Stands for gossipsub's per-copy entry point, which drops duplicates before anything else sees them. */
interface FakePubSub { handleReceivedMessage: (from: PeerId, message: { topic: string, data?: Uint8Array }) => Promise<void> }

/**
 * Only what the relay reads: connection events and connections, who is a member, the member timings,
 * and gossipsub's per-copy entry point (a unit test of its wiring).
 */
function relayWith (members: string[], connected: string[] = members): { relay: HeartbeatRelay, libp2p: EventTarget, pubsub: FakePubSub, beats: () => number } {
  const libp2p = Object.assign(new EventTarget(), {
    getConnections: () => connected.map((id) => ({ remotePeer: { toString: () => id } }))
  })
  const pubsub: FakePubSub = { handleReceivedMessage: async () => {} }
  let beats = 0
  const timings = { heartbeatIntervalMs: 1000, memberTimeoutMs: 5000 }
  const components = {
    libp2p,
    pubsub,
    membership: {
      isMember: (id: string) => members.includes(id),
      knownGroups: () => ['g'],
      members: () => members.map((id) => ({ id })),
      timingsOf: () => timings,
      timings
    },
    beatSoon: () => { beats++ }
  } as unknown as HeartbeatRelayComponents
  const relay = new HeartbeatRelay(components, { selfId: 'self', mode: 'on-demand', topic: TOPIC })
  return { relay, libp2p, pubsub, beats: () => beats }
}

const disconnect = (id: string): CustomEvent => new CustomEvent('peer:disconnect', { detail: { toString: () => id } })

describe('HeartbeatRelay', () => {
  it('beats early when the connection to a member drops (its next request names that member), not for other peers, not once stopped', () => {
    const { relay, libp2p, beats } = relayWith(['m'])
    relay.start()
    libp2p.dispatchEvent(disconnect('m'))
    expect(beats()).toBe(1)
    libp2p.dispatchEvent(disconnect('stranger'))
    expect(beats()).toBe(1)
    relay.stop()
    libp2p.dispatchEvent(disconnect('m'))
    expect(beats()).toBe(1)
  })

  it('counts an author as heard directly from any copy the author sent itself, also one gossipsub drops as a duplicate because a relayed copy came first', async () => {
    const authorKey = await generateKeyPair('Ed25519')
    const author = peerIdFromPrivateKey(authorKey)
    const relayer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const data = new HeartbeatSealer(authorKey, TOPIC).seal(Uint8Array.of(1, 2, 3))
    const { relay, pubsub } = relayWith([author.toString()])
    const original = pubsub.handleReceivedMessage
    relay.start()
    // never heard straight from the author: asked for
    expect(relay.request().unheard).toEqual([author.toString()])
    // a copy relayed by another peer does not count, nor does one on another topic
    await pubsub.handleReceivedMessage(relayer, { topic: TOPIC, data })
    await pubsub.handleReceivedMessage(author, { topic: 'other', data })
    expect(relay.request().unheard).toEqual([author.toString()])
    // the author's own copy counts whether or not gossipsub then drops it as a duplicate
    await pubsub.handleReceivedMessage(author, { topic: TOPIC, data })
    expect(relay.request().unheard).toEqual([])
    relay.stop()
    expect(pubsub.handleReceivedMessage).toBe(original)
  })
})
