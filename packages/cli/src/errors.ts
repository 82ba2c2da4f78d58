import { IdentityFileError, InvalidNetworkKeyError, ListenAddressError, NetworkKeyFileError } from '@gossip-ring/cluster'
import { EXIT_CODES } from './exit-codes.js'

/**
 * Thrown when the command line is invalid: an unknown command or flag, a missing or malformed value
 * (`reason` is commander's error code, e.g. `commander.unknownOption`, or `invalid-value`). The
 * CLI prints it with a pointer to `--help` and exits 2.
 */
export class UsageError extends Error {
  static override name = 'UsageError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_USAGE'
  /** What was wrong, as a short code. */
  readonly reason: string

  constructor (msg = 'Invalid command line', reason = 'invalid-value') {
    super(msg)
    this.name = 'UsageError'
    this.reason = reason
  }
}

/** Thrown by `gossip-ring owner` when the group had no live member before `--wait-ms` passed. */
export class NoMembersError extends Error {
  static override name = 'NoMembersError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_NO_MEMBERS'

  constructor (msg = 'The group has no live member') {
    super(msg)
    this.name = 'NoMembersError'
  }
}

/** The exit code for an error that ended a command. */
export function exitCodeOf (err: unknown): number {
  if (err instanceof UsageError) return EXIT_CODES.usage
  if (err instanceof NoMembersError) return EXIT_CODES.noMembers
  if (err instanceof IdentityFileError || err instanceof InvalidNetworkKeyError || err instanceof NetworkKeyFileError) return EXIT_CODES.file
  if (err instanceof ListenAddressError) return EXIT_CODES.listen
  return EXIT_CODES.failure
}
