/**
 * Real stack, real mDNS: three `gossip-ring node` agents as OS processes, each in its own network namespace
 * of a simulated LAN (never the host's interfaces), no bootstrap addresses. They discover each
 * other by mDNS, converge and split 60 resources exactly as the ring says. Then h2 is cut off from
 * h0 and h1 with nftables: each side drops the other and re-splits all resources; heal: all three
 * converge again. Twice: once dropping packets (connections survive the cut), once resetting TCP
 * (connections close, so the heal needs the agents to redial). Prints the measured times. Then two
 * agents with a network key and one started without it: mDNS finds them all, the keyed two converge
 * without it, and it warns that it cannot connect to them (alone, it would own everything in
 * silence). Needs root: fails loudly otherwise, never skipped.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeNewNetworkKey } from '@gossip-ring/cluster'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitUntil, type AgentProcess } from '../examples/agent/src/agent-process.js'
import type { PeerEvent } from '@gossip-ring/cli'
import { expectExactSplit, idsOf, killAll, printTimings, startAgents, waitForAgreement, waitForConverged } from './support/agents.js'
import { assertNetnsAvailable, createSimulatedLan, sweepStaleNamespaces, type PartitionMode, type SimulatedLan } from './support/netns.js'

const RESOURCES = 60
const HEARTBEAT_MS = 250
const MDNS_INTERVAL_MS = 500
const STEP_TIMEOUT_MS = 30_000

const AGENT_ARGS = [
  'node', '--group', 'pollers', '--resources', String(RESOURCES), '--heartbeat-ms', String(HEARTBEAT_MS),
  '--mdns-interval-ms', String(MDNS_INTERVAL_MS), '--list-resources', '--json'
]

/** The peers `agent` connected to or disconnected from since its event number `since`. */
function peerChanges (agent: AgentProcess, since: number, change: PeerEvent['change']): string[] {
  return agent.events.slice(since).filter((e): e is PeerEvent => e.event === 'peer' && e.change === change).map((e) => e.id)
}

