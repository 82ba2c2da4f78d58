import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { HeartbeatDecodeError, HeartbeatTooLargeError } from '../../src/errors.js'
import { decodeHeartbeat, encodeHeartbeat } from '../../src/wire/codec.js'
import { Heartbeat as HeartbeatMessage } from '../../src/wire/heartbeat.generated.js'
import { WIRE_LIMITS, WIRE_VERSION } from '../../src/wire/limits.js'
import type { OutgoingHeartbeat } from '../../src/wire/codec.js'

const SENDER = '12D3KooWSender'

function outgoing (overrides: Partial<OutgoingHeartbeat> = {}): OutgoingHeartbeat {
  return {
    bootId: 'boot-1',
    seq: 42,
    sentAtMs: 1_700_000_000_123,
    leaving: false,
    groups: [{ name: 'pollers', weight: 2.5, metadata: { zone: 'a', rack: '7' } }, { name: 'workers', weight: 1, metadata: {} }],
    digests: { pollers: '0123456789abcdef' },
    addrs: [multiaddr('/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWQSt6vYCGyexTFmmSmjPcCrwZjHiRaUDLvPZHB2sCwFgB'), multiaddr('/memory/abc')],
    ...overrides
  }
}

function reasonOf (bytes: Uint8Array): string {
  try {
    decodeHeartbeat(bytes, SENDER)
  } catch (err) {
    expect(err).toBeInstanceOf(HeartbeatDecodeError)
    expect((err as Error).name).toBe('HeartbeatDecodeError')
    return (err as HeartbeatDecodeError).reason
  }
  return 'accepted'
}

function message (overrides: Partial<HeartbeatMessage>): Uint8Array {
  return HeartbeatMessage.encode({ version: WIRE_VERSION, bootId: 'b', seq: 1n, leaving: false, groups: [], addrs: [], ...overrides })
}

const group = (name: string, weight = 1, metadata: Record<string, string> = {}): HeartbeatMessage['groups'][number] =>
  ({ name, weight, metadata: new Map(Object.entries(metadata)), digest: '', epoch: 0n, owningDigest: '', policy: 0 })

