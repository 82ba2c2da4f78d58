import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { AdvertisedAddrs } from '../src/advertised-addrs.js'
import type { AddrsSource } from '../src/advertised-addrs.js'

/** A node whose addresses the test sets, counting how often they are read; its events are real. */
function fakeNode (first: string): { node: AddrsSource, reads: () => number, listeners: () => number, change: (addr: string, report: boolean) => void } {
  const events = new EventTarget()
  const listening = new Set<unknown>()
  let addrs = [multiaddr(first)]
  let reads = 0
  const node = {
    getMultiaddrs: () => {
      reads++
      return addrs
    },
    addEventListener: (type: string, listener: EventListener) => {
      listening.add(listener)
      events.addEventListener(type, listener)
    },
    removeEventListener: (type: string, listener: EventListener) => {
      listening.delete(listener)
      events.removeEventListener(type, listener)
    }
  } as unknown as AddrsSource
  return {
    node,
    reads: () => reads,
    listeners: () => listening.size,
    change: (addr, report) => {
      addrs = [multiaddr(addr)]
      if (report) events.dispatchEvent(new CustomEvent('self:peer:update'))
    }
  }
}

describe('AdvertisedAddrs (our addresses for heartbeats)', () => {
  it('reads libp2p\'s addresses once per TTL, not once per heartbeat', () => {
    let nowMs = 0
    const { node, reads } = fakeNode('/ip4/10.0.0.1/tcp/1')
    const addrs = new AdvertisedAddrs(node, 5_000, () => nowMs)
    addrs.start()
    for (; nowMs < 4_999; nowMs += 1_000) expect(addrs.current().map(String)).toEqual(['/ip4/10.0.0.1/tcp/1'])
    expect(reads()).toBe(1)
    nowMs = 5_000
    addrs.current()
    expect(reads()).toBe(2)
  })

  it('advertises a change libp2p reports at once, and one it does not report within the TTL', () => {
    let nowMs = 0
    const { node, change } = fakeNode('/ip4/10.0.0.1/tcp/1')
    const addrs = new AdvertisedAddrs(node, 5_000, () => nowMs)
    addrs.start()
    addrs.current()
    change('/ip4/10.0.0.2/tcp/1', true)
    expect(addrs.current().map(String)).toEqual(['/ip4/10.0.0.2/tcp/1'])
    // an interface change behind a wildcard listener: libp2p says nothing
    nowMs = 1_000
    change('/ip4/10.0.0.3/tcp/1', false)
    expect(addrs.current().map(String)).toEqual(['/ip4/10.0.0.2/tcp/1'])
    nowMs = 5_000
    expect(addrs.current().map(String)).toEqual(['/ip4/10.0.0.3/tcp/1'])
  })

  it('listens once however often started, stops listening when stopped, and then reads afresh', () => {
    const { node, reads, listeners, change } = fakeNode('/ip4/10.0.0.1/tcp/1')
    const addrs = new AdvertisedAddrs(node, 5_000, () => 0)
    addrs.start()
    addrs.start()
    expect(listeners()).toBe(1)
    addrs.current()
    addrs.stop()
    expect(listeners()).toBe(0)
    change('/ip4/10.0.0.2/tcp/1', true)
    expect(addrs.current().map(String)).toEqual(['/ip4/10.0.0.2/tcp/1'])
    expect(reads()).toBe(2)
  })
})
