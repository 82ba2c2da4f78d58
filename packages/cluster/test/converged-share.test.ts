import { describe, expect, it } from 'vitest'
import { createCluster, presets } from '../src/index.js'
import type { Cluster } from '../src/index.js'
import { FAST, startClusters, stopAll } from './support/clusters.js'

const RESOURCES = Array.from({ length: 50 }, (_, i) => `r${i}`)

describe('converged means extractMySubset is the share of that view (safe handoff on, real node)', () => {
  it('a lone agent\'s group:converged handler sees it owning everything', async () => {
    // joined after the handler is in place: a loaded machine may take longer than the settle window
    // (150 ms here) between joining at start and returning from createCluster, and miss the event
    const cluster = await createCluster({ ...presets.local, mdns: false, heartbeatIntervalMs: 50 })
    try {
      const shareAtConverged = new Promise<number>((resolve) => {
        cluster.addEventListener('group:converged', () => { resolve(cluster.extractMySubset('g', RESOURCES).length) }, { once: true })
      })
      await cluster.joinGroup('g')
      expect(await shareAtConverged).toBe(RESOURCES.length)
    } finally {
      await cluster.stop()
    }
  })

  it('a lone agent whose event loop was blocked past its settle window is not converged until it owns everything', async () => {
    // a loaded machine runs the settle timer late: until it runs, the clock says the window is over
    // but ownership has not taken the lone agent's keys, so isConverged() must not say true yet
    // settle window 150 ms; blocked 400 ms, shorter than both the member timeout (safe handoff's
    // patience) and the silence that counts as a paused process (the timeout less one interval)
    const cluster = await createCluster({ ...presets.local, mdns: false, heartbeatIntervalMs: 50, suspectAfterMs: 150, memberTimeoutMs: 1000, groups: ['g'] })
    try {
      const blockedUntil = performance.now() + 400
      while (performance.now() < blockedUntil) { /* the event loop is blocked, as under load */ }
      const converged = cluster.isConverged('g')
      const share = cluster.extractMySubset('g', RESOURCES).length
      expect({ converged, share }).toEqual({ converged: false, share: 0 })
      await cluster.converged('g')
      expect(cluster.extractMySubset('g', RESOURCES)).toHaveLength(RESOURCES.length)
    } finally {
      await cluster.stop()
    }
  })

  it('an agent whose bootstrap peer is being dialled when its settle window ends does not converge alone (a blocked event loop)', async () => {
    // both would own every item while each says converged: the first agent alone, the second
    // alone because its loop (a slow start, a CPU hog) ran the settle timer before the dial's I/O
    const first = await createCluster({ ...FAST, groups: ['g'] })
    let second: Cluster | undefined
    try {
      await first.converged('g')
      second = await createCluster({ ...FAST, bootstrap: first.multiaddrs, groups: ['g'] })
      const self = second
      const atFirstConverged = new Promise<{ members: number, share: number, ours: number }>((resolve) => {
        self.addEventListener('group:converged', () => {
          const ring = self.ring('g')
          resolve({ members: ring.members.length, share: self.extractMySubset('g', RESOURCES).length, ours: RESOURCES.filter(r => ring.owner(r) === self.id).length })
        }, { once: true })
      })
      const blockedUntil = performance.now() + FAST.suspectAfterMs! + 200
      while (performance.now() < blockedUntil) { /* the event loop is blocked past the settle window */ }
      const seen = await atFirstConverged
      expect(seen.members).toBe(2)
      expect(seen.share).toBe(seen.ours)
      expect(seen.share).toBeLessThan(RESOURCES.length)
    } finally {
      await stopAll(second === undefined ? [first] : [first, second])
    }
  })

  it('a joiner\'s group:converged handler sees its whole share of the new view (the converging heartbeat\'s handoff ack counts)', async () => {
    const members = await startClusters(2, () => ({ groups: ['g'] }))
    let joiner: Cluster | undefined
    try {
      const atConverged: Array<{ size: number, share: number, expected: number }> = []
      // joins once its handler is in place (see the lone agent above)
      joiner = await createCluster({ ...FAST, bootstrap: members[0]!.multiaddrs })
      const self = joiner
      const fullView = new Promise<void>((resolve) => {
        self.addEventListener('group:converged', () => {
          const ring = self.ring('g')
          atConverged.push({ size: ring.members.length, share: self.extractMySubset('g', RESOURCES).length, expected: RESOURCES.filter(r => ring.owner(r) === self.id).length })
          if (ring.members.length === 3) resolve()
        })
      })
      await self.joinGroup('g')
      await fullView
      const full = atConverged.find(entry => entry.size === 3)
      expect(full?.expected).toBeGreaterThan(0)
      expect(full?.share).toBe(full?.expected)
    } finally {
      await stopAll(joiner === undefined ? members : [...members, joiner])
    }
  })
})
