/**
 * The multi-process scale scenarios (`pnpm bench:scale --processes P`, and CI's small-N run in
 * `test/scale-processes.test.ts`): N clusters spread over P worker processes (`scale-worker.ts`)
 * on loopback TCP, mDNS off, everyone bootstrapping from node 0 (or, with discovery 'all', every
 * node told of every other as mDNS would). Per size: start to converged, steady-state cost (CPU per
 * delivered heartbeat, copies on the wire, delivery, drops by timeout), split + heal to converged
 * (the heal tells every node of the nodes it can reach again, as discovery would, and each node's
 * dialer reconnects), and crash detection, plus the steady-state cost of issue 13's configuration
 * (4/4/always) on a second network in the same run as the baseline.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { convergenceProblems, Reachability } from '@gossip-ring/testkit'
import { autoIntervalMs, autoIntervalRule, DEFAULT_AUTO_HEARTBEATS_PER_SECOND } from '../packages/cluster/src/auto-interval.js'
import type { MembershipSnapshot } from '@gossip-ring/testkit'
import { addCounters, deliveryCost, deliveryShare, ISSUE_BASELINE, nowEpochMs, subtractCounters, WARM_UP_INTERVALS } from './delivery-cost.js'
import type { DeliveryCost, GossipVariant } from './delivery-cost.js'
import type { NodeWiring, StartedNode, WorkerCounters, WorkerReply, WorkerRequest, WorkerResults } from './scale-worker-protocol.js'

const GROUP = 'bench'
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORKER = fileURLToPath(new URL('./scale-worker.ts', import.meta.url))


/** How nodes find each other at start: node 0 as everyone's bootstrap peer, or every node told of every other (as mDNS). */
export type Discovery = 'bootstrap' | 'all'

/** What one multi-process run needs. */
export interface ProcessSettings {
  processes: number
  /** A fixed heartbeat interval, or 'auto' (the cluster picks it by the fleet's size). */
  intervalMs: number | 'auto'
  /** Length of the steady-state window (each network), seconds. */
  durationS: number
  /** Mesh degree of the measured configuration; undefined: the cluster's default. */
  meshDegree?: number
  /** `peerSetSize` of the measured configuration; undefined: every node connects to every other. */
  peerSetSize?: number
  /** How nodes find each other at start (both networks). @default 'bootstrap' */
  discovery?: Discovery
  /** Where each worker writes a V8 CPU profile of the measured configuration's steady window; undefined: none. */
  cpuProfileDir?: string
}

/** Every figure of one size, as `pnpm bench:scale --processes P --json` prints it. */
export interface ProcessSizeResult {
  nodes: number
  processes: number
  /** The heartbeat interval the nodes ran at in the steady state (with 'auto', the longest picked), ms: the unit of the `*Intervals` figures. */
  intervalMs: number
  /** With 'auto': the shortest interval any node had picked in the steady state (else the same as `intervalMs`). */
  minIntervalMs: number
  cpuPerDeliveredMs: number
  baselineCpuPerDeliveredMs: number
  copiesPerHeartbeat: number
  baselineCopiesPerHeartbeat: number
  delivery: number
  baselineDelivery: number
  /** CPU of all workers together during the window, in cores. */
  cpuCores: number
  startToConvergedIntervals: number
  /** From the start to every node connected to every other (flood publish reaches all directly; NaN: not within the wait). */
  startToWiredIntervals: number
  healToConvergedIntervals: number
  crashDetectMaxMs: number
  crashTargetMs: number
  /** Other nodes that did not drop the crashed node within 3x the target. */
  crashMissed: number
  /** Live members dropped by timeout during the steady-state window. */
  falseDrops: number
}

