/**
 * The agreement beat on the real stack (gossipsub, noise, yamux; memory transport): in a fleet of
 * more than 32 agents no agent heartbeats early on a view change (each heartbeat costs every other
 * agent a delivery), so after a member leaves, the others would agree on the new view only once
 * every one of them has sent its next regular heartbeat, about one interval. Once one agent's
 * heartbeat advertises the new view, every other agent that shares it heartbeats a quarter interval
 * after its last beat instead of waiting for its regular one.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { heartbeatAuthor } from '@gossip-ring/cluster'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'
import { waitFor } from './support/wait-for.js'

const GROUP = 'agree'
/** More than `EARLY_BEAT_FULL_GAP_PEERS` (32) peers each: no early beats on view changes. */
const NODES = 34
const INTERVAL_MS = 4000
/** Regular beats are at least 0.9 interval apart (10% jitter); a beat sooner than this after the previous one is early. */
const EARLY_BEFORE_MS = 0.85 * INTERVAL_MS

describe('the agreement beat in a large fleet', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop() })

  it('after a leave, the members that share the new view tell it early, and the fleet agrees', async () => {
    net = await createTestNetwork({ nodes: NODES, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: INTERVAL_MS } })
    const n = net
    await n.converged(GROUP, { timeoutMs: 20 * INTERVAL_MS })
    // node 0 notes when each author's heartbeats reach it
    const arrivals = new Map<string, number[]>()
    n.cluster(0).libp2p.services.pubsub.addEventListener('message', ({ detail }) => {
      const author = heartbeatAuthor(detail.data)
      if (author !== undefined) arrivals.set(author, [...(arrivals.get(author) ?? []), performance.now()])
    })
    const others = n.running().filter((node) => node !== 0).map((node) => n.id(node))
    await waitFor(() => others.every((id) => arrivals.has(id)), 3 * INTERVAL_MS, 'node 0 to hear every other node once more')
    const leaver = NODES - 1
    const leftAt = performance.now()
    await n.stop(leaver) // its goodbye reaches every other agent at once: all views change together
    await n.converged(GROUP, { timeoutMs: 3 * INTERVAL_MS })
    const stayed = new Set(n.running().map((node) => n.id(node)))
    const early = others.filter((id) => stayed.has(id)).filter((id) => {
      const times = arrivals.get(id) ?? []
      const before = times.filter((t) => t < leftAt).at(-1)
      const after = times.find((t) => t >= leftAt)
      return before !== undefined && after !== undefined && after - before < EARLY_BEFORE_MS
    })
    // without the agreement beat none is early: each waits for its regular beat (0.9-1.1 intervals
    // apart); with it, every member whose regular beat was not the first to carry the new view
    expect(early.length, `early beats after the leave: ${early.length} of ${stayed.size - 1}`).toBeGreaterThanOrEqual((stayed.size - 1) / 2)
  }, 180_000)
})
