/**
 * Thrown when an option, a group name, a weight, metadata or a clock argument is invalid. The
 * message says what was wrong and what was expected, e.g.
 * `memberTimeoutMs must be greater than suspectAfterMs (3000), got 2000`.
 */
export class InvalidOptionError extends Error {
  static override name = 'InvalidOptionError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_OPTION'

  constructor (msg = 'Invalid option') {
    super(msg)
    this.name = 'InvalidOptionError'
  }
}
