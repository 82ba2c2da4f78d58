/**
 * End to end on loopback, no root needed: three `gossip-ring node` agents as separate OS processes, mDNS off,
 * the second and third bootstrapping from the first. They agree on the members, split 60
 * resources exactly as the ring says, and when one stops gracefully (SIGTERM: goodbye) the other
 * two drop it as "left" and re-split everything.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess } from '../examples/agent/src/agent-process.js'
import type { MemberEvent } from '@gossip-ring/cli'
import { expectExactSplit, idsOf, killAll, loopbackAgentArgs, printTimings, startAgents, waitForAgreement, waitForConverged } from './support/agents.js'

const RESOURCES = 60
const HEARTBEAT_MS = 250
const STEP_TIMEOUT_MS = 20_000

describe('gossip-ring node agents on loopback (bootstrap, no mDNS)', () => {
  const agents: AgentProcess[] = []

  afterAll(async () => {
    await killAll(agents)
  })

  it('split the resources, then re-split when one stops gracefully', async () => {
    const startedAt = performance.now()
    const [first] = startAgents(1, () => loopbackAgentArgs(RESOURCES, HEARTBEAT_MS, []))
    agents.push(first!)
    const ready = await first!.waitReady(STEP_TIMEOUT_MS)
    expect(ready.multiaddrs.some((addr) => addr.startsWith('/ip4/127.0.0.1/tcp/') && addr.includes(`/p2p/${ready.id}`))).toBe(true)
    agents.push(...startAgents(2, () => loopbackAgentArgs(RESOURCES, HEARTBEAT_MS, ready.multiaddrs)))
    for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
    const readyMs = performance.now() - startedAt
    const ids = idsOf(agents)
    expect(new Set(ids).size).toBe(3)

    const rings = await waitForAgreement(agents, ids, RESOURCES, STEP_TIMEOUT_MS, 'three agents to agree')
    const agreedMs = performance.now() - startedAt
    expectExactSplit(agents, rings, ids, RESOURCES)
    await waitForConverged(agents, rings[0]!.digest, STEP_TIMEOUT_MS)
    const convergedMs = performance.now() - startedAt

    const [a, b, c] = agents as [AgentProcess, AgentProcess, AgentProcess]
    const stopAt = performance.now()
    // the leave that the stop causes, not one seen earlier (a loaded machine may time a member out and back while the fleet forms)
    const eventsBeforeStop = [a, b].map((agent) => agent.events.length)
    expect(await c.stop()).toEqual({ code: 0, signal: null })
    expect(c.events.at(-1)).toEqual({ event: 'stopped', id: ids[2] })
    const remaining = [a, b]
    const reRings = await waitForAgreement(remaining, ids.slice(0, 2), RESOURCES, STEP_TIMEOUT_MS, 'two agents to re-split')
    const reSplitMs = performance.now() - stopAt
    expectExactSplit(remaining, reRings, ids.slice(0, 2), RESOURCES)
    for (const [i, agent] of remaining.entries()) {
      const leave = agent.events.slice(eventsBeforeStop[i]).find((e): e is MemberEvent => e.event === 'member' && e.change === 'leave' && e.id === ids[2])
      expect(leave?.reason, `${agent.label} saw ${c.label} leave`).toBe('left')
    }

    printTimings('agents on loopback (3 processes, heartbeat 250 ms)', [
      ['start -> all ready (2nd and 3rd started after the 1st was ready)', readyMs],
      ['start -> all agree on 3 members', agreedMs],
      ['start -> all converged', convergedMs],
      ['graceful stop -> 2 agents re-split', reSplitMs]
    ])
    for (const agent of remaining) expect(await agent.stop()).toEqual({ code: 0, signal: null })
  })
})
