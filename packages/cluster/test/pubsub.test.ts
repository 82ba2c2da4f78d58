import { describe, expect, it } from 'vitest'
import { meshParams, signedMessageKey } from '../src/pubsub.js'

describe('signedMessageKey (gossipsub fast message id)', () => {
  const author = Uint8Array.of(1, 2, 3)
  it('is the same for two copies of one message, even from different buffers', () => {
    const copy = new Uint8Array([9, 1, 2, 3]).subarray(1)
    expect(signedMessageKey({ from: author, seqno: Uint8Array.of(0, 7) })).toBe(signedMessageKey({ from: copy, seqno: Uint8Array.of(0, 7) }))
  })
  it('differs by author and by sequence number', () => {
    const key = signedMessageKey({ from: author, seqno: Uint8Array.of(7) })
    expect(signedMessageKey({ from: author, seqno: Uint8Array.of(8) })).not.toBe(key)
    expect(signedMessageKey({ from: Uint8Array.of(1, 2, 4), seqno: Uint8Array.of(7) })).not.toBe(key)
    // the separator keeps (12, 3) and (1, 23)-like splits apart
    expect(signedMessageKey({ from: Uint8Array.of(0x12), seqno: Uint8Array.of(0x03) })).not.toBe(signedMessageKey({ from: Uint8Array.of(), seqno: Uint8Array.of(0x12, 0x03) }))
  })
})

describe('meshParams (gossipsub mesh for a degree)', () => {
  it('keeps gossipsub\'s invariants: Dout < Dlo <= D <= Dhi, Dout <= D/2', () => {
    for (let D = 1; D <= 12; D++) {
      const p = meshParams(D, 2)
      expect(p.D).toBe(D)
      expect(p.Dlo).toBeLessThanOrEqual(D)
      expect(p.Dhi).toBeGreaterThanOrEqual(D)
      expect(p.Dout).toBeLessThan(p.Dlo)
      expect(p.Dout).toBeLessThanOrEqual(D / 2)
    }
  })
  it('gives the 3/6 watermarks around 4 that main used', () => {
    expect(meshParams(4, 4)).toMatchObject({ D: 4, Dlo: 3, Dhi: 6, Dlazy: 4 })
  })
  it('gossips to a fixed number of peers, not a share that grows with the fleet', () => {
    expect(meshParams(1, 2)).toMatchObject({ Dlazy: 2, gossipFactor: 0 })
    expect(meshParams(1, 0)).toMatchObject({ Dlazy: 0, gossipFactor: 0 })
  })
})
