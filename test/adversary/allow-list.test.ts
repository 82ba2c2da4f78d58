/**
 * Probe: "200 fresh keys over one connection: rings of 203 members". With `allowedPeers`, heartbeats
 * signed by any other id are dropped and counted, and connections with other peers are refused.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Fleet, connected, identities, memberIds, waitFor, waitForMembers } from './support.js'

describe('allow-list', () => {
  const fleet = new Fleet()
  let cleanup = async (): Promise<void> => {}
  afterEach(async () => { await fleet.stopAll(); await cleanup() })

  it('drops heartbeats of ids outside the list (even when forwarded by a member) and refuses their connections', async () => {
    const keys = await identities(2)
    cleanup = keys.cleanup
    const guarded = await fleet.start({ groups: ['g'], identityFile: keys.files[0], allowedPeers: keys.ids })
    // an allowed member that has no allow-list itself: it lets the stranger in and forwards its heartbeats
    const open = await fleet.start({ groups: ['g'], identityFile: keys.files[1], bootstrap: guarded.multiaddrs })
    const stranger = await fleet.start({ groups: ['g'], bootstrap: [...open.multiaddrs, ...guarded.multiaddrs] })
    await waitForMembers([open, stranger], 'g', [guarded, open, stranger])
    // the stranger dialled the guarded node at least twice (its bootstrap entry is redialled after each refusal)
    const attempts = (): number => stranger.stats.dials + stranger.stats.redials + stranger.stats.dialFailures
    await waitFor(() => guarded.stats.dropped['not-allowed'] >= 5 && attempts() >= 3, {
      what: 'the guarded node to drop the stranger\'s heartbeats and the stranger to dial it'
    })
    expect(memberIds(guarded, 'g')).toEqual([guarded.id, open.id].sort())
    expect(connected(guarded, stranger)).toBe(false)
    expect(connected(open, stranger)).toBe(true)
  })

  it('refuses an allowed-list entry that is not a peer id', async () => {
    await expect(fleet.start({ allowedPeers: ['not-a-peer-id'] })).rejects.toMatchObject({ name: 'InvalidOptionError' })
  })
})
