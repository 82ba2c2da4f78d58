import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { heartbeatMessageIds, meshParams } from '../src/pubsub.js'

describe('heartbeatMessageIds (gossipsub message ids)', () => {
  const { msgIdFn, fastMsgIdFn } = heartbeatMessageIds
  const data = Uint8Array.of(1, 2, 3)
  it('is the same for two copies of one message, even from different buffers', () => {
    const copy = new Uint8Array([9, 1, 2, 3]).subarray(1)
    expect(fastMsgIdFn({ data: copy })).toBe(fastMsgIdFn({ data }))
    expect(msgIdFn({ data: copy })).toEqual(msgIdFn({ data }))
  })
  it('is SHA-256 of the data: any other byte, or a longer or shorter message, is another id', () => {
    expect(Buffer.from(msgIdFn({ data })).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'))
    expect(fastMsgIdFn({ data })).toBe(Buffer.from(msgIdFn({ data })).toString('base64'))
    const ids = new Set([Uint8Array.of(1, 2, 4), Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3, 0), new Uint8Array(0), data].map(bytes => fastMsgIdFn({ data: bytes })))
    expect(ids.size).toBe(5)
    expect(fastMsgIdFn({})).toBe(fastMsgIdFn({ data: new Uint8Array(0) }))
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
