import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import type { PeerId } from '@libp2p/interface'
import { forwardWhen, heartbeatMessageIds } from '../src/pubsub.js'
import { gossipsubNode, stoppedAfterEach } from './support/gossipsub-node.js'
import type { GossipsubNode } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'gossip-test'
const NODES = 5
const ROUNDS = 12
/** Longer than gossipsub's heartbeat (250 ms here): every message is in at least one gossip round. */
const ROUND_MS = 300

interface GossipInternals {
  msgIdToStrFn: (id: Uint8Array) => string
  handleIHave: (from: PeerId, ihave: Array<{ topicID?: string, messageIDs: Uint8Array[] }>) => unknown
}

function internals (node: GossipsubNode): GossipInternals {
  return node.services.pubsub as unknown as GossipInternals
}

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`, part 3: a message the node flood-published to every
 * topic peer is left out of its IHAVE gossip. Gossip goes only to topic peers, which all had it
 * already: in a fully connected fleet each IHAVE of one's own heartbeat was a frame its receiver
 * decrypted, decoded and looked up for nothing (about 6 per node per heartbeat interval at 20 nodes:
 * 2 gossip peers in each of 3 gossip rounds). Messages the node forwards are still gossiped.
 */
describe('gossipsub gossips only what it forwards, not what it flood-published (patched @libp2p/gossipsub)', () => {
  const nodes = stoppedAfterEach()

  it('no IHAVE names a message its sender flood-published; one that forwards every message gossips them', async () => {
    nodes.push(...await Promise.all(Array.from({ length: NODES }, async () => gossipsubNode(TOPIC))))
    for (const [i, a] of nodes.entries()) {
      for (const b of nodes.slice(i + 1)) await a.dial(multiaddr(b.getMultiaddrs()[0] ?? ''))
    }
    await waitFor(() => nodes.every(n => n.services.pubsub.getSubscribers(TOPIC).length === NODES - 1), { timeoutMs: 10_000, what: 'every node to count every other as subscribed' })
    // the last node forwards every message it receives (as a relay does); the others forward nothing
    const relay = nodes[NODES - 1] as GossipsubNode
    forwardWhen(relay.services.pubsub, () => true)

    const authorOf = new Map<string, string>()
    const advertised: Array<{ from: string, author: string | undefined }> = []
    for (const node of nodes) {
      const pubsub = internals(node)
      const handleIHave = pubsub.handleIHave.bind(pubsub)
      pubsub.handleIHave = (from, ihave) => {
        for (const { messageIDs } of ihave) {
          for (const id of messageIDs) advertised.push({ from: from.toString(), author: authorOf.get(pubsub.msgIdToStrFn(id)) })
        }
        return handleIHave(from, ihave)
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, node] of nodes.slice(0, NODES - 1).entries()) {
        const data = new TextEncoder().encode(`node ${i} round ${round}`)
        authorOf.set(internals(node).msgIdToStrFn(heartbeatMessageIds.msgIdFn({ data })), node.peerId.toString())
        await node.services.pubsub.publish(TOPIC, data)
      }
      await new Promise(resolve => setTimeout(resolve, ROUND_MS))
    }
    const ownAdvertised = advertised.filter(a => a.from === a.author)
    const relayed = advertised.filter(a => a.from === relay.peerId.toString() && a.author !== undefined && a.author !== a.from)
    expect(ownAdvertised).toEqual([])
    expect(relayed.length).toBeGreaterThan(0)
  })
})
