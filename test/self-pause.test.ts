/**
 * A paused agent (SIGSTOP: a suspended VM or laptop, a stopped container, a debugger) is dropped by
 * the others after their member timeout, and they re-split its share. When it resumes, its view,
 * frozen with it, still says "converged" with its old share: two owners. The resumed agent must
 * notice its own silence and own nothing until it has caught up with the group again. Three
 * `gossip-ring node` OS processes on loopback, bootstrap, no mDNS.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess, waitUntil } from '../examples/agent/src/agent-process.js'
import type { PausedWarningEvent, RingEvent } from '@gossip-ring/cli'
import { expectExactSplit, idsOf, killAll, loopbackAgentArgs, printTimings, startAgents, waitForAgreement } from './support/agents.js'

const RESOURCES = 30
const HEARTBEAT_MS = 250
const STEP_TIMEOUT_MS = 20_000

describe('an agent paused longer than the member timeout (OS processes on loopback)', () => {
  const agents: AgentProcess[] = []
  afterAll(async () => { await killAll(agents) })

  it('gives up its share as it resumes, and takes it back only once the others have it again', async () => {
    const [first] = startAgents(1, () => loopbackAgentArgs(RESOURCES, HEARTBEAT_MS, []))
    agents.push(first!)
    const ready = await first!.waitReady(STEP_TIMEOUT_MS)
    agents.push(...startAgents(2, () => loopbackAgentArgs(RESOURCES, HEARTBEAT_MS, ready.multiaddrs)))
    for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
    const ids = idsOf(agents)
    const [a, b, paused] = agents as [AgentProcess, AgentProcess, AgentProcess]
    await waitForAgreement(agents, ids, RESOURCES, STEP_TIMEOUT_MS, 'three agents to agree')
    expect(paused.ring?.mine).toBeGreaterThan(0)

    const pausedAt = performance.now()
    process.kill(paused.pid!, 'SIGSTOP')
    let resumedMs = 0
    try {
      // the pause lasts until the other two have dropped it (member timeout: 5 x 250 ms) and own everything
      const split = await waitForAgreement([a, b], ids.slice(0, 2), RESOURCES, STEP_TIMEOUT_MS, 'the other two to re-split without the paused agent')
      expectExactSplit([a, b], split, ids.slice(0, 2), RESOURCES)
    } finally {
      process.kill(paused.pid!, 'SIGCONT')
      resumedMs = performance.now()
    }
    const resumedAt = paused.events.length

    const firstRingAfterResume = await waitUntil([paused], () => paused.events.slice(resumedAt).find((e): e is RingEvent => e.event === 'ring'), {
      timeoutMs: STEP_TIMEOUT_MS, what: 'a ring line from the resumed agent (it still claimed its old share)'
    })
    const releasedMs = performance.now()
    expect(firstRingAfterResume.mine).toBe(0)
    // and it says why, with how long it was silent
    const warning = await waitUntil([paused], () => paused.events.slice(resumedAt).find((e): e is PausedWarningEvent => e.event === 'warning' && e.kind === 'paused'), {
      timeoutMs: STEP_TIMEOUT_MS, what: 'a paused warning from the resumed agent'
    })
    expect(warning.silentMs).toBeGreaterThan(5 * HEARTBEAT_MS - HEARTBEAT_MS)
    const rings = await waitForAgreement(agents, ids, RESOURCES, STEP_TIMEOUT_MS, 'three agents to agree again')
    expectExactSplit(agents, rings, ids, RESOURCES)
    printTimings('paused agent (250 ms heartbeats, member timeout 1250 ms)', [
      ['paused, until the other two re-split', resumedMs - pausedAt],
      ['resumed, to its ring line owning nothing (as printed and read back)', releasedMs - resumedMs],
      ['resumed, to the three agreeing again with its share back', performance.now() - resumedMs]
    ])
  })
})
