/**
 * Helpers of the end-to-end tests that run example agents as OS processes: starting a fleet,
 * waiting for agreement, and checking a split against an independent ring computation.
 */
import { expect } from 'vitest'
import { AgentProcess, waitUntil, type SpawnFunction } from '../../examples/agent/src/agent-process.js'
import type { ConvergedEvent, RingEvent } from '@gossip-ring/cli'
import { checkSplit, handedOffRings, ringDigest, ringSplit } from '../../examples/agent/src/split.js'
import { formatTable } from '../../examples/agent/src/table.js'

/** The ids the agents printed in their `ready` events (in agent order). */
export function idsOf (agents: readonly AgentProcess[]): string[] {
  return agents.map((agent) => {
    const id = agent.ready?.id
    if (id === undefined) throw new Error(`${agent.label} has not printed its ready event`)
    return id
  })
}

/**
 * Waits until every one of `agents` sees exactly the members `memberIds` under one digest and owns
 * its share of `count` resources (safe handoff done), and returns their latest ring views.
 */
export async function waitForAgreement (agents: readonly AgentProcess[], memberIds: readonly string[], count: number, timeoutMs: number, what: string): Promise<RingEvent[]> {
  return await waitUntil(agents, () => handedOffRings(agents.map((a) => a.ring), memberIds, count), { timeoutMs, what })
}

/** Waits until each agent has printed a `converged` event for `digest` (at or after event index `since[i]`). */
export async function waitForConverged (agents: readonly AgentProcess[], digest: string, timeoutMs: number, since: readonly number[] = []): Promise<void> {
  const convergedOn = (agent: AgentProcess, i: number): boolean => agent.events
    .slice(since[i] ?? 0)
    .some((e) => e.event === 'converged' && (e as ConvergedEvent).digest === digest)
  await waitUntil(agents, () => agents.every(convergedOn) ? true : undefined, { timeoutMs, what: `converged events on ${digest}` })
}

/**
 * Asserts that the ring views split `resource_0..count-1` among `memberIds` with no overlap and
 * no gap, that each agent claims exactly what an independently built ring gives it, and that the
 * digest is the ring's digest of those members.
 */
export function expectExactSplit (agents: readonly AgentProcess[], rings: readonly RingEvent[], memberIds: readonly string[], count: number): void {
  expect(checkSplit(rings.map((r) => r.resources ?? []), count)).toEqual({ overlap: [], missing: [], unknown: [] })
  const expected = ringSplit(memberIds, count)
  rings.forEach((ring, i) => {
    const id = agents[i]?.ready?.id ?? ''
    expect(ring.digest).toBe(ringDigest(memberIds))
    expect(ring.resources, `resources of ${agents[i]?.label}`).toEqual(expected.get(id))
    expect(ring.mine).toBe(expected.get(id)?.length)
  })
}

/**
 * The command line of a `gossip-ring node` agent in group `pollers` on loopback (mDNS off), owning
 * its share of `resources` synthetic resources (listed in its ring lines), with `heartbeatMs`
 * heartbeats, JSON lines, bootstrapping from `bootstrap`.
 */
export function loopbackAgentArgs (resources: number, heartbeatMs: number, bootstrap: readonly string[]): string[] {
  return [
    'node', '--group', 'pollers', '--resources', String(resources), '--local', '--no-mdns',
    '--listen', '/ip4/127.0.0.1/tcp/0', '--heartbeat-ms', String(heartbeatMs), '--list-resources', '--json',
    ...bootstrap.flatMap((addr) => ['--bootstrap', addr])
  ]
}

/** Starts `count` agents: agent i runs with the command line `argsOf(i)`, spawned by `spawnOf(i)` (default: a plain local process). */
export function startAgents (count: number, argsOf: (i: number) => string[], spawnOf: (i: number) => SpawnFunction | undefined = () => undefined): AgentProcess[] {
  return Array.from({ length: count }, (_, i) => {
    const spawn = spawnOf(i)
    return AgentProcess.start({ label: `agent-${i}`, args: argsOf(i), ...(spawn === undefined ? {} : { spawn }) })
  })
}

/** Kills (SIGKILL) every agent still running and waits for them to exit. */
export async function killAll (agents: readonly AgentProcess[]): Promise<void> {
  for (const agent of agents) agent.kill()
  await Promise.all(agents.map(async (agent) => await agent.exited))
}

/** Prints measured durations as a small table (the lead quotes it in the issue note). */
export function printTimings (title: string, rows: ReadonlyArray<readonly [string, number]>): void {
  console.log(`\n${title}\n${formatTable(['step', 'ms'], rows.map(([step, ms]) => [step, String(Math.round(ms))]))}\n`)
}
