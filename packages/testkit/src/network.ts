import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cluster } from '@gossip-ring/cluster'
import { CODE_P2P } from '@multiformats/multiaddr'
import { convergenceProblems } from './convergence.js'
import type { MembershipSnapshot } from './convergence.js'
import { AgreementAssertionError, InvalidNodeError, NetworkStoppedError, OwnershipAssertionError } from './errors.js'
import { FaultRules } from './faults.js'
import type { DelayRule, LossRule } from './faults.js'
import { partitionGater } from './gater.js'
import { forEachLimited } from './limit.js'
import { NodeSlot } from './node-slot.js'
import type { NodeState, NodeTraffic, SlotContext } from './node-slot.js'
import { resolveTestNetworkInit } from './options.js'
import type { ResolvedTestNetworkInit, TestNetworkInit } from './options.js'
import { findClaimProblems, findDisagreements, formatProblems, label } from './ownership.js'
import type { OwnershipSnapshot } from './ownership.js'
import { OwnershipRecorder } from './ownership-recorder.js'
import type { NodeWatcher, RecordOwnershipOptions } from './ownership-recorder.js'
import { seededRandom } from './random.js'
import { Reachability } from './reachability.js'
import { waitFor } from './wait.js'
import type { WaitOptions } from './wait.js'

/** How many dials the network runs at once when it wires nodes together. */
const DIAL_CONCURRENCY = 16

let networkCount = 0

/**
 * Starts `nodes` real clusters (real libp2p and gossipsub) in this process, on the in-memory
 * transport (or loopback TCP), every pair connected, each node behind a connection gater the
 * network controls. Always `await net.stop()` (e.g. in `afterEach`).
 *
 * @example
 * ```ts
 * const net = await createTestNetwork({ nodes: 5, groups: ['pollers'] })
 * await net.converged('pollers')
 * await net.partition([[0, 1], [2, 3, 4]])
 * await net.converged('pollers')
 * net.assertEachSideOwnsAll('pollers', resources)
 * await net.stop()
 * ```
 */
export async function createTestNetwork (init: TestNetworkInit = {}): Promise<TestNetwork> {
  const resolved = resolveTestNetworkInit(init)
  const dir = await mkdtemp(join(tmpdir(), 'gossip-ring-testkit-'))
  const net = new TestNetwork(resolved, dir)
  try {
    await net.startInitialNodes()
  } catch (err) {
    await net.stop()
    throw err
  }
  return net
}

/** Tells `cluster` of `other` as a discovery service would: its addresses into the peer store, then a `peer:discovery` event. */
async function discover (cluster: Cluster, other: Cluster): Promise<void> {
  const id = other.libp2p.peerId
  const multiaddrs = other.libp2p.getMultiaddrs().map((addr) => addr.decapsulateCode(CODE_P2P))
  await cluster.libp2p.peerStore.merge(id, { multiaddrs })
  cluster.libp2p.safeDispatchEvent('peer:discovery', { detail: { id, multiaddrs } })
}

/**
 * A simulated network of clusters. Node indices are stable: a crashed or stopped node keeps its
 * index, and `restart(i)` brings it back with the same peer id and a new boot id.
 */
export class TestNetwork {
  private readonly slots: NodeSlot[] = []
  private readonly nodeById = new Map<string, number>()
  private readonly reachability = new Reachability()
  private readonly faults: FaultRules
  private readonly pendingDelays = new Set<{ timer: ReturnType<typeof setTimeout>, resolve: (delivered: boolean) => void }>()
  private readonly ctx: SlotContext
  private readonly watchers = new Set<NodeWatcher>()
  private readonly recorders = new Set<OwnershipRecorder>()
  private stopped = false

  /** @internal use `createTestNetwork()` */
  constructor (private readonly init: ResolvedTestNetworkInit, private readonly dir: string) {
    this.faults = new FaultRules(seededRandom(init.seed))
    this.ctx = {
      init,
      dir,
      name: `gossip-ring-testkit-${process.pid}-${++networkCount}`,
      gater: (node) => partitionGater(node, this.reachability, (id) => this.nodeById.get(id)),
      hook: (node, traffic) => (authorId, bytes) => {
        traffic.messages++
        traffic.bytes += bytes
        const from = this.nodeById.get(authorId)
        const decision = from === undefined ? { drop: false, delayMs: 0 } : this.faults.decide(from, node)
        if (decision.drop) traffic.dropped++
        else if (decision.delayMs > 0) traffic.delayed++
        return decision
      },
      sleep: async (ms) => this.sleep(ms),
      watcher: {
        started: (node, cluster) => { for (const watcher of this.watchers) watcher.started(node, cluster) },
        halted: (node) => { for (const watcher of this.watchers) watcher.halted(node) }
      }
    }
  }

