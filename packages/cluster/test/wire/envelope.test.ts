import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { HeartbeatDecodeError } from '../../src/errors.js'
import { EnvelopeVerifier, HeartbeatSealer, authorPeerId, heartbeatAuthor, isFromAuthor, openEnvelope } from '../../src/wire/envelope.js'
import { SignedHeartbeat } from '../../src/wire/heartbeat.generated.js'
import { WIRE_LIMITS } from '../../src/wire/limits.js'

const TOPIC = 'gossip-ring/v1/default/heartbeat'
const key = await generateKeyPair('Ed25519')
const sealer = new HeartbeatSealer(key, TOPIC)
const heartbeat = new TextEncoder().encode('an encoded heartbeat')
const sealed = sealer.seal(heartbeat)

function reasonOf (bytes: Uint8Array): string {
  try {
    openEnvelope(bytes)
  } catch (err) {
    expect(err).toBeInstanceOf(HeartbeatDecodeError)
    return (err as HeartbeatDecodeError).reason
  }
  return 'opened'
}

/** Opens and verifies: 'ok', 'bad-signature', or the decode error's reason. */
function check (bytes: Uint8Array, topic = TOPIC): string {
  try {
    return new EnvelopeVerifier(topic).verify(openEnvelope(bytes)) ? 'ok' : 'bad-signature'
  } catch (err) {
    return (err as HeartbeatDecodeError).reason
  }
}

/** An Ed25519 peer id's multihash: 6 prefix bytes and the 32-byte key. */
const AUTHOR_FIELD_BYTES = 38

