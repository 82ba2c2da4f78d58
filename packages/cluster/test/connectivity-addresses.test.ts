import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Connectivity } from '../src/connectivity.js'
import { waitFor } from './support/wait-for.js'

/**
 * A stand-in for the libp2p node (isolating the dialer) that records what goes into its peer store
 * and which peers are dialled; every dial fails at once (the dialer backs off and redials).
 */
function fakeLibp2p (): { libp2p: Libp2p, merged: string[][], dialled: string[] } {
  const merged: string[][] = []
  const dialled: string[] = []
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async (_peer: PeerId, data: { multiaddrs: Multiaddr[] }) => { merged.push(data.multiaddrs.map(String)) } },
    getConnections: () => [],
    dial: async (peer: PeerId) => {
      dialled.push(peer.toString())
      throw new Error('nothing listens')
    }
  } as unknown as Libp2p
  return { libp2p, merged, dialled }
}

const silentLog = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never

describe('Connectivity: the addresses heartbeats advertise', () => {
  it('go into the peer store only when we dial their peer, and again only once they changed (by value, whatever the objects)', async () => {
    const { libp2p, merged, dialled } = fakeLibp2p()
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    // redials every 50 ms while it fails: each dial stores only what changed since the last
    const connectivity = new Connectivity({ libp2p, log: silentLog }, {
      selfId: '0', reconnectIntervalMs: 50, dialGraceMs: 3_600_000, maxBackoffMs: 50, maxParallelDials: 4
    })
    const a = multiaddr('/ip4/10.0.0.1/tcp/1')
    const b = multiaddr('/ip4/10.0.0.2/tcp/2')
    // not started: nobody is dialled, so heartbeats cost no peer store writes (at the start of 50
    // agents on 2 processes, that was about 1,200 writes per process)
    connectivity.learn(peer, [a, b])
    connectivity.learn(peer, [a, b]) // the decoder's cached objects: the same addresses
    connectivity.learn(peer, [multiaddr('/ip4/10.0.0.2/tcp/2'), multiaddr('/ip4/10.0.0.1/tcp/1')]) // new objects, same set
    expect(merged).toEqual([])
    connectivity.start()
    try {
      connectivity.learn(peer, [b]) // it moved: considered for a dial now (the smaller id dials at once)
      await waitFor(() => dialled.length >= 1, { timeoutMs: 5000, what: 'the first dial' })
      expect(merged).toEqual([['/ip4/10.0.0.2/tcp/2']])
      connectivity.learn(peer, []) // says nothing of its addresses: keep what we have
      connectivity.learn(peer, [a, b])
      const dialsBefore = dialled.length
      // the next redial stores the new set, the one after it nothing more
      await waitFor(() => dialled.length >= dialsBefore + 2, { timeoutMs: 5000, what: 'two more redials' })
      expect(merged).toEqual([['/ip4/10.0.0.2/tcp/2'], ['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2']])
    } finally {
      connectivity.stop()
    }
  })
})
