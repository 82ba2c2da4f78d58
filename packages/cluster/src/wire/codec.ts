import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import type { GroupAdvert, Heartbeat } from '@gossip-ring/membership'
import type { Multiaddr } from '@multiformats/multiaddr'
import { HeartbeatDecodeError, HeartbeatTooLargeError } from '../errors.js'
import { Heartbeat as HeartbeatMessage } from './heartbeat.generated.js'
import { WIRE_LIMITS, WIRE_VERSION, groupListProblem } from './limits.js'
import type { Group as GroupMessage } from './heartbeat.generated.js'
import type { RelayRequest } from '../relay-policy.js'

/** What this node says in one heartbeat (the sender id is not in it: it is the gossipsub signer). */
export interface OutgoingHeartbeat {
  bootId: string
  seq: number
  /** Our wall clock (Unix epoch ms) now. */
  sentAtMs: number
  leaving: boolean
  groups: GroupAdvert[]
  /** Group name -> our view digest of it; groups without an entry carry no digest. */
  digests: Record<string, string>
  /** Where we can be dialled; any `/p2p/<id>` suffix is stripped. */
  addrs: Multiaddr[]
  /** We are a watcher (an observer in no group); a watcher's heartbeat has no groups. @default false */
  watcher?: boolean
  /** Ids we see from two live processes at once (at most `WIRE_LIMITS.maxConflicts` are sent). @default [] */
  conflicts?: string[]
  /** Group name -> what we own by (fencing epoch, and the ring digest when it differs from the view digest). */
  owning?: Record<string, OwningAdvert>
  /** Members we do not hear straight from their author (at most `WIRE_LIMITS.maxUnheard` are sent; beyond, `more` and no list). @default none */
  relay?: RelayRequest
  /** Our heartbeat interval now, in ms (sent rounded, in 1..2^32-1): receivers judge our silence by it. @default none (receivers use their own) */
  heartbeatIntervalMs?: number
}

/** What a member says about the ring it owns by in one group. */
export interface OwningAdvert {
  /** Its fencing epoch of that ring; 0 when it has none. */
  epoch: number
  /** The digest of the ring it owns by; undefined when it is its view digest. */
  digest?: string
  /** The fingerprint of its ownership options for the group (see `policyFingerprint`); undefined when not advertised. */
  policy?: number
}

/** A decoded heartbeat: what the membership table ingests, plus the sender's dialable addresses. */
export interface DecodedHeartbeat extends Heartbeat {
  addrs: Multiaddr[]
  /** The sender is a watcher: in no group, never a member. */
  watcher: boolean
  /** Ids the sender sees from two live processes at once. */
  conflicts: string[]
  /** Group name -> what the sender owns by; every advertised group has an entry. */
  owning: Record<string, OwningAdvert>
  /** Members the sender does not hear straight from their author: their heartbeats should be forwarded. */
  relay: RelayRequest
}

/**
 * Encodes a heartbeat (wire version {@link WIRE_VERSION}).
 *
 * @throws {HeartbeatTooLargeError} when it breaks the wire limits, so peers would drop it
 */
export function encodeHeartbeat (heartbeat: OutgoingHeartbeat): Uint8Array {
  const problem = groupListProblem(heartbeat.groups)
  if (problem !== undefined) throw new HeartbeatTooLargeError(`Heartbeat not sendable: ${problem}`)
  const bytes = HeartbeatMessage.encode({
    version: WIRE_VERSION,
    bootId: heartbeat.bootId,
    seq: BigInt(heartbeat.seq),
    sentAtMs: BigInt(Math.max(0, Math.floor(heartbeat.sentAtMs))),
    leaving: heartbeat.leaving,
    groups: heartbeat.groups.map((group): GroupMessage => ({
      name: group.name,
      weight: group.weight,
      metadata: new Map(Object.entries(group.metadata)),
      // own properties only: a group named "toString" or "__proto__" must not read Object.prototype
      digest: Object.hasOwn(heartbeat.digests, group.name) ? heartbeat.digests[group.name] ?? '' : '',
      epoch: BigInt(ownOf(heartbeat.owning, group.name)?.epoch ?? 0),
      owningDigest: ownOf(heartbeat.owning, group.name)?.digest ?? '',
      policy: ownOf(heartbeat.owning, group.name)?.policy ?? 0
    })),
    addrs: heartbeat.addrs.slice(0, WIRE_LIMITS.maxAddrs).map(wireBytes),
    watcher: heartbeat.watcher ?? false,
    conflicts: (heartbeat.conflicts ?? []).slice(0, WIRE_LIMITS.maxConflicts),
    ...wireRelayRequest(heartbeat.relay),
    ...(heartbeat.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: wireInterval(heartbeat.heartbeatIntervalMs) } : {})
  })
  if (bytes.byteLength > WIRE_LIMITS.maxHeartbeatBytes) {
    throw new HeartbeatTooLargeError(`Heartbeat of ${bytes.byteLength} bytes exceeds ${WIRE_LIMITS.maxHeartbeatBytes} bytes`)
  }
  return bytes
}

