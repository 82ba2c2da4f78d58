import { InvalidOptionError } from './errors.js'

/** True for a usable group name or member id: a non-empty string. */
export function isNonEmptyString (value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/** True for a usable weight: a finite number greater than 0. */
export function isValidWeight (value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
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
 * @throws {InvalidOptionError} when it is not a finite number greater than 0
 */
export function requireWeight (name: string, value: unknown): number {
  if (!isValidWeight(value)) {
    throw new InvalidOptionError(`${name} must be a finite number greater than 0, got ${describe(value)}`)
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
