/**
 * The only file that imports gossipsub. `@libp2p/gossipsub` is the libp2p v3 continuation of
 * `@chainsafe/libp2p-gossipsub` (whose v14 is silently dead on libp2p v3, see LIBP2P-NOTES.md);
 * switching back is a change of the import below.
 */
import { hash } from 'node:crypto'
import { gossipsub, StrictNoSign, TopicValidatorResult } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import type { GossipSub, Message, TopicValidatorFn } from '@libp2p/gossipsub'
import type { PeerScoreParams } from '@libp2p/gossipsub/score'
import type { Connection, PeerId } from '@libp2p/interface'
import { WIRE_LIMITS } from './wire/limits.js'

export type { GossipSub, Message }

/**
 * What a topic validator decides: deliver and forward; refuse and penalise the peer that relayed it
 * (gossipsub's invalid-delivery score); or refuse without penalty (the relayer may be honest).
 */
export type Verdict = 'accept' | 'reject' | 'ignore'

const RESULT_OF: Record<Verdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  reject: TopicValidatorResult.Reject,
  ignore: TopicValidatorResult.Ignore
}

/**
 * Installs `check` as the validator of `topic` (`relayer` is the peer id the message came from):
 * messages it refuses are neither delivered nor forwarded to other peers. Returns the remover.
 */
export function validateTopic (pubsub: GossipSub, topic: string, check: (message: Message, relayer: string) => Verdict): () => void {
  const validator: TopicValidatorFn = (from, message) => RESULT_OF[check(message, from.toString())]
  pubsub.topicValidators.set(topic, validator)
  return () => {
    if (pubsub.topicValidators.get(topic) === validator) pubsub.topicValidators.delete(topic)
  }
}

/** What gossipsub hands its 'gossipsub:message' listeners: the message, its id and the peer it came from. */
export interface DeliveredMessage {
  msg: Message
  msgId: string
  propagationSource: { toString: () => string }
}

interface AsyncValidation {
  reportMessageValidationResult: (msgId: string, propagationSource: string, acceptance: TopicValidatorResult) => void
}

/**
 * Calls `decide` for every message gossipsub delivers (they passed the topic validators) and
 * tells gossipsub whether to forward it: to its mesh peers and in IHAVE gossip, or not at all. The
 * service runs with `asyncValidation`, so nothing is forwarded until told. Returns the remover.
 */
export function forwardWhen (pubsub: GossipSub, decide: (delivered: DeliveredMessage) => boolean): () => void {
  const onDelivered = ({ detail }: CustomEvent<DeliveredMessage>): void => {
    const verdict = decide(detail) ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    // the implementation has it; the exported `GossipSub` interface does not declare it
    ;(pubsub as unknown as AsyncValidation).reportMessageValidationResult(detail.msgId, detail.propagationSource.toString(), verdict)
  }
  pubsub.addEventListener('gossipsub:message', onDelivered)
  return () => { pubsub.removeEventListener('gossipsub:message', onDelivered) }
}

interface TopologyHook {
  onPeerConnected: (peerId: PeerId, connection: Connection) => void
}

/**
 * Starts gossipsub on a connection now, as libp2p would once identify reports that the peer speaks
 * gossipsub: it takes the peer and opens its stream (which carries our subscriptions), and the peer's
 * gossipsub answers with its own. For connections to peers known to run gossip-ring: under load,
 * identify's round trips put 0.5-1 s between a connection and its first heartbeat (50 agents on 2
 * cores). Gossipsub does the same for the peers it dials itself (peer exchange). Uses the
 * implementation's topology handler, which the exported `GossipSub` interface does not declare; a
 * no-op with an implementation that has none (identify then starts it, as always).
 */
export function startGossipOn (pubsub: GossipSub, peerId: PeerId, connection: Connection): void {
  const hook = (pubsub as unknown as Partial<TopologyHook>).onPeerConnected
  if (typeof hook === 'function') hook.call(pubsub, peerId, connection)
}

interface OutboundStreams {
  streamsOutbound: ReadonlyMap<string, unknown>
}

/** How often {@link untilPublishReaches} looks again. */
const PUBLISH_REACH_RECHECK_MS = 5

/**
 * Those of `ids` (peer id strings) that a message published on `topic` now would not go to: gossipsub
 * does not count them subscribed, or has no stream to them open. A peer that connected moments ago
 * may have sent its subscription, and answered our stream's opening, while our process was busy:
 * until gossipsub reads them, nothing we publish goes to that peer. Reads the implementation's
 * outbound streams, which the exported `GossipSub` interface does not declare (with an
 * implementation that has none, subscribed is enough).
 */
export function unreachedPeers (pubsub: GossipSub, topic: string, ids: readonly string[]): string[] {
  const streams = (pubsub as unknown as Partial<OutboundStreams>).streamsOutbound
  const subscribers = new Set(pubsub.getSubscribers(topic).map(String))
  return ids.filter(id => !subscribers.has(id) || (streams !== undefined && !streams.has(id)))
}

