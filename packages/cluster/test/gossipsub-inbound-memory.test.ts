import { describe, expect, it } from 'vitest'
import { forwardWhen } from '../src/pubsub.js'
import { stoppedAfterEach, subscribedPair } from './support/gossipsub-node.js'
import { heldBytes } from './support/held-bytes.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'inbound-memory-test'
const MESSAGES = 2_000
const MESSAGE_BYTES = 16 * 1024
/** What the messages weigh together: 32 MB. */
const SENT_BYTES = MESSAGES * MESSAGE_BYTES

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`, part 2 reads each inbound stream from its 'message'
 * events; the stream's old async-iterator `source` was still built for every inbound stream, and it
 * buffered every chunk the stream received for an iterator nobody read: an agent kept every byte
 * its peers ever sent it for as long as the connection lived (20 agents at one heartbeat a second:
 * about 20 MB an hour each). The source is now built only when read (`awaitRpcHandler`).
 */
describe('gossipsub keeps nothing of what it received and handled (patched @libp2p/gossipsub)', () => {
  const nodes = stoppedAfterEach()

  it('after 32 MB through one inbound stream, the receiver holds less than a quarter of it once its caches expire', async () => {
    const [sender, receiver] = await subscribedPair(TOPIC)
    nodes.push(sender, receiver)
    let delivered = 0
    forwardWhen(receiver.services.pubsub, () => {
      delivered++
      return false
    })
    const before = heldBytes()
    for (let i = 0; i < MESSAGES; i++) {
      const data = new Uint8Array(MESSAGE_BYTES)
      new DataView(data.buffer).setUint32(0, i)
      await sender.services.pubsub.publish(TOPIC, data)
    }
    await waitFor(() => delivered === MESSAGES, { timeoutMs: 30_000, what: 'every message to be delivered' })
    // gossipsub's message cache holds each message for a few of its heartbeats (250 ms here): wait them out
    let held = Number.POSITIVE_INFINITY
    await waitFor(() => {
      held = heldBytes() - before
      return held < SENT_BYTES / 4
    }, { timeoutMs: 10_000, pollMs: 250, what: 'the received messages to be released' }).catch(() => {})
    expect(held).toBeLessThan(SENT_BYTES / 4)
  }, 60_000)
})
