import { createRing } from '@gossip-ring/ring'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../src/index.js'
import { waitFor } from './support/wait-for.js'
import { memberIds, resources, startClusters, stopAll, waitForAgreement } from './support/clusters.js'

describe('cluster on loopback TCP', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('5 nodes with bootstrap addresses agree on members and digest, and split 1000 resources exactly as the ring does', async () => {
    const started = performance.now()
    clusters = await startClusters(5, () => ({ groups: ['pollers'] }))
    const ids = clusters.map(cluster => cluster.id)
    await waitForAgreement(clusters, 'pollers', ids)
    console.log(`[measure] 5 nodes: start to converged in ${Math.round(performance.now() - started)} ms (heartbeat 200 ms)`)

    const digests = new Set(clusters.map(cluster => cluster.ring('pollers').digest))
    expect(digests.size).toBe(1)
    const items = resources(1000)
    const reference = createRing(ids.map(id => ({ id })))
    expect([...digests][0]).toBe(reference.digest)
    const owners = new Map<string, string>()
    for (const cluster of clusters) {
      const mine = cluster.extractMySubset('pollers', items)
      expect(mine).toEqual(reference.extractSubset(items, cluster.id))
      for (const item of mine) {
        expect(owners.has(item), `${item} owned twice`).toBe(false)
        owners.set(item, cluster.id)
        expect(cluster.isMine('pollers', item)).toBe(true)
        expect(clusters[0]!.owner('pollers', item)).toBe(cluster.id)
      }
    }
    expect(owners.size).toBe(1000)
    // every node ends up connected to every other one, though each only knew the first one's
    // address: they learn the others' addresses from heartbeats
    await waitFor(() => clusters.every(cluster => new Set(cluster.libp2p.getConnections().map(c => c.remotePeer.toString())).size === 4), { what: 'a full mesh' })
  })

  it('keeps several groups apart on the same nodes; a node in only one group gets nothing of the other', async () => {
    clusters = await startClusters(4, i => ({ groups: i === 3 ? ['alpha'] : ['alpha', { name: 'beta', weight: i + 1, metadata: { zone: `z${i}` } }] }))
    const ids = clusters.map(cluster => cluster.id)
    await waitForAgreement(clusters, 'alpha', ids)
    await waitForAgreement(clusters.slice(0, 3), 'beta', ids.slice(0, 3))
    const loner = clusters[3]!
    expect(memberIds(loner, 'beta')).toEqual([])   // it does not track a group it is not in...
    expect(loner.stats.membership.untrackedGroups).toBeGreaterThan(0)
    expect(loner.extractMySubset('beta', resources(100))).toEqual([])       // ...but owns nothing there
    expect(loner.isMine('beta', 'resource_1')).toBe(false)
    expect(loner.isConverged('beta')).toBe(false)
    const beta = clusters[0]!.members('beta')
    expect(beta.map(member => member.weight)).toEqual(beta.map(member => ids.indexOf(member.id) + 1))
    expect(beta.find(member => member.id === ids[1])?.metadata).toEqual({ zone: 'z1' })

    const items = resources(1000)
    const betaSplit = clusters.slice(0, 3).flatMap(cluster => cluster.extractMySubset('beta', items))
    expect(betaSplit.sort()).toEqual([...items].sort())

    // the loner joins beta later: everyone re-splits to four
    await loner.joinGroup('beta', { weight: 1 })
    await waitForAgreement(clusters, 'beta', ids)
    // and leaves alpha: the three others drop it from alpha only
    await loner.leaveGroup('alpha')
    await waitForAgreement(clusters.slice(0, 3), 'alpha', ids.slice(0, 3))
    expect(memberIds(clusters[0]!, 'beta')).toContain(loner.id)
    expect(loner.extractMySubset('alpha', items)).toEqual([])
  })
})
