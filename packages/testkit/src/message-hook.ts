import { heartbeatAuthor } from '@gossip-ring/cluster'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { FaultDecision } from './faults.js'
import type { GossipSub, TopicValidatorFn } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'

/** Decides the fate of one received message, given its author's peer id and its size in bytes. */
export type MessageHook = (authorId: string, bytes: number) => FaultDecision

/** Waits `ms`; resolves false when the wait was cancelled (the network stopped), true otherwise. */
export type Sleep = (ms: number) => Promise<boolean>

/**
 * Puts a gossipsub topic validator on each topic that asks `hook` about every received message
 * (its author as the heartbeat envelope names it, unverified: the hook runs before the cluster's
 * validator; whatever path it took): dropped messages are ignored (neither delivered nor
 * forwarded), delayed ones are held back before delivery. A validator already on the topic (e.g.
 * the cluster's own) is chained after ours, not replaced. Returns a function that restores the
 * previous validators.
 *
 * Only the gossipsub import of the testkit lives here, so a switch of gossipsub package is one file.
 */
export function installMessageHook (libp2p: Libp2p, topics: Iterable<string>, hook: MessageHook, sleep: Sleep): () => void {
  const pubsub = gossipsubOf(libp2p)
  const previous = new Map<string, TopicValidatorFn | undefined>()
  for (const topic of new Set(topics)) {
    const inner = pubsub.topicValidators.get(topic)
    previous.set(topic, inner)
    pubsub.topicValidators.set(topic, async (peer, message) => {
      const author = heartbeatAuthor(message.data)
      if (author !== undefined) {
        const decision = hook(author, message.data.byteLength)
        if (decision.drop) return TopicValidatorResult.Ignore
        if (decision.delayMs > 0 && !(await sleep(decision.delayMs))) return TopicValidatorResult.Ignore
      }
      return inner === undefined ? TopicValidatorResult.Accept : await inner(peer, message)
    })
  }
  return () => {
    for (const [topic, inner] of previous) {
      if (inner === undefined) pubsub.topicValidators.delete(topic)
      else pubsub.topicValidators.set(topic, inner)
    }
  }
}

/** The topics the node's gossipsub is subscribed to. */
export function subscribedTopics (libp2p: Libp2p): string[] {
  return gossipsubOf(libp2p).getTopics()
}

function gossipsubOf (libp2p: Libp2p): GossipSub {
  const pubsub = (libp2p.services as Record<string, unknown>).pubsub as Partial<GossipSub> | undefined
  if (!(pubsub?.topicValidators instanceof Map)) {
    throw new TypeError('the cluster node has no gossipsub service at libp2p.services.pubsub')
  }
  return pubsub as GossipSub
}