/**
 * Waits until a message published on `topic` would go to every one of `ids` (see
 * {@link unreachedPeers}), or `timeoutMs`; resolves with those it still would not reach. Looks
 * every few milliseconds: a stream's opening has no event.
 */
export async function untilPublishReaches (pubsub: GossipSub, topic: string, ids: readonly string[], timeoutMs: number): Promise<string[]> {
  const deadline = performance.now() + timeoutMs
  let unreached = unreachedPeers(pubsub, topic, ids)
  while (unreached.length > 0 && performance.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, Math.min(PUBLISH_REACH_RECHECK_MS, Math.max(0, deadline - performance.now()))))
    unreached = unreachedPeers(pubsub, topic, unreached)
  }
  return unreached
}

/** The gossipsub parameters that set how many copies of each heartbeat travel. */
export interface MeshParams {
  D: number
  Dlo: number
  Dhi: number
  Dscore: number
  Dout: number
  Dlazy: number
  gossipFactor: number
}

/**
 * Gossipsub mesh and gossip parameters for a target mesh degree `D` and `gossipPeers` IHAVE
 * targets per gossipsub heartbeat: low/high watermarks around D (D=4 gives 3/6), peers kept by
 * score, an outbound quota below both the low watermark and D/2 (gossipsub's own invariants), and
 * a fixed gossip fan-out (gossipsub's `gossipFactor` would add a quarter of the non-mesh peers,
 * growing with N). Scoring is tuned elsewhere.
 */
export function meshParams (D: number, gossipPeers: number): MeshParams {
  const Dlo = Math.max(1, D - 1)
  return { D, Dlo, Dhi: Math.ceil(1.5 * D), Dscore: Math.min(D, 4), Dout: Math.min(Math.floor(D / 2), Dlo - 1), Dlazy: gossipPeers, gossipFactor: 0 }
}

/** Gossipsub's own heartbeat (mesh maintenance, gossip, and how long a peer's score is cached); its default is 1000. */
const GOSSIPSUB_HEARTBEAT_MS = 250

/** How the pubsub service is tuned. */
export interface PubSubInit {
  /** Many nodes on one host: no IP-colocation penalty (it greylists every node on 127.0.0.1). */
  local: boolean
  /** Gossipsub mesh degree (`ClusterInit.meshDegree`). */
  meshDegree: number
  /** IHAVE targets per gossipsub heartbeat (`ClusterInit.gossipPeers`). */
  gossipPeers: number
  /** Our heartbeat topic, which gets peer-scoring parameters. */
  topic: string
}

/**
 * Gossipsub score thresholds (gossipsub's defaults, named here because the cluster acts on them):
 * below `graylistThreshold` a peer's RPCs are ignored before any message in them is looked at
 * (no signature check, no decode), and the cluster hangs up on it and bans it for a while.
 */
export const SCORE_THRESHOLDS = Object.freeze({
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 20
})

/**
 * Peer scoring for our topic. Only penalties: each refused heartbeat a peer relays costs it
 * (invalid deliveries)², so ~9 refusals in quick succession graylist it, while the occasional bad
 * heartbeat of an honest agent decays away (halved every second). Heartbeats are too sparse for
 * gossipsub's delivery-rate rewards and penalties (P2, P3), which would punish quiet honest peers;
 * broken gossip promises and GRAFT floods keep gossipsub's behaviour penalty (P7).
 */
function scoreParams (init: PubSubInit): Partial<PeerScoreParams> {
  return {
    ...(init.local ? { IPColocationFactorWeight: 0 } : {}),
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 0,
    behaviourPenaltyDecay: 0.5,
    topics: {
      [init.topic]: createTopicScoreParams({
        topicWeight: 1,
        timeInMeshWeight: 0,
        firstMessageDeliveriesWeight: 0,
        meshMessageDeliveriesWeight: 0,
        meshFailurePenaltyWeight: 0,
        invalidMessageDeliveriesWeight: -1,
        invalidMessageDeliveriesDecay: 0.5
      })
    }
  }
}

/**
 * Gossipsub service factory for `createLibp2p({ services: { pubsub } })`: unsigned messages (the
 * cluster signs heartbeats itself, see wire/envelope.ts) identified by a hash of their data, no self
 * delivery, publishing with no subscribed peer fails (so we can tell), and inbound RPC frames
 * bounded to a few heartbeats.
 */