  /** @internal starts the nodes asked for at creation, then connects every pair (best effort, see connectAll). */
  async startInitialNodes (): Promise<void> {
    for (let i = 0; i < this.init.nodes; i++) this.slots.push(new NodeSlot(i, this.ctx))
    await Promise.all(this.slots.map(async (slot) => slot.start(this.register)))
    await this.connectAll()
  }

  /** Number of node indices ever used (running or not). */
  get size (): number {
    return this.slots.length
  }

  /** Indices of the running nodes, ascending. */
  running (): number[] {
    return this.slots.filter((s) => s.state === 'running').map((s) => s.index)
  }

  /** The running nodes grouped by side of the current partition (one group when healed). */
  sides (): number[][] {
    return this.reachability.sides(this.running())
  }

  /** The cluster running at index `node`; throws `InvalidNodeError` when the node is not running. */
  cluster (node: number): Cluster {
    const cluster = this.slot(node).cluster
    if (cluster === undefined) throw new InvalidNodeError(`node ${node} is ${this.slot(node).state}, not running`)
    return cluster
  }

  /** The peer id of node `node` (stable over restarts). */
  id (node: number): string {
    return this.slot(node).id as string
  }

  /** The index of the node with this peer id, or undefined for a peer outside the network. */
  indexOf (id: string): number | undefined {
    return this.nodeById.get(id)
  }

  /** Lifecycle state of a node. */
  state (node: number): NodeState {
    return this.slot(node).state
  }

  /** Heartbeat traffic node `node` received so far (a copy). */
  traffic (node: number): NodeTraffic {
    return { ...this.slot(node).traffic }
  }

  /**
   * Splits the network: each inner array is one side; nodes not listed share one more side
   * (as do nodes added later). Dials across the cut are refused and existing connections across
   * it are closed before this resolves. Replaces any earlier partition.
   */
  async partition (sides: ReadonlyArray<readonly number[]>): Promise<void> {
    this.assertLive()
    this.reachability.split(sides, this.slots.length)
    await this.enforceCuts()
  }

  /**
   * Cuts single links, e.g. `cut([[0, 1], [2, 5]])`: each pair can no longer connect directly
   * (dials refused, existing connections closed before this resolves) but both nodes stay on the
   * same side, so they still hear each other through the others. Adds to earlier cuts; `heal()`
   * removes them.
   */
  async cut (links: ReadonlyArray<readonly [number, number]>): Promise<void> {
    this.assertLive()
    this.reachability.cut(links, this.slots.length)
    await this.enforceCuts()
  }

  /** Cuts node `node` from every other node (other sides stay as they are). */
  async isolate (node: number): Promise<void> {
    this.assertLive()
    this.slot(node)
    this.reachability.isolate(node)
    await this.enforceCuts()
  }

  /**
   * Removes every cut. By default the network then reconnects every pair of running nodes, as a
   * discovery service would after the link comes back; with `{ redial: false }` reconnecting is
   * left to the clusters themselves.
   */
  async heal (options: { redial?: boolean } = {}): Promise<void> {
    this.assertLive()
    this.reachability.heal()
    if (options.redial ?? true) await this.connectAll()
  }

  /** Stops node `node` with no goodbye, as a killed process: peers must time it out. */
  async crash (node: number): Promise<void> {
    this.assertLive()
    await this.runningSlot(node).halt(false)
  }

  /**
   * With an index: stops that node gracefully (it says goodbye, peers drop it at once).
   * Without: stops every node and frees everything; idempotent, safe in `afterEach`.
   */
  async stop (node?: number): Promise<void> {
    if (node !== undefined) {
      this.assertLive()
      await this.runningSlot(node).halt(true)
      return
    }
    if (this.stopped) return
    this.stopped = true
    for (const recorder of this.recorders) recorder.stop()
    for (const pending of this.pendingDelays) {
      clearTimeout(pending.timer)
      pending.resolve(false)
    }
    this.pendingDelays.clear()
    await Promise.allSettled(this.slots.map(async (slot) => slot.halt(false)))
    await rm(this.dir, { recursive: true, force: true })
  }