/**
 * Decodes and validates a heartbeat. `from` is the verified sender id (the gossipsub signer); it is
 * never read from the message. The size is checked before any decoding.
 *
 * @throws {HeartbeatDecodeError} with `reason` 'oversized' | 'malformed' | 'unknown-version' | 'invalid-field'
 */
export function decodeHeartbeat (bytes: Uint8Array, from: string): DecodedHeartbeat {
  if (bytes.byteLength > WIRE_LIMITS.maxHeartbeatBytes) {
    throw new HeartbeatDecodeError('oversized', `Heartbeat of ${bytes.byteLength} bytes exceeds ${WIRE_LIMITS.maxHeartbeatBytes} bytes`)
  }
  const message = decodeMessage(bytes)
  if (message.version !== WIRE_VERSION) {
    throw new HeartbeatDecodeError('unknown-version', `Unknown heartbeat version ${message.version}, this node reads ${WIRE_VERSION}`)
  }
  const groups = message.groups.map((group): GroupAdvert => ({
    name: group.name,
    weight: group.weight,
    metadata: Object.fromEntries(group.metadata)
  }))
  const problem = groupListProblem(groups) ?? scalarProblem(message)
  if (problem !== undefined) throw new HeartbeatDecodeError('invalid-field', `Invalid heartbeat field: ${problem}`)
  // no prototype: a group named "__proto__" is a key like any other
  const digests: Record<string, string> = Object.create(null) as Record<string, string>
  const owning: Record<string, OwningAdvert> = Object.create(null) as Record<string, OwningAdvert>
  for (const group of message.groups) {
    if (group.digest !== '') digests[group.name] = group.digest
    const advert: OwningAdvert = group.owningDigest === '' ? { epoch: Number(group.epoch) } : { epoch: Number(group.epoch), digest: group.owningDigest }
    if (group.policy !== 0) advert.policy = group.policy
    owning[group.name] = advert
  }
  return {
    from,
    bootId: message.bootId,
    seq: Number(message.seq),
    sentAtMs: Number(message.sentAtMs),
    leaving: message.leaving,
    groups,
    digests,
    addrs: message.addrs.map(decodeAddr),
    watcher: message.watcher,
    conflicts: message.conflicts,
    owning,
    relay: { unheard: message.unheard, more: message.unheardMore },
    // passed on as sent, 0 included: the membership table clamps or ignores (and counts) what it cannot use
    ...(message.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: message.heartbeatIntervalMs } : {})
  }
}

/**
 * Fields 10-11 for `request`: up to `WIRE_LIMITS.maxUnheard` ids, or beyond that "more" alone. "More"
 * has every heartbeat relayed for us, so a list beside it would change nothing (16 peer ids made a
 * heartbeat of a 50-agent fleet with a peer set 965 bytes instead of 103).
 */
function wireRelayRequest (request: RelayRequest | undefined): { unheard: string[], unheardMore: boolean } {
  const unheard = request?.unheard ?? []
  const more = (request?.more ?? false) || unheard.length > WIRE_LIMITS.maxUnheard
  return { unheard: more ? [] : unheard, unheardMore: more }
}

/** An interval in ms as field 12 carries it: a whole number of ms in 1..2^32-1. */
function wireInterval (intervalMs: number): number {
  return Math.min(0xffff_ffff, Math.max(1, Math.round(intervalMs)))
}

/** Protobuf-decodes with repeated-field limits; any failure is 'malformed' (too many elements is 'invalid-field'). */
function decodeMessage (bytes: Uint8Array): HeartbeatMessage {
  try {
    return HeartbeatMessage.decode(bytes, {
      limits: {
        groups: WIRE_LIMITS.maxGroups,
        groups$: { metadata: WIRE_LIMITS.maxMetadataEntries },
        addrs: WIRE_LIMITS.maxAddrs,
        conflicts: WIRE_LIMITS.maxConflicts,
        unheard: WIRE_LIMITS.maxUnheard
      }
    })
  } catch (err) {
    const name = (err as Error).name
    const reason = name === 'MaxLengthError' || name === 'MaxSizeError' ? 'invalid-field' : 'malformed'
    throw new HeartbeatDecodeError(reason, `Cannot decode heartbeat: ${(err as Error).message}`)
  }
}

