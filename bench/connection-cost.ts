/** The messages between `bench/connection-cost.bench.ts` and its workers (`connection-cost-worker.ts`, over IPC). */

/** Parent to worker: run `connections` dial-to-hang-up cycles (`measure`: report their cost), or stop and exit. */
export type WorkerRequest =
  | { type: 'run', connections: number, measure: boolean }
  | { type: 'stop' }

/** Worker to parent: ready (clusters started), the cost of a measured run, or done (after `stop`). */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'ran', cost: ConnectionCost }
  | { type: 'stopped', cpuProfile?: string }

/** The cost of a run of connections: per connection, both ends together. */
export interface ConnectionCost {
  /** Process CPU (user + system) per connection, both ends together, ms. */
  cpuMsPerConnection: number
  /** CPU of the main thread alone (the event loop, where a busy agent queues), ms; the rest is GC helpers, libuv's pool and the like. */
  mainThreadCpuMsPerConnection: number
  /** Wall time per dial-to-hang-up cycle, ms. */
  wallMsPerConnection: number
}