  /**
   * Starts node `node` again with the same identity (peer id) and a new boot id, and reconnects it
   * to the nodes it can reach. A running node is crashed first (a process restart).
   */
  async restart (node: number): Promise<void> {
    this.assertLive()
    const slot = this.slot(node)
    await slot.halt(false)
    await slot.start(this.register)
    await this.connectToReachable(slot)
  }

  /** Starts a new node (next index), connects it to every node it can reach, and returns its index. */
  async add (): Promise<number> {
    this.assertLive()
    const slot = new NodeSlot(this.slots.length, this.ctx)
    this.slots.push(slot)
    await slot.start(this.register)
    await this.connectToReachable(slot)
    return slot.index
  }

  /**
   * Starts a new node (next index) with the same identity (private key, so peer id) as node `of`:
   * two live agents with one id, as after copying a key file or a volume. Peers should report
   * `identity:conflict`. Partitions and fault rules keyed by peer id treat the pair as node `of`.
   */
  async addClone (of: number): Promise<number> {
    this.assertLive()
    this.slot(of)
    const slot = new NodeSlot(this.slots.length, this.ctx, of)
    this.slots.push(slot)
    await slot.start((id, index) => { if (!this.nodeById.has(id)) this.register(id, index) })
    await this.connectToReachable(slot)
    return slot.index
  }

  /** Drops a fraction of the messages authored by `from` when they reach `to` (seeded, reproducible). */
  loss (rule: LossRule): void {
    this.assertLive()
    this.faults.addLoss(rule)
  }

  /** Holds back the messages authored by `from` for `ms` before `to` takes them. */
  delay (rule: DelayRule): void {
    this.assertLive()
    this.faults.addDelay(rule)
  }

  /** Removes every loss and delay rule (messages already held back are still delivered). */
  clearFaults (): void {
    this.faults.clear()
  }

  /**
   * Resolves when, on every side of the current partition, each running node in `group` sees
   * exactly the running members of its side and reports the group converged. Rejects with
   * `ConvergenceTimeoutError` (saying what each node saw) at the deadline.
   */
  async converged (group: string, options: WaitOptions = {}): Promise<void> {
    const problems = (): string[] => convergenceProblems(this.sides(), this.membershipSnapshots(group))
    await waitFor(() => problems().length === 0, () => `group "${group}" did not converge:\n  ${problems().join('\n  ')}`, options)
  }

  /** What each running node says about the owners of `resources` in `group`: its claims and the owner it computes for each. */
  assignments (group: string, resources: Iterable<string>): OwnershipSnapshot[] {
    const list = [...resources]
    return this.running().map((node) => {
      const cluster = this.cluster(node)
      const owners = new Map(list.map((r) => {
        const owner = cluster.owner(group, r)
        return [r, owner === undefined ? undefined : this.nodeById.get(owner)] as const
      }))
      return { node, claims: new Set(cluster.extractMySubset(group, list)), owners }
    })
  }

  /**
   * Asserts that on each side (default: the current partition's) every resource is claimed by
   * exactly one running node of that side. Throws `OwnershipAssertionError` listing the resources
   * with no owner or several.
   */
  assertEachSideOwnsAll (group: string, resources: Iterable<string>, sides: ReadonlyArray<readonly number[]> = this.sides()): void {
    const list = [...resources]
    const snapshots = this.assignments(group, list)
    const problems = sides.flatMap((side) => {
      const sideLabel = `side [${side.map(label).join(', ')}]`
      return findClaimProblems(list, snapshots.filter((s) => side.includes(s.node))).map((p) => `${sideLabel} ${p}`)
    })
    if (problems.length > 0) {
      throw new OwnershipAssertionError(formatProblems(`${problems.length} resource(s) of group "${group}" lack exactly one owner on their side:`, problems))
    }
  }

  /**
   * Asserts that all running nodes compute the same owner for every resource and that each
   * resource is claimed by exactly one of them. Throws `AgreementAssertionError` with the diff.
   */
  assertAgreement (group: string, resources: Iterable<string>): void {
    const list = [...resources]
    const snapshots = this.assignments(group, list)
    const problems = [...findDisagreements(list, snapshots), ...findClaimProblems(list, snapshots)]
    if (problems.length > 0) {
      throw new AgreementAssertionError(formatProblems(`${problems.length} problem(s): the ${snapshots.length} running nodes do not agree on group "${group}":`, problems))
    }
  }