/** Integers on the wire are 64-bit; the heartbeat's must fit a JS number. */
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER)

/** Checks the fields outside the groups: boot id, seq, digests, address sizes, conflict and unheard ids, a watcher without groups. */
function scalarProblem (message: HeartbeatMessage): string | undefined {
  if (message.bootId.length === 0 || message.bootId.length > WIRE_LIMITS.maxBootIdChars) return `boot id must have 1..${WIRE_LIMITS.maxBootIdChars} characters`
  if (message.seq > MAX_SAFE_BIGINT) return 'seq beyond 2^53 - 1'
  if (message.sentAtMs > MAX_SAFE_BIGINT) return 'sent_at_ms beyond 2^53 - 1'
  if (message.groups.some(group => group.digest.length > WIRE_LIMITS.maxDigestChars || group.owningDigest.length > WIRE_LIMITS.maxDigestChars)) return `digest longer than ${WIRE_LIMITS.maxDigestChars} characters`
  if (message.groups.some(group => group.epoch > MAX_SAFE_BIGINT)) return 'epoch beyond 2^53 - 1'
  if (message.addrs.some(addr => addr.byteLength > WIRE_LIMITS.maxAddrBytes)) return `address longer than ${WIRE_LIMITS.maxAddrBytes} bytes`
  if (message.watcher && message.groups.length > 0) return 'a watcher names groups'
  if (message.conflicts.some(id => id.length === 0 || id.length > WIRE_LIMITS.maxConflictIdChars)) return `conflict id must have 1..${WIRE_LIMITS.maxConflictIdChars} characters`
  if (message.unheard.some(id => id.length === 0 || id.length > WIRE_LIMITS.maxUnheardIdChars)) return `unheard id must have 1..${WIRE_LIMITS.maxUnheardIdChars} characters`
  return undefined
}

/** Each address we advertise as it goes on the wire, without a peer id: ours go out in every heartbeat. Multiaddrs are immutable. */
const wireBytesOf = new WeakMap<Multiaddr, Uint8Array<ArrayBuffer>>()

/** One address to advertise, converted once per address object (see `wireBytesOf`). */
function wireBytes (addr: Multiaddr): Uint8Array<ArrayBuffer> {
  let bytes = wireBytesOf.get(addr)
  if (bytes === undefined) {
    bytes = addr.decapsulateCode(CODE_P2P).bytes
    wireBytesOf.set(addr, bytes)
  }
  return bytes
}

/**
 * Parsed advertised addresses by their bytes, shared by the process: agents advertise the same
 * addresses in every heartbeat, and parsing a multiaddr costs more than the rest of the decode.
 * Bounded: past {@link MAX_PARSED_ADDRS} the oldest entry goes. Multiaddrs are immutable.
 */
const parsedAddrs = new Map<string, Multiaddr>()
const MAX_PARSED_ADDRS = 4096

/** One advertised address, parsed once per distinct bytes (see `parsedAddrs`). */
function decodeAddr (bytes: Uint8Array): Multiaddr {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  let addr = parsedAddrs.get(key)
  if (addr === undefined) {
    addr = parseAddr(bytes)
    if (parsedAddrs.size >= MAX_PARSED_ADDRS) parsedAddrs.delete(parsedAddrs.keys().next().value as string)
    parsedAddrs.set(key, addr)
  }
  return addr
}

/** Parses one advertised address; it must be a valid multiaddr without a peer id. */
function parseAddr (bytes: Uint8Array): Multiaddr {
  let addr: Multiaddr
  try {
    addr = multiaddr(bytes)
  } catch {
    throw new HeartbeatDecodeError('invalid-field', 'Invalid heartbeat field: an address is not a valid multiaddr')
  }
  if (addr.getComponents().some(component => component.code === CODE_P2P)) {
    throw new HeartbeatDecodeError('invalid-field', 'Invalid heartbeat field: an address names a peer id')
  }
  return addr
}

/** `record[key]` if it is an own property (a group named "__proto__" must not read Object.prototype). */
function ownOf<T> (record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}
