/**
 * Helpers of the adversary suite: honest clusters and strangers on loopback TCP (no mDNS), and
 * waiting for conditions with deadlines.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCluster, presets } from '@gossip-ring/cluster'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Cluster, ClusterInit } from '@gossip-ring/cluster'
import type { PrivateKey } from '@libp2p/interface'
import { waitFor } from '../../packages/cluster/test/support/wait-for.js'

export { waitFor }

/** Fast loopback timings: heartbeat 200 ms, suspect 600 ms, timeout 1000 ms, no mDNS. */
export const FAST: Readonly<ClusterInit> = { ...presets.local, heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 }

/** Tracks clusters to stop at the end of a test. */
export class Fleet {
  readonly clusters: Cluster[] = []

  /** Starts a cluster with the fast timings and `init`; it is stopped by `stopAll()`. */
  async start (init: ClusterInit = {}): Promise<Cluster> {
    const cluster = await createCluster({ ...FAST, ...init })
    this.clusters.push(cluster)
    return cluster
  }

  /** Crashes one cluster (no goodbye). */
  async crash (cluster: Cluster): Promise<void> {
    this.clusters.splice(this.clusters.indexOf(cluster), 1)
    await cluster.stop({ goodbye: false })
  }

  /** Stops every cluster started here (crash-style). */
  async stopAll (): Promise<void> {
    await Promise.all(this.clusters.splice(0).map(async cluster => cluster.stop({ goodbye: false })))
  }
}

/** The sorted member ids of `group` as `cluster` sees them. */
export function memberIds (cluster: Cluster, group: string): string[] {
  return cluster.members(group).map(member => member.id)
}

/** Waits until every cluster sees exactly `expected` in `group` and is converged on it. */
export async function waitForAgreement (clusters: Cluster[], group: string, expected: Cluster[], timeoutMs = 15_000): Promise<void> {
  const want = expected.map(cluster => cluster.id).sort().join(',')
  await waitFor(() => clusters.every(cluster => memberIds(cluster, group).join(',') === want && cluster.isConverged(group)), {
    timeoutMs,
    what: `agreement on ${expected.length} members of ${group} (saw ${clusters.map(c => memberIds(c, group).length).join('/')})`
  })
}

/** Waits until every cluster sees exactly `expected` in `group` (converged or not). */
export async function waitForMembers (clusters: Cluster[], group: string, expected: Cluster[], timeoutMs = 15_000): Promise<void> {
  const want = expected.map(cluster => cluster.id).sort().join(',')
  await waitFor(() => clusters.every(cluster => memberIds(cluster, group).join(',') === want), {
    timeoutMs,
    what: `${expected.length} members of ${group} (saw ${clusters.map(c => memberIds(c, group).length).join('/')})`
  })
}

/** True when `a` has an open connection to `b`. */
export function connected (a: Cluster, b: Cluster): boolean {
  return a.libp2p.getConnections(b.libp2p.peerId).length > 0
}

/** Identity files for `count` agents in a fresh temporary folder, and the peer ids they hold. */
export async function identities (count: number): Promise<{ files: string[], ids: string[], keys: PrivateKey[], cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gossip-ring-adversary-'))
  const keys = await Promise.all(Array.from({ length: count }, async () => generateKeyPair('Ed25519')))
  const files = await Promise.all(keys.map(async (key, i) => {
    const file = join(dir, `identity-${i}.key`)
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })
    return file
  }))
  return { files, keys, ids: keys.map(key => peerIdFromPrivateKey(key).toString()), cleanup: async () => rm(dir, { recursive: true, force: true }) }
}
