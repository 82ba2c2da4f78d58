import { createCluster, presets } from '@gossip-ring/cluster'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../src/commands.js'
import { describeEvent } from '../src/events.js'

describe('stdin commands', () => {
  it('explain KEY answers with the owner, scores, epoch and convergence; other lines are usage errors', async () => {
    const cluster = await createCluster({ ...presets.local, groups: [{ name: 'g', handoff: false }] })
    try {
      const answer = runCommand('  explain resource_7 ', cluster, 'g')
      expect(answer).toMatchObject({ event: 'explain', group: 'g', key: 'resource_7', owner: cluster.id, mine: true, converged: cluster.isConverged('g'), mode: 'normal', viewSize: 1, quorumRequired: 0 })
      if (typeof answer !== 'object') throw new Error('no explanation')
      expect(answer.members).toEqual([{ id: cluster.id, weight: 1, score: expect.any(Number) }])
      expect(answer.epoch).toBeGreaterThan(0)
      expect(describeEvent(cluster.id, answer)).toMatch(/g\/resource_7: owner .* epoch \d+, mine true, converged (true|false), normal/)
      expect(runCommand('', cluster, 'g')).toBeUndefined()
      expect(runCommand('explain', cluster, 'g')).toMatch(/unknown command "explain"; commands on stdin: explain KEY/)
    } finally {
      await cluster.stop()
    }
  })
})
