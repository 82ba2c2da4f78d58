import { PassThrough } from 'node:stream'
import { createCluster, presets } from '@gossip-ring/cluster'
import { describe, expect, it } from 'vitest'
import { run } from '../src/index.js'
import { runCommand } from '../src/node/commands.js'
import { describeEvent, parseEventLine } from '../src/node/events.js'
import type { ExplainEvent } from '../src/node/events.js'
import { capture } from './capture.js'

/** Yields to the event loop until `done()` holds; throws with `what()` (the output so far) after 20 s. */
async function until (done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`)
    await new Promise(resolve => setImmediate(resolve))
  }
}

describe('stdin commands of gossip-ring node', () => {
  it('explain [GROUP] KEY answers with the owner, scores, epoch and convergence; other lines are usage errors', async () => {
    const cluster = await createCluster({ ...presets.local, mdns: false, groups: [{ name: 'g', handoff: false }, 'h'] })
    try {
      const answer = runCommand('  explain g resource_7 ', cluster, ['g', 'h'])
      expect(answer).toMatchObject({ event: 'explain', group: 'g', key: 'resource_7', owner: cluster.id, mine: true, mode: 'normal', viewSize: 1 })
      if (typeof answer !== 'object') throw new Error('no explanation')
      expect(answer.members).toEqual([{ id: cluster.id, weight: 1, score: expect.any(Number) }])
      expect(answer.epoch).toBeGreaterThan(0)
      expect(describeEvent(cluster.id, answer)).toMatch(/g\/resource_7: owner .* epoch \d+, mine true, converged (true|false), normal/)
      expect(runCommand('explain resource_7', cluster, ['g'])).toMatchObject({ event: 'explain', group: 'g', key: 'resource_7' })
      expect(runCommand('', cluster, ['g'])).toBeUndefined()
      expect(runCommand('explain resource_7', cluster, ['g', 'h'])).toMatch(/^unknown command "explain resource_7"; commands on stdin: explain KEY/)
      expect(runCommand('explain x resource_7', cluster, ['g', 'h'])).toBe('not in group "x"; this node is in g, h')
      expect(runCommand('frobnicate', cluster, ['g'])).toMatch(/^unknown command "frobnicate"/)
    } finally {
      await cluster.stop()
    }
  })

  it('node joins its groups with --min-members, --quorum and --on-minority: alone below a quorum of 2 it owns nothing and says why (real node)', async () => {
    const { io, out, err, stop } = capture()
    const stdin = new PassThrough()
    const running = run(['node', '--group', 'g', '--resources', '10', '--no-mdns', '--local', '--json', '--min-members', '2', '--quorum', '2', '--on-minority', 'own-nothing'], { ...io, stdin })
    await until(() => out().includes('"event":"ready"'), () => `no ready line: ${out()} ${err()}`)
    stdin.write('explain resource_3\n')
    const explained = (): ExplainEvent | undefined => out().split('\n').map(parseEventLine).find((e): e is ExplainEvent => e?.event === 'explain')
    await until(() => explained() !== undefined, () => `no explain answer: ${out()} ${err()}`)
    expect(explained()).toMatchObject({ group: 'g', key: 'resource_3', mine: false, converged: false, mode: 'minority-own-nothing', quorumRequired: 2, viewSize: 1 })
    expect(out().split('\n').map(parseEventLine).filter(e => e?.event === 'ring').map(e => e?.event === 'ring' ? e.mine : -1)).not.toContain(10)
    stop.abort()
    expect(await running).toBe(0)
  })

  it('a running node answers explain on stdin with one JSON line (real node on loopback)', async () => {
    const { io, out, err, stop } = capture()
    const stdin = new PassThrough()
    const running = run(['node', '--group', 'g', '--resources', '10', '--no-mdns', '--local', '--json'], { ...io, stdin })
    const lines = (): ExplainEvent[] => out().split('\n').map(parseEventLine).filter((e): e is ExplainEvent => e?.event === 'explain')
    await until(() => out().includes('"event":"ready"'), () => `no ready line: ${out()} ${err()}`)
    stdin.write('explain resource_3\nexplain\n')
    await until(() => lines().length > 0 && err().includes('unknown command'), () => `no explain answer: ${out()} ${err()}`)
    const ready = out().split('\n').map(parseEventLine).find(e => e?.event === 'ready')
    // alone in its view, the node is the owner once it owns the key (safe handoff may still hold it back): never named before
    const answer = lines()[0]
    expect(answer).toMatchObject({ group: 'g', key: 'resource_3', viewSize: 1 })
    expect(answer?.owner).toBe(answer?.mine === true ? (ready?.event === 'ready' ? ready.id : 'no ready line') : undefined)
    stop.abort()
    expect(await running).toBe(0)
  })
})
