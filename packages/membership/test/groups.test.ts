import { describe, expect, it } from 'vitest'
import { advert, createTable, heartbeat, ids, recordEvents } from './helpers.js'

describe('leaving and groups', () => {
  it('a leaving heartbeat removes the member from every group at once', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['g', 'h']))
    const events = recordEvents(table)
    expect(table.ingest(heartbeat('m', 2, ['g', 'h'], { leaving: true }))).toBe('accepted')
    expect(ids(table, 'g')).toEqual([])
    expect(ids(table, 'h')).toEqual([])
    expect(events.take().filter(event => event.type === 'member:leave')).toEqual([
      { type: 'member:leave', detail: { group: 'g', id: 'm', reason: 'left' } },
      { type: 'member:leave', detail: { group: 'h', id: 'm', reason: 'left' } }
    ])
  })

  it('replays of a member that left stay ignored', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    table.ingest(heartbeat('m', 3, ['g'], { leaving: true }))
    expect(table.ingest(heartbeat('m', 2, ['g']))).toBe('stale')
    expect(ids(table, 'g')).toEqual([])
  })

  it('a member that leaves one group stays in the others', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['g', 'h']))
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 2, ['h']))
    expect(ids(table, 'g')).toEqual([])
    expect(ids(table, 'h')).toEqual(['m'])
    expect(events.take().map(event => event.type)).toEqual(['member:leave', 'view:change'])
  })

  it('self is a member of the groups it joined, once, and leaves them on leaveGroup', () => {
    const { table } = createTable()
    const events = recordEvents(table)
    table.joinGroup('g', { weight: 2, metadata: { zone: 'a' } })
    table.joinGroup('g', { weight: 2, metadata: { zone: 'a' } })
    table.ingest(heartbeat('m', 1, ['g']))
    expect(table.members('g')).toEqual([
      { id: 'm', weight: 1, metadata: {}, state: 'alive', self: false },
      { id: 'self', weight: 2, metadata: { zone: 'a' }, state: 'alive', self: true }
    ])
    expect(table.groups()).toEqual(['g'])
    expect([table.hasJoined('g'), table.hasJoined('m')]).toEqual([true, false])
    expect(table.selfGroups()).toEqual([{ name: 'g', weight: 2, metadata: { zone: 'a' } }])
    expect(events.take().filter(event => event.type === 'member:join').map(event => event.detail.id)).toEqual(['self', 'm'])
    table.leaveGroup('g')
    table.leaveGroup('g')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(table.groups()).toEqual([])
    expect(table.hasJoined('g')).toBe(false)
    expect(events.take().filter(event => event.type === 'member:leave')).toEqual([
      { type: 'member:leave', detail: { group: 'g', id: 'self', reason: 'left' } }
    ])
  })

  it('self never expires, and its groups come back sorted with their digests', () => {
    const { clock, table } = createTable()
    table.joinGroup('b')
    table.joinGroup('a')
    clock.advance(60_000)
    expect(ids(table, 'a')).toEqual(['self'])
    expect(table.groups()).toEqual(['a', 'b'])
    expect(table.digests()).toEqual({ a: table.digest('a'), b: table.digest('b') })
  })

  it('does not keep the caller metadata object', () => {
    const { table } = createTable()
    const metadata = { zone: 'a' }
    table.joinGroup('g', { metadata })
    const hbMetadata = { zone: 'b' }
    table.ingest(heartbeat('m', 1, [advert('g', 1, hbMetadata)]))
    metadata.zone = 'changed'
    hbMetadata.zone = 'changed'
    expect(table.members('g').map(member => member.metadata.zone)).toEqual(['b', 'a'])
    table.selfGroups()[0]!.metadata.zone = 'changed'
    expect(table.selfGroups()[0]?.metadata).toEqual({ zone: 'a' })
  })

  it('tracks groups self is not in', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['other']))
    expect(ids(table, 'other')).toEqual(['m'])
    expect(table.isConverged('other')).toBe(false)
    expect(table.groups()).toEqual([])
  })

  it('a removed member that comes back (healed partition) rejoins by itself', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(5000)
    expect(ids(table, 'g')).toEqual([])
    const events = recordEvents(table)
    expect(table.ingest(heartbeat('m', 6, ['g']))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(events.take().map(event => event.type)).toEqual(['member:join', 'view:change'])
  })

  it('a weight change changes the view and its digest; a metadata change changes the view only', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, [advert('g', 1)]))
    const events = recordEvents(table)
    const before = table.digest('g')
    table.ingest(heartbeat('m', 2, [advert('g', 3)]))
    const afterWeight = table.digest('g')
    expect(afterWeight).not.toBe(before)
    table.ingest(heartbeat('m', 3, [advert('g', 3, { k: 'v' })]))
    expect(table.digest('g')).toBe(afterWeight)
    table.ingest(heartbeat('m', 4, [advert('g', 3, { k: 'v' })]))
    expect(events.take().map(event => event.type)).toEqual(['member:update', 'view:change', 'member:update', 'view:change'])
  })
})

describe('what an observer reads', () => {
  it('knownGroups lists every group with live members, joined or not, and forgets an emptied one', () => {
    const { table } = createTable()
    expect(table.knownGroups()).toEqual([])
    table.ingest(heartbeat('m', 1, ['h', 'g']))
    table.joinGroup('k')
    expect(table.knownGroups()).toEqual(['g', 'h', 'k'])
    expect(table.groups()).toEqual(['k'])
    table.ingest(heartbeat('m', 2, ['g']))
    expect(table.knownGroups()).toEqual(['g', 'k'])
  })

  it('advertisedDigest is the digest a member sent for a group in its last heartbeat', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['g'], { digests: { g: 'aaaa' } }))
    table.ingest(heartbeat('n', 1, ['g']))
    expect(table.advertisedDigest('g', 'm')).toBe('aaaa')
    expect(table.advertisedDigest('g', 'n')).toBeUndefined()
    table.ingest(heartbeat('m', 2, ['g'], { digests: { g: 'bbbb' } }))
    expect(table.advertisedDigest('g', 'm')).toBe('bbbb')
    expect(table.advertisedDigest('other', 'm')).toBeUndefined()
  })
})
