/**
 * What one delivered heartbeat costs, measured over a window on a set of clusters in this process:
 * CPU time of the process per delivered heartbeat, copies of each heartbeat received on the wire,
 * and the share of published heartbeats that reached every other node. Shared by
 * `bench/delivery-cost.bench.ts` (in-process variants) and the multi-process scale bench's workers.
 */
import type { Cluster } from '@gossip-ring/cluster'

/** Raw counters of one process's clusters; subtract two to get a window. */
export interface CostCounters {
  /** CPU time of this process (user + system), milliseconds. */
  cpuMs: number
  /** Heartbeats published by these clusters. */
  published: number
  /** Distinct heartbeats they received (each validated once). */
  delivered: number
  /** Heartbeat copies that reached their gossipsub (duplicates included). */
  copies: number
  /** Wall clock, milliseconds. */
  atMs: number
}

/** The figures of one window. */
export interface DeliveryCost {
  cpuPerDeliveredMs: number
  copiesPerHeartbeat: number
  /** Delivered / (published x (nodes - 1)): 1 when every heartbeat reached every other node. */
  delivery: number
  /** CPU of the process as a share of one core. */
  cpuCores: number
}

interface CountingPubSub { handleReceivedMessage: (...args: unknown[]) => Promise<unknown> }

const copiesOf = new WeakMap<Cluster, { count: number }>()

/**
 * Starts counting the messages `cluster`'s gossipsub receives (every copy, before deduplication).
 * Measurement only: it wraps gossipsub's per-message entry point on this one instance (no public
 * hook sees duplicates).
 */
export function countWireCopies (cluster: Cluster): void {
  if (copiesOf.has(cluster)) return
  const counter = { count: 0 }
  copiesOf.set(cluster, counter)
  const pubsub = cluster.libp2p.services.pubsub as unknown as CountingPubSub
  const inner = pubsub.handleReceivedMessage.bind(pubsub)
  pubsub.handleReceivedMessage = async (...args) => {
    counter.count++
    return inner(...args)
  }
}

/** Current counters of `clusters` (each must have gone through `countWireCopies`) and this process. */
export function readCounters (clusters: readonly Cluster[]): CostCounters {
  const cpu = process.cpuUsage()
  let published = 0
  let delivered = 0
  let copies = 0
  for (const c of clusters) {
    const stats = c.stats
    published += stats.published
    delivered += stats.received
    copies += copiesOf.get(c)?.count ?? 0
  }
  return { cpuMs: (cpu.user + cpu.system) / 1000, published, delivered, copies, atMs: performance.now() }
}

/** Difference `after - before`, field by field. */
export function subtractCounters (after: CostCounters, before: CostCounters): CostCounters {
  return {
    cpuMs: after.cpuMs - before.cpuMs,
    published: after.published - before.published,
    delivered: after.delivered - before.delivered,
    copies: after.copies - before.copies,
    atMs: after.atMs - before.atMs
  }
}

/** Adds the windows of several processes (wall time: the longest). */
export function addCounters (windows: readonly CostCounters[]): CostCounters {
  return windows.reduce((a, b) => ({
    cpuMs: a.cpuMs + b.cpuMs,
    published: a.published + b.published,
    delivered: a.delivered + b.delivered,
    copies: a.copies + b.copies,
    atMs: Math.max(a.atMs, b.atMs)
  }), { cpuMs: 0, published: 0, delivered: 0, copies: 0, atMs: 0 })
}

/** The figures of a window of a network of `nodes` (all running through the window). */
export function deliveryCost (window: CostCounters, nodes: number): DeliveryCost {
  return {
    cpuPerDeliveredMs: window.cpuMs / window.delivered,
    copiesPerHeartbeat: window.copies / window.delivered,
    delivery: window.delivered / (window.published * (nodes - 1)),
    cpuCores: window.cpuMs / window.atMs
  }
}

/** Median of `values` (NaN when empty). */
export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
