/**
 * The signed envelope of wire version 2 (`SignedHeartbeat` in heartbeat.proto): gossipsub runs
 * StrictNoSign, and the cluster signs each heartbeat itself, so a receiver can skip the signature
 * check of a copy that comes straight from its author (noise authenticated that peer) and check
 * only relayed copies. Ed25519 only; the signature covers a domain tag, the topic and the heartbeat.
 * Checked by libsodium when `sodium-native` is installed, else by OpenSSL (see `ed25519.ts`).
 */
import crypto from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { HeartbeatDecodeError } from '../errors.js'
import { ed25519, isStrongPublicKey } from './ed25519.js'
import type { PreparedKey } from './ed25519.js'
import { SignedHeartbeat } from './heartbeat.generated.js'
import { WIRE_LIMITS } from './limits.js'

/** An Ed25519 peer id: identity multihash (0x00, 36 bytes) of the protobuf public key (type 1, 32 bytes). */
const ED25519_AUTHOR_PREFIX = Uint8Array.of(0x00, 0x24, 0x08, 0x01, 0x12, 0x20)
const PUBLIC_KEY_BYTES = 32
const AUTHOR_BYTES = ED25519_AUTHOR_PREFIX.byteLength + PUBLIC_KEY_BYTES
const SIGNATURE_BYTES = 64
/** DER prefix that makes a raw Ed25519 private seed a Node key (PKCS#8). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/** The domain tag the signed payload starts with: these signatures are good for nothing else. */
const DOMAIN = new TextEncoder().encode('gossip-ring/heartbeat/2\0')
/** Authors whose id and key object are kept (the least recently used one is forgotten beyond this). */
const MAX_CACHED_AUTHORS = 4096

/** An envelope's parts, not yet authenticated. */
export interface Envelope {
  /** The author's peer id bytes (an Ed25519 identity multihash). */
  author: Uint8Array<ArrayBuffer>
  /** The encoded `Heartbeat`. */
  heartbeat: Uint8Array<ArrayBuffer>
  /** Ed25519 over the domain tag, the topic and `heartbeat`. */
  signature: Uint8Array<ArrayBuffer>
}

/**
 * Splits envelope bytes into their parts. Sizes are checked before anything is decoded; only the
 * canonical encoding (fields 1, 2, 3 in order, once each) is accepted, so one signed heartbeat has
 * one gossipsub message id.
 *
 * @throws {HeartbeatDecodeError} 'oversized', 'malformed', or 'unsupported-key' for an author that is not an Ed25519 peer id, or whose key is of small order or not canonically encoded (anyone could sign for it)
 */
export function openEnvelope (bytes: Uint8Array): Envelope {
  if (bytes.byteLength > WIRE_LIMITS.maxEnvelopeBytes) {
    throw new HeartbeatDecodeError('oversized', `Envelope of ${bytes.byteLength} bytes exceeds ${WIRE_LIMITS.maxEnvelopeBytes} bytes`)
  }
  let envelope: SignedHeartbeat
  try {
    envelope = SignedHeartbeat.decode(bytes)
  } catch (err) {
    throw new HeartbeatDecodeError('malformed', `Cannot decode the envelope: ${(err as Error).message}`)
  }
  if (!isEd25519Author(envelope.author)) throw new HeartbeatDecodeError('unsupported-key', 'The envelope author is not an Ed25519 peer id')
  if (!isStrongPublicKey(envelope.author.subarray(ED25519_AUTHOR_PREFIX.byteLength))) throw new HeartbeatDecodeError('unsupported-key', 'The envelope author\'s Ed25519 key is of small order or not canonically encoded')
  if (envelope.signature.byteLength !== SIGNATURE_BYTES) throw new HeartbeatDecodeError('malformed', `Envelope signature of ${envelope.signature.byteLength} bytes, not ${SIGNATURE_BYTES}`)
  if (!isCanonical(bytes, envelope)) throw new HeartbeatDecodeError('malformed', 'The envelope is not canonically encoded')
  return envelope
}

/**
 * The author's member id (peer id string) of envelope bytes, not verified: who the envelope claims
 * wrote it. For logs, metrics and fault simulators that look at messages before the cluster's
 * validator. Reads the leading author field only (where a canonical envelope has it; nothing else is
 * decoded or checked, so it costs a lookup, not a decode); undefined when the bytes do not start with
 * an Ed25519 author.
 */
export function heartbeatAuthor (data: Uint8Array): string | undefined {
  if (data.byteLength < 2 + AUTHOR_BYTES || data[0] !== 0x0a || data[1] !== AUTHOR_BYTES) return undefined
  const author = data.subarray(2, 2 + AUTHOR_BYTES)
  return isEd25519Author(author) ? authorEntry(author).peerId.toString() : undefined
}

/**
 * True when `data`, a signed envelope, names as its author the peer whose id multihash is
 * `sender` (`peerId.toMultihash().bytes`): a copy the author sent itself. Reads the author bytes only,
 * nothing is verified; for a duplicate of a message that was already accepted that is enough.
 */
