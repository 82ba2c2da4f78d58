/**
 * Thrown by `registerClusterMetrics` when the registry already holds a metric of the same name
 * (e.g. a second cluster registered with the same `prefix`): nothing was registered.
 */
export class MetricNameTakenError extends Error {
  static override name = 'MetricNameTakenError'
  /** Stable code to compare by, across versions and bundlers. */
  readonly code = 'ERR_METRIC_NAME_TAKEN'

  constructor (msg = 'The registry already has a metric of this name; give each cluster its own prefix or registry') {
    super(msg)
    this.name = 'MetricNameTakenError'
  }
}
