import { createCluster, presets } from '../../src/index.js'
import type { Stream } from '@libp2p/interface'
import type { Cluster, ClusterInit } from '../../src/index.js'
import { waitFor } from './wait-for.js'

/** Test timings: heartbeat 200 ms, suspect after 600 ms, dropped after 1000 ms; loopback, no mDNS. */
export const FAST: Readonly<ClusterInit> = { ...presets.local, heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 }

/**
 * Starts `count` clusters on loopback TCP: the first one alone, the others with only the first one's
 * addresses as bootstrap list (they find each other through heartbeats).
 */
export async function startClusters (count: number, initOf: (index: number) => ClusterInit = () => ({})): Promise<Cluster[]> {
  const first = await createCluster({ ...FAST, ...initOf(0) })
  const rest = await Promise.all(Array.from({ length: count - 1 }, async (_, i) =>
    createCluster({ ...FAST, bootstrap: first.multiaddrs, ...initOf(i + 1) })))
  return [first, ...rest]
}

/** Stops every cluster (crash-style: the test is over, no goodbye needed). */
export async function stopAll (clusters: Cluster[]): Promise<void> {
  await Promise.all(clusters.map(async cluster => cluster.stop({ goodbye: false })))
}

/** The sorted member ids of `group` as `cluster` sees them. */
export function memberIds (cluster: Cluster, group: string): string[] {
  return cluster.members(group).map(member => member.id)
}

/** True when every cluster sees exactly `expected` (sorted ids) in `group` and is converged on it. */
export function agreeOn (clusters: Cluster[], group: string, expected: string[]): boolean {
  const want = [...expected].sort().join(',')
  return clusters.every(cluster => memberIds(cluster, group).join(',') === want && cluster.isConverged(group))
}

/** Waits until every cluster sees exactly `expected` in `group`, converged; returns the elapsed ms. */
export async function waitForAgreement (clusters: Cluster[], group: string, expected: string[], timeoutMs = 10_000): Promise<number> {
  return waitFor(() => agreeOn(clusters, group, expected), {
    timeoutMs,
    what: `${clusters.length} clusters to agree on ${expected.length} members of ${group} (saw ${clusters.map(c => memberIds(c, group).length).join('/')})`
  })
}

/** `resource_0` .. `resource_{n-1}`. */
export function resources (n: number): string[] {
  return Array.from({ length: n }, (_, i) => `resource_${i}`)
}

/** A new gossipsub stream from `from` to `to` over their open connection: what any peer can write to an agent. */
export async function gossipsubStream (from: Cluster, to: Cluster): Promise<Stream> {
  const connection = from.libp2p.getConnections(to.libp2p.peerId)[0]
  if (connection === undefined) throw new Error('not connected')
  return connection.newStream(['/meshsub/1.2.0', '/meshsub/1.1.0'])
}
