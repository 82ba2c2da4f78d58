/**
 * The exit codes of `gossip-ring`, documented in `--help` and the README. Scripts may rely on them.
 */
export const EXIT_CODES = Object.freeze({
  /** Done, or stopped by SIGINT/SIGTERM after saying goodbye. */
  ok: 0,
  /** An unexpected failure (the message says what). */
  failure: 1,
  /** A bad command line: unknown command or flag, missing or malformed value. */
  usage: 2,
  /** `owner`: the group had no live member before `--wait-ms`. */
  noMembers: 3,
  /** An identity or network key file could not be read, is not a key, or (`keygen`) already exists. */
  file: 4,
  /** An address could not be listened on: `--listen`, `--http` or `--metrics` (taken, not local). */
  listen: 5
})

/** The exit codes as help text. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done, or stopped by SIGINT/SIGTERM after saying goodbye
  1  unexpected failure
  2  bad command line (unknown command or flag, missing or malformed value)
  3  owner: the group had no live member before --wait-ms
  4  identity or network key file unreadable, not a key, or (keygen) already there
  5  cannot listen on an address (--listen, --http, --metrics): taken or not local`
