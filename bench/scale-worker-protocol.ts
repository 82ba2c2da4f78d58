/**
 * The messages between the multi-process scale bench (`bench/multi-process.ts`, the parent) and
 * its workers (`bench/scale-worker.ts`, one OS process each, several clusters per process), over
 * Node's IPC channel. Every request carries an id; the worker answers each with the same id.
 */
import type { MembershipSnapshot } from '@gossip-ring/testkit'
import type { Arrival, CostCounters, GossipVariant } from './delivery-cost.js'
import type { NodeMilestones } from './start-milestones.js'

/** Starts this worker's nodes. `indices` are network-wide node numbers. */
export interface StartRequest {
  op: 'start'
  indices: number[]
  group: string
  /** A fixed interval (suspicion and timeout at 3 and 5 intervals), or 'auto' (the cluster's defaults). */
  heartbeatIntervalMs: number | 'auto'
  /** Gossip settings (undefined ones: the cluster's defaults). */
  variant: Partial<GossipVariant>
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
  /** When each local node got through each step of its start (`start-milestones.ts`). */
  | { op: 'milestones' }
  /** Forgets the milestones recorded so far: they are recorded anew from now (a heal). */
  | { op: 'milestonesRestart' }
  /** Partitions the network into these sides (closing connections across). */
  | { op: 'split', sides: number[][] }
  /** Tells each local node of every other node in `nodes` (addresses, then a discovery event), as mDNS would at start. */
  | { op: 'discover', nodes: StartedNode[] }
  /** Removes the partition and starts dialling every reachable node this worker's nodes lack a connection to (as discovery would); answers at once. */
  | { op: 'heal' }
  /** Resolves with the time (epoch ms) each other local node dropped `memberId` by timeout; null for none within `deadlineMs`. */
  | { op: 'watch', memberId: string, deadlineMs: number }
  /** Stops node `index` silently (a crash); resolves with the time (epoch ms) it was stopped. */
  | { op: 'crash', index: number }
  /** Stops every node; the worker then exits. */
  | { op: 'stop' }
  /** How each local node is wired: connections, gossipsub peers on the topic, members seen, dialer counters. */
  | { op: 'wiring' }
  /** Starts a V8 CPU profile of this process (`bench/cpu-profile.ts`), to be written to `file` in `dir`. */
  | { op: 'profileStart', dir: string, file: string }
  /** Stops the profile; resolves with the path written. */
  | { op: 'profileStop' }

/** A node a worker started. */
export interface StartedNode { index: number, id: string, addrs: string[] }

/** How one node is wired (see the `wiring` request). */
export interface NodeWiring {
  node: number
  /** Open connections, and distinct peers they go to (more connections than peers: duplicates). */
  connections: number
  connectedPeers: number
  /** Peers gossipsub knows (a stream was opened either way). */
  pubsubPeers: number
  /** Peers gossipsub knows as subscribed to the heartbeat topic. */
  topicPeers: number
  /** Peers in its gossipsub mesh for the topic. */
  meshPeers: number
  /** Members of the group it sees (itself included). */
  members: number
  /** Identify exchanges completed (peer:identify events). */
  identified: number
  dials: number
  redials: number
  dialFailures: number
  repairs: number
  knownPeers: number
}

/** What `counters` returns. */
export interface WorkerCounters extends CostCounters {
  /** member:leave events with reason 'timeout' on this worker's nodes so far. */
  timeoutDrops: number
  /** 99th percentile of this process's event-loop delay since the previous `counters` request, ms. */
  loopDelayP99Ms: number
  /** From a peer's first connection to gossipsub counting it subscribed, over the peers that got there since the previous request: median, 90th percentile, max (ms). */
  subscribeLagMs: number[]
  /** The heartbeat interval of each running node of this worker now, ms (with 'auto', what it picked). */
  intervalsMs: number[]
}

/** The answer to each request type. */
export interface WorkerResults {
  start: StartedNode[]
  peers: null
  snapshot: MembershipSnapshot[]
  counters: WorkerCounters
  arrivals: Arrival[]
  milestones: Array<[number, NodeMilestones]>
  milestonesRestart: null
  split: null
  heal: null
  discover: null
  watch: Array<number | null>
  crash: number
  stop: null
  wiring: NodeWiring[]
  profileStart: null
  profileStop: string
}

/** A request on the wire. */
export type WorkerEnvelope = WorkerRequest & { id: number }

/** An answer on the wire. */
export type WorkerReply = { id: number, result: unknown } | { id: number, error: string }

