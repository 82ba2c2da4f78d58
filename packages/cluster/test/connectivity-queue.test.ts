import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it, vi } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { Connectivity } from '../src/connectivity.js'

/**
 * A stand-in for the libp2p node (isolating the dialer): dials stay pending until the test
 * completes them, so it sees how many run at once and when the next one starts.
 */
function fakeLibp2p (): { libp2p: Libp2p, pending: Array<{ peer: PeerId, done: () => void }>, connected: Set<string> } {
  const pending: Array<{ peer: PeerId, done: () => void }> = []
  const connected = new Set<string>()
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async () => {} },
    getConnections: (peer?: PeerId) => peer !== undefined && connected.has(peer.toString()) ? [{}] : [],
    dial: async (peer: PeerId) => new Promise<void>((resolve) => {
      pending.push({ peer, done: () => { connected.add(peer.toString()); resolve() } })
    })
  } as unknown as Libp2p
  return { libp2p, pending, connected }
}

describe('Connectivity dial queue', () => {
  it('dials the next learned peer as soon as a dial finishes, not a reconnect interval later', async () => {
    const { libp2p, pending, connected } = fakeLibp2p()
    const peers = await Promise.all(Array.from({ length: 12 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
    // '0' sorts before every base58 peer id: we are the smaller id and dial everyone at once
    const connectivity = new Connectivity({ libp2p, log: Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never }, {
      selfId: '0', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000, maxParallelDials: 4
    })
    connectivity.start()
    try {
      for (const peer of peers) connectivity.learn(peer, [multiaddr('/ip4/127.0.0.1/tcp/1')])
      await vi.waitFor(() => { expect(pending).toHaveLength(4) })
      // finishing dials frees slots: the rest follow at once, 4 at a time, with no tick of the hour-long loop
      while (connected.size < peers.length) {
        expect(pending.length - connected.size).toBeLessThanOrEqual(4)
        const next = pending.find((p) => !connected.has(p.peer.toString()))
        if (next === undefined) await vi.waitFor(() => { expect(pending.length).toBeGreaterThan(connected.size) })
        else next.done()
        await Promise.resolve()
      }
      await vi.waitFor(() => { expect(connectivity.stats.dials).toBe(peers.length) })
      expect(new Set(pending.map((p) => p.peer.toString())).size).toBe(peers.length)
    } finally {
      connectivity.stop()
    }
  })

  it('contact is pending from a bootstrap peer\'s start to the end of its dial (a lone agent\'s settle window waits for it), not after', async () => {
    const { libp2p, pending } = fakeLibp2p()
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const connectivity = new Connectivity({ libp2p, log: Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never }, {
      selfId: '0', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000, bootstrap: [`/ip4/127.0.0.1/tcp/1/p2p/${peer.toString()}`]
    })
    expect(connectivity.contactPending(() => false)).toBe(false)
    connectivity.start()
    try {
      expect(connectivity.contactPending(() => false)).toBe(true) // its address is being stored: the dial has not started yet
      await vi.waitFor(() => { expect(pending).toHaveLength(1) })
      expect(connectivity.contactPending(() => false)).toBe(true) // dialling
      pending[0]!.done()
      await vi.waitFor(() => { expect(connectivity.stats.dials).toBe(1) })
      expect(connectivity.contactPending(() => false)).toBe(false)
    } finally {
      connectivity.stop()
    }
  })

  it('contact is pending while a connected peer has not been heard, however old the connection', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const libp2p = { getConnections: () => [{ remotePeer: peer }] } as unknown as Libp2p
    const connectivity = new Connectivity({ libp2p, log: Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never }, {
      selfId: '0', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000
    })
    expect(connectivity.contactPending(() => false)).toBe(true)
    expect(connectivity.contactPending((id) => id === peer.toString())).toBe(false)
  })
})
