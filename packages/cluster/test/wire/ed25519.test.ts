import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ed25519, hasSmallOrder, isStrictSignature, isStrongPublicKey, nodeCryptoVerifier, sodiumLoadFailure, sodiumVerifier } from '../../src/wire/ed25519.js'

interface SodiumForTests {
  crypto_sign_verify_detached: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
  crypto_core_ed25519_add: (result: Uint8Array, p: Uint8Array, q: Uint8Array) => void
  crypto_scalarmult_ed25519_base_noclamp: (result: Uint8Array, scalar: Uint8Array) => void
  crypto_scalarmult_ed25519_noclamp: (result: Uint8Array, scalar: Uint8Array, point: Uint8Array) => void
}
const sodium = createRequire(import.meta.url)('sodium-native') as SodiumForTests
const verifiers = [nodeCryptoVerifier, sodiumVerifier(sodium)]

const L = 2n ** 252n + 27742317777372353535851937790883648493n
const IDENTITY = Buffer.from('01'.padEnd(64, '0'), 'hex')

function littleEndian (bytes: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(bytes).reverse().toString('hex'))
}

function scalarBytes (value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse()
}

function sha512 (...parts: Uint8Array[]): Buffer {
  return crypto.createHash('sha512').update(Buffer.concat(parts)).digest()
}

/** A fresh key pair: its raw public key, the signing scalar a (from the seed, clamped) and a Node private key. */
function keyPair (): { publicKey: Buffer, a: bigint, privateKey: crypto.KeyObject } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  const digest = sha512(Buffer.from(jwk.d ?? '', 'base64url')).subarray(0, 32)
  digest[0] = (digest[0] ?? 0) & 248
  digest[31] = ((digest[31] ?? 0) & 127) | 64
  return { publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url'), a: littleEndian(digest), privateKey }
}

/** The challenge h = SHA-512(R, A, message) mod L. */
function challenge (r: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return littleEndian(sha512(r, publicKey, message)) % L
}

/** A signature whose R is the identity (nonce r = 0): S = h a, so [S]B = R + [h]A holds; only the small-order rule refuses it. */
function zeroNonceSignature (a: bigint, publicKey: Uint8Array, message: Uint8Array): Buffer {
  return Buffer.concat([IDENTITY, scalarBytes((challenge(IDENTITY, publicKey, message) * a) % L)])
}

afterEach(() => { vi.restoreAllMocks() })

describe('ed25519 signature checks', () => {
  it('uses libsodium when sodium-native is installed (a dev dependency here)', () => {
    expect(sodiumLoadFailure).toBeUndefined()
    expect(ed25519.backend).toBe('libsodium')
  })

  it('the small-order table holds the 8 points of order dividing 8: each is one, and 8 of it is the identity', () => {
    const canonical = ['01', 'ec', '00', '00', '26', '26', 'c7', 'c7']
    const points = [
      IDENTITY,
      Buffer.from('ec'.padEnd(62, 'f') + '7f', 'hex'),
      Buffer.alloc(32),
      Buffer.from('00'.repeat(31) + '80', 'hex'),
      Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex'),
      Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', 'hex'),
      Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'),
      Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'hex')
    ]
    expect(new Set(points.map((p) => p.toString('hex'))).size).toBe(8)
    points.forEach((point, i) => {
      expect(point[0]?.toString(16).padStart(2, '0')).toBe(canonical[i])
      let multiple = Buffer.from(point)
      for (let doubling = 0; doubling < 3; doubling++) {
        const next = Buffer.alloc(32)
        sodium.crypto_core_ed25519_add(next, multiple, multiple)
        multiple = next
      }
      expect(multiple.toString('hex')).toBe(IDENTITY.toString('hex'))
      expect(hasSmallOrder(point)).toBe(true)
      expect(isStrongPublicKey(point)).toBe(false)
    })
    for (let i = 0; i < 20; i++) expect(isStrongPublicKey(keyPair().publicKey)).toBe(true)
  })

  it('refuses non-canonical key encodings (y at or above the field prime)', () => {
    const prime = Buffer.from('ed'.padEnd(62, 'f') + '7f', 'hex')
    for (const low of [0xed, 0xf0, 0xff]) {
      const point = Buffer.from(prime)
      point[0] = low
      expect(isStrongPublicKey(point)).toBe(false)
    }
    const belowPrime = Buffer.from(prime)
    belowPrime[0] = 0xea
    expect(hasSmallOrder(belowPrime)).toBe(false)
  })

  it('both backends accept and refuse the same signatures, including those that satisfy the equation but break the shared rules', () => {
    const { publicKey, a, privateKey } = keyPair()
    const message = new TextEncoder().encode('gossip-ring/heartbeat/2\0 a heartbeat')
    const valid = crypto.sign(null, message, privateKey)
    const tampered = Buffer.from(valid)
    tampered[5] = (tampered[5] ?? 0) ^ 1
    const sPlusL = Buffer.concat([valid.subarray(0, 32), scalarBytes(littleEndian(valid.subarray(32)) + L)])
    const zeroNonce = zeroNonceSignature(a, publicKey, message)
    // the equation holds for it ([S]B = [h]A, R being the identity): a library that checks the equation alone takes it
    const sB = Buffer.alloc(32)
    const hA = Buffer.alloc(32)
    sodium.crypto_scalarmult_ed25519_base_noclamp(sB, zeroNonce.subarray(32))
    sodium.crypto_scalarmult_ed25519_noclamp(hA, scalarBytes(challenge(IDENTITY, publicKey, message)), publicKey)
    expect(sB.toString('hex')).toBe(hA.toString('hex'))
    expect(isStrictSignature(zeroNonce)).toBe(false)
    expect(isStrictSignature(sPlusL)).toBe(false)
    expect(isStrictSignature(valid)).toBe(true)

    const cases: Array<[string, Uint8Array, Uint8Array, boolean]> = [
      ['valid', message, valid, true],
      ['other message', new TextEncoder().encode('another heartbeat'), valid, false],
      ['flipped bit', message, tampered, false],
      ['S + L (non-canonical S)', message, sPlusL, false],
      ['R of small order (nonce 0)', message, zeroNonce, false]
    ]
    for (const verifier of verifiers) {
      const key = verifier.prepare(publicKey)
      for (const [name, signed, signature, expected] of cases) {
        expect({ backend: verifier.backend, name, accepted: verifier.verify(key, signed, signature) }).toEqual({ backend: verifier.backend, name, accepted: expected })
      }
    }
  })

  it('applies the shared rules itself, whatever the library would say: a library that takes every signature still gets neither a small-order R nor S + L through', () => {
    const { publicKey, a, privateKey } = keyPair()
    const message = new TextEncoder().encode('a heartbeat')
    const valid = crypto.sign(null, message, privateKey)
    const sPlusL = Buffer.concat([valid.subarray(0, 32), scalarBytes(littleEndian(valid.subarray(32)) + L)])
    const zeroNonce = zeroNonceSignature(a, publicKey, message)
    vi.spyOn(crypto, 'verify').mockImplementation((() => true) as unknown as typeof crypto.verify)
    const lenientSodium = sodiumVerifier({ crypto_sign_verify_detached: () => true })
    for (const verifier of [nodeCryptoVerifier, lenientSodium]) {
      const key = verifier.prepare(publicKey)
      expect([verifier.verify(key, message, valid), verifier.verify(key, message, sPlusL), verifier.verify(key, message, zeroNonce)]).toEqual([true, false, false])
    }
  })
})