describe('heartbeat codec', () => {
  it('round-trips every field; the sender id comes from the caller (the signer), addresses lose their /p2p part', () => {
    const decoded = decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER)
    expect(decoded).toMatchObject({
      from: SENDER,
      bootId: 'boot-1',
      seq: 42,
      sentAtMs: 1_700_000_000_123,
      leaving: false,
      groups: [{ name: 'pollers', weight: 2.5, metadata: { zone: 'a', rack: '7' } }, { name: 'workers', weight: 1, metadata: {} }],
      digests: { pollers: '0123456789abcdef' }
    })
    expect(decoded.addrs.map(String)).toEqual(['/ip4/10.0.0.1/tcp/4001', '/memory/abc'])
  })

  it('parses each distinct address once: the same bytes give the same Multiaddr object, a bad address is refused every time', () => {
    const first = decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER)
    const second = decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER)
    expect(second.addrs[0]).toBe(first.addrs[0])
    expect(second.addrs[1]).toBe(first.addrs[1])
    for (let i = 0; i < 2; i++) expect(reasonOf(message({ addrs: [Uint8Array.of(0xff, 0xff, 0xff)] }))).toBe('invalid-field')
  })

  it('round-trips the ownership fields: epoch per group, and the owning digest only where it differs', () => {
    const decoded = decodeHeartbeat(encodeHeartbeat(outgoing({ owning: { pollers: { epoch: 7, digest: 'fedcba9876543210' }, workers: { epoch: 2 ** 40 } } })), SENDER)
    expect(decoded.owning).toEqual({ pollers: { epoch: 7, digest: 'fedcba9876543210' }, workers: { epoch: 2 ** 40 } })
    expect(decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER).owning).toEqual({ pollers: { epoch: 0 }, workers: { epoch: 0 } })
  })

  it('round-trips the policy fingerprint per group, 5 bytes where advertised; none for a sender that advertises none', () => {
    const owning = { pollers: { epoch: 1, policy: 0xdeadbeef }, workers: { epoch: 1, policy: 1 } }
    const withPolicies = encodeHeartbeat(outgoing({ owning }))
    expect(decodeHeartbeat(withPolicies, SENDER).owning).toEqual(owning)
    const without = encodeHeartbeat(outgoing({ owning: { pollers: { epoch: 1 }, workers: { epoch: 1 } } }))
    expect(decodeHeartbeat(without, SENDER).owning).toEqual({ pollers: { epoch: 1 }, workers: { epoch: 1 } })
    expect(withPolicies.byteLength - without.byteLength).toBe(2 * 5)
  })

  it('round-trips a goodbye with no groups and a large seq', () => {
    const decoded = decodeHeartbeat(encodeHeartbeat(outgoing({ leaving: true, groups: [], digests: {}, seq: Number.MAX_SAFE_INTEGER })), SENDER)
    expect(decoded).toMatchObject({ leaving: true, groups: [], digests: {}, seq: Number.MAX_SAFE_INTEGER })
  })

  it('round-trips the watcher flag; a member heartbeat is not a watcher', () => {
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ watcher: true, groups: [], digests: {} })), SENDER).watcher).toBe(true)
    expect(decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER).watcher).toBe(false)
  })

  it('item 3: round-trips the conflicts field (field 8) and drops more than maxConflicts or empty ids', () => {
    const ids = ['12D3KooWA', '12D3KooWB']
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ conflicts: ids })), SENDER).conflicts).toEqual(ids)
    expect(decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER).conflicts).toEqual([])
    const many = Array.from({ length: WIRE_LIMITS.maxConflicts + 5 }, (_, i) => `id${i}`)
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ conflicts: many })), SENDER).conflicts).toHaveLength(WIRE_LIMITS.maxConflicts)
    expect(reasonOf(message({ conflicts: many }))).toBe('invalid-field')
    expect(reasonOf(message({ conflicts: [''] }))).toBe('invalid-field')
    expect(reasonOf(message({ conflicts: ['x'.repeat(WIRE_LIMITS.maxConflictIdChars + 1)] }))).toBe('invalid-field')
  })

  it('round-trips the relay request (fields 10-11): members not heard directly, at most maxUnheard, beyond that "more" and no list', () => {
    expect(decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER).relay).toEqual({ unheard: [], more: false })
    const ids = ['12D3KooWA', '12D3KooWB']
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ relay: { unheard: ids, more: false } })), SENDER).relay).toEqual({ unheard: ids, more: false })
    const many = Array.from({ length: WIRE_LIMITS.maxUnheard + 5 }, (_, i) => `id${i}`)
    const sent = decodeHeartbeat(encodeHeartbeat(outgoing({ relay: { unheard: many, more: false } })), SENDER).relay
    expect(sent).toEqual({ unheard: [], more: true })
    // "more" means every heartbeat is relayed for this sender, so a list beside it would be bytes for nothing
    const bare = encodeHeartbeat(outgoing({ relay: { unheard: [], more: true } })).byteLength
    expect(encodeHeartbeat(outgoing({ relay: { unheard: ids, more: true } })).byteLength).toBe(bare)
    expect(reasonOf(message({ unheard: many }))).toBe('invalid-field')
    expect(reasonOf(message({ unheard: [''] }))).toBe('invalid-field')
    expect(reasonOf(message({ unheard: ['x'.repeat(WIRE_LIMITS.maxUnheardIdChars + 1)] }))).toBe('invalid-field')
  })

  it('round-trips the sender\'s heartbeat interval (field 12); absent stays absent, a bad value is passed on for the membership to count', () => {
    expect(decodeHeartbeat(encodeHeartbeat(outgoing()), SENDER).heartbeatIntervalMs).toBeUndefined()
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ heartbeatIntervalMs: 4000 })), SENDER).heartbeatIntervalMs).toBe(4000)
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ heartbeatIntervalMs: 200.4 })), SENDER).heartbeatIntervalMs).toBe(200)
    expect(decodeHeartbeat(encodeHeartbeat(outgoing({ heartbeatIntervalMs: 1e12 })), SENDER).heartbeatIntervalMs).toBe(0xffff_ffff)
    expect(decodeHeartbeat(message({ heartbeatIntervalMs: 0 }), SENDER).heartbeatIntervalMs).toBe(0)
    expect(decodeHeartbeat(message({}), SENDER).heartbeatIntervalMs).toBeUndefined()
  })

  it('refuses oversized input before decoding it', () => {
    expect(reasonOf(new Uint8Array(WIRE_LIMITS.maxHeartbeatBytes + 1))).toBe('oversized')
    expect(reasonOf(new Uint8Array(WIRE_LIMITS.maxHeartbeatBytes).fill(0xff))).not.toBe('oversized')
  })

  it('calls undecodable bytes malformed (truncated, bad wire type)', () => {
    // sent_at_ms 0 is not written, so the cut falls in an address (protons reads some cut-off trailing
    // varints without error; the sender signed whatever it sent anyway)
    const bytes = encodeHeartbeat(outgoing({ sentAtMs: 0 }))
    expect(reasonOf(bytes.subarray(0, bytes.length - 2))).toBe('malformed')
    expect(reasonOf(Uint8Array.of(0x0f, 0xff, 0xff))).toBe('malformed')
  })

  it('refuses versions other than 2 (including wire 1 and a missing version)', () => {
    expect(WIRE_VERSION).toBe(2)
    expect(reasonOf(message({ version: 1 }))).toBe('unknown-version')
    expect(reasonOf(message({ version: 3 }))).toBe('unknown-version')
    expect(reasonOf(message({ version: 0 }))).toBe('unknown-version')
    expect(reasonOf(new Uint8Array())).toBe('unknown-version')
  })

  it.each([
    ['an empty group name', { groups: [group('')] }],
    ['a NaN weight', { groups: [group('g', Number.NaN)] }],
    ['an infinite weight', { groups: [group('g', Number.POSITIVE_INFINITY)] }],
    ['a zero weight (proto3 default)', { groups: [group('g', 0)] }],
    ['duplicate group names', { groups: [group('g'), group('g')] }],
    ['too many groups', { groups: Array.from({ length: WIRE_LIMITS.maxGroups + 1 }, (_, i) => group(`g${i}`)) }],
    ['too many metadata entries', { groups: [group('g', 1, Object.fromEntries(Array.from({ length: WIRE_LIMITS.maxMetadataEntries + 1 }, (_, i) => [`k${i}`, 'v'])))] }],
    ['a too long group name', { groups: [group('x'.repeat(WIRE_LIMITS.maxGroupNameChars + 1))] }],
    ['a too long metadata value', { groups: [group('g', 1, { k: 'v'.repeat(WIRE_LIMITS.maxMetadataValueChars + 1) })] }],
    ['an empty boot id', { bootId: '' }],
    ['a seq beyond 2^53', { seq: 2n ** 60n }],
    ['an epoch beyond 2^53', { groups: [{ ...group('g'), epoch: 2n ** 60n }] }],
    ['a too long owning digest', { groups: [{ ...group('g'), owningDigest: 'f'.repeat(WIRE_LIMITS.maxDigestChars + 1) }] }],
    ['an address that is not a multiaddr', { addrs: [Uint8Array.of(0xff, 0xff, 0xff)] }],
    ['an address naming a peer id', { addrs: [multiaddr('/ip4/1.2.3.4/tcp/1/p2p/12D3KooWQSt6vYCGyexTFmmSmjPcCrwZjHiRaUDLvPZHB2sCwFgB').bytes] }],
    ['a watcher naming a group', { watcher: true, groups: [group('g')] }],
    ['too many addresses', { addrs: Array.from({ length: WIRE_LIMITS.maxAddrs + 1 }, () => multiaddr('/ip4/1.2.3.4/tcp/1').bytes) }]
  ] as Array<[string, Partial<HeartbeatMessage>]>)('refuses %s as invalid-field', (_, overrides) => {
    expect(reasonOf(message(overrides))).toBe('invalid-field')
  })

  it('refuses to encode a heartbeat peers would drop', () => {
    expect(() => encodeHeartbeat(outgoing({ groups: [{ name: '', weight: 1, metadata: {} }] }))).toThrow(HeartbeatTooLargeError)
    const fat = Array.from({ length: WIRE_LIMITS.maxGroups }, (_, i) => ({
      name: `group-${i}`, weight: 1, metadata: { a: 'x'.repeat(WIRE_LIMITS.maxMetadataValueChars) }
    }))
    expect(() => encodeHeartbeat(outgoing({ groups: fat, digests: {} }))).toThrow(/exceeds 16384 bytes/)
  })
})
