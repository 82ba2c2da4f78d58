import { membersDigest } from '@gossip-ring/ring'
import { describe, expect, it } from 'vitest'
import { ManualClock, MembershipTable } from '../src/index.js'
import type { Clock } from '../src/index.js'
import { createTable, heartbeat, recordEvents } from './helpers.js'

describe('item 1: minMembers and the settle window', () => {
  it('item 1: a table alone is not converged within suspectAfterMs of joining; group:converged fires when the window ends', () => {
    const { clock, table } = createTable()
    const events = recordEvents(table)
    table.joinGroup('g')
    expect(table.isConverged('g')).toBe(false)
    clock.advance(2999)
    expect(table.isConverged('g')).toBe(false)
    expect(events.take().some(event => event.type === 'group:converged')).toBe(false)
    clock.advance(1)
    expect(table.isConverged('g')).toBe(true)
    expect(events.take()).toEqual([{ type: 'group:converged', detail: { group: 'g', digest: table.digest('g') } }])
  })

  it('item 1: a peer heard within the settle window makes the group converge at once on agreement', () => {
    const { table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: table.digest('g') } }))
    expect(table.isConverged('g')).toBe(true)
  })

  it('item 1: with minMembers the group is not converged while fewer live members are seen, whatever the time', () => {
    const { clock, table } = createTable()
    const events = recordEvents(table)
    table.joinGroup('g', { minMembers: 3 })
    clock.advance(10_000)
    expect(table.isConverged('g')).toBe(false)
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: table.digest('g') } }))
    expect(table.isConverged('g')).toBe(false)
    table.ingest(heartbeat('b', 1, ['g']))
    const digest = table.digest('g')
    table.ingest(heartbeat('a', 3, ['g'], { digests: { g: digest } }))
    table.ingest(heartbeat('b', 2, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:converged')).toEqual([{ type: 'group:converged', detail: { group: 'g', digest } }])
    expect(table.minMembers('g')).toBe(3)
  })

  it('item 1: minMembers is validated (integer >= 1)', () => {
    const { table } = createTable()
    for (const bad of [0, 1.5, -1, Number.NaN, '2']) {
      expect(() => { table.joinGroup('g', { minMembers: bad as number }) }).toThrow(expect.objectContaining({ name: 'InvalidOptionError' }))
    }
  })

  it('item 1: a stopped table arms no settle timer, so self alone is not converged; start() arms the pending ones', () => {
    const { clock, table } = createTable()
    table.stop()
    table.joinGroup('g')
    clock.advance(5000)
    const events = recordEvents(table)
    expect(table.isConverged('g')).toBe(false)
    expect(events.take()).toEqual([])
    table.joinGroup('h')
    table.start()
    clock.advance(0)
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:converged').map(event => event.detail.group)).toEqual(['g'])
    clock.advance(3000)
    expect(events.take().filter(event => event.type === 'group:converged').map(event => event.detail.group)).toEqual(['h'])
  })

  it('item 1: self alone is converged only once the settle timer ran, however late it runs (a blocked event loop)', () => {
    const clock = new ManualClock()
    let lagMs = 0
    const lagging: Clock = { now: () => clock.now() + lagMs, setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (handle) => { clock.clearTimeout(handle) } }
    const table = new MembershipTable({ clock: lagging }, { selfId: 'self', heartbeatIntervalMs: 1000 })
    table.start()
    const events = recordEvents(table)
    table.joinGroup('g')
    lagMs = 5000 // the clock passed the settle window; its timer has not run yet
    expect(table.isConverged('g')).toBe(false)
    clock.advance(3000)
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:converged')).toEqual([{ type: 'group:converged', detail: { group: 'g', digest: table.digest('g') } }])
  })
})

describe('a lone self\'s settle window stretches while contact is pending', () => {
  function pendingTable (): { clock: ManualClock, table: MembershipTable, pending: { now: boolean } } {
    const clock = new ManualClock()
    const pending = { now: false }
    const table = new MembershipTable({ clock, contactPending: () => pending.now }, { selfId: 'self', heartbeatIntervalMs: 1000 })
    table.start()
    return { clock, table, pending }
  }

  it('does not settle while a contact is pending at the end of the window; settles at the first check after it is over', () => {
    const { clock, table, pending } = pendingTable()
    const events = recordEvents(table)
    table.joinGroup('g')
    pending.now = true
    clock.advance(3000)
    clock.advance(1000)
    expect(table.isConverged('g')).toBe(false)
    expect(events.take().some(event => event.type === 'group:converged')).toBe(false)
    pending.now = false
    clock.advance(150) // the gate asks again 20 times a window: every 150 ms here
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:converged')).toHaveLength(1)
  })

  it('the agent heard while the window is stretched makes the group converge with it, never alone', () => {
    const { clock, table, pending } = pendingTable()
    const events = recordEvents(table)
    table.joinGroup('g')
    pending.now = true
    clock.advance(3500)
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: table.digest('g') } }))
    expect(events.take().filter(event => event.type === 'group:converged')).toEqual([{ type: 'group:converged', detail: { group: 'g', digest: table.digest('g') } }])
    expect(table.members('g')).toHaveLength(2)
  })

  it('stretches by at most one more window: a contact that never heartbeats cannot hold self back for ever', () => {
    const { clock, table, pending } = pendingTable()
    table.joinGroup('g')
    pending.now = true
    clock.advance(5999)
    expect(table.isConverged('g')).toBe(false)
    clock.advance(151)
    expect(table.isConverged('g')).toBe(true)
  })

  it('a contact pending before the window ends holds nothing: only the moment the window ends counts', () => {
    const { clock, table, pending } = pendingTable()
    table.joinGroup('g')
    pending.now = true
    clock.advance(2000)
    pending.now = false
    clock.advance(1000)
    expect(table.isConverged('g')).toBe(true)
  })
})

