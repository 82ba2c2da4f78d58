/**
 * Issue 13: a copy straight from its author is accepted unverified and forwarded, so an honest node
 * may relay the heartbeats of an author that signs badly on purpose. Its peers refuse those copies
 * without penalty (up to one author's budget of them); a peer relaying forged signatures beyond that
 * is a forger: refused with penalty until it is graylisted, hung up on and banned. Forged copies are
 * never charged to the budget of the author they name.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, connected, memberIds, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

function scoreOf (node: Cluster, id: string): number {
  return (node.libp2p.services.pubsub as unknown as { getScore: (id: string) => number }).getScore(id)
}

describe('forged and bad signatures', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  const extraRogues: Rogue[] = []
  afterEach(async () => {
    await Promise.all([rogue, ...extraRogues.splice(0)].map(async r => r?.stop()))
    rogue = undefined
    await fleet.stopAll()
  })

  /**
   * Two honest members a and b in agreement, and a rogue connected to a only (`dials: 0`) or to b
   * only (`dials: 1`). They forward every heartbeat (`relay: 'always'`): with relaying on demand a
   * node forwards a direct copy only while its view is unsettled, for a while after a new sender
   * appears, or when a member asks for its author, and the penalty rule must hold whenever it does.
   */
  async function pairAndRogue (dials: 0 | 1): Promise<[Cluster, Cluster, Rogue]> {
    const a = await fleet.start({ groups: ['g'], relay: 'always' })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs, relay: 'always' })
    await waitForAgreement([a, b], 'g', [a, b])
    const r = rogue = await Rogue.start({ bootstrap: [a, b][dials]!.multiaddrs })
    await waitFor(() => r.hasTopicPeers(1), { what: 'the rogue to see its peer subscribed' })
    return [a, b, r]
  }

  it('an honest node forwards no badly signed copy, so strangers signing badly cannot get it banned', async () => {
    // three badly signing authors connected to a only; before, a forwarded their copies unverified and b,
    // past one author's excuses, took a for a forger and banned it: a and b each converged alone, owning everything
    const [a, b, first] = await pairAndRogue(0)
    const rogues = [first, await Rogue.start({ bootstrap: a.multiaddrs }), await Rogue.start({ bootstrap: a.multiaddrs })]
    extraRogues.push(...rogues.slice(1))
    await waitFor(() => rogues.every(r => r.hasTopicPeers(1)), { what: 'every rogue to see a subscribed' })
    // 20 a second each, within an author's budget (5 per 200 ms interval), for 3 s, each with a bad signature
    const sent = 60
    for (let seq = 1; seq <= sent; seq++) {
      await Promise.all(rogues.map(async (r, k) => r.sendForged(rawHeartbeat(`bad-author-${k}`, seq, []), r.libp2p.peerId)))
      await new Promise(resolve => setTimeout(resolve, 50))   // the sending pace
    }
    await waitFor(() => a.stats.dropped['bad-signature'] >= rogues.length * sent / 2, { what: 'a to refuse to forward half the copies' })
      .catch(err => { throw new Error(`${(err as Error).message} (a ${JSON.stringify(a.stats.dropped)}, b ${JSON.stringify(b.stats.dropped)}, b hung up on ${b.stats.abusersDisconnected})`) })
    expect(a.stats.signatureChecks).toBeGreaterThanOrEqual(a.stats.dropped['bad-signature'])   // checked before forwarding
    expect(b.stats.dropped['bad-signature']).toBe(0)
    expect(b.stats.abusersDisconnected).toBe(0)
    expect(scoreOf(b, a.id)).toBeGreaterThanOrEqual(0)
    expect(connected(a, b)).toBe(true)
    await waitForAgreement([a, b], 'g', [a, b])
  })

  it('strangers relaying many fresh signers through an honest node cannot get it banned', async () => {
    // 2 strangers carry 100 validly signed fresh authors to a (50 each: under a's cap per peer); before, a
    // forwarded all 100 and b, whose cap per peer is 64, refused a with penalty until it banned it
    const cap = { maxSignersPerPeer: 64 }
    const a = await fleet.start({ groups: ['g'], relay: 'always', ...cap })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs, relay: 'always', ...cap })
    await waitForAgreement([a, b], 'g', [a, b])
    const rogues = [await Rogue.start({ bootstrap: a.multiaddrs }), await Rogue.start({ bootstrap: a.multiaddrs })]
    extraRogues.push(...rogues)
    await waitFor(() => rogues.every(r => r.hasTopicPeers(1)), { what: 'every rogue to see a subscribed' })
    const keys = await Promise.all(Array.from({ length: 100 }, async () => generateKeyPair('Ed25519')))
    for (const [i, key] of keys.entries()) {
      await rogues[i % 2]!.send(rawHeartbeat(`fresh-${i}`, 1, []), key)
      await new Promise(resolve => setTimeout(resolve, 5))   // the sending pace
    }
    await waitFor(() => a.stats.received >= 100, { what: 'a to receive every fresh signer' })
    // a forwards at most half of the cap a minute (windows of two agents do not line up), so b never refuses it
    await waitFor(() => b.stats.received >= cap.maxSignersPerPeer / 2, { what: 'b to receive what a forwards' })
      .catch(err => { throw new Error(`${(err as Error).message} (b ${JSON.stringify(b.stats.dropped)}, received ${b.stats.received})`) })
    expect(b.stats.dropped['too-many-signers']).toBe(0)
    expect(b.stats.abusersDisconnected).toBe(0)
    expect(connected(a, b)).toBe(true)
    await waitForAgreement([a, b], 'g', [a, b])
  })

  it('a peer relaying forged signatures of a member is banned; the member keeps its budget', async () => {
    const [a, b, r] = await pairAndRogue(1)
    const forgerId = r.id
    // ~200 a second (an author's budget is 25 a second), until b hangs up: paced, as the forger shares this process
    for (let seq = 1; b.stats.abusersDisconnected === 0 && seq <= 2000; seq++) {
      await r.sendForged(rawHeartbeat(a.bootId, 1_000_000 + seq, ['g']), a.libp2p.peerId).catch(() => {})
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    await waitFor(() => b.stats.abusersDisconnected >= 1, { what: 'b to hang up on the forger' })
      .catch(err => { throw new Error(`${(err as Error).message} (score ${scoreOf(b, forgerId)}, stats ${JSON.stringify(b.stats)})`) })
    await waitFor(() => !b.libp2p.getConnections().some(conn => conn.remotePeer.toString() === forgerId), { what: 'the hang-up' })
    expect(b.stats.dropped['bad-signature']).toBeGreaterThan(10)
    expect(b.stats.dropped['over-budget']).toBe(0)
    expect(memberIds(b, 'g')).toEqual([a.id, b.id].sort())
    await waitForAgreement([a, b], 'g', [a, b])
  })
})
