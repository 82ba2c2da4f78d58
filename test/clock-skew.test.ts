/**
 * A host whose wall clock is off by more than `maxClockSkewMs` (default 60 s): each side refuses
 * the other's heartbeats as too old or too new to be fresh, so each is alone, "converged", and owns
 * every resource. Both must say so. Two `gossip-ring node` OS processes on loopback, one with its
 * wall clock 3 minutes ahead (preloaded `test/support/skewed-clock.mjs`).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess, waitUntil } from '../examples/agent/src/agent-process.js'
import type { SpawnFunction } from '../examples/agent/src/agent-process.js'
import { killAll } from './support/agents.js'

const SKEWED_CLOCK = fileURLToPath(new URL('./support/skewed-clock.mjs', import.meta.url))
const AHEAD_MS = 180_000
const STEP_TIMEOUT_MS = 30_000
const nodeArgs = (bootstrap: readonly string[]): string[] => ['node', '--group', 'pollers', '--resources', '20', '--local', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--heartbeat-ms', '250', '--json', ...bootstrap.flatMap(addr => ['--bootstrap', addr])]

/** Spawns with the wall clock `offsetMs` ahead. */
const skewedSpawn = (offsetMs: number): SpawnFunction => (command, args, options) =>
  spawn(command, ['--import', SKEWED_CLOCK, ...args], { ...options, env: { ...process.env, ...options.env, GOSSIP_RING_TEST_CLOCK_OFFSET_MS: String(offsetMs) } })

describe('clock skew between two agents (OS processes on loopback)', () => {
  const processes: AgentProcess[] = []
  afterAll(async () => { await killAll(processes) })

  it('each agent warns that the other\'s clock differs beyond maxClockSkewMs, with the offset', async () => {
    const honest = AgentProcess.start({ label: 'honest', args: nodeArgs([]) })
    processes.push(honest)
    const ready = await honest.waitReady(STEP_TIMEOUT_MS)
    const ahead = AgentProcess.start({ label: 'ahead', args: nodeArgs(ready.multiaddrs), spawn: skewedSpawn(AHEAD_MS) })
    processes.push(ahead)
    const aheadReady = await ahead.waitReady(STEP_TIMEOUT_MS)
    const warningOf = (agent: AgentProcess): Record<string, unknown> | undefined =>
      (agent.events as unknown as Array<Record<string, unknown>>).find(event => event.event === 'warning' && event.kind === 'clock-skew')
    const [seenByHonest, seenByAhead] = await waitUntil([honest, ahead], () => {
      const both = [warningOf(honest), warningOf(ahead)]
      return both.every(warning => warning !== undefined) ? both : undefined
    }, { timeoutMs: STEP_TIMEOUT_MS, what: 'a clock-skew warning from each agent' })
    expect(seenByHonest).toMatchObject({ peer: aheadReady.id })
    expect(seenByAhead).toMatchObject({ peer: ready.id })
    // the offset is the other's clock minus ours, as seen on receipt (delivery adds well under a second)
    expect(Math.abs((seenByHonest?.offsetMs as number) - AHEAD_MS)).toBeLessThan(5_000)
    expect(Math.abs((seenByAhead?.offsetMs as number) + AHEAD_MS)).toBeLessThan(5_000)
    expect(String(seenByHonest?.hint)).toContain('maxClockSkewMs')
    // what the warning is about: each is alone and (once its settle window is over) owns all 20 resources
    await waitUntil([honest, ahead], () => honest.ring?.mine === 20 && ahead.ring?.mine === 20 ? true : undefined, { timeoutMs: STEP_TIMEOUT_MS, what: 'each to own all 20 alone' })
    expect(honest.ring?.members).toEqual([ready.id])
    expect(ahead.ring?.members).toEqual([aheadReady.id])
  })
})