/** One worker process and its request/answer bookkeeping. */
class Worker {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void, reject: (err: Error) => void }>()
  readonly ready: Promise<void>
  private readonly child: ChildProcess

  constructor () {
    this.child = fork(WORKER, [], { cwd: ROOT, execArgv: ['--conditions=@gossip-ring/source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => { resolve() }, reject })
    })
    this.child.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id)
      if (waiter === undefined) return
      this.pending.delete(reply.id)
      if ('error' in reply) waiter.reject(new Error(`worker: ${reply.error}`))
      else waiter.resolve(reply.result)
    })
    this.child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`worker exited with code ${String(code)}`))
      this.pending.clear()
    })
  }

  async request<Op extends WorkerRequest['op']> (req: Extract<WorkerRequest, { op: Op }>): Promise<WorkerResults[Op]> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ ...req, id })
    })
  }

  /** Asks the worker to stop its nodes and exit; kills it if it does not within 10 s. */
  async close (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => { resolve() }))
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await this.request({ op: 'stop' }).catch(() => undefined)
    await exited
    clearTimeout(kill)
  }
}

/** A network of `nodes` clusters over `workers`: node i runs in worker i mod P. */
export class ProcessNetwork {
  readonly reach = new Reachability()
  readonly crashed = new Set<number>()
  /** @param peerSetSize the nodes' `peerSetSize` (undefined: each connects to every other) */
  private constructor (readonly workers: Worker[], readonly nodes: StartedNode[], readonly peerSetSize: number | undefined) {}

  /**
   * Starts `nodes` nodes over `workers`. With `discovery` 'bootstrap' node 0 starts first and every
   * other node has it as its bootstrap peer; with 'all' every node, once all have started, is told
   * of every other (addresses and a discovery event), as mDNS would.
   */
  static async start (workers: Worker[], nodes: number, intervalMs: number | 'auto', variant: Partial<GossipVariant>, discovery: Discovery = 'bootstrap'): Promise<ProcessNetwork> {
    const P = workers.length
    const base = { op: 'start' as const, group: GROUP, heartbeatIntervalMs: intervalMs, variant }
    const first = await workers[0]?.request({ ...base, indices: [0], bootstrap: [] }) ?? []
    const bootstrap = discovery === 'bootstrap' ? first.flatMap((n) => n.addrs) : []
    const rest = await Promise.all(workers.map(async (w, k) => w.request({
      ...base,
      indices: Array.from({ length: nodes }, (_, i) => i).filter((i) => i !== 0 && i % P === k),
      bootstrap
    })))
    const all = [...first, ...rest.flat()].sort((a, b) => a.index - b.index)
    const ids = Object.fromEntries(all.map((n) => [n.id, n.index]))
    await Promise.all(workers.map(async (w) => w.request({ op: 'peers', ids })))
    if (discovery === 'all') await Promise.all(workers.map(async (w) => w.request({ op: 'discover', nodes: all })))
    return new ProcessNetwork(workers, all, variant.peerSetSize)
  }

  running (): number[] {
    return this.nodes.map((n) => n.index).filter((i) => !this.crashed.has(i))
  }

  workerOf (index: number): Worker {
    return this.workers[index % this.workers.length] as Worker
  }

  /** Resolves with the milliseconds it took to converge, or NaN at the deadline. */
  async converged (timeoutMs: number): Promise<number> {
    const t0 = performance.now()
    for (;;) {
      const snapshots = (await Promise.all(this.workers.map(async (w) => w.request({ op: 'snapshot' })))).flat()
      const byNode = new Map<number, MembershipSnapshot>(snapshots.map((s) => [s.node, s]))
      if (convergenceProblems(this.reach.sides(this.running()), byNode).length === 0) return performance.now() - t0
      if (performance.now() - t0 > timeoutMs) return Number.NaN
      await sleep(50)
    }
  }

  /**
   * Resolves with the milliseconds until every running node is connected to every other (with a
   * peer set size k, to at least k others), or NaN at the deadline.
   */
  async wired (timeoutMs: number): Promise<number> {
    const t0 = performance.now()
    for (;;) {
      const others = Math.min(this.running().length - 1, this.peerSetSize ?? Number.POSITIVE_INFINITY)
      if ((await this.wiring()).every((n) => n.connectedPeers >= others)) return performance.now() - t0
      if (performance.now() - t0 > timeoutMs) return Number.NaN
      await sleep(100)
    }
  }

  /**
   * Waits for the steady state a window measures: converged, fully wired, then
   * {@link WARM_UP_INTERVALS} more (relaying for newcomers over).
   */
  async settle (timeoutMs: number, intervalMs: number): Promise<void> {
    await this.converged(timeoutMs)
    await this.wired(timeoutMs)
    await sleep(WARM_UP_INTERVALS * intervalMs)
  }

