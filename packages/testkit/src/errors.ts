/** Thrown when an option of the test network or of one of its controls is out of range or of the wrong shape. */
export class InvalidOptionError extends Error {
  static override name = 'InvalidOptionError'
  constructor (msg = 'invalid option') {
    super(msg)
    this.name = 'InvalidOptionError'
  }
}

/** Thrown when a node index does not name a node of the network, or names one in the wrong state for the control. */
export class InvalidNodeError extends Error {
  static override name = 'InvalidNodeError'
  constructor (msg = 'invalid node index') {
    super(msg)
    this.name = 'InvalidNodeError'
  }
}

/** Thrown when `partition()` gets sides that overlap, are empty or name unknown nodes. */
export class InvalidPartitionError extends Error {
  static override name = 'InvalidPartitionError'
  constructor (msg = 'invalid partition') {
    super(msg)
    this.name = 'InvalidPartitionError'
  }
}

/** Thrown when a control is called on a network that was already stopped. */
export class NetworkStoppedError extends Error {
  static override name = 'NetworkStoppedError'
  constructor (msg = 'the test network was stopped') {
    super(msg)
    this.name = 'NetworkStoppedError'
  }
}

/** Thrown when `converged()` (or another wait) reaches its deadline; the message tells what each node saw. */
export class ConvergenceTimeoutError extends Error {
  static override name = 'ConvergenceTimeoutError'
  constructor (msg = 'the network did not converge in time') {
    super(msg)
    this.name = 'ConvergenceTimeoutError'
  }
}

/** Thrown by `assertEachSideOwnsAll()` when, on some side, a resource has no owner or more than one. */
export class OwnershipAssertionError extends Error {
  static override name = 'OwnershipAssertionError'
  constructor (msg = 'some resources do not have exactly one owner on each side') {
    super(msg)
    this.name = 'OwnershipAssertionError'
  }
}

/** Thrown by `assertAgreement()` when live nodes disagree on the owner of a resource. */
export class AgreementAssertionError extends Error {
  static override name = 'AgreementAssertionError'
  constructor (msg = 'the nodes do not agree on the owners') {
    super(msg)
    this.name = 'AgreementAssertionError'
  }
}
