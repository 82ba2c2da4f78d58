/**
 * MurmurHash3 x86_32 over the UTF-8 bytes of a string, computed straight from the UTF-16 code
 * units (no TextEncoder, no allocation). Lone surrogates are hashed as U+FFFD, the way
 * `TextEncoder` encodes them, so the result equals murmur3 over `new TextEncoder().encode(text)`.
 *
 * Only 32-bit integer operations (`Math.imul`, shifts, xor): bit-exact on every JS engine.
 */

const C1 = 0xcc9e2d51
const C2 = 0x1b873593
const REPLACEMENT_CHARACTER_UTF8 = 0xbdbfef // EF BF BD, little-endian

/** The murmur3 finalizer: a bijection on 32-bit integers with full avalanche. Returns an int32. */
export function fmix32 (value: number): number {
  let h = value ^ (value >>> 16)
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** Scrambles one 4-byte block (or the zero-padded tail) before it is folded into the state. */
function scrambleBlock (block: number): number {
  const k = Math.imul(block, C1)
  return Math.imul((k << 15) | (k >>> 17), C2)
}

/** Folds one full 4-byte block into the running state. */
function mixBlock (state: number, block: number): number {
  const h = state ^ scrambleBlock(block)
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0
}

/**
 * murmur3_x86_32 of the UTF-8 encoding of `text` with the given seed, as an unsigned 32-bit integer.
 */
export function murmur3 (text: string, seed: number): number {
  let state = seed | 0
  let pending = 0 // bytes not yet folded, little-endian
  let pendingBits = 0 // 0, 8, 16 or 24
  let byteLength = 0
  const length = text.length
  let i = 0
  // Fast path: leading ASCII, four chars per block, until the first non-ASCII char.
  for (; i + 3 < length; i += 4) {
    const c0 = text.charCodeAt(i)
    const c1 = text.charCodeAt(i + 1)
    const c2 = text.charCodeAt(i + 2)
    const c3 = text.charCodeAt(i + 3)
    if ((c0 | c1 | c2 | c3) > 0x7f) break
    state = mixBlock(state, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24))
    byteLength += 4
  }
  for (; i < length; i++) {
    const unit = text.charCodeAt(i)
    let bytes: number
    let bits: number
    if (unit < 0x80) {
      bytes = unit
      bits = 8
    } else if (unit < 0x800) {
      bytes = (0xc0 | (unit >>> 6)) | ((0x80 | (unit & 0x3f)) << 8)
      bits = 16
    } else if (unit < 0xd800 || unit > 0xdfff) {
      bytes = (0xe0 | (unit >>> 12)) | ((0x80 | ((unit >>> 6) & 0x3f)) << 8) | ((0x80 | (unit & 0x3f)) << 16)
      bits = 24
    } else {
      const next = unit < 0xdc00 && i + 1 < length ? text.charCodeAt(i + 1) : 0
      if (next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00)
        bytes = (0xf0 | (codePoint >>> 18)) | ((0x80 | ((codePoint >>> 12) & 0x3f)) << 8) |
          ((0x80 | ((codePoint >>> 6) & 0x3f)) << 16) | ((0x80 | (codePoint & 0x3f)) << 24)
        bits = 32
        i++
      } else {
        bytes = REPLACEMENT_CHARACTER_UTF8
        bits = 24
      }
    }
    byteLength += bits >>> 3
    pending |= bytes << pendingBits
    pendingBits += bits
    if (pendingBits >= 32) {
      state = mixBlock(state, pending)
      pendingBits -= 32
      pending = pendingBits === 0 ? 0 : bytes >>> (bits - pendingBits)
    }
  }
  if (pendingBits > 0) state ^= scrambleBlock(pending)
  return fmix32(state ^ byteLength) >>> 0
}
