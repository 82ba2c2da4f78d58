import { InvalidOptionError } from './errors.js'
import type { ClusterInit, GroupInit } from './options.js'

/**
 * Every key of `ClusterInit`. Typed so that adding an option without listing it here (or listing
 * one that does not exist) fails to compile: unknown keys, such as a typo, are refused at start.
 */
export const CLUSTER_INIT_KEYS: ReadonlySet<string> = new Set(Object.keys({
  groups: true,
  watcher: true,
  watchGroups: true,
  namespace: true,
  listen: true,
  bootstrap: true,
  mdns: true,
  local: true,
  heartbeatIntervalMs: true,
  autoHeartbeatsPerSecond: true,
  suspectAfterMs: true,
  memberTimeoutMs: true,
  flapDampingMs: true,
  awareness: true,
  heartbeatJitter: true,
  dialGraceMs: true,
  reconnectIntervalMs: true,
  reconnectMaxBackoffMs: true,
  redialGiveUpMs: true,
  meshDegree: true,
  gossipPeers: true,
  relay: true,
  peerSetSize: true,
  maxMembersPerGroup: true,
  maxSignersPerPeer: true,
  maxClockSkewMs: true,
  identityFile: true,
  networkKey: true,
  allowedPeers: true,
  libp2p: true,
  privateKey: true,
  connectionGater: true,
  transport: true,
  logger: true
} satisfies Record<keyof ClusterInit, true>))

/** Every key of a group given as an object in `groups`. */
export const GROUP_INIT_KEYS: ReadonlySet<string> = new Set(Object.keys({
  name: true,
  weight: true,
  metadata: true,
  minMembers: true,
  handoff: true,
  quorum: true,
  onMinority: true,
  keepLastMs: true,
  quorumWindowMs: true,
  settleMs: true
} satisfies Record<keyof Exclude<GroupInit, string>, true>))

/**
 * Refuses an options object that is not a plain object or has a key not in `known` (a typo would
 * otherwise be silently ignored).
 *
 * @throws {InvalidOptionError} naming the unknown key and listing the valid ones
 */
export function requireKnownKeys (what: string, value: object, known: ReadonlySet<string>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(`${what} must be an object, got ${JSON.stringify(value)}`)
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new InvalidOptionError(`Unknown key ${JSON.stringify(key)} in ${what}; valid keys: ${[...known].join(', ')}`)
    }
  }
}