  /** How every running node is wired now, by node index. */
  async wiring (): Promise<NodeWiring[]> {
    return (await Promise.all(this.workers.map(async (w) => w.request({ op: 'wiring' })))).flat().sort((a, b) => a.node - b.node)
  }

  async counters (): Promise<WorkerCounters[]> {
    return Promise.all(this.workers.map(async (w) => w.request({ op: 'counters' })))
  }

  /** The heartbeat intervals the running nodes use now (with 'auto', what each picked): shortest and longest, ms. */
  async intervals (): Promise<{ minMs: number, maxMs: number }> {
    const all = (await this.counters()).flatMap((c) => c.intervalsMs)
    return { minMs: Math.min(...all), maxMs: Math.max(...all) }
  }

  /**
   * Steady-state cost over `durationS` and the drops by timeout meanwhile; with `profileDir`, each
   * worker writes a CPU profile of the window there (`scale-N<nodes>-w<k>-<time>.cpuprofile`).
   */
  async steadyState (durationS: number, intervalMs: number, profileDir?: string): Promise<DeliveryCost & { falseDrops: number }> {
    const stamp = Date.now()
    if (profileDir !== undefined) await Promise.all(this.workers.map(async (w, k) => w.request({ op: 'profileStart', dir: profileDir, file: `scale-N${this.nodes.length}-w${k}-${stamp}.cpuprofile` })))
    const fromMs = nowEpochMs()
    const before = await this.counters()
    await sleep(durationS * 1000)
    const after = await this.counters()
    const toMs = nowEpochMs()
    if (profileDir !== undefined) console.error(`CPU profiles: ${(await Promise.all(this.workers.map(async (w) => w.request({ op: 'profileStop' })))).join(', ')}`)
    await sleep(intervalMs) // late copies of the last heartbeats still count
    const logs = await Promise.all(this.workers.map(async (w) => w.request({ op: 'arrivals', fromMs: fromMs - intervalMs })))
    const window = addCounters(after.map((a, i) => subtractCounters(a, before[i] as WorkerCounters)))
    const drops = after.reduce((sum, a, i) => sum + a.timeoutDrops - (before[i]?.timeoutDrops ?? 0), 0)
    return { ...deliveryCost(window, deliveryShare(logs, this.running().length, fromMs, toMs)), falseDrops: drops }
  }

  async split (sides: number[][]): Promise<void> {
    this.reach.split(sides, this.nodes.length)
    await Promise.all(this.workers.map(async (w) => w.request({ op: 'split', sides })))
  }

  async heal (): Promise<void> {
    this.reach.heal()
    await Promise.all(this.workers.map(async (w) => w.request({ op: 'heal' })))
  }

  /** Crashes `victim`; resolves with each other node's time until it dropped it (Infinity: missed the deadline). */
  async crash (victim: number, deadlineMs: number): Promise<number[]> {
    const id = this.nodes[victim]?.id as string
    const watching = Promise.all(this.workers.map(async (w) => w.request({ op: 'watch', memberId: id, deadlineMs })))
    const crashedAt = await this.workerOf(victim).request({ op: 'crash', index: victim })
    this.crashed.add(victim)
    const seen = (await watching).flat()
    return seen.map((at) => at === null ? Number.POSITIVE_INFINITY : at - crashedAt)
  }
}

/** Runs `fn` with `processes` fresh worker processes, and closes them whatever happens. */
export async function withWorkers<T> (processes: number, fn: (workers: Worker[]) => Promise<T>): Promise<T> {
  const workers = Array.from({ length: processes }, () => new Worker())
  try {
    await Promise.all(workers.map(async (w) => w.ready))
    return await fn(workers)
  } finally {
    await Promise.all(workers.map(async (w) => w.close()))
  }
}

/** Baseline: issue 13's configuration ({@link ISSUE_BASELINE}) on a fresh network, steady state only. */
async function baselineCost (nodes: number, s: ProcessSettings): Promise<DeliveryCost> {
  return withWorkers(s.processes, async (workers) => {
    const net = await ProcessNetwork.start(workers, nodes, s.intervalMs, ISSUE_BASELINE, s.discovery)
    await net.settle(waitMsFor(nodes, s), settledIntervalMs(nodes, s))
    return net.steadyState(s.durationS, (await net.intervals()).maxMs)
  })
}

