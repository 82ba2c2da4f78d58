import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { Connectivity } from '../src/connectivity.js'
import type { ConnectivityInit } from '../src/connectivity.js'
import { preferredPeers } from '../src/peer-set.js'

interface FakeConnection { remotePeer: PeerId, direction: 'inbound' | 'outbound', timeline: { open: number } }

/** A stand-in for the libp2p node (isolating the dialer): dials succeed at once unless the peer is unreachable; hang-ups are recorded. */
function fakeLibp2p (unreachable = new Set<string>()): { libp2p: Libp2p, dialled: string[], hungUp: string[], connections: FakeConnection[] } {
  const dialled: string[] = []
  const hungUp: string[] = []
  const connections: FakeConnection[] = []
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async () => {}, delete: async () => {} },
    getConnections: (peer?: PeerId) => connections.filter((c) => peer === undefined || c.remotePeer.equals(peer)),
    dial: async (peer: PeerId) => {
      dialled.push(peer.toString())
      if (unreachable.has(peer.toString())) throw new Error('unreachable')
      connections.push({ remotePeer: peer, direction: 'outbound', timeline: { open: Date.now() } })
    },
    hangUp: async (peer: PeerId) => {
      hungUp.push(peer.toString())
      for (let i = connections.length - 1; i >= 0; i--) if (connections[i]?.remotePeer.equals(peer) === true) connections.splice(i, 1)
    }
  } as unknown as Libp2p
  return { libp2p, dialled, hungUp, connections }
}

const log = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never
const addr = multiaddr('/ip4/127.0.0.1/tcp/1')

