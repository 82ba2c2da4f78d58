/**
 * Fuzzing of the heartbeat decoder and the envelope (fast-check): whatever the bytes,
 * `decodeHeartbeat` returns a heartbeat within the wire limits and `openEnvelope` an envelope, or
 * they throw a `HeartbeatDecodeError`, never anything else; an edited envelope never verifies.
 * `FUZZ_RUNS` sets the inputs per property (`pnpm fuzz`: 100,000; default 300 for CI).
 */
import fc from 'fast-check'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { HeartbeatDecodeError, HeartbeatTooLargeError } from '../../src/errors.js'
import { decodeHeartbeat, encodeHeartbeat } from '../../src/wire/codec.js'
import { EnvelopeVerifier, HeartbeatSealer, openEnvelope } from '../../src/wire/envelope.js'
import { WIRE_LIMITS } from '../../src/wire/limits.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { DecodedHeartbeat, OutgoingHeartbeat } from '../../src/wire/codec.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
/** `pnpm fuzz` runs long: allow ~10 ms per input. */
const FUZZ_TIMEOUT_MS = Math.max(60_000, RUNS * 10)

/** Decodes, and checks the one allowed failure and the limits of what comes out. */
function decodeChecked (bytes: Uint8Array): DecodedHeartbeat | undefined {
  let decoded: DecodedHeartbeat
  try {
    decoded = decodeHeartbeat(bytes, 'sender')
  } catch (err) {
    expect(err).toBeInstanceOf(HeartbeatDecodeError)
    return undefined
  }
  expect(decoded.groups.length).toBeLessThanOrEqual(WIRE_LIMITS.maxGroups)
  expect(decoded.addrs.length).toBeLessThanOrEqual(WIRE_LIMITS.maxAddrs)
  for (const group of decoded.groups) expect(group.weight > 0 && group.weight <= WIRE_LIMITS.maxWeight).toBe(true)
  expect(Number.isSafeInteger(decoded.seq) && Number.isSafeInteger(decoded.sentAtMs)).toBe(true)
  return decoded
}

const groupArb = fc.record({
  name: fc.string({ minLength: 1, maxLength: 20 }),
  weight: fc.oneof(fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.constantFrom(1, 1000)),
  metadata: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 4 })
})

const outgoingArb: fc.Arbitrary<OutgoingHeartbeat> = fc.record({
  bootId: fc.string({ minLength: 1, maxLength: 64 }),
  seq: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  sentAtMs: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  leaving: fc.boolean(),
  groups: fc.uniqueArray(groupArb, { selector: group => group.name, maxLength: 6 }),
  digests: fc.constant({}),
  addrs: fc.array(fc.constantFrom('/ip4/10.0.0.1/tcp/4001', '/ip6/::1/tcp/1', '/memory/x').map(addr => multiaddr(addr)), { maxLength: 3 })
})

describe('heartbeat decoder fuzzing', () => {
  it('arbitrary bytes: a valid heartbeat or a HeartbeatDecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), bytes => { decodeChecked(bytes) }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)

  it('valid encodings with bytes flipped, cut or inserted: a valid heartbeat or a HeartbeatDecodeError', () => {
    fc.assert(fc.property(outgoingArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert')), { minLength: 1, maxLength: 4 }), (heartbeat, edits) => {
      let bytes = encodeHeartbeat(heartbeat)
      for (const [at, value, kind] of edits) {
        const i = bytes.length === 0 ? 0 : at % bytes.length
        if (kind === 'flip') bytes = Uint8Array.from(bytes, (byte, j) => j === i ? byte ^ (value | 1) : byte)
        if (kind === 'cut') bytes = bytes.subarray(0, i)
        if (kind === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, i), value, ...bytes.subarray(i)])
      }
      decodeChecked(bytes)
    }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)

  it('every heartbeat the encoder accepts decodes to what was sent', () => {
    fc.assert(fc.property(outgoingArb, heartbeat => {
      let bytes: Uint8Array
      try {
        bytes = encodeHeartbeat(heartbeat)
      } catch (err) {
        expect(err).toBeInstanceOf(HeartbeatTooLargeError)
        return
      }
      const decoded = decodeChecked(bytes)
      expect(decoded).toMatchObject({ bootId: heartbeat.bootId, seq: heartbeat.seq, sentAtMs: heartbeat.sentAtMs, leaving: heartbeat.leaving, groups: heartbeat.groups })
    }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)
})

describe('envelope fuzzing', () => {
  const topic = 'gossip-ring/v1/default/heartbeat'
  const verifier = new EnvelopeVerifier(topic)

  /** Opens and verifies; the only failure allowed is a HeartbeatDecodeError. */
  function verifies (bytes: Uint8Array): boolean {
    try {
      return verifier.verify(openEnvelope(bytes))
    } catch (err) {
      expect(err).toBeInstanceOf(HeartbeatDecodeError)
      return false
    }
  }

  it('arbitrary bytes: an envelope that does not verify, or a HeartbeatDecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), bytes => { expect(verifies(bytes)).toBe(false) }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)

  it('sealed heartbeats with bytes flipped, cut or inserted never verify', async () => {
    const sealer = new HeartbeatSealer(await generateKeyPair('Ed25519'), topic)
    fc.assert(fc.property(outgoingArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'cut', 'insert')), { minLength: 1, maxLength: 4 }), (heartbeat, edits) => {
      const sealed = sealer.seal(encodeHeartbeat(heartbeat))
      expect(verifies(sealed)).toBe(true)
      let bytes = sealed
      for (const [at, value, kind] of edits) {
        const i = at % bytes.length
        if (kind === 'flip') bytes = Uint8Array.from(bytes, (byte, j) => j === i ? byte ^ value : byte)
        if (kind === 'cut') bytes = bytes.subarray(0, i)
        if (kind === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, i), value, ...bytes.subarray(i)])
      }
      fc.pre(Buffer.compare(bytes, sealed) !== 0)
      expect(verifies(bytes)).toBe(false)
    }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)
})
