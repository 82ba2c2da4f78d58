/**
 * Agents meant for one group but given names that differ by a typo, a capital or a separator
 * ("workers" / "Workers", "orders" / "oders") form two groups in one namespace: each converges on
 * its own and owns every resource, while the other owns them too, and nothing said so. Each must
 * hear of the other group; neighbouring names a fleet uses on purpose ("shard-1" / "shard-2")
 * must not. Real nodes on loopback TCP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster, LookalikeGroup } from '../src/index.js'
import { startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

describe('group:lookalike', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  const recorded = (cluster: Cluster): LookalikeGroup[] => {
    const reports: LookalikeGroup[] = []
    cluster.addEventListener('group:lookalike', ({ detail }) => { reports.push(detail) })
    return reports
  }

  it('"workers" and "Workers": each agent owns every resource alone, and each names the other\'s group', async () => {
    clusters = await startClusters(2, i => ({ groups: [i === 0 ? 'workers' : 'Workers'] }))
    const [lower, upper] = clusters as [Cluster, Cluster]
    const [lowerReports, upperReports] = [recorded(lower), recorded(upper)]
    await waitFor(() => lowerReports.length > 0 && upperReports.length > 0, { what: 'a report on each side' })
    // what the report is about: two owners of every resource, each view converged
    const items = ['a', 'b', 'c', 'd']
    // (safe handoff: a lone member takes its keys a moment after its view converged)
    await waitFor(() => lower.isConverged('workers') && upper.isConverged('Workers') &&
      lower.extractMySubset('workers', items).length === items.length && upper.extractMySubset('Workers', items).length === items.length,
    { what: 'each agent converged alone, owning every item' })
    expect(lowerReports).toEqual([{ group: 'workers', lookalike: 'Workers', id: upper.id }])
    expect(upperReports).toEqual([{ group: 'Workers', lookalike: 'workers', id: lower.id }])
    expect(lower.stats.lookalikeGroups).toBe(1)
  })

  it('one name in NFC and one in NFD ("café-jobs" typed on two machines): the same on screen, two groups, each names the other', async () => {
    const [nfc, nfd] = ['café-jobs'.normalize('NFC'), 'café-jobs'.normalize('NFD')]
    clusters = await startClusters(2, i => ({ groups: [i === 0 ? nfc : nfd] }))
    const [composed, decomposed] = clusters as [Cluster, Cluster]
    const [composedReports, decomposedReports] = [recorded(composed), recorded(decomposed)]
    await waitFor(() => composedReports.length > 0 && decomposedReports.length > 0, { what: 'a report on each side' })
    expect(composedReports).toEqual([{ group: nfc, lookalike: nfd, id: decomposed.id }])
    expect(decomposedReports).toEqual([{ group: nfd, lookalike: nfc, id: composed.id }])
  })

  it('a letter left out, or two swapped: "orders" beside "oders" and "ordres"; reported once per pair of names', async () => {
    clusters = await startClusters(4, i => ({ groups: [['orders', 'oders', 'ordres', 'oders'][i] ?? 'orders'] }))
    const reports = recorded(clusters[0] as Cluster)
    await waitFor(() => reports.length === 2, { what: 'two reports at the "orders" agent' })
    expect(reports.map(r => r.lookalike).sort()).toEqual(['oders', 'ordres'])
    const heardBefore = (clusters[0] as Cluster).stats.received
    await waitFor(() => (clusters[0] as Cluster).stats.received >= heardBefore + 10, { what: 'ten more heartbeats' })
    expect(reports).toHaveLength(2)
  })

  it('groups named as neighbours on purpose never report: shard-1 / shard-2 / shard10, worker-a / worker-b', async () => {
    clusters = await startClusters(3, i => ({ groups: [['shard-1', 'worker-a'], ['shard-2', 'worker-b'], ['shard10', 'worker-a']][i] ?? [] }))
    const reports = clusters.map(recorded)
    await waitForAgreement([clusters[0] as Cluster, clusters[2] as Cluster], 'worker-a', [(clusters[0] as Cluster).id, (clusters[2] as Cluster).id])
    const heardBefore = clusters.map(c => c.stats.received)
    await waitFor(() => clusters.every((c, i) => c.stats.received >= (heardBefore[i] ?? 0) + 10), { what: 'ten more heartbeats each' })
    expect(reports.flat()).toEqual([])
  })

  it('a watcher (in no group) names two groups it hears whose names look alike, once', async () => {
    clusters = await startClusters(3, i => i === 2 ? { watcher: true } : { groups: [i === 0 ? 'workers' : 'Workers'] })
    const watcher = clusters[2] as Cluster
    const reports = recorded(watcher)
    await waitFor(() => reports.length > 0, { what: 'a report at the watcher' })
    const heardBefore = watcher.stats.received
    await waitFor(() => watcher.stats.received >= heardBefore + 10, { what: 'ten more heartbeats' })
    expect(reports).toHaveLength(1)
    expect([reports[0]?.group, reports[0]?.lookalike].sort()).toEqual(['Workers', 'workers'])
    expect(reports[0]?.id).toBe(clusters.find(c => c.groups().includes(reports[0]?.lookalike ?? ''))?.id)
  })

  it('a name we joined too is not reported: an agent in "workers" and "Workers" beside one in "Workers"', async () => {
    clusters = await startClusters(2, i => ({ groups: i === 0 ? ['workers', 'Workers'] : ['Workers'] }))
    const [both] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'Workers', clusters.map(c => c.id))
    const heardBefore = both.stats.received
    await waitFor(() => both.stats.received >= heardBefore + 10, { what: 'ten more heartbeats' })
    expect(both.stats.lookalikeGroups).toBe(0)
  })

  it('a group joined later is compared with the names heard before: joining "oders" beside a member of "orders"', async () => {
    clusters = await startClusters(2, i => ({ groups: [i === 0 ? 'workers' : 'orders'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    const reports = recorded(a)
    await waitFor(() => a.stats.received >= 3, { what: 'three heartbeats of the "orders" member' })
    expect(reports).toEqual([])
    await a.joinGroup('oders')
    await waitFor(() => reports.length > 0, { what: 'a report after joining' })
    expect(reports).toEqual([{ group: 'oders', lookalike: 'orders', id: b.id }])
  })
})