async function peerIds (count: number): Promise<PeerId[]> {
  return Promise.all(Array.from({ length: count }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

let running: Connectivity | undefined
afterEach(() => { running?.stop() })

function start (libp2p: Libp2p, init: Partial<ConnectivityInit> & Pick<ConnectivityInit, 'selfId'>): Connectivity {
  running = new Connectivity({ libp2p, log }, { reconnectIntervalMs: 20, dialGraceMs: 60_000, maxBackoffMs: 40, maxParallelDials: 4, ...init })
  running.start()
  return running
}

/**
 * 30 peers, and one of our 3 picks (`dead`) whose stand-in (the next-ranked peer, dialled while the
 * pick does not answer) would not pick us itself, so that only our choice keeps that connection. For
 * about one set of random peers in ten no pick qualifies; such sets are drawn again.
 */
async function pickWithLoyalStandIn (): Promise<{ peers: PeerId[], dead: string, standIn: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const peers = await peerIds(30)
    const all = peers.map(String)
    const picks = [...preferredPeers('0', all, 3)]
    const standInFor = (dead: string): string | undefined => [...preferredPeers('0', all.filter((id) => id !== dead), 3)].find((id) => !picks.includes(id))
    for (const dead of picks) {
      const standIn = standInFor(dead)
      if (standIn !== undefined && !preferredPeers(standIn, [...all, '0'], 3).has('0')) return { peers, dead, standIn }
    }
  }
  throw new Error('no set of 30 random peers had a pick with a stand-in that would not pick us')
}

describe('Connectivity with a bounded peer set', () => {
  it('dials only its picks of all the peers it learnt in one burst, not the first ones learnt', async () => {
    const { libp2p, dialled } = fakeLibp2p()
    const peers = await peerIds(30)
    // '0' sorts before every base58 id: the tie-break never makes us wait
    const connectivity = start(libp2p, { selfId: '0', peerSetSize: 3 })
    // one at a time, each in its own turn of the event loop, as mDNS answers arrive
    for (const peer of peers) {
      connectivity.learn(peer, [addr])
      await new Promise((resolve) => setImmediate(resolve))
    }
    const picks = preferredPeers('0', peers.map(String), 3)
    await vi.waitFor(() => { expect(new Set(dialled)).toEqual(picks) })
    // several reconnect rounds later, still nobody else
    const rounds = connectivity.stats.dials
    await vi.waitFor(() => { expect(dialled.length).toBe(rounds) })
    expect(new Set(dialled)).toEqual(picks)
  })

  it('as the larger id, dials at once a pick that would not pick it, and leaves one that would to the other side', async () => {
    const { libp2p, dialled } = fakeLibp2p()
    const self = 'zzzz' // larger than every base58 id: the tie-break applies to every mutual pick
    // about one set of random peers in 1,500 has every pick mutual: drawn again
    let peers: PeerId[] = []
    let oneSided: string[] = []
    for (let attempt = 0; attempt < 20 && oneSided.length === 0; attempt++) {
      peers = await peerIds(30)
      const all = peers.map(String)
      oneSided = [...preferredPeers(self, all, 4)].filter((id) => !preferredPeers(id, [...all, self], 4).has(self))
    }
    const connectivity = start(libp2p, { selfId: self, peerSetSize: 4 })
    for (const peer of peers) connectivity.learn(peer, [addr])
    await vi.waitFor(() => { expect(new Set(dialled)).toEqual(new Set(oneSided)) })
    expect(oneSided.length).toBeGreaterThan(0)
  })

  it('dials the next-ranked peer while a pick does not answer, and keeps redialling the pick', async () => {
    const peers = await peerIds(20)
    const all = peers.map(String)
    const picks = [...preferredPeers('0', all, 3)]
    const dead = picks[0] as string
    const { libp2p, dialled, connections } = fakeLibp2p(new Set([dead]))
    const connectivity = start(libp2p, { selfId: '0', peerSetSize: 3 })
    for (const peer of peers) connectivity.learn(peer, [addr])
    const replacement = [...preferredPeers('0', all.filter((id) => id !== dead), 3)].find((id) => !picks.includes(id)) as string
    await vi.waitFor(() => { expect(connections.map((c) => c.remotePeer.toString())).toContain(replacement) })
    await vi.waitFor(() => { expect(dialled.filter((id) => id === dead).length).toBeGreaterThanOrEqual(3) })
    expect(new Set(connections.map((c) => c.remotePeer.toString()))).toEqual(new Set([...picks.slice(1), replacement]))
    expect(connectivity.stats.dialFailures).toBeGreaterThanOrEqual(3)
  })

  it('hangs up, once, a connection it dialled to a peer neither side picks any more', async () => {
    const { libp2p, hungUp, connections } = fakeLibp2p()
    const peers = await peerIds(30)
    const all = peers.map(String)
    const unpicked = peers.find((p) => !preferredPeers('0', all, 3).has(p.toString()) && !preferredPeers(p.toString(), [...all, '0'], 3).has('0')) as PeerId
    const inbound = peers.find((p) => p !== unpicked && !preferredPeers('0', all, 3).has(p.toString())) as PeerId
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] })
    try {
      // a connection we opened long ago (when we knew fewer peers), and one the peer opened to us
      connections.push({ remotePeer: unpicked, direction: 'outbound', timeline: { open: Date.now() - 120_000 } })
      connections.push({ remotePeer: inbound, direction: 'inbound', timeline: { open: Date.now() - 120_000 } })
      const connectivity = start(libp2p, { selfId: '0', peerSetSize: 3, dialGraceMs: 1000 })
      for (const peer of peers) connectivity.learn(peer, [addr])
      await vi.advanceTimersByTimeAsync(500)
      expect(hungUp).toEqual([unpicked.toString()])
      expect(connectivity.stats.pruned).toBe(1)
      // it connects again (the other side's view differs): kept through 100 reconnect rounds, so views that differ cannot loop
      connections.push({ remotePeer: unpicked, direction: 'outbound', timeline: { open: Date.now() - 120_000 } })
      await vi.advanceTimersByTimeAsync(2000)
      expect(hungUp).toEqual([unpicked.toString()])
      expect(connections.some((c) => c.remotePeer.equals(inbound))).toBe(true)
    } finally {
      running?.stop()
      vi.useRealTimers()
    }
  })

  it('hangs up a replacement again each time the pick it stood in for answers again (partitions that come and go)', async () => {
    const { peers, dead, standIn } = await pickWithLoyalStandIn()
    const unreachable = new Set([dead])
    const { libp2p, hungUp, connections } = fakeLibp2p(unreachable)
    const isConnected = (id: string): boolean => connections.some((c) => c.remotePeer.toString() === id)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] })
    try {
      const connectivity = start(libp2p, { selfId: '0', peerSetSize: 3, dialGraceMs: 1000 })
      for (const peer of peers) connectivity.learn(peer, [addr])
      for (let cut = 1; cut <= 3; cut++) {
        // the pick is cut off: the stand-in is dialled
        await vi.advanceTimersByTimeAsync(500)
        expect(isConnected(standIn)).toBe(true)
        expect(isConnected(dead)).toBe(false)
        // the cut heals: the pick is redialled, and the stand-in hung up once it is old enough
        unreachable.delete(dead)
        await vi.advanceTimersByTimeAsync(2000)
        expect(isConnected(dead)).toBe(true)
        expect(hungUp.filter((id) => id === standIn)).toHaveLength(cut)
        expect(isConnected(standIn)).toBe(false)
        // cut again: the pick's connection goes
        unreachable.add(dead)
        connections.splice(connections.findIndex((c) => c.remotePeer.toString() === dead), 1)
      }
    } finally {
      running?.stop()
      vi.useRealTimers()
    }
  })

  it('does not give up on an unreachable peer while its heartbeats arrive relayed; does once they stop', async () => {
    const [peer] = await peerIds(1) as [PeerId]
    const { libp2p } = fakeLibp2p(new Set([peer.toString()]))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] })
    try {
      const connectivity = start(libp2p, { selfId: '0', forgetAfterMs: 1000 })
      for (let t = 0; t < 3000; t += 200) {
        connectivity.learn(peer, [addr])
        await vi.advanceTimersByTimeAsync(200)
      }
      expect(connectivity.stats.forgotten).toBe(0)
      expect(connectivity.stats.dialFailures).toBeGreaterThan(0)
      await vi.advanceTimersByTimeAsync(1500)
      expect(connectivity.stats.forgotten).toBe(1)
    } finally {
      running?.stop()
      vi.useRealTimers()
    }
  })

  it('without a peer set size, dials every peer it learns', async () => {
    const { libp2p, dialled } = fakeLibp2p()
    const peers = await peerIds(12)
    const connectivity = start(libp2p, { selfId: '0' })
    for (const peer of peers) connectivity.learn(peer, [addr])
    await vi.waitFor(() => { expect(new Set(dialled)).toEqual(new Set(peers.map(String))) })
  })
})