export function pubsubService (init: PubSubInit): ReturnType<typeof gossipsub> {
  return gossipsub({
    // gossipsub neither signs nor verifies: it would verify every copy, even one that comes straight
    // from its author over a noise channel that authenticated it (~25% of a 20-node process's CPU)
    globalSignaturePolicy: StrictNoSign,
    emitSelf: false,
    allowPublishToZeroTopicPeers: false,
    // an RPC frame may batch several heartbeats plus control messages; anything past this is refused
    // by gossipsub before decoding (counted as oversized, see observeUnreadableFrames), while a single
    // oversized heartbeat still reaches our codec and is counted. Our own gossipsub takes this as every
    // peer's limit and splits an RPC of several messages that exceeds it (an IWANT answer) over frames
    maxInboundDataLength: 4 * WIRE_LIMITS.maxHeartbeatBytes,
    // gossipsub 1.2 answers each message of 512 bytes or more with an IDONTWANT frame to every other
    // mesh peer: for a heartbeat as dear as the copy it might save (8% of the CPU at 50 agents with a
    // peer set of 3, whose heartbeats then listed 16 ids). None up to the largest envelope
    idontwantMinDataSize: WIRE_LIMITS.maxEnvelopeBytes + 1,
    // each heartbeat reaches a node once per mesh/flood path: duplicates are dropped by id before our validator
    ...heartbeatMessageIds,
    // gossipsub caches each peer's score for one of its heartbeats (default 1 s), and RPCs are admitted
    // on the cached score: a flooder stays ungraylisted that long and its whole backlog goes through our
    // validator (with wire 1 every message was signature-checked; with wire 2 only relayed copies are).
    // 250 ms cut the longest event-loop stall of a one-key flood from 0.8-0.95 s to 0.27-0.29 s on wire 1
    // (pnpm bench:adversary), at the price of mesh maintenance four times as often (3% of CPU at 20 nodes)
    heartbeatInterval: GOSSIPSUB_HEARTBEAT_MS,
    // delivered heartbeats are forwarded only when the cluster says so (see RelayPolicy): in a
    // fully connected fleet every node already has each heartbeat straight from its author
    asyncValidation: true,
    // every agent connects to every other and flood-publishes its own heartbeats, so each one already
    // reaches every peer directly; the mesh only adds redundant copies, and each copy or IHAVE frame
    // costs a decrypt and a decode. The mesh (and IHAVE/IWANT gossip) is what carries a heartbeat over a cut link
    ...meshParams(init.meshDegree, init.gossipPeers),
    scoreParams: scoreParams(init),
    scoreThresholds: { ...SCORE_THRESHOLDS }
  })
}

/**
 * The message ids the cluster's gossipsub uses: `msgIdFn` is SHA-256 of the message data, the whole
 * signed envelope. Collision resistant, so a forged or altered copy never shares an id with a
 * genuine one (it cannot shadow it in the seen cache), and every copy of one envelope has one id
 * (the envelope encoding is canonical and Ed25519 signatures are deterministic). `msgIdToStrFn` is
 * how gossipsub keys its caches by id: Node's base64 (gossipsub's default encodes with a JavaScript
 * base64, 3% of the bytes a node allocates per heartbeat). There is no `fastMsgIdFn`: gossipsub
 * would keep a second cache of the same ids, one more insertion per message, to save a hash on
 * duplicate copies, which the relay policy makes rare. Give them to your own gossipsub with
 * `globalSignaturePolicy: StrictNoSign` and `asyncValidation: true` when you pass `libp2p` to `createCluster`.
 */
export const heartbeatMessageIds = Object.freeze({
  /** The message id: SHA-256 of the data. */
  msgIdFn: (message: { data?: Uint8Array }): Uint8Array => Buffer.from(hash('sha256', message.data ?? NO_DATA, 'base64'), 'base64'),
  /** A message id as text (base64), the key of gossipsub's caches. */
  msgIdToStrFn: (id: Uint8Array): string => Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('base64')
})

const NO_DATA = new Uint8Array(0)

/** A peer's gossipsub score (0 for a peer without one); the `GossipSub` interface does not declare the implementation's `getScore`. */
export function scoreOf (pubsub: GossipSub, peerId: string): number {
  return (pubsub as unknown as { getScore?: (id: string) => number }).getScore?.(peerId) ?? 0
}

/**
 * What keeps `pubsub` from being a gossipsub service configured as {@link pubsubService} configures
 * it, or undefined when nothing does: StrictNoSign (the cluster signs heartbeats itself),
 * `asyncValidation` (the cluster decides per heartbeat whether gossipsub forwards it),
 * {@link heartbeatMessageIds}, and no `fastMsgIdFn` of its own (gossipsub drops a message whose fast
 * id it has seen before the real id is computed: a fast id that collides would drop heartbeats).
 */
export function clusterPubSubProblem (pubsub: unknown): string | undefined {
  const candidate = pubsub as (Partial<GossipSub> & { msgIdFn?: unknown, fastMsgIdFn?: unknown, opts?: { asyncValidation?: boolean } }) | undefined
  if (typeof candidate?.publish !== 'function' || typeof candidate.subscribe !== 'function') return 'services.pubsub is not a pubsub service'
  if (candidate.globalSignaturePolicy !== StrictNoSign) return 'its globalSignaturePolicy is not StrictNoSign'
  if (candidate.opts?.asyncValidation !== true) return 'asyncValidation is not true'
  if (candidate.msgIdFn !== heartbeatMessageIds.msgIdFn) return 'its msgIdFn is not heartbeatMessageIds.msgIdFn'
  if (candidate.fastMsgIdFn !== undefined) return 'it has a fastMsgIdFn'
  return undefined
}

/** True for gossipsub's "nobody subscribed to this topic is connected" publish failure: normal while alone. */
export function isNoPeersError (err: unknown): boolean {
  return (err as Error | undefined)?.message === 'PublishError.NoPeersSubscribedToTopic'
}
