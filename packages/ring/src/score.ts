/**
 * Rendezvous (highest-random-weight) scores. A key is hashed once (murmur3 of its UTF-8 bytes);
 * each member gets a score from that key hash and its own two 32-bit seeds; the member with the
 * highest score owns the key. Scores use only integer operations and IEEE-754 + - * /, so they are
 * bit-exact on every JavaScript engine (no Math.log, whose last bit engines may round differently).
 */
import { murmur3 } from './murmur3.js'

/** Seed of the key hash. Changing it reassigns every key: a protocol break. */
export const KEY_HASH_SEED = 0x9e3779b9
const MEMBER_SEED_A = 0x5bd1e995
const MEMBER_SEED_B = 0x27d4eb2f

/** murmur3 of a key, the input of every member's score for that key. */
export function hashKey (key: string): number {
  return murmur3(key, KEY_HASH_SEED)
}

/**
 * The two per-member seeds: the score seed and the tie seed (64 bits together, so two ids
 * practically never share both).
 */
export function memberSeeds (id: string): [scoreSeed: number, tieSeed: number] {
  return [murmur3(id, MEMBER_SEED_A), murmur3(id, MEMBER_SEED_B)]
}

/**
 * The first step of fmix32, which is linear over xor: `spread(h ^ s) === spread(h) ^ spread(s)`.
 * Lookups spread the key hash once and each member's seed once at build time.
 */
export function spread (value: number): number {
  return value ^ (value >>> 16)
}

/**
 * The rest of fmix32, as an unsigned 32-bit integer: `finishScore(spread(h) ^ spread(s)) === fmix32(h ^ s) >>> 0`.
 * A member's raw score for a key is `fmix32(keyHash ^ scoreSeed)`; on a raw tie, `fmix32(keyHash ^ tieSeed)`
 * decides, then id order.
 */
export function finishScore (spreadInput: number): number {
  return rankToRaw(rankScore(spreadInput))
}

/**
 * `finishScore` as a signed 32-bit integer whose signed order is the unsigned order of
 * `finishScore` (top bit flipped): hot loops compare these small integers instead of doubles.
 * `rankToRaw` turns one back into the raw score.
 */
export function rankScore (spreadInput: number): number {
  let x = Math.imul(spreadInput, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  return x ^ (x >>> 16) ^ SIGN_BIT
}

/** The raw (unsigned) score of a `rankScore`. */
export function rankToRaw (rank: number): number {
  return (rank ^ SIGN_BIT) >>> 0
}

const SIGN_BIT = -0x80000000
const LN2 = 0.6931471805599453
const SQRT2 = 1.4142135623730951
const UNIT_EXPONENT = 32

/**
 * `-ln(u)` for `u = (raw + 0.5) / 2^32`, in (0, 1): ln(m) by the atanh series
 * `2(t + t^3/3 + ... + t^23/23)` with `t = (m-1)/(m+1)` after scaling m into [1/sqrt2, sqrt2]
 * (|t| <= 0.172, error below 1e-16 relative). Strictly decreasing in raw for all practical purposes
 * (neighbouring raw values differ by far more than the rounding error).
 */
export function negLogUnit (raw: number): number {
  let exponent = raw === 0 ? -1 : 31 - Math.clz32(raw)
  let mantissa = raw === 0 ? 1 : (raw + 0.5) / ((1 << exponent) >>> 0)
  if (mantissa > SQRT2) {
    mantissa /= 2
    exponent++
  }
  const t = (mantissa - 1) / (mantissa + 1)
  const t2 = t * t
  const series = 1 + t2 * (1 / 3 + t2 * (1 / 5 + t2 * (1 / 7 + t2 * (1 / 9 + t2 * (1 / 11 + t2 * (1 / 13 +
    t2 * (1 / 15 + t2 * (1 / 17 + t2 * (1 / 19 + t2 * (1 / 21 + t2 * (1 / 23)))))))))))
  return (UNIT_EXPONENT - exponent) * LN2 - 2 * t * series
}

/**
 * Weighted rendezvous score `weight / -ln(u)`: the highest wins, and a member's chance to win is
 * exactly its weight over the total weight. Monotone in raw for one weight, so with equal weights
 * it orders members exactly as the raw score does.
 */
export function weightedScore (raw: number, weight: number): number {
  return weight / negLogUnit(raw)
}
