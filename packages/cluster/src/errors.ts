/**
 * The named errors of the cluster. Callers compare by `err.name`. Bad options (timings, group names,
 * weights, metadata, namespace, addresses) throw `InvalidOptionError`, the same class the membership
 * table throws, re-exported here so one name covers both.
 */
export { InvalidOptionError } from '@gossip-ring/membership'

/**
 * Why an inbound heartbeat was dropped; also the keys of `cluster.stats.dropped`: too big, not
 * protobuf (or a non-canonical envelope; these two also count the gossipsub frames a peer sent
 * that could not be read at all: a length above the inbound limit, or not an RPC), unknown wire version, a field out of bounds, an author
 * that is not an Ed25519 peer id (`unsupported-key`), a relayed copy whose signature is not its
 * author's (`bad-signature`), an author outside `allowedPeers`, over its author's budget (a few per
 * interval), or relayed by a peer that already relayed `maxSignersPerPeer` distinct authors this window.
 */
export type DropReason = 'oversized' | 'malformed' | 'unknown-version' | 'invalid-field' | 'unsupported-key' | 'bad-signature' | 'not-allowed' | 'over-budget' | 'too-many-signers'

/**
 * Thrown by `decodeHeartbeat` when a message is not a valid heartbeat; `reason` says which check
 * failed (too big, not protobuf, a wire version we do not know, or a field out of bounds). The
 * cluster catches it, counts the drop by reason and logs it at debug: it never reaches the host.
 */
export class HeartbeatDecodeError extends Error {
  static override name = 'HeartbeatDecodeError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_HEARTBEAT_DECODE'
  /** Which check failed. */
  readonly reason: DropReason

  constructor (reason: DropReason = 'malformed', msg = `Invalid heartbeat: ${reason}`) {
    super(msg)
    this.name = 'HeartbeatDecodeError'
    this.reason = reason
  }
}

/**
 * Thrown when our own heartbeat would not fit the wire limits (too many groups, too much metadata),
 * e.g. by `joinGroup`, before anything changed: peers would drop such a heartbeat.
 */
export class HeartbeatTooLargeError extends Error {
  static override name = 'HeartbeatTooLargeError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_HEARTBEAT_TOO_LARGE'

  constructor (msg = 'The heartbeat would exceed the wire limits') {
    super(msg)
    this.name = 'HeartbeatTooLargeError'
  }
}

/** Thrown when a method (`joinGroup`, `leaveGroup`, `heartbeat`, `converged`, or a question such as `members`, `owner`, `extractMySubset`, `isConverged`) is called on, or interrupted by, a stopped cluster. */
export class ClusterStoppedError extends Error {
  static override name = 'ClusterStoppedError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_CLUSTER_STOPPED'

  constructor (msg = 'The cluster is stopped') {
    super(msg)
    this.name = 'ClusterStoppedError'
  }
}

/**
 * Thrown by `createCluster` on a Node.js older than the packages support (see "engines"), before
 * anything starts: npm installs them there with only a warning, and libp2p then failed deep inside
 * with a TypeError (`Promise.withResolvers is not a function` on Node 20).
 */
export class UnsupportedRuntimeError extends Error {
  static override name = 'UnsupportedRuntimeError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_UNSUPPORTED_RUNTIME'

  /** @param minMajor - the oldest major version supported; @param version - the running one */
  constructor (minMajor: number, version: string) {
    super(`gossip-ring needs Node.js ${minMajor} or later; this is Node.js ${version}`)
    this.name = 'UnsupportedRuntimeError'
  }
}

/**
 * Thrown when `init.libp2p` lacks what the cluster needs: identify, and as `services.pubsub` gossipsub
 * configured as the cluster's own node has it (StrictNoSign, asyncValidation and the cluster's message ids, `heartbeatMessageIds`, with no `fastMsgIdFn`).
 */
export class IncompatibleLibp2pError extends Error {
  static override name = 'IncompatibleLibp2pError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INCOMPATIBLE_LIBP2P'

  /** @param problem - what the given node lacks (appended to the message) */
  constructor (problem?: string) {
    super('The libp2p node needs services.identify and services.pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, asyncValidation: true, ...heartbeatMessageIds }) (heartbeatMessageIds from @gossip-ring/cluster), no fastMsgIdFn' +
      (problem === undefined ? '' : `; this one: ${problem}`))
    this.name = 'IncompatibleLibp2pError'
  }
}

