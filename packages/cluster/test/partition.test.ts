import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../src/index.js'
import { memberIds, resources, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { Partition } from './support/partition.js'

describe('partition and heal (connection gater, mDNS off)', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('{A,B} | {C,D,E}: each side drops the other and re-splits everything; after heal the reconnect loop reunites all', async () => {
    const partition = new Partition()
    const ids: string[] = []
    clusters = await startClusters(5, i => ({ groups: ['g'], connectionGater: partition.gaterFor(() => ids[i] as string) }))
    ids.push(...clusters.map(c => c.id))
    await waitForAgreement(clusters, 'g', ids)

    const left = clusters.slice(0, 2)
    const right = clusters.slice(2)
    const items = resources(1000)
    const before = clusters[0]!.extractMySubset('g', items)
    const splitStarted = performance.now()
    await partition.split([left, right])
    // cut off, a node keeps answering from its last view until the others time out
    expect(clusters[0]!.members('g')).toHaveLength(5)
    expect(clusters[0]!.extractMySubset('g', items)).toEqual(before)
    await waitForAgreement(left, 'g', left.map(c => c.id))
    await waitForAgreement(right, 'g', right.map(c => c.id))
    console.log(`[measure] partition seen and re-split by both sides in ${Math.round(performance.now() - splitStarted)} ms`)
    for (const side of [left, right]) {
      const split = side.flatMap(cluster => cluster.extractMySubset('g', items))
      expect(split.length).toBe(1000)
      expect(new Set(split).size).toBe(1000)
    }
    for (const cluster of left) {
      for (const other of right) expect(memberIds(cluster, 'g')).not.toContain(other.id)
    }

    const redialsBefore = clusters.reduce((sum, c) => sum + c.stats.redials, 0)
    const healStarted = performance.now()
    partition.heal()
    await waitForAgreement(clusters, 'g', ids)
    console.log(`[measure] after heal all 5 converged again in ${Math.round(performance.now() - healStarted)} ms`)
    const redialsAfter = clusters.reduce((sum, c) => sum + c.stats.redials, 0)
    expect(redialsAfter).toBeGreaterThan(redialsBefore)
    const owners = clusters.flatMap(cluster => cluster.extractMySubset('g', items))
    expect(owners.length).toBe(1000)
    expect(new Set(owners).size).toBe(1000)
  })
})
