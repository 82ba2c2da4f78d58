import { InvalidKeyError } from './errors.js'

/**
 * A key placed on the ring: a string, or a number or bigint standing for its decimal text
 * (`5` and `'5'` are the same key, as are `5n` and `'5'`).
 */
export type RingKey = string | number | bigint

/**
 * The text of a key that gets hashed: the string itself, or the decimal text of a finite number or
 * a bigint (`String(value)`).
 *
 * @throws {InvalidKeyError} for anything else (objects, undefined, NaN, Infinity, symbols, ...)
 */
export function keyText (key: unknown): string {
  if (typeof key === 'string') return key
  if (typeof key === 'bigint' || (typeof key === 'number' && Number.isFinite(key))) return String(key)
  throw new InvalidKeyError(`A ring key must be a string, a finite number or a bigint, got ${describeKey(key)}`)
}

/**
 * The key `keyOf` returned for an item of `extractSubset`: it must be a string.
 *
 * @throws {InvalidKeyError} when it is not
 */
export function keyOfResult (key: unknown): string {
  if (typeof key === 'string') return key
  throw new InvalidKeyError(`keyOf must return a string, got ${describeKey(key)}`)
}

function describeKey (value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)}); pass keyOf to map items to keys`
  return typeof value === 'number' ? String(value) : typeof value
}