/**
 * Thrown by `createCluster` when `init.libp2p` already carries a gossip-ring cluster (on any
 * namespace): a second one would take over the first's topic validator, leaving the first deaf to
 * every heartbeat, and could not serve the identity protocols. One cluster per node joins several
 * groups; stopping the first frees the node for another.
 */
export class ClusterAlreadyOnNodeError extends Error {
  static override name = 'ClusterAlreadyOnNodeError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_CLUSTER_ALREADY_ON_NODE'

  /** @param evidence - what shows the cluster already there (appended to the message) */
  constructor (evidence?: string) {
    super('This libp2p node already carries a gossip-ring cluster' + (evidence === undefined ? '' : ` (${evidence})`) +
      ': run one cluster per node and join several groups on it (`groups: [...]` or `cluster.joinGroup()`), or stop the first cluster before creating another')
    this.name = 'ClusterAlreadyOnNodeError'
  }
}

/** Thrown when `init.identityFile` cannot be read, is not a protobuf private key, holds another key than Ed25519, holds a key whose public half does not match its private half, is writable by others than its owner, is a dangling symlink, or cannot be created. */
export class IdentityFileError extends Error {
  static override name = 'IdentityFileError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_IDENTITY_FILE'

  constructor (msg = 'Cannot load or create the identity file') {
    super(msg)
    this.name = 'IdentityFileError'
  }
}

/**
 * Thrown by `createCluster()` and `parseNetworkKey()` when `networkKey` is not a libp2p PSK v1 key
 * file (`/key/swarm/psk/1.0.0/`, `/base16/`, 64 hex digits); the message says which part is wrong.
 */
export class InvalidNetworkKeyError extends Error {
  static override name = 'InvalidNetworkKeyError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_NETWORK_KEY'

  constructor (msg = 'The network key is not a PSK v1 key file') {
    super(msg)
    this.name = 'InvalidNetworkKeyError'
  }
}

/** Thrown by `writeNewNetworkKey()` when the file exists already (it is never overwritten) or cannot be written. */
export class NetworkKeyFileError extends Error {
  static override name = 'NetworkKeyFileError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_NETWORK_KEY_FILE'

  constructor (msg = 'Cannot write the network key file') {
    super(msg)
    this.name = 'NetworkKeyFileError'
  }
}

/** Thrown by `converged()` when its `signal` aborts. */
export class AbortError extends Error {
  static override name = 'AbortError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_ABORT'

  constructor (msg = 'The operation was aborted') {
    super(msg)
    this.name = 'AbortError'
  }
}

/** Thrown by `joinGroup` on a watcher: a watcher observes and joins no group (start a member instead). */
export class WatcherCannotJoinError extends Error {
  static override name = 'WatcherCannotJoinError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_WATCHER_CANNOT_JOIN'

  constructor (msg = 'A watcher joins no group') {
    super(msg)
    this.name = 'WatcherCannotJoinError'
  }
}

/** Thrown by `converged(group)` for a group this agent has not joined: it could never converge. */
export class GroupNotJoinedError extends Error {
  static override name = 'GroupNotJoinedError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_GROUP_NOT_JOINED'

  constructor (msg = 'This agent has not joined the group') {
    super(msg)
    this.name = 'GroupNotJoinedError'
  }
}

/**
 * Thrown by `createCluster` when the node cannot listen on an address of `listen` (in use, not
 * local, not permitted), and by the HTTP servers of `@gossip-ring/metrics` and the CLI's ring page
 * when they cannot listen on their `host:port`; `address` names it.
 */
export class ListenAddressError extends Error {
  static override name = 'ListenAddressError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_LISTEN_ADDRESS'
  /** The listen address that failed. */
  readonly address: string

  constructor (address = '', msg = `Cannot listen on ${address}`, options?: ErrorOptions) {
    super(msg, options)
    this.name = 'ListenAddressError'
    this.address = address
  }
}

export { InvalidKeyError, InvalidReplicaCountError } from '@gossip-ring/ring'
