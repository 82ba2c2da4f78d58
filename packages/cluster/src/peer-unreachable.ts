import { looksAlike } from './lookalike-names.js'

/** Why a peer is not reached, as far as this agent can tell. */
export type UnreachableReason =
  /** The connection handshake failed (or stalled): most often a network key differs (one side has none, or another one). */
  | 'handshake-failed'
  /** The connection opened, then closed before the peer subscribed to our topic: its allowedPeers may leave us out, or it banned us. */
  | 'hung-up'
  /** Our own `allowedPeers` does not list the peer: this agent refuses its connections and heartbeats. */
  | 'not-allowed'
  /** The peer is a gossip-ring agent of another namespace (it subscribed to another heartbeat topic, not ours). */
  | 'other-namespace'
  /** Connected for a while, the peer never subscribed to our topic (nor to another gossip-ring topic). */
  | 'not-subscribed'
  /** The address answers as another agent: the `/p2p/` id in the bootstrap address is stale or wrong. */
  | 'wrong-peer'
  /** Nothing listens at the address (connection refused). */
  | 'refused'
  /** No answer from the address (timeout, host or network unreachable). */
  | 'no-answer'
  /** Anything else: see `error`. */
  | 'other'

/** How this agent learnt of a peer it reports: its `bootstrap` list, or a discovery service (mDNS). */
export type UnreachableVia = 'bootstrap' | 'mdns'

/**
 * What `peer:unreachable` reports: a bootstrap peer this agent has never reached (connected and
 * subscribed to our heartbeat topic) since it started; while this agent has reached no one, a
 * peer mDNS found whose handshake failed (its network key differs); and whenever found, a peer mDNS
 * found that is an agent of a namespace whose name looks like a typo of ours (`prd` for `prod`).
 * An agent that reaches no one is alone: its view says "converged" and it owns every resource,
 * while the agents it meant to join own them too; two namespaces where one was meant are two
 * fleets, each owning every resource.
 */
export interface PeerUnreachable {
  /** The peer's id. */
  peer: string
  /** How we learnt of it. */
  via: UnreachableVia
  /** Its addresses in the `bootstrap` option (none for a peer mDNS found). */
  addrs: string[]
  /** Attempts so far that did not reach it: failed dials, and connections that closed or stalled before it subscribed to our topic (it is still redialled, with backoff). */
  attempts: number
  /** What went wrong, as far as the error tells. */
  reason: UnreachableReason
  /** What to check, in words (for an operator). */
  hint: string
  /** The last dial's error message(s), or what was seen instead. */
  error: string
}

/** What the last attempt to reach a peer ran into. */
export type UnreachableCause =
  /** A dial failed with this error. */
  | { dialError: unknown }
  /** A connection to it closed before it subscribed to our topic. */
  | { hungUp: true }
  /** It subscribed to these topics, not to ours. */
  | { otherTopics: string[] }
  /** A connection to it stayed up `stalledAfterMs` without it subscribing to our topic. */
  | { neverSubscribed: true }
  /** Our own `allowedPeers` does not list it: whatever the attempt ran into, that is why. */
  | { notAllowed: true }

/** Attempts that did not reach a peer before it is reported, unless the first is conclusive (a refused dial or a timeout may be a peer still starting, or busy). */
export const REPORT_AFTER_ATTEMPTS = 2

/**
 * Why an attempt did not reach a peer, and whether that is conclusive: no retry would change it (a
 * network key, an identity, a namespace); `typo` for another namespace whose name looks like a typo
 * of ours (reported for peers mDNS found too).
 */
export type DescribedFailure = Pick<PeerUnreachable, 'reason' | 'hint' | 'error'> & { conclusive: boolean, typo?: true }

/** Reasons worth reporting for a peer mDNS found: what keeps an agent from its own cluster (a differing key, an allow-list); another namespace (unless a typo away) or a stale record is normal on a shared LAN. */
const MDNS_REASONS: ReadonlySet<UnreachableReason> = new Set(['handshake-failed', 'hung-up'])

