import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../src/index.js'
import { FAST, memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const INTERVAL_MS = FAST.heartbeatIntervalMs as number
const TIMEOUT_MS = FAST.memberTimeoutMs as number

/** Stops `leaver` the given way and returns how long the others took to drop it, and why they did. */
async function detectLeave (clusters: Cluster[], leaver: Cluster, goodbye: boolean): Promise<{ elapsedMs: number, reasons: string[] }> {
  const others = clusters.filter(cluster => cluster !== leaver)
  const reasons: string[] = []
  for (const cluster of others) {
    cluster.addEventListener('member:leave', ({ detail }) => { if (detail.id === leaver.id) reasons.push(detail.reason) })
  }
  const started = performance.now()
  const stopped = leaver.stop({ goodbye })
  await waitFor(() => others.every(cluster => !memberIds(cluster, 'g').includes(leaver.id)), { timeoutMs: 5000, what: 'the others to drop the stopped node' })
  const elapsedMs = performance.now() - started
  await stopped
  return { elapsedMs, reasons }
}

describe('failure detection', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('graceful stop: the others drop the node within one heartbeat interval (goodbye), and re-split everything', async () => {
    clusters = await startClusters(3, () => ({ groups: ['g'] }))
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    const leaver = clusters[2]!
    const { elapsedMs, reasons } = await detectLeave(clusters, leaver, true)
    console.log(`[measure] graceful stop detected by all in ${elapsedMs.toFixed(1)} ms (= ${(elapsedMs / INTERVAL_MS).toFixed(2)} heartbeat intervals of ${INTERVAL_MS} ms)`)
    expect(elapsedMs).toBeLessThanOrEqual(INTERVAL_MS)
    expect(reasons).toEqual(['left', 'left'])
    const rest = clusters.slice(0, 2)
    await waitForAgreement(rest, 'g', rest.map(c => c.id))
  })

  it('crash (stop without goodbye): the others drop the node within memberTimeoutMs + one interval', async () => {
    clusters = await startClusters(3, () => ({ groups: ['g'] }))
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    const suspects: string[] = []
    clusters[0]!.addEventListener('member:suspect', ({ detail }) => { suspects.push(detail.id) })
    const crashed = clusters[2]!
    const { elapsedMs, reasons } = await detectLeave(clusters, crashed, false)
    console.log(`[measure] crash detected by all in ${elapsedMs.toFixed(1)} ms (= ${(elapsedMs / INTERVAL_MS).toFixed(2)} heartbeat intervals; memberTimeoutMs ${TIMEOUT_MS})`)
    expect(elapsedMs).toBeLessThanOrEqual(TIMEOUT_MS + INTERVAL_MS)
    expect(elapsedMs).toBeGreaterThan(TIMEOUT_MS - INTERVAL_MS)   // it really was the timeout, not a goodbye
    expect(reasons).toEqual(['timeout', 'timeout'])
    expect(suspects).toEqual([crashed.id])
  })
})