describe('gossip-ring node agents on a simulated LAN (real mDNS in network namespaces)', () => {
  let lan: SimulatedLan | undefined
  const agents: AgentProcess[] = []

  beforeAll(async () => {
    await assertNetnsAvailable()
    await sweepStaleNamespaces()
    lan = await createSimulatedLan({ hostCount: 3 })
  })

  afterAll(async () => {
    await killAll(agents)
    await lan?.destroy()
  })

  /**
   * Cuts h2 off from h0 and h1 (nftables, `mode`), checks that each side drops the other and
   * re-splits everything, heals, and checks that all three agree and converge again. With `reset`
   * the TCP connections across the cut close, so the heal needs the peers to redial: checked by
   * h2's disconnect events during the cut and its connect events (to both) after the heal.
   */
  async function cutAndHeal (mode: PartitionMode): Promise<{ splitMs: number, agreeMs: number, convergedMs: number, reconnectedMs: number }> {
    const hosts = lan!.hosts
    const [a, b, c] = agents as [AgentProcess, AgentProcess, AgentProcess]
    const ids = idsOf(agents)
    const beforeCut = agents.map((agent) => agent.events.length)
    const cutAt = performance.now()
    await lan!.partition([hosts[2]!], [hosts[0]!, hosts[1]!], mode)
    const [abRings, cRings] = await Promise.all([
      waitForAgreement([a, b], ids.slice(0, 2), RESOURCES, STEP_TIMEOUT_MS, `{h0, h1} to drop h2 (${mode})`),
      waitForAgreement([c], ids.slice(2), RESOURCES, STEP_TIMEOUT_MS, `h2 to drop h0 and h1 (${mode})`)
    ])
    const splitMs = performance.now() - cutAt
    expectExactSplit([a, b], abRings, ids.slice(0, 2), RESOURCES)
    expectExactSplit([c], cRings, ids.slice(2), RESOURCES)
    expect(cRings[0]!.mine).toBe(RESOURCES)
    const others = ids.slice(0, 2)
    if (mode === 'reset') {
      await waitUntil([c], () => others.every((id) => peerChanges(c, beforeCut[2]!, 'disconnect').includes(id)) ? true : undefined,
        { timeoutMs: STEP_TIMEOUT_MS, what: 'h2 to lose its connections to h0 and h1' })
    }

    const beforeHeal = agents.map((agent) => agent.events.length)
    const healAt = performance.now()
    await lan!.heal()
    const rings = await waitForAgreement(agents, ids, RESOURCES, STEP_TIMEOUT_MS, `three agents to agree again after heal (${mode})`)
    const agreeMs = performance.now() - healAt
    expectExactSplit(agents, rings, ids, RESOURCES)
    await waitForConverged(agents, rings[0]!.digest, STEP_TIMEOUT_MS, beforeHeal)
    const convergedMs = performance.now() - healAt
    let reconnectedMs = Number.NaN
    if (mode === 'reset') {
      // gossipsub relays through any one connection, so agreement may come before the full mesh is
      // back; the reconnect loop must still redial every known peer
      await waitUntil([c], () => others.every((id) => peerChanges(c, beforeHeal[2]!, 'connect').includes(id)) ? true : undefined,
        { timeoutMs: STEP_TIMEOUT_MS, what: 'h2 to be connected to h0 and h1 again' })
      reconnectedMs = performance.now() - healAt
    }
    return { splitMs, agreeMs, convergedMs, reconnectedMs }
  }

  it('discover each other, split, re-split across a partition, and converge again after heal', async () => {
    const hosts = lan!.hosts
    const startedAt = performance.now()
    agents.push(...startAgents(hosts.length, () => AGENT_ARGS, (i) => hosts[i]!.spawn))
    for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
    const readyMs = performance.now() - startedAt
    const ids = idsOf(agents)

    const rings = await waitForAgreement(agents, ids, RESOURCES, STEP_TIMEOUT_MS, 'three agents to find each other by mDNS and agree')
    const agreedMs = performance.now() - startedAt
    expectExactSplit(agents, rings, ids, RESOURCES)
    await waitForConverged(agents, rings[0]!.digest, STEP_TIMEOUT_MS)
    const convergedMs = performance.now() - startedAt

    const drop = await cutAndHeal('drop')
    const reset = await cutAndHeal('reset')
    // agents that found each other, and were cut off and healed, are not misconfigured: no warning
    expect(agents.flatMap(agent => agent.events.filter(event => event.event === 'warning'))).toEqual([])

    printTimings(`real mDNS, 3 processes in network namespaces (heartbeat ${HEARTBEAT_MS} ms, mDNS query every ${MDNS_INTERVAL_MS} ms)`, [
      ['start of 3 processes -> all ready (node + tsx + libp2p up)', readyMs],
      ['start of 3 processes -> all agree on 3 members', agreedMs],
      ['start of 3 processes -> all converged', convergedMs],
      ['drop partition -> both sides re-split', drop.splitMs],
      ['drop heal -> all agree on 3 members', drop.agreeMs],
      ['drop heal -> all converged', drop.convergedMs],
      ['reset partition (connections closed) -> both sides re-split', reset.splitMs],
      ['reset heal (peers redialled) -> all agree on 3 members', reset.agreeMs],
      ['reset heal -> all converged', reset.convergedMs],
      ['reset heal -> h2 connected to h0 and h1 again', reset.reconnectedMs]
    ])
    for (const agent of agents.splice(0)) expect(await agent.stop()).toEqual({ code: 0, signal: null })
  })

  it('an agent started without the network key of the agents mDNS finds warns that it cannot connect to them', async () => {
    const hosts = lan!.hosts
    const dir = await mkdtemp(join(tmpdir(), 'gossip-ring-netns-key-'))
    try {
      const keyFile = join(dir, 'cluster.psk')
      await writeNewNetworkKey(keyFile)
      agents.push(...startAgents(hosts.length, (i) => i < 2 ? [...AGENT_ARGS, '--network-key', keyFile] : AGENT_ARGS, (i) => hosts[i]!.spawn))
      for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
      const [keyedA, keyedB, stranger] = agents as [AgentProcess, AgentProcess, AgentProcess]
      const ids = idsOf(agents)
      await waitForAgreement([keyedA, keyedB], ids.slice(0, 2), RESOURCES, STEP_TIMEOUT_MS, 'the two keyed agents to agree without the stranger')
      const warning = await waitUntil([stranger], () => stranger.events.find(event => event.event === 'warning'), { timeoutMs: STEP_TIMEOUT_MS, what: 'the stranger\'s warning' })
      expect(warning).toMatchObject({ kind: 'peer-unreachable', via: 'mdns', reason: 'handshake-failed', hint: expect.stringContaining('this agent has no network key') })
      expect(ids.slice(0, 2)).toContain((warning as { peer: string }).peer)
      expect(stranger.ring?.members).toEqual([ids[2]])   // what the warning is about: alone, it owns everything
    } finally {
      for (const agent of agents.splice(0)) await agent.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('agents of namespaces a typo apart ("prod", "prd") on one LAN each warn, though the two of "prod" reached each other', async () => {
    const hosts = lan!.hosts
    agents.push(...startAgents(hosts.length, (i) => [...AGENT_ARGS, '--namespace', i < 2 ? 'prod' : 'prd'], (i) => hosts[i]!.spawn))
    for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
    const [prodA, prodB, typo] = agents as [AgentProcess, AgentProcess, AgentProcess]
    const ids = idsOf(agents)
    await waitForAgreement([prodA, prodB], ids.slice(0, 2), RESOURCES, STEP_TIMEOUT_MS, 'the two "prod" agents to agree')
    const warningOf = async (agent: AgentProcess): Promise<unknown> =>
      waitUntil([agent], () => agent.events.find(event => event.event === 'warning'), { timeoutMs: STEP_TIMEOUT_MS, what: 'a warning' })
    expect(await warningOf(typo)).toMatchObject({ kind: 'peer-unreachable', via: 'mdns', reason: 'other-namespace', hint: expect.stringContaining('this agent of "prd", a typo away') })
    expect(await warningOf(prodA)).toMatchObject({ kind: 'peer-unreachable', via: 'mdns', reason: 'other-namespace', peer: ids[2], hint: expect.stringContaining('a typo away') })
    expect(typo.ring?.members).toEqual([ids[2]])   // what the warning is about: alone, it owns everything
    for (const agent of agents.splice(0)) expect(await agent.stop()).toEqual({ code: 0, signal: null })
  })
})
