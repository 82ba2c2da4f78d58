/**
 * Ed25519 signature checks for relayed heartbeats, the largest single cost of a large fleet's
 * steady state. libsodium (the optional dependency `sodium-native`) checks a signature in
 * about half the time of OpenSSL (`node:crypto`), which is used when `sodium-native` is not
 * installed or does not load on this platform.
 *
 * Both must accept exactly the same signatures: agents of one fleet may run either, and a heartbeat
 * that some accept and others reject would split their views. Libraries (and OpenSSL versions: Node
 * may be built against the system's) differ on keys and signatures built from points of small
 * order, for which the signature equation alone is easy to satisfy, and on non-canonical encodings.
 * So those rules are checked here, the same for both, before either library is asked: an author key
 * must be canonical and not of small order ({@link isStrongPublicKey}, refused at the envelope), a
 * signature's R must not be of small order and its S must be below the group order
 * ({@link isStrictSignature}).
 */
import crypto from 'node:crypto'
import { createRequire } from 'node:module'

/** Which library checks signatures in this process. */
export type Ed25519Backend = 'libsodium' | 'node:crypto'

/** A public key made ready for repeated checks (what each backend wants; build it with `prepare`). */
export type PreparedKey = { readonly prepared: unique symbol }

/** Checks Ed25519 signatures with one library. */
export interface Ed25519Verifier {
  /** The library behind it. */
  readonly backend: Ed25519Backend
  /** `publicKey` (32 raw bytes, already known strong) in the form `verify` takes; worth caching per key. */
  prepare: (publicKey: Uint8Array) => PreparedKey
  /** True when `signature` (64 bytes) is the key's over `message`, by the rules both backends share. */
  verify: (key: PreparedKey, message: Uint8Array, signature: Uint8Array) => boolean
}

/** The parts of `sodium-native` used here. */
interface Sodium {
  crypto_sign_verify_detached: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
}

/** DER prefix that makes a raw Ed25519 public key a Node key (SPKI). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const POINT_BYTES = 32

/** OpenSSL through `node:crypto`: a `KeyObject` per key, built once. */
export const nodeCryptoVerifier: Ed25519Verifier = {
  backend: 'node:crypto',
  prepare: (publicKey) => crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) as unknown as PreparedKey,
  verify: (key, message, signature) => isStrictSignature(signature) && crypto.verify(null, message, key as unknown as crypto.KeyObject, signature)
}

/** libsodium through `sodium-native` (a loaded module). */
export function sodiumVerifier (sodium: Sodium): Ed25519Verifier {
  return {
    backend: 'libsodium',
    prepare: (publicKey) => new Uint8Array(publicKey) as unknown as PreparedKey,
    verify: (key, message, signature) => isStrictSignature(signature) && sodium.crypto_sign_verify_detached(signature, message, key as unknown as Uint8Array)
  }
}

/** `sodium-native` if it is installed and loads here, else why not (for the debug log). */
function loadSodium (): { sodium: Sodium } | { failure: string } {
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as Sodium
    if (typeof sodium.crypto_sign_verify_detached !== 'function') return { failure: 'sodium-native has no crypto_sign_verify_detached' }
    return { sodium }
  } catch (err) {
    return { failure: (err as Error).message.split('\n')[0] ?? String(err) }
  }
}

const loaded = loadSodium()

/** The verifier of this process: libsodium when `sodium-native` loads, else `node:crypto`. */
export const ed25519: Ed25519Verifier = 'sodium' in loaded ? sodiumVerifier(loaded.sodium) : nodeCryptoVerifier

/** Why `sodium-native` was not used (undefined when it is). */
export const sodiumLoadFailure: string | undefined = 'failure' in loaded ? loaded.failure : undefined

/**
 * Which library checks relayed heartbeats' signatures in this process: `'libsodium'` when the
 * optional dependency `sodium-native` is installed and loads (about twice as fast), else
 * `'node:crypto'` (OpenSSL). Both accept exactly the same signatures.
 */
export const signatureBackend: Ed25519Backend = ed25519.backend

/** One line for logs: the backend, and why not libsodium when it is not. */
export function describeSignatureBackend (): string {
  return sodiumLoadFailure === undefined ? signatureBackend : `${signatureBackend} (sodium-native not loaded: ${sodiumLoadFailure})`
}

/**
 * The encodings of the 8 points of order dividing 8 (and of the non-canonical ones equal to them),
 * compared without the sign bit: identity, the point of order 2, those of order 4 (y = 0) and 8.
 * A key or an R among them lets anyone satisfy the signature equation.
 */
const SMALL_ORDER_POINTS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
].map((hex) => Buffer.from(hex, 'hex'))

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const GROUP_ORDER = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex')

/** Is `point` (32 bytes) the encoding of a point of order 1, 2, 4 or 8, whatever its sign bit? */
export function hasSmallOrder (point: Uint8Array): boolean {
  return SMALL_ORDER_POINTS.some((small) => {
    for (let i = 0; i < POINT_BYTES - 1; i++) if (point[i] !== small[i]) return false
    return ((point[POINT_BYTES - 1] ?? 0) & 0x7f) === small[POINT_BYTES - 1]
  })
}

/** Is `y` (the 255 low bits of an encoding) below the field prime 2^255 - 19, as a canonical encoding's is? */
function isCanonicalPoint (point: Uint8Array): boolean {
  if (((point[POINT_BYTES - 1] ?? 0) & 0x7f) !== 0x7f) return true
  for (let i = POINT_BYTES - 2; i > 0; i--) if (point[i] !== 0xff) return true
  return (point[0] ?? 0) < 0xed
}

/** Is the scalar (32 bytes, little-endian) below the group order? */
function isCanonicalScalar (scalar: Uint8Array): boolean {
  for (let i = POINT_BYTES - 1; i >= 0; i--) {
    const a = scalar[i] ?? 0
    const b = GROUP_ORDER[i] ?? 0
    if (a !== b) return a < b
  }
  return false
}

/** A public key both backends treat alike: canonically encoded and not of small order. */
export function isStrongPublicKey (publicKey: Uint8Array): boolean {
  return publicKey.byteLength === POINT_BYTES && isCanonicalPoint(publicKey) && !hasSmallOrder(publicKey)
}

/** A signature both backends treat alike: 64 bytes, R not of small order, S below the group order. */
export function isStrictSignature (signature: Uint8Array): boolean {
  return signature.byteLength === 2 * POINT_BYTES && !hasSmallOrder(signature.subarray(0, POINT_BYTES)) && isCanonicalScalar(signature.subarray(POINT_BYTES))
}
