/**
 * A bounded peer set (`peerSetSize`) on the real stack: loopback TCP, gossipsub, each cluster's own
 * dialer choosing whom to connect to after the testkit tells every node of every other (as mDNS
 * would). Every agent keeps far fewer connections than a full mesh, and still the fleet converges,
 * keeps hearing every member (relayed through gossipsub), heals after a partition and drops a
 * crashed member by timeout.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'
import { waitFor } from './support/wait-for.js'

const GROUP = 'bounded'
const NODES = 12
const PEER_SET_SIZE = 3
const INTERVAL_MS = 500
/** The default member timeout: 5 intervals. */
const TIMEOUT_MS = 5 * INTERVAL_MS

/** Distinct pairs of running nodes with a connection between them. */
function connectedPairs (net: TestNetwork): number {
  const pairs = new Set<string>()
  for (const node of net.running()) {
    for (const connection of net.cluster(node).libp2p.getConnections()) {
      pairs.add([net.cluster(node).id, connection.remotePeer.toString()].sort().join(' '))
    }
  }
  return pairs.size
}

function connectedPeers (net: TestNetwork, node: number): number {
  return new Set(net.cluster(node).libp2p.getConnections().map((c) => c.remotePeer.toString())).size
}

describe('a bounded peer set on loopback TCP', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop() })

  it('converges with far fewer connections than a full mesh and keeps hearing every member', async () => {
    net = await createTestNetwork({ nodes: NODES, groups: [GROUP], transport: 'tcp', clusterOptions: { heartbeatIntervalMs: INTERVAL_MS, peerSetSize: PEER_SET_SIZE } })
    const n = net
    await n.converged(GROUP, { timeoutMs: 30_000 })
    // every node has dialled its own picks...
    await waitFor(() => n.running().every((node) => connectedPeers(n, node) >= PEER_SET_SIZE), 10_000, `every node connected to ${PEER_SET_SIZE} peers`)
    // ...and the fleet holds at most one connection per pick: 36, not the full mesh's 66 (a pick made
    // before a node knew every peer is hung up once it is dialGraceMs old and no longer picked)
    await waitFor(() => connectedPairs(n) <= NODES * PEER_SET_SIZE, 10 * INTERVAL_MS, `at most ${NODES * PEER_SET_SIZE} connected pairs`)
    expect(connectedPairs(n)).toBeLessThan(NODES * (NODES - 1) / 2)
    const someoneHearsAMemberOnlyThroughOthers = n.running().some((node) => connectedPeers(n, node) < NODES - 1)
    expect(someoneHearsAMemberOnlyThroughOthers).toBe(true)

    // for 4 member timeouts nobody is dropped: every member's heartbeats keep reaching every node
    const drops: string[] = []
    for (const node of n.running()) n.cluster(node).addEventListener('member:leave', ({ detail }) => { drops.push(`${node} dropped ${detail.id} (${detail.reason})`) })
    const published = n.cluster(0).stats.published
    await waitFor(() => n.cluster(0).stats.published >= published + 20, 30_000, '20 more heartbeats of node 0')
    expect(drops).toEqual([])
    await n.converged(GROUP, { timeoutMs: 1 })
  })

  it('heals a partition through the dialers\' picks, and drops a crashed member by timeout', async () => {
    net = await createTestNetwork({ nodes: NODES, groups: [GROUP], transport: 'tcp', clusterOptions: { heartbeatIntervalMs: INTERVAL_MS, peerSetSize: PEER_SET_SIZE } })
    const n = net
    await n.converged(GROUP, { timeoutMs: 30_000 })
    const half = Array.from({ length: NODES / 2 }, (_, i) => i)
    await n.partition([half])
    await n.converged(GROUP, { timeoutMs: 30_000 })
    expect(n.cluster(0).members(GROUP)).toHaveLength(NODES / 2)

    await n.heal()
    await n.converged(GROUP, { timeoutMs: 30_000 })
    expect(n.cluster(0).members(GROUP)).toHaveLength(NODES)
    // the fleet often agrees (through relays) before the dialers have hung up the replacements they
    // picked while their own picks were cut off: up to 39 pairs at that moment, back to at most one
    // per pick within about two reconnect rounds (1.0-1.5 s in four traced heals)
    await waitFor(() => connectedPairs(n) <= NODES * PEER_SET_SIZE, 10 * INTERVAL_MS, `at most ${NODES * PEER_SET_SIZE} connected pairs after the heal`)

    const victim = NODES - 1
    const victimId = n.cluster(victim).id
    const dropped = new Map<number, { at: number, reason: string }>()
    for (const node of n.running().filter((i) => i !== victim)) {
      n.cluster(node).addEventListener('member:leave', ({ detail }) => { if (detail.id === victimId) dropped.set(node, { at: performance.now(), reason: detail.reason }) })
    }
    const crashedAt = performance.now()
    await n.crash(victim)
    // bound: the timeout, one interval for the last heartbeat, one for a relay hop and the expiry timer
    await waitFor(() => dropped.size === NODES - 1, TIMEOUT_MS + 2 * INTERVAL_MS + 2_000, 'every node dropped the crashed member')
    for (const { reason } of dropped.values()) expect(reason).toBe('timeout')
    expect(Math.max(...[...dropped.values()].map((d) => d.at - crashedAt))).toBeLessThanOrEqual(TIMEOUT_MS + 2 * INTERVAL_MS + 2_000)
  })
})
