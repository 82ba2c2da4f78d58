import { afterEach, describe, expect, it } from 'vitest'
import { forwardWhen } from '../src/pubsub.js'
import { stoppedAfterEach, subscribedPair } from './support/gossipsub-node.js'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'message-event-test'
const MESSAGES = 3

/**
 * `patches/@libp2p__gossipsub@17.1.1.patch`, part 4: gossipsub built and dispatched a 'message'
 * event for every message it delivered, on top of the 'gossipsub:message' event the cluster
 * listens to, though nothing listened: one event object and one dispatch per heartbeat for nothing.
 * The patched gossipsub dispatches it only while someone listens (the metrics package does).
 */
describe('gossipsub dispatches its \'message\' event only to listeners (patched @libp2p/gossipsub)', () => {
  const nodes = stoppedAfterEach()
  const RealCustomEvent = globalThis.CustomEvent
  afterEach(() => { globalThis.CustomEvent = RealCustomEvent })

  it('builds no \'message\' event without a listener, and delivers each message to one that listens', async () => {
    const [sender, receiver] = await subscribedPair(TOPIC)
    nodes.push(sender, receiver)

    let built = 0
    globalThis.CustomEvent = class CountingCustomEvent<T> extends RealCustomEvent<T> {
      constructor (type: string, init?: CustomEventInit<T>) {
        super(type, init)
        if (type === 'message') built++
      }
    }
    let delivered = 0
    forwardWhen(receiver.services.pubsub, () => {
      delivered++
      return false
    })
    const publish = async (from: number): Promise<void> => {
      for (let i = from; i < from + MESSAGES; i++) await sender.services.pubsub.publish(TOPIC, Uint8Array.of(i))
    }

    await publish(0)
    await waitFor(() => delivered === MESSAGES, { timeoutMs: 10_000, what: 'the first messages to be delivered' })
    expect(built).toBe(0)

    const heard: number[] = []
    receiver.services.pubsub.addEventListener('message', evt => { heard.push(evt.detail.data[0] ?? -1) })
    await publish(MESSAGES)
    await waitFor(() => delivered === 2 * MESSAGES, { timeoutMs: 10_000, what: 'the later messages to be delivered' })
    expect(built).toBe(MESSAGES)
    expect(heard).toEqual([3, 4, 5])
  })
})
