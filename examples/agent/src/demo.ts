/**
 * The demo (`pnpm demo`): three `gossip-ring node` agents as separate OS processes on this host, over
 * loopback with mDNS off (the second and third bootstrap from the first). It shows how they split
 * the resources, stops one gracefully, shows the re-split, stops the rest and exits 0, all within
 * a bounded time (exit 1 with the reason if something does not happen in time).
 */
import { AgentProcess, waitUntil } from './agent-process.js'
import type { RingEvent } from '@gossip-ring/cli'
import { checkSplit, handedOffRings } from './split.js'
import { formatTable } from './table.js'

const GROUP = 'demo-pollers'
const RESOURCE_COUNT = 24
const HEARTBEAT_MS = 300
const STEP_TIMEOUT_MS = 10_000
const DEMO_DEADLINE_MS = 30_000
const AGENT_NAMES = ['agent-a', 'agent-b', 'agent-c']

function agentArgs (bootstrap: readonly string[]): string[] {
  return [
    'node', '--group', GROUP, '--resources', String(RESOURCE_COUNT), '--local', '--no-mdns',
    '--listen', '/ip4/127.0.0.1/tcp/0', '--heartbeat-ms', String(HEARTBEAT_MS), '--list-resources', '--json',
    ...bootstrap.flatMap((addr) => ['--bootstrap', addr])
  ]
}

function resourceNumbers (ring: RingEvent): string {
  return (ring.resources ?? []).map((name) => name.replace('resource_', '')).sort((a, b) => Number(a) - Number(b)).join(' ')
}

function printSplit (title: string, agents: readonly AgentProcess[], rings: readonly RingEvent[]): void {
  const rows = agents.map((agent, i) => {
    const ring = rings[i] as RingEvent
    return [agent.label, `…${agent.ready?.id.slice(-8) ?? '?'}`, String(ring.mine), resourceNumbers(ring)]
  })
  const check = checkSplit(rings.map((r) => r.resources ?? []), RESOURCE_COUNT)
  const verdict = check.overlap.length === 0 && check.missing.length === 0
    ? `every one of the ${RESOURCE_COUNT} resources has exactly one owner`
    : `SPLIT IS WRONG: overlap ${check.overlap.join(',') || 'none'}, missing ${check.missing.join(',') || 'none'}`
  console.log(`\n${title} (group ${GROUP}, ring digest ${rings[0]?.digest})`)
  console.log(formatTable(['agent', 'peer id', 'owns', 'resources (resource_N)'], rows))
  console.log(verdict)
}

async function waitForAgreement (agents: readonly AgentProcess[], what: string): Promise<RingEvent[]> {
  const ids = agents.map((a) => a.ready?.id ?? '')
  return await waitUntil(agents, () => handedOffRings(agents.map((a) => a.ring), ids, RESOURCE_COUNT), { timeoutMs: STEP_TIMEOUT_MS, what })
}

async function runDemo (agents: AgentProcess[]): Promise<void> {
  const started = Date.now()
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`
  console.log(`starting ${AGENT_NAMES.length} agents on 127.0.0.1 (mDNS off, bootstrap from ${AGENT_NAMES[0]})...`)
  const first = AgentProcess.start({ label: AGENT_NAMES[0] ?? 'agent', args: agentArgs([]) })
  agents.push(first)
  const ready = await first.waitReady(STEP_TIMEOUT_MS)
  for (const label of AGENT_NAMES.slice(1)) {
    agents.push(AgentProcess.start({ label, args: agentArgs(ready.multiaddrs) }))
  }
  for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
  const rings = await waitForAgreement(agents, `all ${agents.length} agents to agree`)
  printSplit(`split after ${elapsed()}`, agents, rings)

  const leaving = agents[agents.length - 1] as AgentProcess
  console.log(`\nstopping ${leaving.label} gracefully (it says goodbye)...`)
  const stopAt = Date.now()
  await leaving.stop()
  const remaining = agents.slice(0, -1)
  const reRings = await waitForAgreement(remaining, `the ${remaining.length} remaining agents to re-split`)
  printSplit(`re-split ${Date.now() - stopAt} ms after the stop`, remaining, reRings)

  console.log('\nstopping the other agents...')
  await Promise.all(remaining.map(async (agent) => await agent.stop()))
  console.log(`done in ${elapsed()}`)
}

const agents: AgentProcess[] = []
const deadline = setTimeout(() => {
  console.error(`demo did not finish within ${DEMO_DEADLINE_MS / 1000} s; killing the agents`)
  for (const agent of agents) agent.kill()
  process.exit(1)
}, DEMO_DEADLINE_MS)
deadline.unref()

runDemo(agents).then(() => {
  clearTimeout(deadline)
  process.exit(0)
}, (err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`)
  for (const agent of agents) agent.kill()
  process.exit(1)
})
