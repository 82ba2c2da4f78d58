/**
 * Issue 13: a copy straight from its author is accepted unverified and forwarded, so an honest node
 * may relay the heartbeats of an author that signs badly on purpose. Its peers refuse those copies
 * without penalty (up to one author's budget of them); a peer relaying forged signatures beyond that
 * is a forger: refused with penalty until it is graylisted, hung up on and banned. Forged copies are
 * never charged to the budget of the author they name.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, connected, memberIds, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

function scoreOf (node: Cluster, id: string): number {
  return (node.libp2p.services.pubsub as unknown as { getScore: (id: string) => number }).getScore(id)
}

describe('forged and bad signatures', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

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

  it('an honest node relaying a badly signing author is not penalised', async () => {
    // the bad author is connected to a only: b gets its heartbeats as a forwards them
    const [a, b, r] = await pairAndRogue(0)
    const selfId = r.libp2p.peerId
    // 20 a second, within an author's budget (5 per 200 ms interval), for 3 s, each with a bad signature
    const sent = 60
    for (let seq = 1; seq <= sent; seq++) {
      await r.sendForged(rawHeartbeat('bad-author', seq, []), selfId)
      await new Promise(resolve => setTimeout(resolve, 50))   // the sending pace
    }
    await waitFor(() => b.stats.dropped['bad-signature'] >= sent / 2, { what: 'b to refuse half the relayed copies' })
    expect(a.stats.signatureChecks).toBe(0)                      // a took them straight from their author
    expect(b.stats.abusersDisconnected).toBe(0)
    expect(scoreOf(b, a.id)).toBeGreaterThanOrEqual(0)
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
