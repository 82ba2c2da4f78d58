import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../src/index.js'
import { expectAbuserHungUpAndBanned, startAbuseScene } from './support/abuser.js'
import { startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

/**
 * Each stream a peer opens costs the agent a protocol negotiation and a peer store write before any
 * handler sees it, and libp2p bounds how many are open at once, not how fast they come.
 */
describe('a peer that opens streams faster than any agent does', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('is hung up on and banned, and the honest agents keep each other', async () => {
    const scene = await startAbuseScene()
    clusters = scene.clusters
    const { a, b } = scene
    const connection = b.libp2p.getConnections(a.libp2p.peerId)[0]
    if (connection === undefined) throw new Error('b is not connected to a')
    // gossipsub streams, 20 at a time, for up to 5 s (before: about 3,500 a second, never refused)
    let opened = 0
    const deadline = performance.now() + 5000
    while (connection.status === 'open' && a.stats.abusersDisconnected === 0 && performance.now() < deadline) {
      const batch = await Promise.allSettled(Array.from({ length: 20 }, async () => connection.newStream(['/meshsub/1.2.0'])))
      opened += batch.filter(result => result.status === 'fulfilled').length
    }
    await expectAbuserHungUpAndBanned(scene, () => `${opened} streams opened`)
    expect(opened).toBeLessThan(1000)
  }, 30_000)

  it('an agent that reconnects twenty times in a row is not taken for one', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    // each new connection opens identify, gossipsub and the boot-id probe again: count what a's muxers announce
    // (whichever side dialled: a's connection repair may redial b first)
    const opened = new Map<object, number>()
    a.libp2p.addEventListener('connection:open', (event) => {
      const connection = event.detail
      opened.set(connection, 0)
      ;(connection as unknown as { muxer: EventTarget }).muxer.addEventListener('stream', () => { opened.set(connection, (opened.get(connection) ?? 0) + 1) })
    })
    for (let i = 1; i <= 20; i++) {
      const before = new Set(opened.keys())
      await b.libp2p.hangUp(a.libp2p.peerId)
      await b.libp2p.dial(a.libp2p.getMultiaddrs()[0]!)
      await waitFor(() => [...opened].some(([connection, streams]) => !before.has(connection) && streams >= 2), { timeoutMs: 10_000, what: `b's connection ${i} to open its streams (${[...opened.values()].join(',')})` })
    }
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    expect(a.stats.abusersDisconnected).toBe(0)
    expect(b.stats.abusersDisconnected).toBe(0)
  }, 60_000)
})
