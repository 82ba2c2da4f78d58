import { generateKeyPair, publicKeyFromRaw } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'

/**
 * `patches/@libp2p__crypto@5.1.23.patch` caches ed25519 KeyObjects (by public key bytes, and per
 * private key buffer). A cache must never answer for the wrong key: these checks would fail if a
 * cached object were reused for another key or a forged signature.
 */
describe('ed25519 with cached key objects (patched @libp2p/crypto)', () => {
  const data = new TextEncoder().encode('heartbeat')

  it('keeps verifying with the right key only, however often a key is used', async () => {
    const a = await generateKeyPair('Ed25519')
    const b = await generateKeyPair('Ed25519')
    const sigA = await a.sign(data)
    const sigB = await b.sign(data)
    for (let i = 0; i < 3; i++) {
      // a fresh public key object each time, as gossipsub builds one per message
      expect(await publicKeyFromRaw(a.publicKey.raw).verify(data, sigA)).toBe(true)
      expect(await publicKeyFromRaw(b.publicKey.raw).verify(data, sigB)).toBe(true)
      expect(await publicKeyFromRaw(a.publicKey.raw).verify(data, sigB)).toBe(false)
      expect(await publicKeyFromRaw(b.publicKey.raw).verify(data, sigA)).toBe(false)
    }
  })

  it('rejects a tampered message or signature after the key is cached', async () => {
    const key = await generateKeyPair('Ed25519')
    const sig = await key.sign(data)
    expect(await key.publicKey.verify(data, sig)).toBe(true)
    const forged = Uint8Array.from(sig)
    forged[0] = (forged[0] as number) ^ 1
    expect(await key.publicKey.verify(data, forged)).toBe(false)
    expect(await key.publicKey.verify(new TextEncoder().encode('heartbeaT'), sig)).toBe(false)
  })

  it('signs with each private key its own signature (no cross-key reuse)', async () => {
    const a = await generateKeyPair('Ed25519')
    const b = await generateKeyPair('Ed25519')
    await a.sign(data)
    const sigB = await b.sign(data)
    expect(await b.publicKey.verify(data, sigB)).toBe(true)
    expect(await a.publicKey.verify(data, sigB)).toBe(false)
  })
})