describe('item 13: group:converged after every change of the view', () => {
  it('item 13: fires again when a member joins with a first heartbeat that already advertises our new view', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    clock.advance(3000)
    const events = recordEvents(table)
    expect(table.isConverged('g')).toBe(true)
    // b heard us before we heard it: its first heartbeat advertises the digest of {self, b}
    const both = membersDigest([{ id: 'b', weight: 1 }, { id: 'self', weight: 1 }])
    table.ingest(heartbeat('b', 1, ['g'], { digests: { g: both } }))
    expect(table.digest('g')).toBe(both)
    expect(events.take().map(event => event.type)).toEqual(['member:join', 'view:change', 'group:converged'])
  })

  it('item 13: a metadata-only change of a member fires group:converged again once converged', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    clock.advance(3000)
    table.ingest(heartbeat('b', 1, ['g']))
    table.ingest(heartbeat('b', 2, ['g'], { digests: { g: table.digest('g') } }))
    const events = recordEvents(table)
    table.ingest(heartbeat('b', 3, [{ name: 'g', weight: 1, metadata: { zone: 'eu' } }], { digests: { g: table.digest('g') } }))
    expect(events.take().map(event => event.type)).toEqual(['member:update', 'view:change', 'group:converged'])
  })
})

describe('item 14: member:update', () => {
  it('item 14: a metadata-only or weight change of a member fires member:update with the new values', () => {
    const { table } = createTable()
    table.ingest(heartbeat('b', 1, ['g']))
    const events = recordEvents(table)
    table.ingest(heartbeat('b', 2, [{ name: 'g', weight: 1, metadata: { zone: 'eu' } }]))
    table.ingest(heartbeat('b', 3, [{ name: 'g', weight: 2, metadata: { zone: 'eu' } }]))
    table.ingest(heartbeat('b', 4, [{ name: 'g', weight: 2, metadata: { zone: 'eu' } }]))
    expect(events.take().filter(event => event.type === 'member:update').map(event => event.detail)).toEqual([
      { group: 'g', id: 'b', weight: 1, metadata: { zone: 'eu' } },
      { group: 'g', id: 'b', weight: 2, metadata: { zone: 'eu' } }
    ])
  })
})

describe('item 11: joinGroup on a joined group', () => {
  it('item 11: an update without weight or metadata keeps them', () => {
    const { table } = createTable()
    table.joinGroup('g', { weight: 3, metadata: { zone: 'eu' }, minMembers: 2 })
    table.joinGroup('g')
    expect(table.selfGroups()).toEqual([{ name: 'g', weight: 3, metadata: { zone: 'eu' } }])
    expect(table.minMembers('g')).toBe(2)
    table.joinGroup('g', { weight: 1 })
    expect(table.selfGroups()).toEqual([{ name: 'g', weight: 1, metadata: { zone: 'eu' } }])
  })
})

describe('item 1: a settle timer that fires early', () => {
  it('item 1: re-arms for the rest of the window instead of missing group:converged', () => {
    const { clock, table } = createTable()
    const early: Clock = { now: () => clock.now(), setTimeout: (fn, ms) => clock.setTimeout(fn, ms >= 1 ? ms - 0.5 : ms), clearTimeout: handle => { clock.clearTimeout(handle) } }
    const lone = new MembershipTable({ clock: early }, { selfId: 'self', heartbeatIntervalMs: 1000 })
    lone.start()
    const events = recordEvents(lone)
    lone.joinGroup('g')
    clock.advance(2999.5)
    expect(lone.isConverged('g')).toBe(false)
    clock.advance(0.5)
    expect(events.take().filter(event => event.type === 'group:converged')).toHaveLength(1)
    expect(table.isConverged('g')).toBe(false)
  })
})
