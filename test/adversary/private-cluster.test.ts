/**
 * Probe: "a stranger runs the library with the default namespace: admitted in 68 ms, takes its
 * share". With a network key, a node without the key and a node with another key cannot connect,
 * receive or send heartbeats; nodes with the same key converge.
 */
import { generateNetworkKey } from '@gossip-ring/cluster'
import { afterEach, describe, expect, it } from 'vitest'
import { Fleet, connected, memberIds, waitFor, waitForAgreement } from './support.js'

describe('private cluster (pre-shared network key)', () => {
  const fleet = new Fleet()
  afterEach(async () => { await fleet.stopAll() })

  it('without a key a stranger is admitted (the probe, for contrast)', async () => {
    const a = await fleet.start({ groups: ['g'] })
    const stranger = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    await waitForAgreement([a, stranger], 'g', [a, stranger])
  })

  it('keeps out a node without the key and a node with another key; key holders converge', async () => {
    const key = generateNetworkKey()
    const a = await fleet.start({ groups: ['g'], networkKey: key })
    const b = await fleet.start({ groups: ['g'], networkKey: key, bootstrap: a.multiaddrs })
    const noKey = await fleet.start({ groups: ['g'], bootstrap: [...a.multiaddrs, ...b.multiaddrs] })
    const otherKey = await fleet.start({ groups: ['g'], networkKey: generateNetworkKey(), bootstrap: [...a.multiaddrs, ...b.multiaddrs] })
    await waitForAgreement([a, b], 'g', [a, b])
    // the no-key stranger failed to dial twice (first dial and a redial); and the honest nodes have
    // heartbeated 10 more times since the strangers started (2 s; without a key a stranger is in after ~70 ms)
    const publishedBefore = a.stats.published
    await waitFor(() => noKey.stats.dialFailures >= 2 && a.stats.published >= publishedBefore + 10, {
      what: `the no-key stranger to fail dialling twice (${JSON.stringify(noKey.stats)})`
    })
    for (const stranger of [noKey, otherKey]) {
      expect(connected(stranger, a) || connected(stranger, b)).toBe(false)
      expect(stranger.stats.received).toBe(0)
      expect(stranger.stats.published).toBe(0)
      expect(memberIds(stranger, 'g')).toEqual([stranger.id])
    }
    expect(memberIds(a, 'g')).toEqual([a.id, b.id].sort())
    expect(memberIds(b, 'g')).toEqual([a.id, b.id].sort())
    expect(a.libp2p.getConnections().map(c => c.remotePeer.toString())).toEqual([b.id])
  })
})
