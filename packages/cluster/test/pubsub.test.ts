import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { heartbeatMessageIds, meshParams } from '../src/pubsub.js'

describe('heartbeatMessageIds (gossipsub message ids)', () => {
  const { msgIdFn, msgIdToStrFn } = heartbeatMessageIds
  const data = Uint8Array.of(1, 2, 3)
  const text = (bytes?: Uint8Array): string => msgIdToStrFn(msgIdFn(bytes === undefined ? {} : { data: bytes }))
  it('is the same for two copies of one message, even from different buffers', () => {
    const copy = new Uint8Array([9, 1, 2, 3]).subarray(1)
    expect(msgIdFn({ data: copy })).toEqual(msgIdFn({ data }))
    expect(text(copy)).toBe(text(data))
  })
  it('is SHA-256 of the data, as base64 text: any other byte, or a longer or shorter message, is another id', () => {
    const sha = createHash('sha256').update(data).digest()
    expect(Buffer.from(msgIdFn({ data })).toString('hex')).toBe(sha.toString('hex'))
    expect(text(data)).toBe(sha.toString('base64'))
    const ids = new Set([Uint8Array.of(1, 2, 4), Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3, 0), new Uint8Array(0), data].map(text))
    expect(ids.size).toBe(5)
    expect(text(undefined)).toBe(text(new Uint8Array(0)))
  })
  it('reads only the id\'s own bytes of a larger buffer', () => {
    const id = msgIdFn({ data })
    const inLarger = new Uint8Array(id.byteLength + 8)
    inLarger.set(id, 4)
    expect(msgIdToStrFn(inLarger.subarray(4, 4 + id.byteLength))).toBe(msgIdToStrFn(id))
  })
  it('has no fast id: gossipsub would cache every id twice', () => {
    expect(Object.keys(heartbeatMessageIds).sort()).toEqual(['msgIdFn', 'msgIdToStrFn'])
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
