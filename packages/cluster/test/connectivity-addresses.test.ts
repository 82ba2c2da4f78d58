import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Connectivity } from '../src/connectivity.js'

/** A stand-in for the libp2p node (isolating the dialer) that records what goes into its peer store; dials never finish. */
function fakeLibp2p (): { libp2p: Libp2p, merged: string[][] } {
  const merged: string[][] = []
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async (_peer: PeerId, data: { multiaddrs: Multiaddr[] }) => { merged.push(data.multiaddrs.map(String)) } },
    getConnections: () => [],
    dial: async () => new Promise<void>(() => {})
  } as unknown as Libp2p
  return { libp2p, merged }
}

describe('Connectivity: the addresses heartbeats advertise', () => {
  it('go into the peer store when they change, not with every heartbeat (by value, whatever the objects)', async () => {
    const { libp2p, merged } = fakeLibp2p()
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const connectivity = new Connectivity({ libp2p, log: Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never }, {
      selfId: '0', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000, maxParallelDials: 4
    })
    const a = multiaddr('/ip4/10.0.0.1/tcp/1')
    const b = multiaddr('/ip4/10.0.0.2/tcp/2')
    connectivity.learn(peer, [a, b])
    connectivity.learn(peer, [a, b]) // the decoder's cached objects: the same addresses
    connectivity.learn(peer, [multiaddr('/ip4/10.0.0.2/tcp/2'), multiaddr('/ip4/10.0.0.1/tcp/1')]) // new objects, same set
    expect(merged).toEqual([['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2']])
    connectivity.learn(peer, [b]) // it moved
    connectivity.learn(peer, []) // says nothing of its addresses: keep what we have
    connectivity.learn(peer, [a, b])
    expect(merged).toEqual([['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2'], ['/ip4/10.0.0.2/tcp/2'], ['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2']])
  })
})
