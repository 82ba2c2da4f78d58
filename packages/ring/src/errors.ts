/** Thrown when a member id is not a non-empty string. */
export class InvalidMemberIdError extends Error {
  static override name = 'InvalidMemberIdError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_MEMBER_ID'
  constructor (msg = 'member id must be a non-empty string') {
    super(msg)
    this.name = 'InvalidMemberIdError'
  }
}

/** Thrown when the same member id appears more than once in one member set. */
export class DuplicateMemberError extends Error {
  static override name = 'DuplicateMemberError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_DUPLICATE_MEMBER'
  constructor (msg = 'member ids must be unique') {
    super(msg)
    this.name = 'DuplicateMemberError'
  }
}

/** Thrown when a member weight is not a finite number greater than 0. */
export class InvalidWeightError extends Error {
  static override name = 'InvalidWeightError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_WEIGHT'
  constructor (msg = 'member weight must be a finite number > 0') {
    super(msg)
    this.name = 'InvalidWeightError'
  }
}

/** Thrown when a replica count `n` is not an integer >= 1. */
export class InvalidReplicaCountError extends Error {
  static override name = 'InvalidReplicaCountError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_REPLICA_COUNT'
  constructor (msg = 'replica count must be an integer >= 1') {
    super(msg)
    this.name = 'InvalidReplicaCountError'
  }
}

/** Thrown when a key is not a string, a finite number or a bigint, or when `keyOf` returns something other than a string. */
export class InvalidKeyError extends Error {
  static override name = 'InvalidKeyError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_KEY'
  constructor (msg = 'a ring key must be a string, a finite number or a bigint') {
    super(msg)
    this.name = 'InvalidKeyError'
  }
}
