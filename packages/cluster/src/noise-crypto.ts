import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import type { Uint8ArrayList } from 'uint8arraylist'

/** DER prefix of an X25519 SubjectPublicKeyInfo: the 32 key bytes follow. */
const X25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00])

/** A Node key built from `bytes`, kept with a copy of them so a reused array is not mistaken. */
interface CachedKey { bytes: Uint8Array, key: KeyObject }

/**
 * The private keys of the key pairs made by {@link clusterNoiseCrypto}, by the array noise holds.
 * Noise keeps a key pair for the handshake it was made for (an ephemeral key, in 2 key exchanges)
 * or for the life of the node (its static key, in one per handshake), then drops it.
 */
const privateKeys = new WeakMap<Uint8Array | Uint8ArrayList, CachedKey>()
/** The remote public keys of handshakes in progress (each used in 1 or 2 key exchanges), by the object noise holds. */
const publicKeys = new WeakMap<Uint8Array | Uint8ArrayList, CachedKey>()

const bytesOf = (key: Uint8Array | Uint8ArrayList): Uint8Array => key instanceof Uint8Array ? key : key.subarray()

function cached (cache: WeakMap<Uint8Array | Uint8ArrayList, CachedKey>, holder: Uint8Array | Uint8ArrayList): KeyObject | undefined {
  const entry = cache.get(holder)
  return entry !== undefined && Buffer.from(entry.bytes).equals(bytesOf(holder)) ? entry.key : undefined
}

/**
 * The noise handshake's X25519 operations (`@chainsafe/libp2p-noise`'s `crypto` option), with the
 * same keys, curve and results as its default (`defaultCrypto`, which this uses for everything
 * else), but each key turned into a Node `KeyObject` once instead of at every key exchange.
 *
 * The default imports both keys from DER for each of the 3 key exchanges a side makes per
 * handshake, and importing a private key derives its public key: a scalar multiplication, more
 * than the exchange itself (Node 24: 46 us for the import, 21 us for the public key's, 30 us for the
 * exchange). It also exports every new ephemeral key pair to DER. Here a key pair is made as
 * `KeyObject`s and its private one kept; the remote's public key is imported once per handshake.
 * Keys we did not make, or arrays whose bytes changed, go the default way.
 */
export const clusterNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  generateX25519KeyPair () {
    const { privateKey } = generateKeyPairSync('x25519')
    const jwk = privateKey.export({ format: 'jwk' })
    if (jwk.x === undefined || jwk.d === undefined) return defaultCrypto.generateX25519KeyPair()
    // an unpooled buffer: a private key must not share an ArrayBuffer with unrelated data
    const secret = Buffer.allocUnsafeSlow(32)
    if (secret.write(jwk.d, 'base64url') !== 32) return defaultCrypto.generateX25519KeyPair()
    const pair = { publicKey: Buffer.from(jwk.x, 'base64url'), privateKey: secret }
    privateKeys.set(pair.privateKey, { bytes: Uint8Array.from(pair.privateKey), key: privateKey })
    return pair
  },
  generateX25519SharedKey (privateKey, publicKey) {
    const ours = cached(privateKeys, privateKey)
    if (ours === undefined) return defaultCrypto.generateX25519SharedKey(privateKey, publicKey)
    let theirs = cached(publicKeys, publicKey)
    if (theirs === undefined) {
      const bytes = Uint8Array.from(bytesOf(publicKey))
      theirs = createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, bytes]), type: 'spki', format: 'der' })
      publicKeys.set(publicKey, { bytes, key: theirs })
    }
    return diffieHellman({ privateKey: ours, publicKey: theirs })
  }
}
