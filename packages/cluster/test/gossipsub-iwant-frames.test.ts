import { describe, expect, it } from 'vitest'
import { observeEveryCopy } from '../src/gossipsub-hooks.js'
import { heartbeatMessageIds } from '../src/pubsub.js'
import type { GossipSub } from '../src/pubsub.js'
import { WIRE_LIMITS } from '../src/wire/limits.js'
import { stoppedAfterEach, subscribedPair } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'iwant-frames-test'
/** Near the largest envelope an agent sends (groups with metadata up to the 16 KiB heartbeat limit). */
const MESSAGE_BYTES = WIRE_LIMITS.maxEnvelopeBytes - 64
const MESSAGES = 8

/** Gossipsub's own RPC sender, which the `GossipSub` interface does not declare: how a node asks for messages by IWANT. */
interface RpcSender { sendRpc: (peerId: string, rpc: unknown) => boolean }

/**
 * Gossipsub answers an IWANT with every message asked for in one RPC frame, and our nodes refuse an
 * inbound frame above 4 largest heartbeats (`maxInboundDataLength`): a peer that asked an honest
 * agent for 5 or more large heartbeats at once (after a heal, from IHAVE gossip) reset the stream and
 * dropped the agent as a gossipsub peer, and got none of them. The gossipsub patch splits an RPC's
 * messages over frames that each stay within the limit.
 */
describe('an IWANT answer of many large heartbeats (patched @libp2p/gossipsub)', () => {
  const nodes = stoppedAfterEach()

  it('reaches the asker in frames it accepts: every message arrives and the peers stay subscribed', async () => {
    const [sender, receiver] = await subscribedPair(TOPIC)
    nodes.push(sender, receiver)
    const datas = Array.from({ length: MESSAGES }, (_, i) => new Uint8Array(MESSAGE_BYTES).fill(i + 1))
    const ids = datas.map(data => heartbeatMessageIds.msgIdFn({ data }))
    let copies = 0
    observeEveryCopy(receiver.services.pubsub, (_from, topic, data) => { if (topic === TOPIC && data?.byteLength === MESSAGE_BYTES) copies++ })
    for (const data of datas) await sender.services.pubsub.publish(TOPIC, data)
    await waitFor(() => copies === MESSAGES, { what: 'the published copies' })

    // the receiver asks for all of them again at once, as after IHAVE gossip of what it missed
    const sent = (receiver.services.pubsub as unknown as RpcSender).sendRpc(sender.peerId.toString(), {
      subscriptions: [], messages: [], control: { ihave: [], iwant: [{ messageIDs: ids }], graft: [], prune: [], idontwant: [] }
    })
    expect(sent).toBe(true)
    await waitFor(() => copies === 2 * MESSAGES || !subscribedAt(receiver.services.pubsub, sender.peerId.toString()), { what: 'the answer' })
    expect(subscribedAt(receiver.services.pubsub, sender.peerId.toString())).toBe(true)
    await waitFor(() => copies === 2 * MESSAGES, { what: `every message asked for (got ${copies - MESSAGES} of ${MESSAGES})` })
  })
})

function subscribedAt (pubsub: GossipSub, peerId: string): boolean {
  return pubsub.getSubscribers(TOPIC).some(id => id.toString() === peerId)
}
