/**
 * On-demand relaying on the real stack (testkit: real libp2p, gossipsub, noise, yamux over the
 * in-memory transport): in a fully connected fleet each heartbeat crosses the wire once (no mesh
 * forwards, no IHAVE for it), and when a link is cut the members on either side ask for each
 * other's heartbeats, which the others then relay, so neither even suspects the other.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestNetwork } from '@gossip-ring/testkit'
import { heartbeatAuthor } from '@gossip-ring/cluster'
import type { Cluster, RelayMode } from '@gossip-ring/cluster'
import type { TestNetwork } from '@gossip-ring/testkit'

const GROUP = 'relay'
const NODES = 6
const INTERVAL_MS = 500
/**
 * The steady-state window uses 1 s heartbeats: a member counts as unheard after 1.5 intervals
 * without a direct copy, so a test machine whose event loop lags 0.75 s would start relays at 500 ms.
 */
const STEADY_INTERVAL_MS = 1000

/** Counts every heartbeat copy a cluster's gossipsub receives, duplicates included (wraps its per-message entry point). */
function countCopies (cluster: Cluster): () => number {
  const pubsub = cluster.libp2p.services.pubsub as unknown as { handleReceivedMessage: (...args: unknown[]) => Promise<unknown> }
  const inner = pubsub.handleReceivedMessage.bind(pubsub)
  let copies = 0
  pubsub.handleReceivedMessage = async (...args) => {
    copies++
    return inner(...args)
  }
  return () => copies
}

/** Over `beats` more heartbeats of node 0, all nodes together: copies received per distinct heartbeat delivered, and heartbeats forwarded. */
async function window (net: TestNetwork, beats: number, intervalMs: number): Promise<{ copiesPerHeartbeat: number, forwarded: number }> {
  const clusters = net.running().map((i) => net.cluster(i))
  const counters = clusters.map(countCopies)
  const sum = (of: (c: Cluster) => number): number => clusters.reduce((total, c) => total + of(c), 0)
  const [received, forwarded] = [sum((c) => c.stats.received), sum((c) => c.stats.forwarded)]
  const until = clusters[0]!.stats.published + beats
  await vi.waitFor(() => { expect(clusters[0]!.stats.published).toBeGreaterThanOrEqual(until) }, { timeout: 4 * beats * intervalMs, interval: 50 })
  const copies = counters.reduce((total, count) => total + count(), 0)
  return { copiesPerHeartbeat: copies / (sum((c) => c.stats.received) - received), forwarded: sum((c) => c.stats.forwarded) - forwarded }
}

/**
 * A converged network in steady state: node 0 has beaten 7 more times, so the requests made while
 * the fleet formed are replaced and the relay-everything window after the last newcomer (one member
 * timeout, 5 intervals) is over.
 */
async function convergedNetwork (relay: RelayMode, intervalMs: number): Promise<TestNetwork> {
  const net = await createTestNetwork({ nodes: NODES, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: intervalMs, relay } })
  await net.converged(GROUP, { timeoutMs: 30_000 })
  const until = net.cluster(0).stats.published + 7
  await vi.waitFor(() => { expect(net.cluster(0).stats.published).toBeGreaterThanOrEqual(until) }, { timeout: 16 * intervalMs, interval: 50 })
  return net
}

describe('on-demand relaying', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop() })

  it('sends each heartbeat across the wire once in a fully connected fleet; relay "always" sends more', async () => {
    net = await convergedNetwork('on-demand', STEADY_INTERVAL_MS)
    const onDemand = await window(net, 6, STEADY_INTERVAL_MS)
    await net.stop()
    net = await convergedNetwork('always', STEADY_INTERVAL_MS)
    const always = await window(net, 6, STEADY_INTERVAL_MS)
    console.log(`[measure] copies per delivered heartbeat: on-demand ${onDemand.copiesPerHeartbeat.toFixed(2)}, always ${always.copiesPerHeartbeat.toFixed(2)}`)
    expect(onDemand.copiesPerHeartbeat).toBeLessThan(1.05)
    expect(onDemand.forwarded).toBe(0)
    expect(always.copiesPerHeartbeat).toBeGreaterThan(1.3)
    expect(always.forwarded).toBeGreaterThan(0)
  })

  it('when a link is cut, the others relay across it at once: neither side suspects the other', async () => {
    net = await convergedNetwork('on-demand', INTERVAL_MS)
    const n = net
    const [a, b] = [0, 1]
    const suspicions: string[] = []
    for (const [watcher, other] of [[a, b], [b, a]] as const) {
      for (const type of ['member:suspect', 'member:leave'] as const) {
        n.cluster(watcher).addEventListener(type, ({ detail }) => {
          if (detail.id === n.id(other)) suspicions.push(`${type} of n${other} at n${watcher}`)
        })
      }
    }
    // when node b delivers node a's heartbeats from the cut on
    const arrivals: number[] = []
    n.cluster(b).libp2p.services.pubsub.addEventListener('message', ({ detail }) => {
      if (detail.topic === n.cluster(b).topic && heartbeatAuthor(detail.data) === n.id(a)) arrivals.push(performance.now())
    })
    const cutAt = performance.now()
    await n.cut([[a, b]])
    expect(n.cluster(a).libp2p.getConnections(n.cluster(b).libp2p.peerId)).toHaveLength(0)
    const forwardedBefore = n.cluster(2).stats.forwarded
    await vi.waitFor(() => { expect(performance.now() - cutAt).toBeGreaterThan(10 * INTERVAL_MS) }, { timeout: 12 * INTERVAL_MS, interval: 50 })
    const gaps = [cutAt, ...arrivals].slice(1).map((t, i) => t - ([cutAt, ...arrivals][i] as number))
    console.log(`[measure] after the cut: ${arrivals.length} heartbeats of a at b, longest gap ${Math.round(Math.max(...gaps))} ms (interval ${INTERVAL_MS} ms)`)
    expect(suspicions).toEqual([])
    expect(arrivals.length).toBeGreaterThanOrEqual(8)
    // suspicion starts at 3 intervals: the relay must start well before
    expect(Math.max(...gaps)).toBeLessThan(2.5 * INTERVAL_MS)
    // the third nodes relay now (they forwarded nothing while everyone heard everyone directly)
    expect(n.cluster(2).stats.forwarded).toBeGreaterThan(forwardedBefore)
  })
})
