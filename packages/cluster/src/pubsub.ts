/**
 * The only file that imports gossipsub. `@libp2p/gossipsub` is the libp2p v3 continuation of
 * `@chainsafe/libp2p-gossipsub` (whose v14 is silently dead on libp2p v3, see LIBP2P-NOTES.md);
 * switching back is a change of the import below.
 */
import { gossipsub, StrictSign, TopicValidatorResult } from '@libp2p/gossipsub'
import type { GossipSub, Message, TopicValidatorFn } from '@libp2p/gossipsub'
import { WIRE_LIMITS } from './wire/limits.js'

export type { GossipSub, Message }

/**
 * Installs `check` as the validator of `topic`: messages it refuses are neither delivered nor
 * forwarded to other peers (and count against the sender's gossipsub score). Returns the remover.
 */
export function validateTopic (pubsub: GossipSub, topic: string, check: (message: Message) => boolean): () => void {
  const validator: TopicValidatorFn = (_from, message) => check(message) ? TopicValidatorResult.Accept : TopicValidatorResult.Reject
  pubsub.topicValidators.set(topic, validator)
  return () => {
    if (pubsub.topicValidators.get(topic) === validator) pubsub.topicValidators.delete(topic)
  }
}

/** Peers each node gossips IHAVE to per gossipsub heartbeat (at least; gossipsub adds a quarter of the non-mesh peers). */
const GOSSIP_PEERS = 4

/**
 * Gossipsub mesh parameters for a target degree `D`: low/high watermarks around it (D=4 gives
 * main's 3/6), peers kept by score, and an outbound quota below both the low watermark and D/2
 * (gossipsub's own invariants).
 * Only the mesh and gossip parameters live here (scoring is tuned elsewhere).
 */
export function meshParams (D: number): { D: number, Dlo: number, Dhi: number, Dscore: number, Dout: number, Dlazy: number } {
  const Dlo = Math.max(1, D - 1)
  return { D, Dlo, Dhi: Math.ceil(1.5 * D), Dscore: Math.min(D, 4), Dout: Math.min(Math.floor(D / 2), Dlo - 1), Dlazy: GOSSIP_PEERS }
}

/** How the pubsub service is tuned. */
export interface PubSubInit {
  /** Many nodes on one host: no IP-colocation penalty (it greylists every node on 127.0.0.1). */
  local: boolean
  /** Gossipsub mesh degree (`ClusterInit.meshDegree`). */
  meshDegree: number
}

/**
 * Gossipsub service factory for `createLibp2p({ services: { pubsub } })`: signed messages only
 * (the signer is the member id), no self delivery, publishing with no subscribed peer fails (so we
 * can tell), and inbound RPC frames bounded to a few heartbeats.
 */
export function pubsubService (init: PubSubInit): ReturnType<typeof gossipsub> {
  return gossipsub({
    globalSignaturePolicy: StrictSign,
    emitSelf: false,
    allowPublishToZeroTopicPeers: false,
    // an RPC frame may batch several heartbeats plus control messages; anything past this is refused
    // by gossipsub before decoding, while a single oversized heartbeat still reaches our codec and is counted
    maxInboundDataLength: 4 * WIRE_LIMITS.maxHeartbeatBytes,
    // each heartbeat reaches a node once per mesh/flood path; without a fast id gossipsub checks the
    // signature of every copy before it notices the duplicate (measured: ~15% of a 10-node process's CPU)
    fastMsgIdFn: signedMessageKey,
    // every agent connects to every other and flood-publishes its own heartbeats, so each one already
    // reaches every peer directly; the mesh only adds redundant copies, and each copy costs a decrypt
    // and a decode. The mesh (and IHAVE/IWANT gossip, kept on) is what carries a heartbeat over a cut link
    ...meshParams(init.meshDegree),
    ...(init.local ? { scoreParams: { IPColocationFactorWeight: 0 } } : {})
  })
}

/**
 * The (author, sequence number) pair of a raw message, which under StrictSign is exactly its
 * message id: duplicates are recognised before their signature is checked again. Safe: gossipsub
 * caches this key only after the first copy's signature verified, so a forged copy cannot
 * shadow a genuine one.
 */
export function signedMessageKey (message: { from?: Uint8Array, seqno?: Uint8Array }): string {
  return `${hex(message.from)}/${hex(message.seqno)}`
}

function hex (bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** True when `pubsub` is a gossipsub service that signs and checks signatures. */
export function isStrictSignPubSub (pubsub: unknown): pubsub is GossipSub {
  const candidate = pubsub as Partial<GossipSub> | undefined
  return typeof candidate?.publish === 'function' &&
    typeof candidate.subscribe === 'function' &&
    candidate.globalSignaturePolicy === StrictSign
}

/** True for gossipsub's "nobody subscribed to this topic is connected" publish failure: normal while alone. */
export function isNoPeersError (err: unknown): boolean {
  return (err as Error | undefined)?.message === 'PublishError.NoPeersSubscribedToTopic'
}

/** The verified sender of a message: the signer's peer id, or undefined for an unsigned message. */
export function signerOf (message: Message): string | undefined {
  return message.type === 'signed' ? message.from.toString() : undefined
}
