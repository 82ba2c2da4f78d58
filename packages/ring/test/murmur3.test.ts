import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fmix32, murmur3 } from '../src/murmur3.js'
import { finishScore, negLogUnit, spread } from '../src/score.js'

/** Textbook murmur3_x86_32 over bytes, the reference the inline UTF-8 version must equal. */
function murmur3Bytes (bytes: Uint8Array, seed: number): number {
  let h = seed | 0
  const scramble = (k: number) => Math.imul(((Math.imul(k, 0xcc9e2d51) << 15) | (Math.imul(k, 0xcc9e2d51) >>> 17)), 0x1b873593)
  const blocks = bytes.length & ~3
  for (let i = 0; i < blocks; i += 4) {
    h ^= scramble(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0
  }
  let tail = 0
  for (let i = bytes.length - 1; i >= blocks; i--) tail = (tail << 8) | bytes[i]!
  if (bytes.length > blocks) h ^= scramble(tail)
  return fmix32(h ^ bytes.length) >>> 0
}

describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['abc', 0, 0xb3dd93fa],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd]
  ])('matches the published vector for %j with seed %d', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected)
  })

  it('equals murmur3 over TextEncoder bytes for any string, lone surrogates included', () => {
    const encoder = new TextEncoder()
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), (text, seed) => {
      expect(murmur3(text, seed)).toBe(murmur3Bytes(encoder.encode(text), seed))
    }), { numRuns: 2000 })
  })

  it('switches from the ASCII fast path to UTF-8 at any position', () => {
    const encoder = new TextEncoder()
    const chars = fc.constantFrom('a', 'Z', '\u007f', '\u0080', '\u0100', '\u07ff', '\u0800', '\uffff', '\ud83d\ude80', '\udc00', '\ud800')
    fc.assert(fc.property(fc.array(chars, { maxLength: 12 }), (parts) => {
      const text = parts.join('')
      expect(murmur3(text, 7)).toBe(murmur3Bytes(encoder.encode(text), 7))
    }), { numRuns: 2000 })
  })
})

describe('score helpers', () => {
  it('finishScore(spread(h) ^ spread(s)) is fmix32(h ^ s) as unsigned', () => {
    fc.assert(fc.property(fc.integer(), fc.integer(), (h, s) => {
      expect(finishScore(spread(h) ^ spread(s))).toBe(fmix32(h ^ s) >>> 0)
    }))
  })

  it('negLogUnit is -ln((raw + 0.5) / 2^32) within 1e-15 relative', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (raw) => {
      const exact = -Math.log((raw + 0.5) / 2 ** 32)
      expect(Math.abs(negLogUnit(raw) - exact) / exact).toBeLessThan(1e-15)
    }), { numRuns: 5000 })
  })

  it('negLogUnit strictly decreases with raw, across every power-of-two boundary', () => {
    const around = [0, 1, 2, 0xffffffff - 1]
    for (let bit = 1; bit < 32; bit++) around.push(2 ** bit - 2, 2 ** bit - 1, 2 ** bit, Math.floor(2 ** bit * Math.SQRT2))
    for (const raw of around) expect(negLogUnit(raw)).toBeGreaterThan(negLogUnit(raw + 1))
    fc.assert(fc.property(fc.nat({ max: 0xfffffffe }), (raw) => negLogUnit(raw) > negLogUnit(raw + 1)), { numRuns: 5000 })
  })
})
