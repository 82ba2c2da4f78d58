/**
 * Probe: "50 fake ids advertising 16 dead addresses each: ~780 failed dials per node in 20 s,
 * redialled for up to an hour". Only admitted members (live in a group we track) are dialled, and
 * a heartbeat carries at most 16 addresses (a wire limit: more is dropped as invalid).
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

/** 16 addresses on a loopback port nobody listens on. */
const DEAD = Array.from({ length: 16 }, (_, i) => multiaddr(`/ip4/127.0.0.${i + 2}/tcp/9`).bytes)

describe('address hygiene', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

  async function setup (init = {}): Promise<[Cluster, Cluster, Rogue]> {
    const a = await fleet.start({ groups: ['g'], ...init })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs, ...init })
    await waitForAgreement([a, b], 'g', [a, b])
    const r = rogue = await Rogue.start({ bootstrap: [...a.multiaddrs, ...b.multiaddrs] })
    await waitFor(() => r.hasTopicPeers(2), { what: 'the rogue to see both honest nodes' })
    return [a, b, r]
  }

  it('fake ids in groups nobody here is in are never dialled', async () => {
    const [a, b, r] = await setup()
    const keys = await Promise.all(Array.from({ length: 50 }, async () => generateKeyPair('Ed25519')))
    for (const [i, key] of keys.entries()) await r.send(rawHeartbeat(`boot-${i}`, 1, ['elsewhere'], { addrs: DEAD }), key)
    await waitFor(() => a.stats.membership.untrackedGroups >= 50 && b.stats.membership.untrackedGroups >= 50, { what: 'both nodes to process the fake heartbeats' })
    // a few reconnect-loop ticks later, nothing was dialled
    const published = a.stats.published
    await waitFor(() => a.stats.published >= published + 5, { what: 'five more heartbeat intervals' })
    expect([a.stats.dialFailures, b.stats.dialFailures]).toEqual([0, 0])
  })

  it('fake ids beyond maxMembersPerGroup are not dialled either; more than 16 addresses is refused', async () => {
    const [a, , r] = await setup({ maxMembersPerGroup: 3 })
    const keys = await Promise.all(Array.from({ length: 50 }, async () => generateKeyPair('Ed25519')))
    for (const [i, key] of keys.entries()) await r.send(rawHeartbeat(`boot-${i}`, 1, ['g'], { addrs: DEAD }), key)
    await r.send(rawHeartbeat('boot-x', 1, ['g'], { addrs: [...DEAD, multiaddr('/ip4/127.0.0.99/tcp/9').bytes] }))
    await waitFor(() => a.stats.membership.overCapacity >= 49 && a.stats.dropped['invalid-field'] >= 1, { what: 'the cap and the address limit to apply' })
    const published = a.stats.published
    await waitFor(() => a.stats.published >= published + 5, { what: 'five more heartbeat intervals' })
    // one fake id was admitted (the third member): only it is dialled (and retried with backoff), none of the other 49
    expect(a.stats.dialFailures).toBeLessThanOrEqual(5)
  })
})
