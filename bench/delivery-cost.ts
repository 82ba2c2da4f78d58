/**
 * What one delivered heartbeat costs, measured over a window on a set of clusters in this process:
 * CPU time of the process per delivered heartbeat, copies of each heartbeat received on the wire,
 * and the share of published heartbeats that reached every other node. Shared by
 * `bench/delivery-cost.bench.ts` (in-process variants) and the multi-process scale bench's workers.
 */
import { heartbeatAuthor } from '@gossip-ring/cluster'
import type { Cluster, RelayMode } from '@gossip-ring/cluster'

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
  /** Heartbeat signatures the clusters checked (relayed copies; a copy straight from its author is not checked). */
  signatureChecks: number
  /** Wall clock, milliseconds. */
  atMs: number
}

/** The figures of one window. */
export interface DeliveryCost {
  cpuPerDeliveredMs: number
  copiesPerHeartbeat: number
  /** Signature checks per delivered heartbeat (main's gossipsub StrictSign: 1). */
  signatureChecksPerDelivered: number
  /** Share of (heartbeat, other node) pairs delivered, over the heartbeats first seen in the window (see `deliveryShare`). */
  delivery: number
  /** CPU of the process as a share of one core. */
  cpuCores: number
}

/** One heartbeat as some nodes saw it: its author, its first delivery (epoch ms) and how many of them delivered it. */
/** One heartbeat as the watched clusters delivered it: first and last delivery (epoch ms) and how many delivered it. */
export interface Arrival { msgId: string, author: string, firstAtMs: number, lastAtMs: number, receivers: number }

/**
 * Records every distinct heartbeat each watched cluster delivers (per message: first and last
 * delivery time, number of nodes), so delivery can be counted per message rather than from counters
 * (which a window's edges skew by up to one heartbeat per node).
 */
export class ArrivalLog {
  private readonly byMsg = new Map<string, Arrival>()

  watch (cluster: Cluster): void {
    cluster.libp2p.services.pubsub.addEventListener('gossipsub:message', ({ detail }) => {
      const entry = this.byMsg.get(detail.msgId)
      const atMs = nowEpochMs()
      if (entry !== undefined) {
        entry.receivers++
        entry.lastAtMs = atMs
      } else {
        this.byMsg.set(detail.msgId, { msgId: detail.msgId, author: heartbeatAuthor(detail.msg.data) ?? '', firstAtMs: atMs, lastAtMs: atMs, receivers: 1 })
      }
    })
  }

  /** The heartbeats first delivered from `fromMs` on (epoch ms); older ones are forgotten. */
  since (fromMs: number): Arrival[] {
    for (const [id, a] of this.byMsg) if (a.firstAtMs < fromMs) this.byMsg.delete(id)
    return [...this.byMsg.values()]
  }
}

/** The logs of several processes as one: per heartbeat, all its receivers, its first and its last delivery. */
export function mergeArrivals (logs: ReadonlyArray<readonly Arrival[]>): Arrival[] {
  const merged = new Map<string, Arrival>()
  for (const a of logs.flat()) {
    const m = merged.get(a.msgId)
    if (m === undefined) merged.set(a.msgId, { ...a })
    else { m.receivers += a.receivers; m.firstAtMs = Math.min(m.firstAtMs, a.firstAtMs); m.lastAtMs = Math.max(m.lastAtMs, a.lastAtMs) }
  }
  return [...merged.values()]
}

/**
 * Delivery over the heartbeats first delivered (by anyone) between `fromMs` and `toMs`: the share
 * of their (heartbeat, node other than the author) pairs that were delivered. Merges the logs of
 * several processes. Read it at least one interval after `toMs`, so late copies are counted.
 */
export function deliveryShare (logs: ReadonlyArray<readonly Arrival[]>, nodes: number, fromMs: number, toMs: number): number {
  const window = mergeArrivals(logs).filter((a) => a.firstAtMs >= fromMs && a.firstAtMs <= toMs)
  return window.reduce((sum, a) => sum + a.receivers, 0) / (window.length * (nodes - 1))
}

/** A gossip configuration: mesh degree, IHAVE peers per gossipsub heartbeat, relay mode (`D/G/relay`). */
export interface GossipVariant {
  meshDegree: number
  gossipPeers: number
  relay: RelayMode
  /** `ClusterInit.peerSetSize`; undefined: every agent connects to every other. */
  peerSetSize?: number
}

/**
 * The configuration issue 13 measured as "today" and every cost ratio is against: mesh degree 4,
 * IHAVE to 4 peers (gossipsub's defaults at 20 nodes), every heartbeat forwarded.
 */
export const ISSUE_BASELINE: GossipVariant = { meshDegree: 4, gossipPeers: 4, relay: 'always' }

/** A variant's name, `D/G/relay`. */
export const variantName = (v: GossipVariant): string => `${v.meshDegree}/${v.gossipPeers}/${v.relay}${v.peerSetSize !== undefined ? `/peers ${v.peerSetSize}` : ''}`

/**
 * Intervals to wait after a network converged before a steady-state window: past the member timeout
 * (five intervals), so relaying on demand has left the relay-everything window of the last newcomer.
 */
export const WARM_UP_INTERVALS = 7

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one host. */
export function nowEpochMs (): number {
  return performance.timeOrigin + performance.now()
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
  let signatureChecks = 0
  for (const c of clusters) {
    const stats = c.stats
    published += stats.published
    delivered += stats.received
    copies += copiesOf.get(c)?.count ?? 0
    signatureChecks += stats.signatureChecks
  }
  return { cpuMs: (cpu.user + cpu.system) / 1000, published, delivered, copies, signatureChecks, atMs: performance.now() }
}

/** Difference `after - before`, field by field. */
export function subtractCounters (after: CostCounters, before: CostCounters): CostCounters {
  return {
    cpuMs: after.cpuMs - before.cpuMs,
    published: after.published - before.published,
    delivered: after.delivered - before.delivered,
    copies: after.copies - before.copies,
    signatureChecks: after.signatureChecks - before.signatureChecks,
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
    signatureChecks: a.signatureChecks + b.signatureChecks,
    atMs: Math.max(a.atMs, b.atMs)
  }), { cpuMs: 0, published: 0, delivered: 0, copies: 0, signatureChecks: 0, atMs: 0 })
}

/** The figures of a window, given its delivery share (`deliveryShare`). */
export function deliveryCost (window: CostCounters, delivery: number): DeliveryCost {
  return {
    cpuPerDeliveredMs: window.cpuMs / window.delivered,
    copiesPerHeartbeat: window.copies / window.delivered,
    signatureChecksPerDelivered: window.signatureChecks / window.delivered,
    delivery,
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
