import { describe, expect, it } from 'vitest'
import { advert, createTable, heartbeat, ids, recordEvents } from './helpers.js'

describe('bounded adverts', () => {
  it('drops adverts with a weight outside (0, 1000] and counts them', () => {
    const { table } = createTable()
    table.ingest(heartbeat('a', 1, [advert('g', 1e300), advert('h', 1000)]))
    expect(ids(table, 'g')).toEqual([])
    expect(ids(table, 'h')).toEqual(['a'])
    expect(table.counters.invalidGroups).toBe(1)
  })

  it('with trackAllGroups: false, ignores groups neither joined nor watched: no members, no events, counted', () => {
    const { table } = createTable({ trackAllGroups: false })
    const events = recordEvents(table)
    table.ingest(heartbeat('a', 1, Array.from({ length: 64 }, (_, i) => `nobody-here-${i}`)))
    expect(events.take()).toEqual([])
    expect(table.members('nobody-here-0')).toEqual([])
    expect(table.counters.untrackedGroups).toBe(64)
  })

  it('tracks a group from the next heartbeat once joined or watched; forgets it on leave', () => {
    const { table } = createTable({ trackAllGroups: false })
    table.ingest(heartbeat('a', 1, ['g', 'w']))
    table.joinGroup('g')
    table.watchGroup('w')
    table.ingest(heartbeat('a', 2, ['g', 'w']))
    expect(ids(table, 'g')).toEqual(['a', 'self'])
    expect(ids(table, 'w')).toEqual(['a'])
    const events = recordEvents(table)
    table.leaveGroup('g')
    expect(events.take().map(event => [event.type, event.detail.group, (event.detail.members as unknown[] | undefined)?.length])).toEqual([
      ['member:leave', 'g', undefined], ['view:change', 'g', 0]
    ])
    table.ingest(heartbeat('a', 3, ['g', 'w']))
    expect(ids(table, 'g')).toEqual([])
    expect(events.take().map(event => event.detail.group)).toEqual([])
    table.unwatchGroup('w')
    expect(ids(table, 'w')).toEqual([])
  })

  it('caps live members per group: new members beyond maxMembersPerGroup are dropped and counted until one leaves', () => {
    const { table } = createTable({ maxMembersPerGroup: 3 })
    table.joinGroup('g')
    for (const [i, id] of ['a', 'b', 'c'].entries()) table.ingest(heartbeat(id, 1 + i, ['g']))
    expect(ids(table, 'g')).toEqual(['a', 'b', 'self'])
    expect(table.counters.overCapacity).toBe(1)
    table.ingest(heartbeat('a', 2, ['g']))   // a member already in keeps its place
    expect(ids(table, 'g')).toEqual(['a', 'b', 'self'])
    table.ingest(heartbeat('b', 3, [], { leaving: true }))
    table.ingest(heartbeat('c', 4, ['g']))
    expect(ids(table, 'g')).toEqual(['a', 'c', 'self'])
  })
})
