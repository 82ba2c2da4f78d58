import { expect } from 'vitest'
import type { Cluster } from '../../src/index.js'
import { memberIds, startClusters, waitForAgreement } from './clusters.js'
import { waitFor } from './wait-for.js'

/** Three agents agreed on group 'g': `a` and `c` honest, `b` the one a test makes misbehave towards `a`. */
export interface AbuseScene {
  clusters: Cluster[]
  a: Cluster
  b: Cluster
  c: Cluster
  /** Every member the honest agents dropped by timeout, as `<agent> dropped <member>`. */
  timeouts: string[]
}

/** Starts the three agents of an {@link AbuseScene} on loopback and waits until they agree. */
export async function startAbuseScene (): Promise<AbuseScene> {
  const clusters = await startClusters(3, () => ({ groups: ['g'] }))
  const [a, b, c] = clusters as [Cluster, Cluster, Cluster]
  await waitForAgreement(clusters, 'g', [a.id, b.id, c.id])
  const timeouts: string[] = []
  for (const honest of [a, c]) {
    honest.addEventListener('member:leave', (event) => { if (event.detail.reason === 'timeout') timeouts.push(`${honest.id} dropped ${event.detail.id}`) })
  }
  return { clusters, a, b, c, timeouts }
}

/**
 * Waits until `a` hung up on `b` (`what` tells what `b` did, for the failure message); then checks
 * the ban (`a` refuses `b`'s next connection: its gater closes it after the handshake) and that the
 * honest agents kept each other.
 */
export async function expectAbuserHungUpAndBanned ({ a, b, c, timeouts }: AbuseScene, what: () => string): Promise<void> {
  await waitFor(() => a.stats.abusersDisconnected === 1 && a.libp2p.getConnections(b.libp2p.peerId).length === 0, {
    timeoutMs: 5000,
    what: `a to hang up on b (${what()}, abusers disconnected ${a.stats.abusersDisconnected})`
  })
  await b.libp2p.dial(a.libp2p.getMultiaddrs()[0]!).catch(() => {})
  await waitFor(() => a.libp2p.getConnections(b.libp2p.peerId).length === 0, { timeoutMs: 5000, what: 'a to refuse b\'s new connection' })
  expect(timeouts).toEqual([])
  expect(memberIds(a, 'g')).toContain(c.id)
  expect(memberIds(c, 'g')).toContain(a.id)
}
