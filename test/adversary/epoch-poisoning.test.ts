/**
 * Fencing epochs against a member that advertises an epoch no honest member can have: one heartbeat
 * of 2^53 - 1 (inside the wire limit) pinned every honest agent's epochs there, so later owner
 * changes no longer got a larger epoch and a store's compare-and-set could not refuse a stale owner.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

const keys = Array.from({ length: 100 }, (_, i) => `job-${i}`)

function ownerships (cluster: Cluster): Map<string, { owner: string | undefined, epoch: number }> {
  return new Map(keys.map(key => [key, cluster.ownership('g', key)]))
}

describe('fencing epochs against an implausible advert', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

  it('an epoch far above any wall clock is refused and counted; keys that move still get larger epochs', async () => {
    const a = await fleet.start({ groups: ['g'] })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    await waitForAgreement([a, b], 'g', [a, b])
    const r = rogue = await Rogue.start({ bootstrap: a.multiaddrs })
    await waitFor(() => r.hasTopicPeers(1), { what: 'the rogue to see a subscribed' })
    const advert = { name: 'g', weight: 1, metadata: new Map(), digest: '', epoch: BigInt(Number.MAX_SAFE_INTEGER), owningDigest: '', policy: 0 }
    for (let seq = 1; seq <= 3; seq++) await r.send(rawHeartbeat('rogue', seq, [], { groups: [advert] }))
    await waitFor(() => a.stats.implausibleEpochs >= 1, { what: 'a to refuse the epoch' })
    await r.send(rawHeartbeat('rogue', 4, [], { leaving: true }))
    await waitForAgreement([a, b], 'g', [a, b])
    const before = ownerships(a)
    expect(Math.max(...[...before.values()].map(o => o.epoch))).toBeLessThan(Date.now() + 3_600_000)
    // an honest member joins: the keys it takes must get a larger epoch than they had
    const c = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    await waitForAgreement([a, b, c], 'g', [a, b, c])
    await waitFor(() => keys.some(key => c.isMine('g', key)), { what: 'c to take its keys' })
    const moved = keys.filter(key => c.isMine('g', key))
    const after = ownerships(c)
    expect(moved.filter(key => !((after.get(key)?.epoch ?? 0) > (before.get(key)?.epoch ?? 0)))).toEqual([])
  })
})
