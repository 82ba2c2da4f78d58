/**
 * A connection that looks open but no longer carries its peer's heartbeats (a partition that TCP
 * has not noticed, a dropped NAT entry, a gossipsub stream gone quiet) is hung up and redialled by
 * the cluster after a member timeout, on the real stack (testkit: real libp2p and gossipsub over the
 * in-memory transport; the testkit's loss fault drops node a's heartbeats at node b while the
 * connection stays up). libp2p's own ping runs only once a minute, so without this such a link
 * would stay dead that long.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'

const GROUP = 'links'
const INTERVAL_MS = 300

describe('silent connections', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop() })

  it('hangs up a connection whose peer\'s heartbeats stopped arriving on it, and redials it', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: INTERVAL_MS } })
    const n = net
    await n.converged(GROUP, { timeoutMs: 20_000 })
    const [a, b] = [0, 1]
    const connectionsOf = (): string[] => n.cluster(b).libp2p.getConnections(n.cluster(a).libp2p.peerId).map((c) => c.id)
    const before = connectionsOf()
    expect(before).not.toHaveLength(0)
    // every heartbeat of a is lost at b, straight or relayed; the connection itself stays up
    n.loss({ from: [a], to: [b], rate: 1 })
    const lossAt = performance.now()
    await vi.waitFor(() => { expect(n.cluster(b).stats.silentConnectionsClosed).toBeGreaterThanOrEqual(1) }, { timeout: 20 * INTERVAL_MS, interval: 50 })
    const closedAfterMs = performance.now() - lossAt
    // the connection it had is gone; a new one is dialled (connectivity's reconnect loop)
    await vi.waitFor(() => {
      const now = connectionsOf()
      expect(now).not.toHaveLength(0)
      expect(now.some((id) => before.includes(id))).toBe(false)
    }, { timeout: 20 * INTERVAL_MS, interval: 50 })
    console.log(`[measure] silent connection hung up ${Math.round(closedAfterMs)} ms after its heartbeats stopped (member timeout ${5 * INTERVAL_MS} ms)`)
    // not before a member timeout of silence (the last heartbeat before the loss came at most one jittered interval earlier)
    expect(closedAfterMs).toBeGreaterThan(5 * INTERVAL_MS - 1.1 * INTERVAL_MS)
    // once the link carries heartbeats again, b hears a and the group converges
    n.clearFaults()
    await n.converged(GROUP, { timeoutMs: 20 * INTERVAL_MS })
    expect(n.cluster(a).stats.silentConnectionsClosed).toBe(0)
  })
})
