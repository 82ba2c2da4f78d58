import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { Connectivity } from '../src/connectivity.js'

const GRACE_MS = 2000
const TICK_MS = 1000

/** A stand-in for the libp2p node (isolating the dialer): one peer, always connected; hang-ups are recorded. */
function connectedLibp2p (): { libp2p: Libp2p, hangUps: string[] } {
  const hangUps: string[] = []
  const libp2p = {
    addEventListener: () => {},
    removeEventListener: () => {},
    peerStore: { merge: async () => {} },
    getConnections: () => [{}],
    dial: async () => {},
    hangUp: async (peer: PeerId) => { hangUps.push(peer.toString()) }
  } as unknown as Libp2p
  return { libp2p, hangUps }
}

const log = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as never

describe('Connectivity repair of connected members gossipsub does not count', () => {
  let peer: PeerId
  const subscribed = new Set<string>()
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] })
    peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    subscribed.clear()
  })
  afterEach(() => { vi.useRealTimers() })

  function start (libp2p: Libp2p): Connectivity {
    const connectivity = new Connectivity({ libp2p, log }, {
      selfId: '0', reconnectIntervalMs: TICK_MS, dialGraceMs: GRACE_MS, maxBackoffMs: 10_000, subscribedPeers: () => subscribed
    })
    connectivity.start()
    connectivity.learn(peer, [])   // we heard its heartbeats: it belongs on our topic
    return connectivity
  }

  it('leaves a slow new connection alone past dialGraceMs (identify and stream set-up under load), and repairs it only after stalledAfterMs', () => {
    const { libp2p, hangUps } = connectedLibp2p()
    const connectivity = start(libp2p)
    try {
      vi.advanceTimersByTime(4 * GRACE_MS)   // main hung up after one dialGraceMs: the work of a slow but healthy connection lost
      expect(hangUps).toEqual([])
      vi.advanceTimersByTime(GRACE_MS + TICK_MS)   // stalledAfterMs = 5 x dialGraceMs: something is wrong, redial
      expect(hangUps).toEqual([peer.toString()])
      expect(connectivity.stats.repairs).toBe(1)
    } finally {
      connectivity.stop()
    }
  })

  it('repairs after dialGraceMs a member gossipsub counted and then dropped while the connection stayed up', () => {
    const { libp2p, hangUps } = connectedLibp2p()
    const connectivity = start(libp2p)
    try {
      subscribed.add(peer.toString())
      vi.advanceTimersByTime(3 * TICK_MS)
      expect(hangUps).toEqual([])
      subscribed.delete(peer.toString())   // e.g. an oversized frame: gossipsub removed the peer
      vi.advanceTimersByTime(GRACE_MS + TICK_MS)
      expect(hangUps).toEqual([peer.toString()])
    } finally {
      connectivity.stop()
    }
  })

  it('repairs a bootstrap peer gossipsub never counted, before hearing any heartbeat (identify timed out on both sides: the newcomer\'s only link is dead for gossip)', async () => {
    const { libp2p, hangUps } = connectedLibp2p()
    const connectivity = new Connectivity({ libp2p, log }, {
      selfId: '0', reconnectIntervalMs: TICK_MS, dialGraceMs: GRACE_MS, maxBackoffMs: 10_000, subscribedPeers: () => subscribed,
      bootstrap: [multiaddr(`/memory/boot/p2p/${peer.toString()}`).toString()]
    })
    connectivity.start()
    try {
      await vi.waitFor(() => { expect(connectivity.knownPeers).toBe(1) })
      vi.advanceTimersByTime(4 * GRACE_MS)
      expect(hangUps).toEqual([])
      vi.advanceTimersByTime(GRACE_MS + TICK_MS)
      expect(hangUps).toEqual([peer.toString()])
    } finally {
      connectivity.stop()
    }
  })

  it('never repairs a counted member that stays counted', () => {
    const { libp2p, hangUps } = connectedLibp2p()
    subscribed.add(peer.toString())
    const connectivity = start(libp2p)
    try {
      vi.advanceTimersByTime(20 * GRACE_MS)
      expect(hangUps).toEqual([])
    } finally {
      connectivity.stop()
    }
  })
})
