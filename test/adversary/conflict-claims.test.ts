/**
 * Probe: "a stranger (in no group) sends one heartbeat with `conflicts: [victim]`, or opens a
 * conflict-notice stream to it: the victim reports identity:conflict about itself". A claim that our
 * id is in conflict is believed only from an admitted member of a group we track.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { CONFLICT_NOTICE_PROTOCOL } from '../../packages/cluster/src/conflict-notice.js'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, waitFor, waitForAgreement } from './support.js'

describe('identity-conflict claims from strangers', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  afterEach(async () => { await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

  it('drops and counts a stranger\'s claim that our id is in conflict (heartbeat field and notice stream): no identity:conflict', async () => {
    const a = await fleet.start({ groups: ['g'] })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    await waitForAgreement([a, b], 'g', [a, b])
    rogue = await Rogue.start({ bootstrap: [...a.multiaddrs, ...b.multiaddrs] })
    const r = rogue
    await waitFor(() => r.hasTopicPeers(2), { what: 'the rogue to see both honest nodes subscribed' })
    // `a` is told in a heartbeat, `b` on a notice stream (each reports a conflict about itself once per episode)
    await r.send(rawHeartbeat('rogue-boot', 1, [], { conflicts: [a.id] }))
    const stream = await r.libp2p.dialProtocol(b.libp2p.peerId, CONFLICT_NOTICE_PROTOCOL)
    await stream.close().catch(() => {})
    const settled = (): boolean => [a, b].every(c => c.stats.identityConflicts + c.stats.identityClaimsDropped > 0)
    await waitFor(settled, { what: `both to act on the claims (conflicts ${a.stats.identityConflicts}/${b.stats.identityConflicts})` })
    expect([a.stats.identityConflicts, b.stats.identityConflicts]).toEqual([0, 0])
    expect([a.stats.identityClaimsDropped, b.stats.identityClaimsDropped]).toEqual([1, 1])
  })
})
