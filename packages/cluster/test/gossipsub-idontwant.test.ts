import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { forwardWhen } from '../src/pubsub.js'
import { WIRE_LIMITS } from '../src/wire/limits.js'
import { gossipsubNode, stoppedAfterEach } from './support/gossipsub-node.js'
import type { GossipsubNode } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'idontwant-test'

interface ControlRpc { control?: { idontwant?: unknown[] } }

/** Counts the IDONTWANT entries `node` sends (gossipsub's two ways of sending an RPC, wrapped). */
function countIDontWantsSent (node: GossipsubNode): () => number {
  const pubsub = node.services.pubsub as unknown as {
    sendRpc: (id: string, rpc: ControlRpc) => boolean
    sendRpcInBatch: (ids: Set<string>, rpc: ControlRpc) => void
  }
  const sendOne = pubsub.sendRpc.bind(pubsub)
  const sendMany = pubsub.sendRpcInBatch.bind(pubsub)
  let sent = 0
  pubsub.sendRpc = (id, rpc) => {
    sent += rpc.control?.idontwant?.length ?? 0
    return sendOne(id, rpc)
  }
  pubsub.sendRpcInBatch = (ids, rpc) => {
    sent += (rpc.control?.idontwant?.length ?? 0) * ids.size
    sendMany(ids, rpc)
  }
  return () => sent
}

/**
 * Gossipsub 1.2 answers every received message of 512 bytes or more with an IDONTWANT frame to each
 * other mesh peer. For a heartbeat that frame costs about what the heartbeat does (a send, an
 * encryption, a decryption and a decode), and it saves a copy only when a mesh peer was about to
 * forward the same one; at 50 agents with a peer set of 3 the IDONTWANTs took 8% of the CPU. The
 * cluster's gossipsub sends none for anything up to the largest heartbeat.
 */
describe('the cluster\'s gossipsub sends no IDONTWANT for a heartbeat', () => {
  const nodes = stoppedAfterEach()

  it('forwards the largest heartbeat along a line of three nodes without an IDONTWANT', async () => {
    const [a, b, c] = await Promise.all([gossipsubNode(TOPIC), gossipsubNode(TOPIC), gossipsubNode(TOPIC)])
    nodes.push(a, b, c)
    await a.dial(multiaddr(b.getMultiaddrs()[0] ?? ''))
    await b.dial(multiaddr(c.getMultiaddrs()[0] ?? ''))
    const meshOfB = (): string[] => (b.services.pubsub as unknown as { getMeshPeers: (topic: string) => string[] }).getMeshPeers(TOPIC)
    await waitFor(() => meshOfB().includes(c.peerId.toString()) && a.services.pubsub.getSubscribers(TOPIC).length === 1,
      { timeoutMs: 10_000, what: 'c in the mesh of b, b subscribed at a' })

    const idontwantsOfB = countIDontWantsSent(b)
    forwardWhen(b.services.pubsub, () => true)
    let heardByC = 0
    forwardWhen(c.services.pubsub, () => { heardByC++; return false })
    await a.services.pubsub.publish(TOPIC, new Uint8Array(WIRE_LIMITS.maxEnvelopeBytes).fill(7))
    await waitFor(() => heardByC === 1, { timeoutMs: 10_000, what: 'the message to reach c through b' })

    expect(idontwantsOfB()).toBe(0)
  })
})
