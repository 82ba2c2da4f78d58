/**
 * The critical path of a fleet's start, node by node (`pnpm bench:wiring --milestones`): when each
 * node got through each step from its start to a converged view of the whole group. The worker
 * records the times (epoch ms) as events happen, with no polling; the parent prints, per step, how
 * the nodes spread (seconds from the bench's start): the step whose spread jumps is where the start
 * waits. `--heal` records them again from the heal (the steps a heal goes through again).
 */
import type { Cluster } from '@gossip-ring/cluster'
import { nowEpochMs } from './delivery-cost.js'

/** The steps, in the order a node goes through them. */
export const MILESTONES = [
  /** `createCluster()` returned (the node listens and beats). */
  'created',
  /** The bench told it of every other node (`--discovery-all` only), as mDNS would. */
  'discovered',
  /** Its first connection opened (either direction). */
  'connected',
  /** Gossipsub first counted a peer subscribed to our heartbeat topic: heartbeats can flow. */
  'subscribed',
  /** It first saw another member of the group. */
  'heardOne',
  /** It saw a quarter, half, 90% of the group, then all of it (itself included). */
  'heardQuarter', 'heardHalf', 'heard90', 'heardAll',
  /** Its first heartbeat published after it saw the whole group (it tells the others its full view). */
  'announcedAll',
  /** Its view of the whole group agreed with every other member's (`group:converged` with all members). */
  'converged'
] as const

/** One step of {@link MILESTONES}. */
export type Milestone = typeof MILESTONES[number]

/** When each step happened, epoch ms (missing: not yet). */
export type NodeMilestones = Partial<Record<Milestone, number>>

/** A worker's record of its nodes' milestones. */
export class MilestoneLog {
  readonly #byNode = new Map<number, NodeMilestones>()

  /** Marks `step` for `node` if it is its first time. */
  mark (node: number, step: Milestone): void {
    let steps = this.#byNode.get(node)
    if (steps === undefined) {
      steps = {}
      this.#byNode.set(node, steps)
    }
    steps[step] ??= nowEpochMs()
  }

  /**
   * Marks `created` now and watches `cluster` (node `node`) for the later steps; `groupSize()` is
   * the size of the whole group (0 until the bench knows it), `group` the group's name.
   */
  watch (node: number, cluster: Cluster, group: string, groupSize: () => number): void {
    this.mark(node, 'created')
    cluster.libp2p.addEventListener('connection:open', () => { this.mark(node, 'connected') })
    cluster.libp2p.services.pubsub.addEventListener('subscription-change', ({ detail }) => {
      if (detail.subscriptions.some((s) => s.subscribe && s.topic === cluster.topic)) this.mark(node, 'subscribed')
    })
    cluster.addEventListener('member:join', () => {
      const seen = cluster.members(group).length
      const size = groupSize()
      if (seen >= 2) this.mark(node, 'heardOne')
      if (size === 0) return
      if (seen >= size / 4) this.mark(node, 'heardQuarter')
      if (seen >= size / 2) this.mark(node, 'heardHalf')
      if (seen >= 0.9 * size) this.mark(node, 'heard90')
      if (seen >= size) this.mark(node, 'heardAll')
    })
    const pubsub = cluster.libp2p.services.pubsub
    const publish = pubsub.publish.bind(pubsub)
    pubsub.publish = async (...args) => {
      if (this.#byNode.get(node)?.heardAll !== undefined) this.mark(node, 'announcedAll')
      return publish(...args)
    }
    cluster.addEventListener('group:converged', ({ detail }) => {
      const size = groupSize()
      if (detail.group === group && size > 0 && cluster.members(group).length >= size) this.mark(node, 'converged')
    })
  }

  /** Forgets every mark: the steps are recorded anew from now (after a heal: reconnected, heard all, converged). */
  restart (): void {
    this.#byNode.clear()
  }

  /** Every node's milestones so far. */
  all (): Array<[number, NodeMilestones]> {
    return [...this.#byNode]
  }
}

function quantile (sorted: number[], q: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

/**
 * The table `--milestones` prints: per step, how many of the `nodes` got there, and when (seconds
 * from `t0EpochMs`: min, 10th percentile, median, 90th percentile, max).
 */
export function milestoneTable (perNode: ReadonlyArray<[number, NodeMilestones]>, nodes: number, t0EpochMs: number): string {
  const seconds = (ms: number | undefined): string => ms === undefined ? '-' : ((ms - t0EpochMs) / 1000).toFixed(2)
  const rows = MILESTONES.map((step) => {
    const times = perNode.map(([, steps]) => steps[step]).filter((t): t is number => t !== undefined).sort((a, b) => a - b)
    return [step, `${times.length}/${nodes}`, ...[0, 0.1, 0.5, 0.9, 1].map((q) => seconds(quantile(times, q)))].join(' | ')
  })
  return ['step | nodes | min s | p10 | median | p90 | max', ...rows].join('\n')
}
