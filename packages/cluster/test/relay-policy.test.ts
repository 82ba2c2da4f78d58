import { describe, expect, it } from 'vitest'
import { RelayPolicy } from '../src/relay-policy.js'

const INIT = { unheardAfterMs: () => 1500, requestTtlMs: () => 5000, maxListed: 3 }
const connectedToAll = (): boolean => true

describe('RelayPolicy', () => {
  it('forwards nothing once settled and nobody asked: every member hears every author directly', () => {
    const policy = new RelayPolicy(INIT)
    expect(policy.shouldRelay('a', true, 0)).toBe(false)
  })

  it('forwards everything while our view is not settled (a member joining or leaving)', () => {
    const policy = new RelayPolicy(INIT)
    expect(policy.shouldRelay('a', false, 0)).toBe(true)
  })

  it('forwards the heartbeats of an author some member asked for, and only those, until the request is replaced or expires', () => {
    const policy = new RelayPolicy(INIT)
    policy.noteRequest('m', { unheard: ['a'], more: false }, 0)
    expect(policy.shouldRelay('a', true, 100)).toBe(true)
    expect(policy.shouldRelay('b', true, 100)).toBe(false)
    expect(policy.shouldRelay('a', true, 5001)).toBe(false)
    policy.noteRequest('m', { unheard: ['a'], more: false }, 6000)
    expect(policy.shouldRelay('a', true, 6100)).toBe(true)
    policy.noteRequest('m', { unheard: [], more: false }, 6200)
    expect(policy.shouldRelay('a', true, 6300)).toBe(false)
    expect(policy.requesters).toBe(0)
  })

  it('forwards every author for a member that could not list all it misses', () => {
    const policy = new RelayPolicy(INIT)
    policy.noteRequest('m', { unheard: ['a', 'b', 'c'], more: true }, 0)
    expect(policy.shouldRelay('z', true, 10)).toBe(true)
  })

  it('asks for members not heard straight from their author within unheardAfterMs', () => {
    const policy = new RelayPolicy(INIT)
    const members = new Set(['a', 'b'])
    expect(policy.ourRequest(members, connectedToAll, 0)).toEqual({ unheard: ['a', 'b'], more: false })
    policy.heardDirectly('a', 0)
    policy.heardDirectly('b', 0)
    expect(policy.ourRequest(members, connectedToAll, 1000)).toEqual({ unheard: [], more: false })
    policy.heardDirectly('b', 1000)
    expect(policy.ourRequest(members, connectedToAll, 1600)).toEqual({ unheard: ['a'], more: false })
  })

  it('judges each member by its own interval: a member heartbeating every 4 s is not asked for after 1.5 s', () => {
    const policy = new RelayPolicy({ ...INIT, unheardAfterMs: id => id === 'slow' ? 6000 : 1500 })
    const members = new Set(['fast', 'slow'])
    policy.heardDirectly('fast', 0)
    policy.heardDirectly('slow', 0)
    expect(policy.ourRequest(members, connectedToAll, 4000)).toEqual({ unheard: ['fast'], more: false })
    expect(policy.ourRequest(members, connectedToAll, 6000)).toEqual({ unheard: ['fast', 'slow'], more: false })
  })

  it('asks at once for members it has no connection to, however recently heard', () => {
    const policy = new RelayPolicy(INIT)
    policy.heardDirectly('a', 0)
    expect(policy.ourRequest(new Set(['a']), () => false, 10)).toEqual({ unheard: ['a'], more: false })
  })

  it('lists up to maxListed members; beyond, it says "more" and lists none (the list would change nothing)', () => {
    const policy = new RelayPolicy(INIT)
    expect(policy.ourRequest(new Set(['a', 'b', 'c']), connectedToAll, 0)).toEqual({ unheard: ['a', 'b', 'c'], more: false })
    expect(policy.ourRequest(new Set(['a', 'b', 'c', 'd']), connectedToAll, 0)).toEqual({ unheard: [], more: true })
  })

  it('forwards everything for a while when asked (a newcomer must hear every member once)', () => {
    const policy = new RelayPolicy(INIT)
    expect(policy.recentlyHeard('w', 0)).toBe(false)
    policy.noteRequest('w', { unheard: [], more: false }, 0)
    expect(policy.recentlyHeard('w', 100)).toBe(true)
    expect(policy.recentlyHeard('w', 5001)).toBe(false)
    policy.relayEverythingFor(5000, 0)
    expect(policy.shouldRelay('a', true, 4999)).toBe(true)
    expect(policy.shouldRelay('a', true, 5000)).toBe(false)
  })

  it('keeps memory to the member list and standing requests', () => {
    const policy = new RelayPolicy(INIT)
    policy.heardDirectly('gone', 0)
    policy.noteRequest('m', { unheard: ['a'], more: false }, 0)
    policy.ourRequest(new Set(), connectedToAll, 10_000)
    expect(policy.requesters).toBe(0)
    // a departed author is asked for again only if it is a member again
    expect(policy.ourRequest(new Set(['gone']), connectedToAll, 10_001).unheard).toEqual(['gone'])
  })
})
