import { noise } from '@chainsafe/libp2p-noise'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Libp2p } from '@libp2p/interface'
import { clusterNoiseCrypto } from '../src/noise-crypto.js'
import { createClusterNode } from '../src/node.js'
import { resolveClusterOptions } from '../src/options.js'

/** Counts the key imports `noise-crypto.ts` makes (the default crypto, in node_modules, is not counted). */
const imports = vi.hoisted(() => ({ public: 0, private: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return {
    ...actual,
    createPublicKey: (...args: Parameters<typeof actual.createPublicKey>) => { imports.public++; return actual.createPublicKey(...args) },
    createPrivateKey: (...args: Parameters<typeof actual.createPrivateKey>) => { imports.private++; return actual.createPrivateKey(...args) }
  }
})

const hex = (bytes: Uint8Array | Uint8ArrayList): string => Buffer.from(bytes.subarray()).toString('hex')

describe('noise X25519 with keys imported once (clusterNoiseCrypto)', () => {
  it('makes key pairs whose public key is the one the default derives from the private key', () => {
    for (let i = 0; i < 5; i++) {
      const pair = clusterNoiseCrypto.generateX25519KeyPair()
      expect(pair.privateKey.byteLength).toBe(32)
      // not a slice of Node's shared buffer pool, where other data lives next to it
      expect(pair.privateKey.buffer.byteLength).toBe(32)
      expect(hex(defaultCrypto.generateX25519KeyPairFromSeed(pair.privateKey).publicKey)).toBe(hex(pair.publicKey))
    }
  })

  it('agrees with the default on every shared key, both ways, however often a key is used', () => {
    const ours = clusterNoiseCrypto.generateX25519KeyPair()
    const theirs = defaultCrypto.generateX25519KeyPair()
    const remote = new Uint8ArrayList(theirs.publicKey) // noise holds a remote key as a list
    const expected = hex(defaultCrypto.generateX25519SharedKey(theirs.privateKey, ours.publicKey))
    for (let i = 0; i < 3; i++) {
      expect(hex(clusterNoiseCrypto.generateX25519SharedKey(ours.privateKey, remote))).toBe(expected)
      expect(hex(clusterNoiseCrypto.generateX25519SharedKey(ours.privateKey, theirs.publicKey))).toBe(expected)
    }
    // a private key it did not make goes the default way
    expect(hex(clusterNoiseCrypto.generateX25519SharedKey(theirs.privateKey, ours.publicKey))).toBe(expected)
  })

  it('imports its own private keys never and a remote key once, however many exchanges use them (the default imports both at each)', () => {
    const e = clusterNoiseCrypto.generateX25519KeyPair()
    const s = clusterNoiseCrypto.generateX25519KeyPair()
    const re = new Uint8ArrayList(defaultCrypto.generateX25519KeyPair().publicKey)
    const rs = new Uint8ArrayList(defaultCrypto.generateX25519KeyPair().publicKey)
    imports.public = 0
    imports.private = 0
    // the three exchanges of an XX handshake's responder: ee, es (s with re), se (e with rs)
    clusterNoiseCrypto.generateX25519SharedKey(e.privateKey, re)
    clusterNoiseCrypto.generateX25519SharedKey(s.privateKey, re)
    clusterNoiseCrypto.generateX25519SharedKey(e.privateKey, rs)
    expect(imports).toEqual({ public: 2, private: 0 })
  })

  it('is not fooled by an array whose bytes changed since it was used', () => {
    const ours = clusterNoiseCrypto.generateX25519KeyPair()
    const first = defaultCrypto.generateX25519KeyPair()
    const second = defaultCrypto.generateX25519KeyPair()
    const remote = Uint8Array.from(first.publicKey)
    expect(hex(clusterNoiseCrypto.generateX25519SharedKey(ours.privateKey, remote))).toBe(hex(defaultCrypto.generateX25519SharedKey(first.privateKey, ours.publicKey)))
    remote.set(second.publicKey)
    expect(hex(clusterNoiseCrypto.generateX25519SharedKey(ours.privateKey, remote))).toBe(hex(defaultCrypto.generateX25519SharedKey(second.privateKey, ours.publicKey)))
    const privateCopy = Uint8Array.from(ours.privateKey)
    ours.privateKey.set(second.privateKey)
    expect(hex(clusterNoiseCrypto.generateX25519SharedKey(ours.privateKey, first.publicKey))).toBe(hex(defaultCrypto.generateX25519SharedKey(second.privateKey, first.publicKey)))
    ours.privateKey.set(privateCopy)
  })

  describe('on the real stack', () => {
    const nodes: Libp2p[] = []
    afterEach(async () => { await Promise.all(nodes.splice(0).map(async (node) => node.stop())) })

    it('a cluster node (which uses it) and a libp2p node with noise\'s default crypto connect, whichever dials', async () => {
      const cluster = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false }))
      const plain = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
      nodes.push(cluster, plain)
      imports.public = 0
      imports.private = 0
      for (const [dialer, listener] of [[plain, cluster], [cluster, plain]] as const) {
        const address = listener.getMultiaddrs()[0]
        if (address === undefined) throw new Error('the listener has no address')
        const connection = await dialer.dial(address)
        expect(connection.encryption).toBe('/noise')
        expect(connection.remotePeer.equals(listener.peerId)).toBe(true)
        await dialer.hangUp(listener.peerId)
      }
      // the cluster node's side of the two handshakes: each remote key imported once, no private key
      expect(imports).toEqual({ public: 4, private: 0 })
    })
  })
})