/**
 * Whether to report a peer after `attempts` that did not reach it, the last one `described`: a
 * bootstrap peer at a conclusive cause or after {@link REPORT_AFTER_ATTEMPTS}; a peer mDNS found of
 * a namespace a typo away at once; another peer mDNS found (while we reached no one) only for a
 * differing key or an allow-list, and never at the first attempt (an agent of a keyed cluster
 * beside ours on the LAN fails too, until we reach our own). Pure.
 */
export function shouldReport (via: UnreachableVia, attempts: number, described: DescribedFailure): boolean {
  if (via === 'mdns') return described.typo === true || (MDNS_REASONS.has(described.reason) && attempts >= REPORT_AFTER_ATTEMPTS)
  return described.conclusive || attempts >= REPORT_AFTER_ATTEMPTS
}

/** Whether this agent has a pre-shared network key: `unknown` when it runs on a libp2p node the user built. */
export type NetworkKeyState = 'none' | 'set' | 'unknown'

/** One error and what it wraps (`cause`, `errors` of an AggregateError), depth first, at most `depth` levels. */
function errorChain (err: unknown, depth = 4): ChainedError[] {
  if (typeof err !== 'object' || err === null || depth === 0) return []
  const e = err as { name?: unknown, code?: unknown, message?: unknown, cause?: unknown, errors?: unknown }
  const own = { name: String(e.name ?? ''), code: String(e.code ?? ''), message: String(e.message ?? '') }
  const nested = Array.isArray(e.errors) ? e.errors : []
  return [own, ...errorChain(e.cause, depth - 1), ...nested.flatMap(inner => errorChain(inner, depth - 1))]
}

const WRONG_PEER = /Payload identity key (\S+) does not match expected remote identity key/
/** Something answered, then the connection handshake failed. */
const HANDSHAKE_HUNG_UP = /ECONNRESET|EPIPE|stream (?:ended|reset)|unexpected end of input/i
/** A timeout, whatever wraps it (EncryptionFailedError keeps only the message of a handshake timeout). */
const TIMED_OUT = /aborted due to timeout|timed out/i
const NO_ANSWER_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])

/** Our heartbeat topic's form, to tell another namespace's topic (see `heartbeatTopic`). */
const HEARTBEAT_TOPIC = /^gossip-ring\/(.+)\/heartbeat\/\d+$/

/**
 * Says why a peer is not reached and what to check. Pure.
 *
 * @param ourTopic - our heartbeat topic
 * @param networkKey - whether this agent has a network key (the likeliest cause of a failed handshake)
 */
export function describeUnreachable (cause: UnreachableCause, peer: string, ourTopic: string, networkKey: NetworkKeyState): DescribedFailure {
  if ('hungUp' in cause) {
    return { reason: 'hung-up', conclusive: false, error: 'connection closed before the peer subscribed to our topic', hint: 'the peer accepts connections from this agent, then hangs up: its allowedPeers may leave this agent out, or it banned this agent' }
  }
  if ('notAllowed' in cause) {
    return { reason: 'not-allowed', conclusive: true, error: 'refused by this agent\'s allowedPeers', hint: `this agent's allowedPeers does not list ${peer}, so this agent refuses its connections and heartbeats: add its id to allowedPeers, or take its address out of bootstrap` }
  }
  if ('neverSubscribed' in cause) {
    return { reason: 'not-subscribed', conclusive: true, error: `connected, never subscribed to ${ourTopic}`, hint: `the peer never subscribed to our heartbeat topic ${ourTopic}: is it a gossip-ring agent, of this namespace?` }
  }
  if ('otherTopics' in cause) {
    const namespaces = cause.otherTopics.map(topic => HEARTBEAT_TOPIC.exec(topic)?.[1]).filter(ns => ns !== undefined)
    const ours = HEARTBEAT_TOPIC.exec(ourTopic)?.[1] ?? ourTopic
    const typo = namespaces.some(ns => looksAlike(ns, ours))
    return {
      reason: 'other-namespace',
      conclusive: true,
      error: `subscribed to ${cause.otherTopics.join(', ')}, not to ${ourTopic}`,
      hint: `the peer is an agent of namespace ${namespaces.map(ns => JSON.stringify(ns)).join(', ')}, this agent of ${JSON.stringify(ours)}${typo ? ', a typo away' : ''}: give every agent the same namespace`,
      ...(typo ? { typo } : {})
    }
  }
  return describeDialError(cause.dialError, peer, networkKey)
}

