/**
 * Careless-user mistakes that leave an agent alone, owning every resource while its view says
 * "converged": a bootstrap address of a cluster that has a network key (this agent has none, or
 * another one), of another namespace, whose `/p2p/` id is stale, of an agent whose allow-list leaves
 * it out, where nothing listens; an agent without the key among keyed agents it found by mDNS. Each
 * must be loud: a `peer:unreachable` event naming the peer and what went wrong, once per peer,
 * counted; and what is normal on a shared LAN (another namespace, another cluster beside ours) must
 * stay quiet. Real nodes on loopback TCP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createCluster, generateNetworkKey } from '../src/index.js'
import type { PeerUnreachable, Cluster, ClusterInit } from '../src/index.js'
import { FAST, memberIds, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const clusters: Cluster[] = []
afterEach(async () => { await Promise.all(clusters.splice(0).map(async cluster => cluster.stop({ goodbye: false }))) })

/** Starts a cluster in group g with the test timings and `init`; stopped after each test. */
async function start (init: ClusterInit): Promise<Cluster> {
  const cluster = await createCluster({ ...FAST, groups: ['g'], ...init })
  clusters.push(cluster)
  return cluster
}

describe('peer:unreachable', () => {
  /** Starts a cluster and records its `peer:unreachable` events from the first one on. */
  const startWatched = async (init: ClusterInit): Promise<{ cluster: Cluster, reports: PeerUnreachable[] }> => {
    const reports: PeerUnreachable[] = []
    const cluster = await start(init)
    cluster.addEventListener('peer:unreachable', ({ detail }) => { reports.push(detail) })
    return { cluster, reports }
  }

  it('an agent without the cluster\'s network key hears why it is alone: the handshake failed, and it has no key', async () => {
    const keyed = await start({ networkKey: generateNetworkKey() })
    const { cluster: stranger, reports } = await startWatched({ bootstrap: keyed.multiaddrs })
    // about half the time the handshake fails at once (conclusive: reported at the first attempt), otherwise
    // it stalls until libp2p's handshake timeout (a busy peer could too: reported at the second attempt)
    await waitFor(() => reports.length > 0, { what: 'a peer:unreachable report', timeoutMs: 30_000 })
    expect(reports[0]).toMatchObject({ peer: keyed.id, via: 'bootstrap', addrs: keyed.multiaddrs, reason: 'handshake-failed' })
    expect(reports[0]?.attempts).toBeLessThanOrEqual(2)
    expect(reports[0]?.hint).toMatch(/this agent has no network key/)
    expect(stranger.stats.unreachablePeers).toBe(1)
    expect(memberIds(stranger, 'g')).toEqual([stranger.id])
  })

  it('an agent with another network key hears the same, and that its key may differ', async () => {
    const keyed = await start({ networkKey: generateNetworkKey() })
    const { reports } = await startWatched({ networkKey: generateNetworkKey(), bootstrap: keyed.multiaddrs })
    await waitFor(() => reports.length > 0, { what: 'a peer:unreachable report', timeoutMs: 30_000 })
    expect(reports[0]).toMatchObject({ peer: keyed.id, reason: 'handshake-failed' })
    expect(reports[0]?.hint).toMatch(/another network key/)
  })

  it('a stale /p2p/ id in a bootstrap address: the address answers as another agent', async () => {
    const old = await start({})
    const other = await start({})
    const stale = (other.multiaddrs[0] ?? '').replace(other.id, old.id)
    const { reports } = await startWatched({ bootstrap: [stale] })
    await waitFor(() => reports.length > 0, { what: 'a peer:unreachable report' })
    expect(reports[0]).toMatchObject({ peer: old.id, addrs: [stale], reason: 'wrong-peer' })
    expect(reports[0]?.hint).toContain(other.id)
  })

  it('another namespace: reported at once, naming both namespaces', async () => {
    const theirs = await start({ namespace: 'prod' })
    const { reports } = await startWatched({ namespace: 'prd', bootstrap: theirs.multiaddrs })
    await waitFor(() => reports.length > 0, { what: 'a peer:unreachable report' })
    expect(reports[0]).toMatchObject({ peer: theirs.id, reason: 'other-namespace', attempts: 1 })
    expect(reports[0]?.hint).toContain('namespace "prod", this agent of "prd"')
  })

  it('a peer whose allowedPeers leaves us out: it accepts the connection, then hangs up', async () => {
    const friend = await start({})
    const picky = await start({ allowedPeers: [friend.id] })
    const { cluster, reports } = await startWatched({ bootstrap: picky.multiaddrs })
    await waitFor(() => reports.length > 0, { what: `a peer:unreachable report (${JSON.stringify(cluster.stats)})` })
    expect(reports[0]).toMatchObject({ peer: picky.id, reason: 'hung-up' })
    expect(reports[0]?.hint).toMatch(/allowedPeers/)
  })

  it('a bootstrap peer our own allowedPeers leaves out: the dial is refused here, and the hint says our allowedPeers excludes it', async () => {
    const friend = await start({})
    const stranger = await start({})
    const { cluster, reports } = await startWatched({ bootstrap: stranger.multiaddrs, allowedPeers: [friend.id] })
    await waitFor(() => reports.length > 0, { what: `a peer:unreachable report (${JSON.stringify(cluster.stats)})` })
    expect(reports[0]).toMatchObject({ peer: stranger.id, reason: 'not-allowed', attempts: 1 })
    expect(reports[0]?.hint).toMatch(/this agent's allowedPeers does not list .*add its id to allowedPeers/)
  })

  it('nothing listens at a bootstrap address: refused; reported once however often it is redialled', async () => {
    const gone = await start({})
    const addrs = gone.multiaddrs
    clusters.splice(clusters.indexOf(gone), 1)
    await gone.stop({ goodbye: false })
    const { cluster, reports } = await startWatched({ bootstrap: addrs })
    await waitFor(() => cluster.stats.dialFailures >= 4, { what: `4 failed dials (${cluster.stats.dialFailures})`, timeoutMs: 15_000 })
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ peer: gone.id, reason: 'refused' })
    expect(cluster.stats.unreachablePeers).toBe(1)
  })

  it('a bootstrap peer that answers is never reported, not even after it stops', async () => {
    const first = await start({})
    const { cluster, reports } = await startWatched({ bootstrap: first.multiaddrs })
    await waitForAgreement([first, cluster], 'g', [first.id, cluster.id])
    const failuresBefore = cluster.stats.dialFailures
    clusters.splice(clusters.indexOf(first), 1)
    await first.stop({ goodbye: false })
    await waitFor(() => cluster.stats.dialFailures >= failuresBefore + 3, { what: 'three failed redials', timeoutMs: 15_000 })
    expect(reports).toEqual([])
    expect(cluster.stats.unreachablePeers).toBe(0)
  })
})

