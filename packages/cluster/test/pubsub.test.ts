import { describe, expect, it } from 'vitest'
import { signedMessageKey } from '../src/pubsub.js'

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
