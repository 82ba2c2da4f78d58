/**
 * Probes: "the stranger advertises weight 1e300: takes 300/300"; "300 keys advertising 64 groups
 * nobody here is in: 19,700 ring:change events per node; all 64 tracked"; "200 fresh keys over one
 * connection: rings of 203 members". Weights are bounded, only joined groups are tracked, and live
 * members per group are capped.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, memberIds, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'
import type { PrivateKey } from '@libp2p/interface'

const RESOURCES = Array.from({ length: 300 }, (_, i) => `resource_${i}`)

async function keys (count: number): Promise<PrivateKey[]> {
  return Promise.all(Array.from({ length: count }, async () => generateKeyPair('Ed25519')))
}

function ringChanges (cluster: Cluster): string[] {
  const groups: string[] = []
  cluster.addEventListener('ring:change', evt => { groups.push(evt.detail.group) })
  return groups
}

describe('bounded adverts', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

  async function honestPair (init = {}): Promise<[Cluster, Cluster]> {
    const a = await fleet.start({ groups: ['g'], ...init })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs, ...init })
    await waitForAgreement([a, b], 'g', [a, b])
    rogue = await Rogue.start({ bootstrap: [...a.multiaddrs, ...b.multiaddrs] })
    const r = rogue
    await waitFor(() => r.hasTopicPeers(2), { what: 'the rogue to see both honest nodes subscribed' })
    return [a, b]
  }

  it('drops a heartbeat with weight 1e300; the honest nodes keep the whole split', async () => {
    const [a, b] = await honestPair()
    let seq = 0
    const heavy = (): Uint8Array => rawHeartbeat('rogue-boot', ++seq, [], { groups: [{ name: 'g', weight: 1e300, metadata: new Map(), digest: '', epoch: 0n, owningDigest: '', policy: 0 }] })
    await waitFor(() => {
      void rogue?.send(heavy()).catch(() => {})
      return a.stats.dropped['invalid-field'] >= 3 && b.stats.dropped['invalid-field'] >= 3
    }, { pollMs: 100, what: 'both honest nodes to drop the heavy heartbeats' })
    expect(memberIds(a, 'g')).toEqual([a.id, b.id].sort())
    const split = [...a.extractMySubset('g', RESOURCES), ...b.extractMySubset('g', RESOURCES)]
    expect(split.sort()).toEqual([...RESOURCES].sort())
  })

  it('ignores groups nobody here is in: no ring:change for them, nothing tracked, counted', async () => {
    const [a, b] = await honestPair()
    const changes = [ringChanges(a), ringChanges(b)]
    const signers = await keys(20)
    const groups = Array.from({ length: 64 }, (_, i) => `nobody-here-${i}`)
    for (const signer of signers) await rogue?.send(rawHeartbeat(`boot-${signer.publicKey.toString()}`, 1, groups), signer)
    await waitFor(() => a.stats.membership.untrackedGroups >= 20 * 64 && b.stats.membership.untrackedGroups >= 20 * 64, {
      what: 'both honest nodes to ignore every advert'
    })
    expect(changes.flat().filter(group => group !== 'g')).toEqual([])
    expect(a.members('nobody-here-0')).toEqual([])
  })

  it('caps live members per group: fake ids beyond maxMembersPerGroup are dropped and counted', async () => {
    const [a, b] = await honestPair({ maxMembersPerGroup: 6 })
    const signers = await keys(30)
    for (const signer of signers) await rogue?.send(rawHeartbeat(`boot-${signer.publicKey.toString()}`, 1, ['g']), signer)
    await waitFor(() => a.stats.membership.overCapacity >= 26 && b.stats.membership.overCapacity >= 26, {
      what: 'both honest nodes to refuse the fake members beyond the cap'
    })
    for (const node of [a, b]) {
      expect(node.members('g')).toHaveLength(6)
      expect(memberIds(node, 'g')).toEqual(expect.arrayContaining([a.id, b.id]))
    }
  })
})