describe('peer:unreachable for peers found by discovery (the mDNS announcement simulated; dials and handshakes real)', () => {  const reportsOf = (cluster: Cluster): PeerUnreachable[] => {
    const reports: PeerUnreachable[] = []
    cluster.addEventListener('peer:unreachable', ({ detail }) => { reports.push(detail) })
    return reports
  }
  /** Tells `to` of `peer` as mDNS would: its addresses into the peer store, then a discovery event. */
  const announce = async (to: Cluster, peer: Cluster): Promise<void> => {
    const multiaddrs = peer.libp2p.getMultiaddrs()
    await to.libp2p.peerStore.merge(peer.libp2p.peerId, { multiaddrs })
    to.libp2p.safeDispatchEvent('peer:discovery', { detail: { id: peer.libp2p.peerId, multiaddrs } })
  }

  it('an agent without the key that found only keyed agents reports them, after a second failed handshake', async () => {
    const key = generateNetworkKey()
    const keyed = await start({ networkKey: key })
    const stranger = await start({})
    const reports = reportsOf(stranger)
    await announce(stranger, keyed)
    await waitFor(() => reports.length > 0, { what: `a peer:unreachable report (${JSON.stringify(stranger.stats)})`, timeoutMs: 30_000 })
    expect(reports[0]).toMatchObject({ peer: keyed.id, via: 'mdns', addrs: [], reason: 'handshake-failed' })
    expect(reports[0]?.attempts).toBeGreaterThanOrEqual(2)
    expect(reports[0]?.hint).toMatch(/this agent has no network key/)
  })

  it('an agent that reached its own cluster does not report the keyed agents of another one it also finds', async () => {
    const friend = await start({})
    const stranger = await start({})
    const reports = reportsOf(stranger)
    await announce(stranger, friend)
    await announce(friend, stranger)
    await waitForAgreement([friend, stranger], 'g', [friend.id, stranger.id])
    const keyed = await start({ networkKey: generateNetworkKey() })
    const failuresBefore = stranger.stats.dialFailures
    await announce(stranger, keyed)
    await waitFor(() => stranger.stats.dialFailures >= failuresBefore + 2, { what: 'two failed dials of the keyed agent', timeoutMs: 30_000 })
    expect(reports).toEqual([])
  })

  it('an agent of another namespace found on the LAN is not reported (namespaces share the LAN)', async () => {
    const other = await start({ namespace: 'prod' })
    const ours = await start({ namespace: 'staging' })
    const reports = reportsOf(ours)
    await announce(ours, other)
    const theirTopic = other.topic
    await waitFor(() => ours.libp2p.services.pubsub.getSubscribers(theirTopic).some(id => id.equals(other.libp2p.peerId)), { what: 'the other namespace\'s subscription seen' })
    expect(reports).toEqual([])
  })

  it('an agent of a namespace a typo away ("prd" for "prod") is reported, even by an agent that reached its own fleet', async () => {
    const [friend, ours] = [await start({ namespace: 'prod' }), await start({ namespace: 'prod' })]
    await announce(ours, friend)
    await waitForAgreement([friend, ours], 'g', [friend.id, ours.id])
    const reports = reportsOf(ours)
    const typo = await start({ namespace: 'prd' })
    await announce(ours, typo)
    await waitFor(() => reports.length > 0, { what: 'a peer:unreachable report' })
    expect(reports).toEqual([expect.objectContaining({ peer: typo.id, via: 'mdns', reason: 'other-namespace', attempts: 1 })])
    expect(reports[0]?.hint).toContain('namespace "prd", this agent of "prod", a typo away')
  })
})
