/**
 * Thrown when an option of the test network or of one of its controls is out of range or of the
 * wrong shape: the cluster's own class, so `instanceof` holds across packages.
 */
export { InvalidOptionError } from '@gossip-ring/cluster'

/** Thrown when a node index does not name a node of the network, or names one in the wrong state for the control. */
export class InvalidNodeError extends Error {
  static override name = 'InvalidNodeError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_NODE'
  constructor (msg = 'invalid node index') {
    super(msg)
    this.name = 'InvalidNodeError'
  }
}

/** Thrown when `partition()` gets sides that overlap, are empty or name unknown nodes. */
export class InvalidPartitionError extends Error {
  static override name = 'InvalidPartitionError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_INVALID_PARTITION'
  constructor (msg = 'invalid partition') {
    super(msg)
    this.name = 'InvalidPartitionError'
  }
}

/** Thrown when a control is called on a network that was already stopped. */
export class NetworkStoppedError extends Error {
  static override name = 'NetworkStoppedError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_NETWORK_STOPPED'
  constructor (msg = 'the test network was stopped') {
    super(msg)
    this.name = 'NetworkStoppedError'
  }
}

/** Thrown when `converged()` (or another wait) reaches its deadline; the message tells what each node saw. */
export class ConvergenceTimeoutError extends Error {
  static override name = 'ConvergenceTimeoutError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_CONVERGENCE_TIMEOUT'
  constructor (msg = 'the network did not converge in time') {
    super(msg)
    this.name = 'ConvergenceTimeoutError'
  }
}

/** Thrown by `assertEachSideOwnsAll()` when, on some side, a resource has no owner or more than one. */
export class OwnershipAssertionError extends Error {
  static override name = 'OwnershipAssertionError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_OWNERSHIP_ASSERTION'
  constructor (msg = 'some resources do not have exactly one owner on each side') {
    super(msg)
    this.name = 'OwnershipAssertionError'
  }
}

/** Thrown by `assertAgreement()` when live nodes disagree on the owner of a resource. */
export class AgreementAssertionError extends Error {
  static override name = 'AgreementAssertionError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_AGREEMENT_ASSERTION'
  constructor (msg = 'the nodes do not agree on the owners') {
    super(msg)
    this.name = 'AgreementAssertionError'
  }
}
