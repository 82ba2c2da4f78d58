import { afterEach, describe, expect, it } from 'vitest'
import { createTestNetwork } from '../src/index.js'
import type { TestNetwork } from '../src/index.js'
import { waitFor } from '../src/wait.js'

let net: TestNetwork | undefined
afterEach(async () => { await net?.stop(); net = undefined })

describe('item 3: two live agents with one identity', () => {
  it('item 3: every node, the clones included, emits identity:conflict; a restart does not', async () => {
    net = await createTestNetwork({ nodes: 3, groups: ['g'] })
    await net.converged('g')
    const n = net
    const conflicts = new Map<number, Array<{ id: string, bootIds: string[] }>>()
    const listen = (node: number): void => {
      conflicts.set(node, [])
      n.cluster(node).addEventListener('identity:conflict', ({ detail }) => conflicts.get(node)?.push(detail))
    }
    for (const node of n.running()) listen(node)
    await n.restart(2)
    listen(2)
    await n.converged('g')
    expect([...conflicts.values()].flat()).toEqual([])

    const started = performance.now()
    const clone = await n.addClone(2)
    const cloned = n.id(2)
    expect(n.cluster(clone).id).toBe(cloned)
    // the clone may learn it while addClone() still runs, before a listener can be added: its counter tells
    await waitFor(() => [0, 1, 2].every(node => (conflicts.get(node)?.length ?? 0) > 0) && n.cluster(clone).stats.identityConflicts > 0,
      () => `every node to report the conflict; reports per node: ${[...conflicts].map(([node, seen]) => `${node}:${seen.length}`).join(' ')}, clone: ${n.cluster(clone).stats.identityConflicts}`, { timeoutMs: 10_000 })
    const elapsedMs = performance.now() - started
    for (const node of [0, 1]) {
      expect(conflicts.get(node)).toEqual([{ id: cloned, bootIds: [n.cluster(2).bootId, n.cluster(clone).bootId].sort() }])
    }
    expect(conflicts.get(2)).toEqual([{ id: cloned, bootIds: [n.cluster(2).bootId] }])
    expect(n.cluster(clone).stats.identityConflicts).toBe(1)
    expect(n.cluster(0).stats.identityConflicts).toBe(1)
    console.log(`identity conflict reported on all ${n.running().length} nodes ${Math.round(elapsedMs)} ms after the clone started (heartbeat 200 ms)`)
  })
})
