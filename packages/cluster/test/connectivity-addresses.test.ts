import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Connectivity } from '../src/connectivity.js'

/**
 * A stand-in for the libp2p node (isolating the dialer) that records what goes into its peer store
 * and which peers are dialled; a dial fails at once (the dialer backs off) unless `connect` is set.
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

/** Resolves once `condition()` holds; fails the test after 5 s. */
async function until (condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

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
    // not started: nobody is dialled, so heartbeats cost no peer store writes (50 agents: a write per
    // member per agent at the start, a tenth of their CPU)
    connectivity.learn(peer, [a, b])
    connectivity.learn(peer, [a, b]) // the decoder's cached objects: the same addresses
    connectivity.learn(peer, [multiaddr('/ip4/10.0.0.2/tcp/2'), multiaddr('/ip4/10.0.0.1/tcp/1')]) // new objects, same set
    expect(merged).toEqual([])
    connectivity.start()
    try {
      connectivity.learn(peer, [b]) // it moved: considered for a dial now (the smaller id dials at once)
      await until(() => dialled.length === 1)
      expect(merged).toEqual([['/ip4/10.0.0.2/tcp/2']])
      connectivity.learn(peer, []) // says nothing of its addresses: keep what we have
      connectivity.learn(peer, [a, b])
      await until(() => dialled.length === 3)
      expect(merged).toEqual([['/ip4/10.0.0.2/tcp/2'], ['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2']])
    } finally {
      connectivity.stop()
    }
  })
})
