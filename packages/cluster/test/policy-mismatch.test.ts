/**
 * Members of one group with other ownership options (a copied config, a half-done rolling change):
 * safe handoff on one and off on another, or own-all beside own-nothing, and "never two owners"
 * no longer holds while every view says converged. Each must hear of the other. Real nodes on
 * loopback TCP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster, PolicyMismatch } from '../src/index.js'
import { startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

describe('group:policy-mismatch', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  const recorded = (cluster: Cluster): PolicyMismatch[] => {
    const reports: PolicyMismatch[] = []
    cluster.addEventListener('group:policy-mismatch', ({ detail }) => { reports.push(detail) })
    return reports
  }

  it('two members with other partition policies each name the other, and say their own options', async () => {
    clusters = await startClusters(2, i => ({ groups: [i === 0 ? { name: 'g', quorum: 'majority', onMinority: 'own-nothing' } : 'g'] }))
    const [strict, lax] = clusters as [Cluster, Cluster]
    const [strictReports, laxReports] = [recorded(strict), recorded(lax)]
    await waitFor(() => strictReports.length > 0 && laxReports.length > 0, { what: 'a report on each side' })
    expect(strictReports).toEqual([{ group: 'g', id: lax.id, ours: 'handoff on, quorum majority, onMinority own-nothing, settleMs 0' }])
    expect(laxReports).toEqual([{ group: 'g', id: strict.id, ours: 'handoff on, quorum none, onMinority own-all, settleMs 0' }])
    expect(strict.stats.policyMismatches).toBe(1)
  })

  it('a member whose suspicion or timeout is other intervals than ours is named: quorum policies rely on the same ratios', async () => {
    // own-nothing holds because a cut-off member suspects the others (suspectAfterMs) before they time it out
    // (memberTimeoutMs); a member suspecting after 2.5 s among members timing out after 1 s owned its keys
    // beside their new owners for 1.5 s, with no word from anyone
    const group = { name: 'g', quorum: 2, onMinority: 'own-nothing' as const }
    clusters = await startClusters(2, i => ({ groups: [group], ...(i === 0 ? { suspectAfterMs: 2500, memberTimeoutMs: 4000 } : {}) }))
    const [slow, fast] = clusters as [Cluster, Cluster]
    const [slowReports, fastReports] = [recorded(slow), recorded(fast)]
    await waitFor(() => slowReports.length > 0 && fastReports.length > 0, { what: 'a report on each side' })
    expect(slowReports[0]?.ours).toBe('handoff on, quorum 2, onMinority own-nothing, settleMs 0, suspect after 12.5 intervals, timeout after 20 intervals')
    expect(fastReports[0]?.ours).toBe('handoff on, quorum 2, onMinority own-nothing, settleMs 0')
  })

  it('reported once, and again only after the member agreed in between (a rejoin with our options, then other ones)', async () => {
    clusters = await startClusters(2, i => ({ groups: [i === 0 ? { name: 'g', handoff: false } : 'g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    const reports = recorded(b)
    await waitFor(() => reports.length === 1, { what: 'the first report' })
    await a.joinGroup('g', { handoff: true })
    const heardBefore = b.stats.received
    await waitFor(() => b.stats.received >= heardBefore + 5, { what: 'five more heartbeats at b' })
    expect(reports).toHaveLength(1)
    await a.joinGroup('g', { settleMs: 1000 })
    await waitFor(() => reports.length === 2, { what: 'the second report' })
    expect(reports[1]?.id).toBe(a.id)
  })

  it('members with the same options never report, nor for a group only one of them is in', async () => {
    clusters = await startClusters(3, i => ({ groups: i === 2 ? ['other'] : [{ name: 'g', quorum: 2 }] }))
    const reports = clusters.flatMap(cluster => [recorded(cluster)])
    await waitForAgreement(clusters.slice(0, 2), 'g', clusters.slice(0, 2).map(c => c.id))
    const heardBefore = clusters.map(c => c.stats.received)
    await waitFor(() => clusters.every((c, i) => c.stats.received >= (heardBefore[i] ?? 0) + 10), { what: 'ten more heartbeats each' })
    expect(reports.flat()).toEqual([])
  })
})
