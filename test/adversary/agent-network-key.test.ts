/**
 * `gossip-ring node --network-key FILE`: two agents with the key agree on each other and split
 * the resources; an agent without it, bootstrapping to them, stays alone. Also: a malformed key file
 * makes the agent exit with an InvalidNetworkKeyError.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateNetworkKey } from '@gossip-ring/cluster'
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../examples/agent/src/agent-process.js'
import type { RingEvent } from '@gossip-ring/cli'
import { expectExactSplit, idsOf, killAll, startAgents, waitForAgreement } from '../support/agents.js'

const RESOURCES = 30
const STEP_TIMEOUT_MS = 20_000

function args (bootstrap: readonly string[], keyFile: string | undefined): string[] {
  return [
    'node', '--group', 'pollers', '--resources', String(RESOURCES), '--local', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0',
    '--heartbeat-ms', '250', '--list-resources', '--json', ...(keyFile !== undefined ? ['--network-key', keyFile] : []),
    ...bootstrap.flatMap(addr => ['--bootstrap', addr])
  ]
}

describe('gossip-ring node --network-key', () => {
  const agents: AgentProcess[] = []
  let dir = ''
  afterAll(async () => { await killAll(agents); if (dir !== '') await rm(dir, { recursive: true, force: true }) })

  it('agents with the key split the work; an agent without it stays alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gossip-ring-key-'))
    const keyFile = join(dir, 'swarm.key')
    await writeFile(keyFile, generateNetworkKey(), { mode: 0o600 })
    const [first] = startAgents(1, () => args([], keyFile))
    agents.push(first!)
    const ready = await first!.waitReady(STEP_TIMEOUT_MS)
    const [second] = startAgents(1, () => args(ready.multiaddrs, keyFile))
    const [stranger] = startAgents(1, () => args(ready.multiaddrs, undefined))
    agents.push(second!, stranger!)
    for (const agent of agents) await agent.waitReady(STEP_TIMEOUT_MS)
    const members = idsOf([first!, second!])
    const rings = await waitForAgreement([first!, second!], members, RESOURCES, STEP_TIMEOUT_MS, 'the two key holders to agree')
    expectExactSplit([first!, second!], rings, members, RESOURCES)
    // by now the stranger has had several seconds to connect (a keyless agent gets in within ~100 ms)
    const strangerRings = stranger!.events.filter((event): event is RingEvent => event.event === 'ring')
    expect(strangerRings.every(ring => ring.members.length === 1)).toBe(true)
    expect(stranger!.events.some(event => event.event === 'peer' && event.change === 'connect')).toBe(false)
  })

  it('exits 4 naming InvalidNetworkKeyError for a malformed key file', async () => {
    const badFile = join(dir === '' ? tmpdir() : dir, 'bad.key')
    await writeFile(badFile, 'not a key')
    const agent = AgentProcess.start({ label: 'bad-key', args: args([], badFile) })
    const exit = await agent.exited
    expect(exit.code).toBe(4)
    expect(agent.stderrTail).toContain('InvalidNetworkKeyError')
  })
})
