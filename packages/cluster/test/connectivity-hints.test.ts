import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { Connectivity } from '../src/connectivity.js'

const log = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never

/** A stand-in for the libp2p node (isolating the dialer): dials to `reachable` ids succeed, the others fail; every dial is recorded. */
function fakeLibp2p (reachable: Set<string>): { libp2p: Libp2p, dials: string[] } {
  const dials: string[] = []
  const connected = new Set<string>()
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async () => {}, delete: async () => {} },
    getConnections: (peer?: PeerId) => peer !== undefined && connected.has(peer.toString()) ? [{}] : [],
    dial: async (peer: PeerId) => {
      dials.push(peer.toString())
      if (!reachable.has(peer.toString())) throw new Error('connection refused')
      connected.add(peer.toString())
    }
  } as unknown as Libp2p
  return { libp2p, dials }
}

async function peers (n: number): Promise<PeerId[]> {
  return Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

describe('Connectivity: members a bootstrap peer listed (member exchange)', () => {
  afterEach(() => { vi.useRealTimers() })

  it('dials a listed member at once, even as the larger id (it cannot know about us yet)', async () => {
    const [member] = await peers(1) as [PeerId]
    const { libp2p, dials } = fakeLibp2p(new Set([member.toString()]))
    // 'z' sorts after every base58 id: without the list we would wait dialGraceMs (an hour here)
    const connectivity = new Connectivity({ libp2p, log }, { selfId: 'z', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000 })
    connectivity.start()
    try {
      connectivity.hint(member, multiaddr('/ip4/10.0.0.1/tcp/1'))
      await vi.waitFor(() => { expect(connectivity.stats.dials).toBe(1) })
      expect(dials).toEqual([member.toString()])
      expect(connectivity.stats.hints).toBe(1)
    } finally {
      connectivity.stop()
    }
  })

  it('a listed peer that does not answer is dropped after one dial, never redialled (a made-up list costs one dial per entry)', async () => {
    const dead = await peers(3)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] })
    const { libp2p, dials } = fakeLibp2p(new Set())
    const connectivity = new Connectivity({ libp2p, log }, { selfId: '0', reconnectIntervalMs: 10, dialGraceMs: 10, maxBackoffMs: 10 })
    connectivity.start()
    try {
      for (const peer of dead) connectivity.hint(peer, multiaddr('/ip4/10.0.0.1/tcp/1'))
      // a hundred reconnect rounds (10 ms each) later: one dial per listed peer, and none kept
      await vi.advanceTimersByTimeAsync(1000)
      expect(connectivity.knownPeers).toBe(0)
      expect(dials.sort()).toEqual(dead.map(String).sort())
      expect(connectivity.stats.forgotten).toBe(3)
    } finally {
      connectivity.stop()
    }
  })

  it('ignores a listed member it already knows (no second dial, no reset of its backoff)', async () => {
    const [member] = await peers(1) as [PeerId]
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] })
    const { libp2p, dials } = fakeLibp2p(new Set())
    const connectivity = new Connectivity({ libp2p, log }, { selfId: '0', reconnectIntervalMs: 3_600_000, dialGraceMs: 3_600_000, maxBackoffMs: 3_600_000 })
    connectivity.start()
    try {
      connectivity.learn(member, [multiaddr('/ip4/10.0.0.1/tcp/1')])   // a member we heard: it fails and backs off
      await vi.advanceTimersByTimeAsync(0)
      expect(connectivity.stats.dialFailures).toBe(1)
      connectivity.hint(member, multiaddr('/ip4/10.0.0.1/tcp/1'))
      await vi.advanceTimersByTimeAsync(10_000)
      expect(dials).toHaveLength(1)
      expect(connectivity.stats.hints).toBe(0)
      expect(connectivity.knownPeers).toBe(1)   // a heartbeating member is kept and redialled with backoff
    } finally {
      connectivity.stop()
    }
  })
})
