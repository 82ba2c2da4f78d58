import { describe, expect, it } from 'vitest'
import { HeartbeatRelay } from '../src/heartbeat-relay.js'
import type { HeartbeatRelayComponents } from '../src/heartbeat-relay.js'

/** Only what the relay reads: connection events, and who is a member (a unit test of its wiring). */
function relayWith (members: string[]): { relay: HeartbeatRelay, libp2p: EventTarget, beats: () => number } {
  const libp2p = new EventTarget()
  let beats = 0
  const components = {
    libp2p,
    membership: { isMember: (id: string) => members.includes(id) },
    beatSoon: () => { beats++ }
  } as unknown as HeartbeatRelayComponents
  const relay = new HeartbeatRelay(components, { selfId: 'self', mode: 'on-demand' })
  return { relay, libp2p, beats: () => beats }
}

const disconnect = (id: string): CustomEvent => new CustomEvent('peer:disconnect', { detail: { toString: () => id } })

describe('HeartbeatRelay', () => {
  it('beats early when the connection to a member drops (its next request names that member), not for other peers, not once stopped', () => {
    const { relay, libp2p, beats } = relayWith(['m'])
    relay.start()
    libp2p.dispatchEvent(disconnect('m'))
    expect(beats()).toBe(1)
    libp2p.dispatchEvent(disconnect('stranger'))
    expect(beats()).toBe(1)
    relay.stop()
    libp2p.dispatchEvent(disconnect('m'))
    expect(beats()).toBe(1)
  })
})
