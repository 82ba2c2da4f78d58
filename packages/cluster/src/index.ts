/**
 * @packageDocumentation
 *
 * `@gossip-ring/cluster`: agents that find each other (mDNS on the LAN, or a bootstrap list), gossip
 * signed heartbeats on a libp2p gossipsub topic with no central store, derive each group's members
 * from recent heartbeats, and split work over a consistent-hash ring. A drop-in for tooz's
 * `PartitionCoordinator` without ZooKeeper/etcd/Redis.
 *
 * @example
 * ```ts
 * import { createCluster } from '@gossip-ring/cluster'
 *
 * const cluster = await createCluster({ groups: ['pollers'] })       // mDNS + TCP on the LAN
 * cluster.addEventListener('ring:change', ({ detail }) => reschedule(detail.group))
 * const mine = cluster.extractMySubset('pollers', allResources)      // this agent's share
 * await cluster.converged('pollers', { signal: AbortSignal.timeout(10_000) })  // all agree
 * await cluster.stop()                                                // goodbye: peers re-split at once
 * ```
 *
 * Many agents in one process or on one host (tests, demos): `createCluster({ ...presets.local,
 * bootstrap: first.multiaddrs, groups: ['g'] })`. An observer that owns nothing and is never a
 * member: `createCluster({ watcher: true })`, then `knownGroups()`, `snapshot(group)` and
 * `group:agreement` events.
 */
export { createCluster } from './create.js'
export { Cluster } from './cluster.js'
export type { ClusterComponents, StopOptions } from './cluster.js'
export type { ClusterEvents, ClusterStats, OwnershipChangeDetail, RingChangeDetail, SelfSilence } from './cluster-events.js'
export type { IdentityConflict } from './identity-conflict.js'
export type { IncompatiblePeer } from './wire-version.js'
export type { PeerUnreachable, UnreachableReason, UnreachableVia } from './peer-unreachable.js'
export type { ClockSkew } from './clock-skew-watch.js'
export type { PolicyMismatch } from './policy-watch.js'
export type { LookalikeGroup } from './lookalike-group-watch.js'
export { writeNewIdentity } from './identity.js'
export { heartbeatTopic, presets } from './options.js'
export type { ClusterInit, GroupInit, MdnsInit, RelayMode, TransportKind } from './options.js'
export type { MinorityMode, OwnershipInit } from './ownership/policy.js'
export type { KeyOwnership, OwnershipMode } from './ownership/group-ownership.js'
export type { OwnerExplanation } from './ownership/explain.js'
export type { PlainLogger } from './logging/logger.js'
export {
  AbortError, ClusterAlreadyOnNodeError, ClusterStoppedError, GroupNotJoinedError, HeartbeatDecodeError, HeartbeatTooLargeError, IdentityFileError,
  IncompatibleLibp2pError, InvalidKeyError, InvalidNetworkKeyError, InvalidOptionError, InvalidReplicaCountError, ListenAddressError,
  NetworkKeyFileError, UnsupportedRuntimeError, WatcherCannotJoinError
} from './errors.js'
export { generateNetworkKey, parseNetworkKey, writeNewNetworkKey } from './network-key.js'
export { PeerGuard } from './peer-guard.js'
export type { PeerGuardInit } from './peer-guard.js'
export type { DropReason } from './errors.js'
export type { AgreementChange } from './agreement.js'
export type { GroupSnapshot, WatchedMember, WatchGroups } from './watch.js'
export { WIRE_LIMITS, WIRE_VERSION } from './wire/limits.js'
export { heartbeatAuthor } from './wire/envelope.js'
export { signatureBackend } from './wire/ed25519.js'
export type { Ed25519Backend } from './wire/ed25519.js'
export { heartbeatMessageIds } from './pubsub.js'
export type {
  GroupConvergedDetail, GroupOddMemberDetail, JoinOptions, LeaveReason, MemberEventDetail, MemberLeaveDetail, MemberState, MemberUpdateDetail,
  MemberView
} from '@gossip-ring/membership'
export type { HashRing, RingKey } from '@gossip-ring/ring'
