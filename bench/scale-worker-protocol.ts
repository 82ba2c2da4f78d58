/**
 * The messages between the multi-process scale bench (`bench/multi-process.ts`, the parent) and
 * its workers (`bench/scale-worker.ts`, one OS process each, several clusters per process), over
 * Node's IPC channel. Every request carries an id; the worker answers each with the same id.
 */
import type { MembershipSnapshot } from '@gossip-ring/testkit'
import type { Arrival, CostCounters } from './delivery-cost.js'

/** Starts this worker's nodes. `indices` are network-wide node numbers. */
export interface StartRequest {
  op: 'start'
  indices: number[]
  group: string
  heartbeatIntervalMs: number
  /** Undefined: the cluster's default. */
  meshDegree?: number
  bootstrap: string[]
}

/** Every request a worker understands. */
export type WorkerRequest =
  | StartRequest
  /** Network-wide peer id of every node index (for the partition gaters and the snapshots). */
  | { op: 'peers', ids: Record<string, number> }
  /** What each local node sees of the group. */
  | { op: 'snapshot' }
  /** Cost counters of this process, plus member drops by timeout seen so far. */
  | { op: 'counters' }
  /** The heartbeats this worker's nodes delivered, first delivered at or after `fromMs` (epoch). */
  | { op: 'arrivals', fromMs: number }
  /** Partitions the network into these sides (closing connections across). */
  | { op: 'split', sides: number[][] }
  /** Removes the partition and starts dialling every reachable node this worker's nodes lack a connection to (as discovery would); answers at once. */
  | { op: 'heal' }
  /** Resolves with the time (epoch ms) each other local node dropped `memberId` by timeout; null for none within `deadlineMs`. */
  | { op: 'watch', memberId: string, deadlineMs: number }
  /** Stops node `index` silently (a crash); resolves with the time (epoch ms) it was stopped. */
  | { op: 'crash', index: number }
  /** Stops every node; the worker then exits. */
  | { op: 'stop' }

/** A node a worker started. */
export interface StartedNode { index: number, id: string, addrs: string[] }

/** What `counters` returns. */
export interface WorkerCounters extends CostCounters {
  /** member:leave events with reason 'timeout' on this worker's nodes so far. */
  timeoutDrops: number
}

/** The answer to each request type. */
export interface WorkerResults {
  start: StartedNode[]
  peers: null
  snapshot: MembershipSnapshot[]
  counters: WorkerCounters
  arrivals: Arrival[]
  split: null
  heal: null
  watch: Array<number | null>
  crash: number
  stop: null
}

/** A request on the wire. */
export type WorkerEnvelope = WorkerRequest & { id: number }

/** An answer on the wire. */
export type WorkerReply = { id: number, result: unknown } | { id: number, error: string }

