/**
 * The ownership scenarios of `bench/ownership.bench.ts`: on a testkit network of N real clusters,
 * with the ownership history checker recording every node's claims, run join, graceful leave,
 * crash, partition + heal and a flapping member, one phase each.
 */
import { createTestNetwork } from '@gossip-ring/testkit'
import type { OwnershipPhase, TestNetwork } from '@gossip-ring/testkit'
import type { GroupInit } from '@gossip-ring/cluster'

export const GROUP = 'bench'

/** A way to run the group: a name and the group's options (the baseline is today's defaults). */
export interface Variant {
  name: string
  group: GroupInit
}

/** What one run needs. */
export interface OwnershipSettings {
  resources: number
  intervalMs: number
  /** How many times the flapping member goes down and comes back. */
  flaps: number
}

/** The figures of one scenario phase. */
export interface ScenarioResult extends Omit<OwnershipPhase, 'label' | 'startMs' | 'endMs'> {
  nodes: number
  variant: string
  scenario: string
  /** Unowned milliseconds per moved key (unowned resource-seconds over keys moved). */
  unownedMsPerMovedKey: number
  /** Wall time of the phase. */
  phaseMs: number
}

/**
 * Waits (polling, with a deadline) until every running node owns by its current view (settling
 * done) and every resource has exactly one owner among the running nodes.
 */
async function settled (net: TestNetwork, resources: readonly string[], deadlineMs = 15_000): Promise<void> {
  const end = performance.now() + deadlineMs
  for (;;) {
    const applied = net.running().every((i) => {
      const explained = net.cluster(i).explainOwner(GROUP, '')
      return explained.viewDigest === net.cluster(i).ring(GROUP).digest
    })
    const counts = new Map<string, number>()
    for (const snapshot of net.assignments(GROUP, resources)) for (const r of snapshot.claims) counts.set(r, (counts.get(r) ?? 0) + 1)
    if (applied && resources.every((r) => counts.get(r) === 1)) return
    if (performance.now() > end) throw new Error(`not settled after ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function converged (net: TestNetwork): Promise<void> {
  await net.converged(GROUP, { timeoutMs: 15_000 })
}

/** Runs every scenario for `nodes` and `variant`; one result per scenario. */
export async function runOwnershipScenarios (nodes: number, variant: Variant, s: OwnershipSettings): Promise<ScenarioResult[]> {
  const resources = Array.from({ length: s.resources }, (_, i) => `resource-${i}`)
  const net = await createTestNetwork({ nodes, groups: [variant.group], clusterOptions: { heartbeatIntervalMs: s.intervalMs } })
  try {
    await converged(net)
    await settled(net, resources)
    const recorder = net.recordOwnership(GROUP, resources)
    const phase = async (scenario: string, act: () => Promise<void>): Promise<void> => {
      recorder.mark(scenario)
      await act()
      await converged(net)
      await settled(net, resources)
    }
    let joined = -1
    await phase('join', async () => { joined = await net.add() })
    await phase('graceful leave', async () => { await net.stop(joined) })
    await phase('crash', async () => { await net.crash(0) })
    const live = net.running()
    // the largest minority that leaves the other side a majority of the recent membership (the
    // crashed node still counts towards 'majority' for quorumWindowMs): live + 1 members
    const minority = live.slice(0, live.length - (Math.floor((live.length + 1) / 2) + 1))
    await phase('partition + heal', async () => {
      await net.partition([minority, live.filter((n) => !minority.includes(n))])
      await converged(net)
      await net.heal()
    })
    const flapper = live[live.length - 1] as number
    await phase('flapping member', async () => {
      for (let i = 0; i < s.flaps; i++) {
        await net.crash(flapper)
        await waitMs(7.5 * s.intervalMs)
        await net.restart(flapper)
        await waitMs(7.5 * s.intervalMs)
      }
    })
    recorder.mark('end')
    recorder.stop()
    return recorder.report().phases.filter((p) => p.label !== 'start' && p.label !== 'end').map((p) => ({
      nodes,
      variant: variant.name,
      scenario: p.label,
      doubleOwnedResourceS: p.doubleOwnedResourceS,
      unownedResourceS: p.unownedResourceS,
      keysMoved: p.keysMoved,
      unownedMsPerMovedKey: p.keysMoved > 0 ? p.unownedResourceS * 1000 / p.keysMoved : 0,
      phaseMs: p.endMs - p.startMs
    }))
  } finally {
    await net.stop()
  }
}

/** The scenario's own pacing (a member that flaps on a schedule), not a wait for the system to settle. */
async function waitMs (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
