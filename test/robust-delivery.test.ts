/**
 * Guards the cheap gossipsub configuration against removing too many copies: on a partially
 * connected network (testkit cuts single links, so some pairs hear each other only through a third
 * node), every heartbeat still reaches every node within one heartbeat interval, with the cluster's
 * default mesh settings.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { heartbeatAuthor } from '@gossip-ring/cluster'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'

const GROUP = 'relay'
const NODES = 8
const INTERVAL_MS = 1000
/** Node 0 reaches nodes 1-3 only through others; so do the pairs 4-5 and 6-7. */
const CUT: Array<[number, number]> = [[0, 1], [0, 2], [0, 3], [4, 5], [6, 7]]
/** Heartbeats each node publishes while we watch. */
const BEATS = 8

/** First time (performance.now) each node delivered each message, keyed by message id then node. */
type Arrivals = Map<string, { author: string, at: Map<number, number> }>

function recordArrivals (net: TestNetwork): Arrivals {
  const arrivals: Arrivals = new Map()
  for (const node of net.running()) {
    net.cluster(node).libp2p.services.pubsub.addEventListener('gossipsub:message', ({ detail }) => {
      const { msgId, msg } = detail
      const author = heartbeatAuthor(msg.data)
      if (author === undefined) return
      const entry = arrivals.get(msgId) ?? { author, at: new Map<number, number>() }
      arrivals.set(msgId, entry)
      if (!entry.at.has(node)) entry.at.set(node, performance.now())
    })
  }
  return arrivals
}

describe('robust delivery on a partially connected network', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop() })

  it('brings every heartbeat to every node within one interval when some pairs share no link', async () => {
    net = await createTestNetwork({ nodes: NODES, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: INTERVAL_MS } })
    const n = net
    await n.cut(CUT)
    await n.converged(GROUP, { timeoutMs: 30_000 })
    // the cut holds: these pairs have no direct connection, so their heartbeats must be relayed
    for (const [a, b] of CUT) expect(n.cluster(a).libp2p.getConnections(n.cluster(b).libp2p.peerId)).toHaveLength(0)

    // record from before the window: a copy fetched late through gossip (IWANT) must not look like
    // a first delivery because the timely copies came before we listened
    const arrivals = recordArrivals(n)
    const published = (): number[] => n.running().map((i) => n.cluster(i).stats.published)
    const warmUp = published()
    await vi.waitFor(() => { expect(published().every((p, i) => p - (warmUp[i] ?? 0) >= 3)).toBe(true) }, { timeout: 12 * INTERVAL_MS, interval: 100 })
    const start = published()
    const watchStart = performance.now()
    await vi.waitFor(() => { expect(published().every((p, i) => p - (start[i] ?? 0) >= BEATS)).toBe(true) }, { timeout: 4 * BEATS * INTERVAL_MS, interval: 100 })
    const watchEnd = performance.now()
    // every heartbeat first seen in the window reaches every other node within one interval of its
    // first delivery; we look two intervals later, so a copy that came late is reported with its delay
    await vi.waitFor(() => { expect(performance.now()).toBeGreaterThan(watchEnd + 2 * INTERVAL_MS) }, { timeout: 4 * INTERVAL_MS, interval: 50 })

    const late: string[] = []
    let checked = 0
    for (const [msgId, { author, at }] of arrivals) {
      const first = Math.min(...at.values())
      if (first < watchStart || first > watchEnd) continue
      checked++
      const authorIndex = n.indexOf(author)
      for (const node of n.running()) {
        if (node === authorIndex) continue
        const t = at.get(node)
        if (t === undefined || t - first > INTERVAL_MS) late.push(`${msgId} from n${String(authorIndex)} at n${node}: ${t === undefined ? 'never' : `${Math.round(t - first)} ms`}`)
      }
    }
    console.log(`[measure] relay delivery: ${checked} heartbeats checked, ${late.length} late or missing`)
    expect(checked).toBeGreaterThanOrEqual(NODES * BEATS * 0.9)
    expect(late).toEqual([])
  })
})