/** Whether `topics` (a peer's subscriptions) name another namespace's heartbeat topic than `ourTopic`, and not ours. */
export function onlyOtherHeartbeatTopics (topics: readonly string[], ourTopic: string): string[] | undefined {
  if (topics.includes(ourTopic)) return undefined
  const others = topics.filter(topic => HEARTBEAT_TOPIC.test(topic))
  return others.length > 0 ? others : undefined
}

/** One error of a dial's chain. */
interface ChainedError { name: string, code: string, message: string }

const isHandshakeError = (e: ChainedError): boolean => e.name === 'EncryptionFailedError'
const isTimeout = (e: ChainedError): boolean => NO_ANSWER_CODES.has(e.code) || e.name === 'TimeoutError' || e.name === 'AbortError' || TIMED_OUT.test(e.message)
const isReset = (e: ChainedError): boolean => HANDSHAKE_HUNG_UP.test(e.message) || HANDSHAKE_HUNG_UP.test(e.code)

/** Classifies a failed dial's error. */
function describeDialError (err: unknown, peer: string, networkKey: NetworkKeyState): DescribedFailure {
  const chain = errorChain(err)
  const error = [...new Set(chain.map(e => e.message).filter(message => message !== ''))].join('; ') || String(err)
  const any = (test: (e: ChainedError) => boolean): boolean => chain.some(test)
  const answeredAs = chain.map(e => WRONG_PEER.exec(e.message)?.[1]).find(id => id !== undefined)
  if (answeredAs !== undefined || any(e => e.name === 'UnexpectedPeerError')) {
    return { reason: 'wrong-peer', conclusive: true, error, hint: `the address answers as ${answeredAs ?? 'another agent'}, not ${peer}: the /p2p/ id in the bootstrap address is stale or wrong (did that agent get a new identity?)` }
  }
  // one dial tries every address: what got furthest tells most (a handshake beats a refused loopback address)
  if (any(e => (isHandshakeError(e) && !isTimeout(e)) || isReset(e))) {
    return { reason: 'handshake-failed', conclusive: true, error, hint: `the connection handshake failed: ${KEY_HINTS[networkKey]}` }
  }
  if (any(isHandshakeError)) {
    // a timeout within the handshake: the peer answered, then stalled (a network key that differs
    // stalls it about half the time: each side waits for bytes the other never sends); or it is busy
    return { reason: 'handshake-failed', conclusive: false, error, hint: `the connection handshake stalled: ${KEY_HINTS[networkKey]}; or the peer is overloaded` }
  }
  if (any(e => e.code === 'ECONNREFUSED' || e.message.includes('ECONNREFUSED'))) {
    return { reason: 'refused', conclusive: false, error, hint: 'nothing listens at the address: is the agent running, and are the host and port right?' }
  }
  if (any(isTimeout)) {
    return { reason: 'no-answer', conclusive: false, error, hint: 'no answer in time: is the host up and the address right (or a firewall in the way)?' }
  }
  return { reason: 'other', conclusive: false, error, hint: 'the dial failed: see error' }
}

const KEY_HINTS: Record<NetworkKeyState, string> = {
  none: 'this agent has no network key: if the cluster has one, give it the same key file (--network-key, networkKey)',
  set: 'it may have another network key, or none (every agent needs the same key file)',
  unknown: 'a network key (connection protector) may differ between it and this node'
}
