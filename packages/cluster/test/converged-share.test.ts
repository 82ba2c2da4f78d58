import { describe, expect, it } from 'vitest'
import { createCluster, presets } from '../src/index.js'

const RESOURCES = Array.from({ length: 50 }, (_, i) => `r${i}`)

describe('converged means extractMySubset is the share of that view (safe handoff on, real node)', () => {
  it('a lone agent\'s group:converged handler sees it owning everything', async () => {
    const cluster = await createCluster({ ...presets.local, mdns: false, heartbeatIntervalMs: 50, groups: ['g'] })
    try {
      const shareAtConverged = await new Promise<number>((resolve) => {
        cluster.addEventListener('group:converged', () => { resolve(cluster.extractMySubset('g', RESOURCES).length) }, { once: true })
      })
      expect(shareAtConverged).toBe(RESOURCES.length)
    } finally {
      await cluster.stop()
    }
  })
})