  /**
   * Starts recording which running nodes claim each of `resources` in `group` over time (from
   * cluster events, node starts and stops, and a safety poll): double-owned and unowned
   * resource-seconds, keys moved, and the assertions `assertNoDoubleOwnership({ graceMs })` and
   * `assertCoverage({ maxGapMs })`. Stop the recorder when done (`net.stop()` stops it too).
   */
  recordOwnership (group: string, resources: Iterable<string>, options: RecordOwnershipOptions = {}): OwnershipRecorder {
    this.assertLive()
    const recorder = new OwnershipRecorder(group, resources, {
      running: () => this.running(),
      cluster: (node) => this.cluster(node),
      watch: (watcher) => {
        this.watchers.add(watcher)
        return () => { this.watchers.delete(watcher) }
      }
    }, options)
    this.recorders.add(recorder)
    return recorder
  }

  private readonly register = (id: string, index: number): void => {
    this.nodeById.set(id, index)
  }

  private membershipSnapshots (group: string): Map<number, MembershipSnapshot> {
    return new Map(this.running().map((node) => {
      const cluster = this.cluster(node)
      const members = cluster.members(group)
      const labels = members.map((m) => {
        const index = this.nodeById.get(m.id)
        return index === undefined ? m.id : label(index)
      }).sort()
      return [node, { node, inGroup: members.some((m) => m.self), members: labels, converged: cluster.isConverged(group) }]
    }))
  }

  private async enforceCuts (): Promise<void> {
    await Promise.all(this.running().map(async (node) => {
      const libp2p = this.cluster(node).libp2p
      const cut = libp2p.getConnections().filter((conn) => {
        const other = this.nodeById.get(conn.remotePeer.toString())
        return other !== undefined && !this.reachability.canReach(node, other)
      })
      await Promise.all(cut.map(async (conn) => libp2p.hangUp(conn.remotePeer)))
    }))
  }

  /** Best effort, like discovery: a failed dial is left to the clusters' reconnect loops (converged() tells). */
  private async connectAll (): Promise<void> {
    const live = this.running().map((n) => this.slot(n))
    const pairs = live.flatMap((a) => live.filter((b) => b.index > a.index).map((b) => [a, b] as const))
    await forEachLimited(pairs, DIAL_CONCURRENCY, async ([a, b]) => this.dial(a, b).catch(() => undefined))
  }

  /** Best effort too (see connectAll). */
  private async connectToReachable (slot: NodeSlot): Promise<void> {
    const others = this.running().filter((n) => n !== slot.index).map((n) => this.slot(n))
    await forEachLimited(others, DIAL_CONCURRENCY, async (other) => this.dial(slot, other).catch(() => undefined))
  }

  /**
   * Connects a to b unless they are cut apart or already connected: dials b from a, or, when the
   * clusters keep a bounded peer set (`peerSetSize`), tells each of the other as mDNS would and
   * lets their dialers choose (dialling every pair would defeat the peer set).
   */
  private async dial (a: NodeSlot, b: NodeSlot): Promise<void> {
    if (a.cluster === undefined || b.cluster === undefined || !this.reachability.canReach(a.index, b.index)) return
    if (a.cluster.libp2p.getConnections(b.cluster.libp2p.peerId).length > 0) return
    if (typeof this.init.clusterOptions.peerSetSize !== 'number') {
      await a.cluster.libp2p.dial(b.cluster.libp2p.getMultiaddrs())
      return
    }
    await discover(a.cluster, b.cluster)
    await discover(b.cluster, a.cluster)
  }

  private async sleep (ms: number): Promise<boolean> {
    if (this.stopped) return false
    return new Promise<boolean>((resolve) => {
      const pending = {
        timer: setTimeout(() => {
          this.pendingDelays.delete(pending)
          resolve(true)
        }, ms),
        resolve
      }
      this.pendingDelays.add(pending)
    })
  }

  private slot (node: number): NodeSlot {
    const slot = Number.isInteger(node) ? this.slots[node] : undefined
    if (slot === undefined) throw new InvalidNodeError(`node ${String(node)} is not a node index (expected an integer in 0..${this.slots.length - 1})`)
    return slot
  }

  private runningSlot (node: number): NodeSlot {
    const slot = this.slot(node)
    if (slot.state !== 'running') throw new InvalidNodeError(`node ${node} is ${slot.state}, not running`)
    return slot
  }

  private assertLive (): void {
    if (this.stopped) throw new NetworkStoppedError()
  }
}