describe('signed heartbeat envelope (wire 2)', () => {
  it('round-trips: the author is the signer\'s peer id, the heartbeat is unchanged, the signature verifies', () => {
    const envelope = openEnvelope(sealed)
    expect(authorPeerId(envelope.author).toString()).toBe(peerIdFromPrivateKey(key).toString())
    expect(heartbeatAuthor(sealed)).toBe(peerIdFromPrivateKey(key).toString())
    expect(envelope.heartbeat).toEqual(heartbeat)
    expect(check(sealed)).toBe('ok')
    // Ed25519 is deterministic: one heartbeat, one envelope, one gossipsub message id
    expect(sealer.seal(heartbeat)).toEqual(sealed)
  })

  it('any byte changed: refused (decode error or bad signature), never accepted', () => {
    for (let i = 0; i < sealed.byteLength; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = Uint8Array.from(sealed, (byte, j) => j === i ? byte ^ mask : byte)
        expect(check(tampered), `byte ${i} ^ ${mask}`).not.toBe('ok')
      }
    }
  })

  it('another topic (namespace): bad signature', () => {
    expect(check(sealed, 'gossip-ring/v1/other/heartbeat')).toBe('bad-signature')
  })

  it('a heartbeat signed by another key than its author\'s: bad signature', async () => {
    const other = await generateKeyPair('Ed25519')
    const { author } = openEnvelope(sealed)
    const forged = SignedHeartbeat.encode({ author, heartbeat, signature: openEnvelope(new HeartbeatSealer(other, TOPIC).seal(heartbeat)).signature })
    expect(check(forged)).toBe('bad-signature')
  })

  it('heartbeatAuthor reads the leading author field only: what the bytes claim, not whether they are a valid envelope', () => {
    const claimed = peerIdFromPrivateKey(key).toString()
    expect(heartbeatAuthor(sealed.subarray(0, 2 + AUTHOR_FIELD_BYTES))).toBe(claimed) // cut right after the author
    expect(heartbeatAuthor(sealed.subarray(0, 2 + AUTHOR_FIELD_BYTES - 1))).toBeUndefined() // the author itself cut
    expect(heartbeatAuthor(Uint8Array.from([0x12, ...sealed.subarray(1)]))).toBeUndefined() // another field first
  })

  it('an author that is not an Ed25519 peer id: unsupported-key', async () => {
    const { heartbeat: inner, signature } = openEnvelope(sealed)
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toMultihash().bytes
    expect(reasonOf(SignedHeartbeat.encode({ author: new Uint8Array(secp), heartbeat: inner, signature }))).toBe('unsupported-key')
    expect(reasonOf(SignedHeartbeat.encode({ author: new Uint8Array(38), heartbeat: inner, signature }))).toBe('unsupported-key')
    expect(reasonOf(SignedHeartbeat.encode({ heartbeat: inner, signature }))).toBe('unsupported-key')
    expect(heartbeatAuthor(SignedHeartbeat.encode({ heartbeat: inner, signature }))).toBeUndefined()
  })

  it('an Ed25519 author key of small order or not canonical, which anyone could sign for: unsupported-key, before any signature check', () => {
    const { heartbeat: inner, author } = openEnvelope(sealed)
    const withKey = (hex: string): Uint8Array<ArrayBuffer> => Uint8Array.from([...author.subarray(0, 6), ...Buffer.from(hex, 'hex')])
    // identity key, and R = identity with S = 0: the equation [S]B = R + [h]A holds for every message
    const anyoneSigns = Uint8Array.from([...Buffer.from('01'.padEnd(64, '0'), 'hex'), ...new Uint8Array(32)])
    expect(reasonOf(SignedHeartbeat.encode({ author: withKey('01'.padEnd(64, '0')), heartbeat: inner, signature: anyoneSigns }))).toBe('unsupported-key')
    expect(reasonOf(SignedHeartbeat.encode({ author: withKey('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'), heartbeat: inner, signature: anyoneSigns }))).toBe('unsupported-key')
    expect(reasonOf(SignedHeartbeat.encode({ author: withKey('ef'.padEnd(62, 'f') + '7f'), heartbeat: inner, signature: anyoneSigns }))).toBe('unsupported-key')
  })

  it('refuses non-canonical encodings (extra or reordered fields) so one heartbeat has one id', () => {
    const withExtra = Uint8Array.from([...sealed, 0x22, 0x01, 0x00])
    expect(reasonOf(withExtra)).toBe('malformed')
    const { author, heartbeat: inner, signature } = openEnvelope(sealed)
    const reordered = Uint8Array.from([
      ...SignedHeartbeat.encode({ heartbeat: inner }), ...SignedHeartbeat.encode({ author }), ...SignedHeartbeat.encode({ signature })
    ])
    expect(openEnvelope.bind(undefined, reordered)).toThrow(HeartbeatDecodeError)
    expect(reasonOf(SignedHeartbeat.encode({ author, heartbeat: inner, signature: signature.subarray(1) }))).toBe('malformed')
  })

  it('refuses oversized input before decoding it', () => {
    expect(reasonOf(new Uint8Array(WIRE_LIMITS.maxEnvelopeBytes + 1))).toBe('oversized')
    expect(reasonOf(new Uint8Array(WIRE_LIMITS.maxEnvelopeBytes).fill(0xff))).not.toBe('oversized')
    // the largest heartbeat fits an envelope
    expect(reasonOf(sealer.seal(new Uint8Array(WIRE_LIMITS.maxHeartbeatBytes)))).toBe('opened')
  })

  it('signs with Ed25519 keys only', async () => {
    await expect((async () => new HeartbeatSealer(await generateKeyPair('secp256k1'), TOPIC))()).rejects.toThrow(TypeError)
  })

  it('isFromAuthor: true only when the sender\'s id is the envelope\'s author (read, not verified), false for anything else', async () => {
    const self = peerIdFromPrivateKey(key).toMultihash().bytes
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    expect(isFromAuthor(sealed, self)).toBe(true)
    expect(isFromAuthor(sealed, other)).toBe(false)
    expect(isFromAuthor(sealed.subarray(0, 20), self)).toBe(false)
    expect(isFromAuthor(new Uint8Array(0), self)).toBe(false)
    expect(isFromAuthor(sealed, self.subarray(0, 10))).toBe(false)
    const wrongTag = Uint8Array.from(sealed)
    wrongTag[0] = 0x12
    expect(isFromAuthor(wrongTag, self)).toBe(false)
  })
})
