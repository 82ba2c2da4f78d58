import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../src/index.js'
import { memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

/** Every `member:suspect` and `member:leave` any of `clusters` fires, as `observer suspected/left id`. */
function recordDoubts (clusters: Cluster[]): string[] {
  const doubts: string[] = []
  clusters.forEach((cluster, index) => {
    cluster.addEventListener('member:suspect', ({ detail }) => { doubts.push(`${index} suspected ${detail.id}`) })
    cluster.addEventListener('member:leave', ({ detail }) => { doubts.push(`${index} dropped ${detail.id} (${detail.reason})`) })
  })
  return doubts
}

/** Waits until each of `clusters` has published `beats` more heartbeats (time passing at their own pace, not a sleep). */
async function waitForBeats (clusters: Cluster[], beats: number, timeoutMs: number): Promise<void> {
  const from = clusters.map(cluster => cluster.stats.published)
  await waitFor(() => clusters.every((cluster, i) => cluster.stats.published >= (from[i] as number) + beats), { timeoutMs, what: `${beats} more heartbeats from each` })
}

describe('agents with different heartbeat intervals (real libp2p, loopback TCP)', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('200 ms and 1000 ms agents coexist: nobody suspects or drops anybody, no heartbeat is over budget', async () => {
    // 0, 1: 200 ms (suspect 600 ms, timeout 1 s); 2, 3: 1000 ms (suspect 3 s, timeout 5 s)
    clusters = await startClusters(4, i => i < 2 ? { groups: ['g'] } : { groups: ['g'], heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 })
    expect(clusters.map(c => c.heartbeatIntervalMs)).toEqual([200, 200, 1000, 1000])
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id), 20_000)
    const doubts = recordDoubts(clusters)
    // four heartbeats of the slow agents: each gap between them is longer than the fast agents' own timeout
    await waitForBeats(clusters.slice(2), 4, 15_000)
    expect(doubts).toEqual([])
    expect(clusters.every(c => memberIds(c, 'g').length === 4 && c.isConverged('g'))).toBe(true)
    expect(clusters.map(c => c.stats.dropped['over-budget'])).toEqual([0, 0, 0, 0])
  }, 40_000)

  it("'auto' picks a longer interval once the agents it hears send more than autoHeartbeatsPerSecond, and a 200 ms agent does not time it out", async () => {
    // budget 1 heartbeat a second: with 3 agents the 2 others at 1 s send 2/s, so 'auto' doubles to 2 s (2 others / 2 s = 1/s)
    const AUTO = { heartbeatIntervalMs: 'auto', autoHeartbeatsPerSecond: 1, suspectAfterMs: undefined, memberTimeoutMs: undefined } as const
    clusters = await startClusters(3, i => i === 0 ? { groups: ['g'] } : { groups: ['g'], ...AUTO })
    const autos = clusters.slice(1)
    expect(autos.map(c => c.heartbeatIntervalMs)).toEqual([1000, 1000])
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id), 20_000)
    await waitFor(() => autos.every(c => c.heartbeatIntervalMs === 2000), { timeoutMs: 5000, what: "the 'auto' agents to pick 2 s" })
    const doubts = recordDoubts(clusters)
    // three heartbeats of the auto agents at 2 s: the 200 ms agent's own timeout is 1 s, it judges them by 2 s (timeout 10 s)
    await waitForBeats(autos, 3, 20_000)
    expect(doubts).toEqual([])
    expect(clusters.every(c => memberIds(c, 'g').length === 3 && c.isConverged('g'))).toBe(true)
    // the fast agent leaves: 2 agents, 1 other at 1 s would be 1/s, above 3/4 of the budget: hysteresis keeps 2 s
    // (by its goodbye, or by the timeout the auto agents judge it by, 10 s: a goodbye is now and then not delivered)
    await clusters[0]?.stop()
    await waitFor(() => autos.every(c => memberIds(c, 'g').length === 2), { timeoutMs: 15_000, what: 'the auto agents to see the fast one leave' })
    expect(autos.map(c => c.heartbeatIntervalMs)).toEqual([2000, 2000])
  }, 60_000)
})