/** Runs every scenario for one size, then the baseline's steady state; see the module comment. */
export async function benchProcesses (nodes: number, s: ProcessSettings): Promise<ProcessSizeResult> {
  const waitMs = waitMsFor(nodes, s)
  const measured = await withWorkers(s.processes, async (workers) => {
    const t0 = performance.now()
    const net = await ProcessNetwork.start(workers, nodes, s.intervalMs, { ...(s.meshDegree !== undefined ? { meshDegree: s.meshDegree } : {}), ...(s.peerSetSize !== undefined ? { peerSetSize: s.peerSetSize } : {}) }, s.discovery)
    // from the first createCluster() call, wiring included
    const startToConvergedMs = Number.isNaN(await net.converged(waitMs)) ? Number.NaN : performance.now() - t0
    const startToWiredMs = Number.isNaN(await net.wired(waitMs)) ? Number.NaN : performance.now() - t0
    await net.settle(waitMs, settledIntervalMs(nodes, s))
    // with 'auto' the nodes have picked their interval by now (each heard the others)
    const intervals = await net.intervals()
    const steady = await net.steadyState(s.durationS, intervals.maxMs, s.cpuProfileDir)
    const half = Math.floor(nodes / 2)
    await net.split([Array.from({ length: half }, (_, i) => i), Array.from({ length: nodes - half }, (_, i) => half + i)])
    await net.converged(waitMs)
    const healStart = performance.now()
    await net.heal()
    const healMs = await net.converged(waitMs)
    const healToConvergedMs = Number.isNaN(healMs) ? Number.NaN : performance.now() - healStart
    const crashTargetMs = 6 * intervals.maxMs // member timeout (5 intervals) + 1 interval
    const detect = await net.crash(nodes - 1, 3 * crashTargetMs)
    return { startToConvergedMs, startToWiredMs, healToConvergedMs, steady, detect, intervals, crashTargetMs }
  })
  const baseline = await baselineCost(nodes, s)
  const finite = measured.detect.filter(Number.isFinite)
  return {
    nodes,
    processes: s.processes,
    intervalMs: measured.intervals.maxMs,
    minIntervalMs: measured.intervals.minMs,
    cpuPerDeliveredMs: measured.steady.cpuPerDeliveredMs,
    baselineCpuPerDeliveredMs: baseline.cpuPerDeliveredMs,
    copiesPerHeartbeat: measured.steady.copiesPerHeartbeat,
    baselineCopiesPerHeartbeat: baseline.copiesPerHeartbeat,
    delivery: measured.steady.delivery,
    baselineDelivery: baseline.delivery,
    cpuCores: measured.steady.cpuCores,
    startToConvergedIntervals: measured.startToConvergedMs / measured.intervals.maxMs,
    startToWiredIntervals: measured.startToWiredMs / measured.intervals.maxMs,
    healToConvergedIntervals: measured.healToConvergedMs / measured.intervals.maxMs,
    crashDetectMaxMs: finite.length === measured.detect.length ? Math.max(...finite) : Number.POSITIVE_INFINITY,
    crashTargetMs: measured.crashTargetMs,
    crashMissed: measured.detect.length - finite.length,
    falseDrops: measured.steady.falseDrops
  }
}

/**
 * The interval the nodes settle on: the fixed one, or with 'auto' what the cluster's rule picks for
 * this many agents (they start at 1 s and step up as they hear each other).
 */
function settledIntervalMs (nodes: number, s: ProcessSettings): number {
  return s.intervalMs === 'auto' ? autoIntervalMs(nodes, 0, autoIntervalRule(DEFAULT_AUTO_HEARTBEATS_PER_SECOND)) : s.intervalMs
}

/** How long to wait for convergence or full wiring before calling it missed: 60 of the settled intervals, at least a minute. */
function waitMsFor (nodes: number, s: ProcessSettings): number {
  return Math.max(60_000, 60 * settledIntervalMs(nodes, s))
}

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
