/**
 * Probes: "captured heartbeats of a crashed member, replayed to a node that joins later: the dead
 * member stays in its ring"; "replay after gossipsub's 120 s seen cache: accepted by every node";
 * "one old-incarnation heartbeat sent to a late joiner: it drops the live member by timeout".
 *
 * The rogue re-signs captured heartbeats with the victim's key, each with a unique unknown field
 * appended (`pastSeenCache`): a new envelope and gossipsub id, the same heartbeat. To our layer that
 * is exactly a replay that got past gossipsub's seen cache (its 120 s can't be waited out in a
 * test), so the cluster's own defences (tombstones, the sender timestamp) are what is tested.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Heartbeat as HeartbeatMessage } from '../../packages/cluster/src/wire/heartbeat.generated.js'
import { Rogue, pastSeenCache } from './rogue.js'
import { Fleet, identities, memberIds, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

const SKEW_MS = 4000

function sentAtOf (payload: Uint8Array): number {
  return Number(HeartbeatMessage.decode(payload).sentAtMs)
}

function leavesOf (cluster: Cluster, id: string): string[] {
  const reasons: string[] = []
  cluster.addEventListener('member:leave', evt => { if (evt.detail.id === id) reasons.push(evt.detail.reason) })
  return reasons
}

describe('replays', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  let cleanup = async (): Promise<void> => {}
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll(); await cleanup() })

  it('replayed heartbeats of a crashed member resurrect it neither where it died (tombstone) nor at a late joiner (too old)', async () => {
    const ids = await identities(1)
    cleanup = ids.cleanup
    const init = { groups: ['g'], maxClockSkewMs: SKEW_MS }
    const a = await fleet.start(init)
    const victim = await fleet.start({ ...init, identityFile: ids.files[0], bootstrap: a.multiaddrs })
    await waitForAgreement([a, victim], 'g', [a, victim])
    // the eavesdropper dials the victim itself: in a settled, fully connected fleet nobody relays a
    // member's heartbeats (relay 'on-demand'), so only its own flood publish carries them
    const r = rogue = await Rogue.start({ bootstrap: [...a.multiaddrs, ...victim.multiaddrs] })
    await waitFor(() => (r.captured.get(victim.id)?.length ?? 0) >= 5, { what: 'the rogue to capture 5 heartbeats of the victim' })
    await fleet.crash(victim)
    await waitFor(() => memberIds(a, 'g').length === 1, { what: 'a to drop the crashed victim' })
    const captured = r.captured.get(victim.id) ?? []
    const newest = Math.max(...captured.map(sentAtOf))
    // at once, while the capture is fresh: the node that saw the victim die refuses it by its tombstone
    const aStaleBefore = a.stats.membership.stale
    for (const payload of captured) await r.send(pastSeenCache(payload), ids.keys[0])
    await waitFor(() => a.stats.membership.stale >= aStaleBefore + captured.length, { what: 'a to refuse every replay by the tombstone' })
    expect(Date.now()).toBeLessThan(newest + SKEW_MS)   // so it was the tombstone, not the skew check
    expect(memberIds(a, 'g')).toEqual([a.id])
    // once the capture is older than the skew allowance, a node that joins later refuses it too
    await waitFor(() => Date.now() > newest + SKEW_MS, { timeoutMs: 2 * SKEW_MS, what: 'the capture to age past maxClockSkewMs' })
    const late = await fleet.start({ ...init, bootstrap: a.multiaddrs })
    await waitForAgreement([a, late], 'g', [a, late])
    await r.dial(late.multiaddrs)
    await waitFor(() => r.hasTopicPeers(2), { what: 'the rogue to see the late joiner' })
    for (const payload of captured) await r.send(pastSeenCache(payload), ids.keys[0])
    await waitFor(() => late.stats.membership.skewed >= captured.length, { what: 'the late joiner to refuse every replay as too old' })
    expect(memberIds(a, 'g')).toEqual([a.id, late.id].sort())
    expect(memberIds(late, 'g')).toEqual([a.id, late.id].sort())
  })

  it('one old-incarnation heartbeat does not make a late joiner drop the live member', async () => {
    const ids = await identities(1)
    cleanup = ids.cleanup
    const a = await fleet.start({ groups: ['g'] })
    const first = await fleet.start({ groups: ['g'], identityFile: ids.files[0], bootstrap: a.multiaddrs })
    const r = rogue = await Rogue.start({ bootstrap: a.multiaddrs })
    await waitFor(() => (r.captured.get(first.id)?.length ?? 0) >= 1, { what: 'the rogue to capture a heartbeat of the first incarnation' })
    const oldHeartbeat = r.captured.get(first.id)![0]!
    await fleet.crash(first)
    const live = await fleet.start({ groups: ['g'], identityFile: ids.files[0], bootstrap: a.multiaddrs })
    const late = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    await waitForAgreement([a, live, late], 'g', [a, live, late])
    await r.dial([...late.multiaddrs, ...live.multiaddrs])
    await waitFor(() => r.hasTopicPeers(3), { what: 'the rogue to see the late joiner' })
    const leaves = leavesOf(late, live.id)
    const staleBefore = late.stats.membership.stale
    await r.send(pastSeenCache(oldHeartbeat), ids.keys[0])
    await waitFor(() => late.stats.membership.stale > staleBefore, { what: 'the late joiner to refuse the old incarnation' })
    // two member timeouts (1 s each) later the live member is still there, never dropped
    const published = a.stats.published
    await waitFor(() => a.stats.published >= published + 10, { what: 'two more seconds of heartbeats' })
    expect(leaves).toEqual([])
    expect(memberIds(late, 'g')).toEqual([a.id, live.id, late.id].sort())
  })
})
