import { InvalidOptionError } from './errors.js'

/** True for a usable group name or member id: a non-empty string. */
export function isNonEmptyString (value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/**
 * The largest weight a member may advertise. Bounded so that one member cannot take a whole ring by
 * advertising a huge weight: at most 1000 times the share of a member of weight 1.
 */
export const MAX_WEIGHT = 1000

/** True for a usable weight: a number in (0, {@link MAX_WEIGHT}]. */
export function isValidWeight (value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value <= MAX_WEIGHT
}

/** True for usable metadata: a plain object whose values are all strings. */
export function isStringRecord (value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false
  }
  for (const key in value) {
    if (typeof (value as Record<string, unknown>)[key] !== 'string') {
      return false
    }
  }
  return true
}

/**
 * Checks a non-empty string option (a member id or a group name).
 *
 * @throws {InvalidOptionError} when it is not a non-empty string
 */
export function requireNonEmptyString (name: string, value: unknown): string {
  if (!isNonEmptyString(value)) {
    throw new InvalidOptionError(`${name} must be a non-empty string, got ${describe(value)}`)
  }
  return value
}

/**
 * Checks a weight option.
 *
 * @throws {InvalidOptionError} when it is not a number in (0, {@link MAX_WEIGHT}]
 */
export function requireWeight (name: string, value: unknown): number {
  if (!isValidWeight(value)) {
    throw new InvalidOptionError(`${name} must be a number greater than 0 and at most ${MAX_WEIGHT}, got ${describe(value)}`)
  }
  return value
}

/**
 * Checks a metadata option and returns a frozen copy (the caller's object is never kept).
 *
 * @throws {InvalidOptionError} when it is not a plain object of string values
 */
export function requireMetadata (name: string, value: unknown): Readonly<Record<string, string>> {
  if (!isStringRecord(value)) {
    throw new InvalidOptionError(`${name} must be a plain object whose values are strings, got ${describe(value)}`)
  }
  return Object.freeze({ ...value })
}

/**
 * Checks a group's `minMembers`.
 *
 * @throws {InvalidOptionError} when it is not an integer >= 1
 */
export function requireMinMembers (name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(`${name} must be an integer >= 1, got ${describe(value)}`)
  }
  return value
}

/**
 * Checks a duration option that may be 0.
 *
 * @throws {InvalidOptionError} when it is not a finite number >= 0
 */
export function requireNonNegativeMs (name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(`${name} must be a finite number of milliseconds >= 0, got ${describe(value)}`)
  }
  return value
}

/**
 * Checks a count option: an integer >= 1.
 *
 * @throws {InvalidOptionError} when it is not a safe integer >= 1
 */
export function requirePositiveInteger (name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidOptionError(`${name} must be an integer >= 1, got ${describe(value)}`)
  }
  return value
}

/**
 * Checks a boolean option.
 *
 * @throws {InvalidOptionError} when it is not `true` or `false`
 */
export function requireBoolean (name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(`${name} must be true or false, got ${describe(value)}`)
  }
  return value
}

function describe (value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
