import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { Cluster } from './cluster.js'
import { CONFLICT_NOTICE_PROTOCOL } from './conflict-notice.js'
import { ClusterAlreadyOnNodeError, IncompatibleLibp2pError, UnsupportedRuntimeError } from './errors.js'
import { userAgentWithBootId } from './identity-conflict.js'
import { loadOrCreateIdentity } from './identity.js'
import { toListenAddressError } from './listen-error.js'
import { resolveLoggers } from './logging/logger.js'
import { createClusterNode } from './node.js'
import { resolveClusterOptions } from './options.js'
import { PeerGuard } from './peer-guard.js'
import { clusterPubSubProblem } from './pubsub.js'
import type { ClusterInit, ClusterOptions } from './options.js'
import type { GossipSub } from './pubsub.js'

/** The oldest Node.js major version the packages run on (their "engines"; libp2p needs `Promise.withResolvers`). */
const MIN_NODE_MAJOR = 22

/** @throws {UnsupportedRuntimeError} when `version` (a Node.js version, e.g. `process.versions.node`) is older than {@link MIN_NODE_MAJOR} */
function requireSupportedNode (version: string): void {
  if (Number.parseInt(version, 10) < MIN_NODE_MAJOR) throw new UnsupportedRuntimeError(MIN_NODE_MAJOR, version)
}

/**
 * Creates and starts a cluster agent: validates the options, builds and starts a libp2p node (or
 * uses `init.libp2p`), subscribes to the namespace's heartbeat topic, joins `init.groups` and starts
 * heartbeating. Stop it with `await cluster.stop()`.
 *
 * Every option is validated before anything starts; whatever fails later, everything started so
 * far is stopped before the error is thrown, so a failed call leaves nothing running.
 *
 * @example
 * ```ts
 * const cluster = await createCluster({ groups: ['pollers'], logger: console })  // mDNS + TCP on the LAN
 * cluster.addEventListener('ring:change', () => { reschedule(cluster.extractMySubset('pollers', feeds)) })
 * ```
 *
 * @throws {InvalidOptionError} for a bad option (a `logger` that is neither plain nor a libp2p ComponentLogger included) or an unknown option key
 * @throws {HeartbeatTooLargeError} when the initial groups would not fit in a heartbeat
 * @throws {ListenAddressError} when an address of `listen` cannot be listened on (e.g. in use)
 * @throws {IncompatibleLibp2pError} when `init.libp2p` lacks identify, or gossipsub configured as the cluster's (StrictNoSign, `heartbeatMessageIds`)
 * @throws {ClusterAlreadyOnNodeError} when `init.libp2p` already carries a gossip-ring cluster (stop it first, or join its groups on it)
 * @throws {IdentityFileError} when `init.identityFile` cannot be read, created or trusted, or holds a key that is not Ed25519
 * @throws {UnsupportedRuntimeError} on a Node.js older than 22 (the packages' "engines")
 */
export async function createCluster (init: ClusterInit = {}): Promise<Cluster> {
  requireSupportedNode(process.versions.node)
  const options = resolveClusterOptions(init)
  const loggers = resolveLoggers(init.logger)
  const privateKey = init.privateKey ?? await privateKeyFor(options)
  const bootId = crypto.randomUUID()
  const guard = new PeerGuard(options.allowedPeers !== undefined ? { allowedPeers: options.allowedPeers } : {})
  const libp2p = init.libp2p ?? await createClusterNode({
    privateKey,
    userAgent: userAgentWithBootId(bootId),
    connectionGater: guard.gater(init.connectionGater),
    logger: loggers.libp2p
  }, options).catch(err => { throw toListenAddressError(err) })
  const problem = libp2p.services.identify === undefined ? 'it has no services.identify' : clusterPubSubProblem(libp2p.services.pubsub)
  if (problem !== undefined) {
    if (init.libp2p === undefined) await libp2p.stop()
    throw new IncompatibleLibp2pError(problem)
  }
  // synchronous from here to cluster.start(), which claims the topic and the protocols: two calls cannot both pass
  const present = clusterOn(libp2p as Libp2p<{ pubsub: GossipSub }>, options.topic)
  if (present !== undefined) throw new ClusterAlreadyOnNodeError(present)
  const cluster = new Cluster({ libp2p: libp2p as Libp2p<{ pubsub: GossipSub }>, privateKey, logger: loggers.ours, ownsLibp2p: init.libp2p === undefined, bootId, guard }, options)
  try {
    cluster.start()
  } catch (err) {
    await cluster.stop({ goodbye: false })
    throw err
  }
  return cluster
}

async function privateKeyFor (options: ClusterOptions): Promise<PrivateKey> {
  return options.identityFile !== undefined ? loadOrCreateIdentity(options.identityFile) : generateKeyPair('Ed25519')
}

/**
 * What shows that `libp2p` already carries a gossip-ring cluster, or undefined: a validator on our
 * topic (a second cluster would replace it) or the identity-conflict protocol, which every cluster
 * serves whatever its namespace. A cluster's `stop()` removes both.
 */
function clusterOn (libp2p: Libp2p<{ pubsub: GossipSub }>, topic: string): string | undefined {
  if (libp2p.services.pubsub.topicValidators.has(topic)) return `its gossipsub already validates ${topic}`
  if (libp2p.getProtocols().includes(CONFLICT_NOTICE_PROTOCOL)) return `it already serves ${CONFLICT_NOTICE_PROTOCOL}`
  return undefined
}
