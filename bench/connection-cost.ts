/** What `bench/connection-cost-worker.ts` reports to `bench/connection-cost.bench.ts`. */

/** One measurement: per connection, both ends together. */
export interface ConnectionCost {
  /** Process CPU (user + system) per connection, both ends together, ms. */
  cpuMsPerConnection: number
  /** Wall time per dial-to-hang-up cycle, ms. */
  wallMsPerConnection: number
}

/** The prefix of the worker's result line (JSON of a {@link ConnectionCost} follows). */
export const RESULT_PREFIX = 'connection-cost-result '
