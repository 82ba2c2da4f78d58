import { afterEach, describe, expect, it } from 'vitest'
import { createCluster } from '../src/index.js'
import type { Cluster } from '../src/index.js'
import { FAST, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

function connected (a: Cluster, b: Cluster): boolean {
  return a.libp2p.getConnections(b.libp2p.peerId).length > 0
}

describe('member exchange: a newcomer gets members to dial from its bootstrap peer (real libp2p, loopback TCP)', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('a newcomer bootstrapping from one agent is told members and dials them itself, then agrees with everyone', async () => {
    clusters = await startClusters(5, () => ({ groups: ['g'] }))
    const [bootstrap, ...members] = clusters as [Cluster, ...Cluster[]]
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    const newcomer = await createCluster({ ...FAST, groups: ['g'], bootstrap: bootstrap.multiaddrs })
    clusters.push(newcomer)
    await waitFor(() => members.every(m => connected(newcomer, m)), { timeoutMs: 10_000, what: 'the newcomer to connect to every member' })
    // the bootstrap peer listed the members it knew (4 <= MAX_LISTED_MEMBERS), each dialled at once; the list
    // is asked for as soon as the connection is up, before gossipsub runs on it, so at most a member whose
    // heartbeat somehow came first is not counted as a hint
    expect(newcomer.stats.memberHints).toBeGreaterThan(0)
    expect(bootstrap.stats.memberHints).toBe(0)   // it bootstraps from nobody
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
  })
})