export function isFromAuthor (data: Uint8Array, sender: Uint8Array): boolean {
  if (data.byteLength < 2 + AUTHOR_BYTES || data[0] !== 0x0a || data[1] !== AUTHOR_BYTES || sender.byteLength !== AUTHOR_BYTES) return false
  for (let i = 0; i < AUTHOR_BYTES; i++) if (data[2 + i] !== sender[i]) return false
  return true
}

/** Signs heartbeats as one node (its Ed25519 key) for one topic. */
export class HeartbeatSealer {
  readonly #author: Uint8Array<ArrayBuffer>
  readonly #key: KeyObject
  readonly #prefix: Uint8Array

  /** @throws {TypeError} for a key that is not Ed25519 (callers check it first, with a named error) */
  constructor (privateKey: PrivateKey, topic: string) {
    if (privateKey.type !== 'Ed25519') throw new TypeError(`Heartbeats are signed with Ed25519 keys, not ${privateKey.type}`)
    this.#author = new Uint8Array(peerIdFromPublicKey(privateKey.publicKey).toMultihash().bytes)
    this.#key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey.raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' })
    this.#prefix = payloadPrefix(topic)
  }

  /** The envelope of an encoded heartbeat. */
  seal (heartbeat: Uint8Array): Uint8Array {
    const signature = crypto.sign(null, concat(this.#prefix, heartbeat), this.#key)
    return SignedHeartbeat.encode({ author: this.#author, heartbeat: new Uint8Array(heartbeat), signature: new Uint8Array(signature) })
  }
}

/** Checks the envelopes of one topic. */
export class EnvelopeVerifier {
  readonly #prefix: Uint8Array

  constructor (topic: string) {
    this.#prefix = payloadPrefix(topic)
  }

  /** True when the envelope's signature is its author's, over this topic and its heartbeat. */
  verify (envelope: Envelope): boolean {
    const entry = authorEntry(envelope.author)
    entry.key ??= ed25519.prepare(envelope.author.subarray(ED25519_AUTHOR_PREFIX.byteLength))
    return ed25519.verify(entry.key, concat(this.#prefix, envelope.heartbeat), envelope.signature)
  }
}

/** The peer id of an opened envelope's author (one object per author while cached: its `toString()` is computed once). */
export function authorPeerId (author: Uint8Array): PeerId {
  return authorEntry(author).peerId
}

/**
 * Each author's peer id and its key prepared for signature checks, shared by every cluster of the process (both are
 * functions of the author bytes), bounded: the least recently used author is forgotten. Base58 and
 * key parsing each cost about as much as a verification.
 */
const authors = new Map<string, AuthorEntry>()

interface AuthorEntry {
  peerId: PeerId
  key?: PreparedKey
}

function authorEntry (author: Uint8Array): AuthorEntry {
  const cacheKey = Buffer.from(author.buffer, author.byteOffset, author.byteLength).toString('latin1')
  let entry = authors.get(cacheKey)
  if (entry !== undefined) {
    authors.delete(cacheKey)
  } else {
    entry = { peerId: peerIdFromPublicKey(publicKeyFromRaw(author.subarray(ED25519_AUTHOR_PREFIX.byteLength))) }
    if (authors.size >= MAX_CACHED_AUTHORS) authors.delete(authors.keys().next().value as string)
  }
  authors.set(cacheKey, entry)
  return entry
}

function isEd25519Author (author: Uint8Array): boolean {
  return author.byteLength === AUTHOR_BYTES && ED25519_AUTHOR_PREFIX.every((byte, i) => author[i] === byte)
}

/** The canonical layout: 0x0a len author, 0x12 len heartbeat, 0x1a 0x40 signature, nothing else. */
function isCanonical (bytes: Uint8Array, envelope: SignedHeartbeat): boolean {
  const heartbeatStart = 2 + AUTHOR_BYTES + 1 + varintLength(envelope.heartbeat.byteLength)
  const signatureTag = heartbeatStart + envelope.heartbeat.byteLength
  return bytes.byteLength === signatureTag + 2 + SIGNATURE_BYTES &&
    bytes[0] === 0x0a && bytes[1] === AUTHOR_BYTES &&
    bytes[2 + AUTHOR_BYTES] === 0x12 &&
    bytes[signatureTag] === 0x1a && bytes[signatureTag + 1] === SIGNATURE_BYTES
}

function varintLength (value: number): number {
  let length = 1
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) length++
  return length
}

/** Domain tag, then the topic's UTF-8 length (4 bytes, big-endian) and bytes: what every signed payload of the topic starts with. */
function payloadPrefix (topic: string): Uint8Array {
  const name = new TextEncoder().encode(topic)
  const prefix = new Uint8Array(DOMAIN.byteLength + 4 + name.byteLength)
  prefix.set(DOMAIN, 0)
  new DataView(prefix.buffer).setUint32(DOMAIN.byteLength, name.byteLength, false)
  prefix.set(name, DOMAIN.byteLength + 4)
  return prefix
}

function concat (prefix: Uint8Array, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.byteLength + rest.byteLength)
  out.set(prefix, 0)
  out.set(rest, prefix.byteLength)
  return out
}
