import { describe, expect, it } from 'vitest'
import { advert, createTable, heartbeat, ids, recordEvents } from './helpers.js'

describe('boot ids and sequence numbers', () => {
  it('ignores a replayed or older seq of the same boot id (stale, nothing changes)', () => {
    const { table } = createTable()
    expect(table.ingest(heartbeat('m', 5, ['g', 'h']))).toBe('accepted')
    const events = recordEvents(table)
    expect(table.ingest(heartbeat('m', 5, ['g']))).toBe('stale')
    expect(table.ingest(heartbeat('m', 4, []))).toBe('stale')
    expect(table.ingest(heartbeat('m', 3, [], { leaving: true }))).toBe('stale')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(ids(table, 'h')).toEqual(['m'])
    expect(events.take()).toEqual([])
    expect(table.counters).toMatchObject({ accepted: 1, stale: 3 })
  })

  it('a stale heartbeat does not refresh the member', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 2, ['g']))
    clock.advance(4000)
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(1000)
    expect(ids(table, 'g')).toEqual([])
  })

  it('a restarted member (new boot id) replaces the old incarnation and never appears twice', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 40, ['g', 'h'], { bootId: 'boot-1' }))
    const events = recordEvents(table)
    expect(table.ingest(heartbeat('m', 1, ['g'], { bootId: 'boot-2' }))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(ids(table, 'h')).toEqual([])
    expect(events.take()).toEqual([
      { type: 'member:leave', detail: { group: 'h', id: 'm', reason: 'replaced' } },
      { type: 'view:change', detail: { group: 'h', members: [], digest: table.digest('h') } }
    ])
    expect(table.ingest(heartbeat('m', 2, ['g'], { bootId: 'boot-2' }))).toBe('accepted')
  })

  it('a restart that comes straight back keeps the share: no leave/join, weight and metadata updated in place', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 9, [advert('g', 1, { v: '1' })], { bootId: 'boot-1' }))
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 1, [advert('g', 1, { v: '1' })], { bootId: 'boot-2' }))
    expect(events.take()).toEqual([])
    table.ingest(heartbeat('m', 1, [advert('g', 2, { v: '2' })], { bootId: 'boot-3' }))
    expect(table.members('g')).toEqual([{ id: 'm', weight: 2, metadata: { v: '2' }, state: 'alive', self: false }])
    expect(events.take().map(event => event.type)).toEqual(['member:update', 'view:change'])
  })

  it('rejects a delayed heartbeat of a retired boot id so the old incarnation cannot come back', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 50, ['old-group'], { bootId: 'boot-1' }))
    table.ingest(heartbeat('m', 1, ['new-group'], { bootId: 'boot-2' }))
    expect(table.ingest(heartbeat('m', 51, ['old-group'], { bootId: 'boot-1' }))).toBe('stale')
    expect(ids(table, 'old-group')).toEqual([])
    expect(ids(table, 'new-group')).toEqual(['m'])
  })

  it('ignores its own heartbeats', () => {
    const { table } = createTable()
    expect(table.ingest(heartbeat('self', 1, ['g']))).toBe('self')
    expect(ids(table, 'g')).toEqual([])
    expect(table.counters.self).toBe(1)
  })

  it('does not throw on malformed fields: drops bad adverts, rejects a bad seq as stale', () => {
    const { table } = createTable()
    const bad = heartbeat('m', 1, [advert('g'), { name: 'h', weight: Number.NaN, metadata: {} }])
    expect(table.ingest(bad)).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(ids(table, 'h')).toEqual([])
    expect(table.ingest(heartbeat('m', Number.NaN, ['g']))).toBe('stale')
    expect(table.ingest(heartbeat('', 1, ['g']))).toBe('stale')
    expect(table.counters).toMatchObject({ accepted: 1, stale: 2, invalidGroups: 1 })
  })
})
