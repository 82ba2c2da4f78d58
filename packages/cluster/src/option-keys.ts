import { closest, distance } from 'fastest-levenshtein'
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
 * The known key `key` was most likely meant to be: the nearest by edit distance when it is close
 * (at most a quarter of the key's length, and at least 2 edits allowed), or one that differs only in
 * case. Undefined when nothing is that near.
 */
export function nearestKey (key: string, known: ReadonlySet<string>): string | undefined {
  const candidates = [...known]
  const sameButCase = candidates.find(candidate => candidate.toLowerCase() === key.toLowerCase())
  if (sameButCase !== undefined) return sameButCase
  if (candidates.length === 0) return undefined
  const nearest = closest(key, candidates)
  return distance(key, nearest) <= Math.max(2, Math.floor(key.length / 4)) ? nearest : undefined
}

/**
 * Refuses an options object that is not a plain object or has a key not in `known` (a typo would
 * otherwise be silently ignored).
 *
 * @throws {InvalidOptionError} naming the unknown key, the known key it is nearest to (if one is near), and the valid ones
 */
export function requireKnownKeys (what: string, value: object, known: ReadonlySet<string>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(`${what} must be an object, got ${JSON.stringify(value)}`)
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const meant = nearestKey(key, known)
      const hint = meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`
      throw new InvalidOptionError(`Unknown key ${JSON.stringify(key)} in ${what}${hint}; valid keys: ${[...known].join(', ')}`)
    }
  }
}
