import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, ids, recordEvents } from './helpers.js'
import type { ManualClock, MembershipTable } from '../src/index.js'

/** Asserts that member `m` is still in group `g` after `ms - 1` more milliseconds and gone after `ms`. */
function expectRemovedAfter (clock: ManualClock, table: MembershipTable, ms: number): void {
  clock.advance(ms - 1)
  expect(ids(table, 'g')).toEqual(['m'])
  clock.advance(1)
  expect(ids(table, 'g')).toEqual([])
}

describe('liveness by the receiver clock', () => {
  it('a member stays alive while its last heartbeat is younger than suspectAfterMs', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(2999)
    expect(table.members('g')).toEqual([{ id: 'm', weight: 1, metadata: {}, state: 'alive', self: false }])
  })

  it('a member is suspected at suspectAfterMs (event fired, still a member) and removed exactly at memberTimeoutMs', () => {
    const { clock, table } = createTable()
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 1, ['g']))
    events.take()
    clock.advance(3000)
    expect(events.take()).toEqual([{ type: 'member:suspect', detail: { group: 'g', id: 'm' } }])
    expect(table.members('g').map(member => member.state)).toEqual(['suspect'])
    const digestWhileSuspect = table.digest('g')
    clock.advance(1999)
    expect(ids(table, 'g')).toEqual(['m'])
    expect(events.take()).toEqual([])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual([])
    expect(events.take()[0]).toEqual({ type: 'member:leave', detail: { group: 'g', id: 'm', reason: 'timeout' } })
    expect(table.digest('g')).not.toBe(digestWhileSuspect)
  })

  it('measures silence from receipt: a heartbeat received late keeps the member for the full timeout from then', () => {
    const { clock, table } = createTable()
    clock.advance(4000)
    table.ingest(heartbeat('m', 1, ['g']))
    expectRemovedAfter(clock, table, 5000)
  })

  it('each heartbeat restarts the countdown, and a heard suspect turns alive again (member:alive)', () => {
    const { clock, table } = createTable()
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(3500)
    events.take()
    table.ingest(heartbeat('m', 2, ['g']))
    expect(events.take()).toEqual([{ type: 'member:alive', detail: { group: 'g', id: 'm' } }])
    expect(table.members('g')[0]?.state).toBe('alive')
    expectRemovedAfter(clock, table, 5000)
  })

  it('derives suspect and timeout from the interval by default (3 and 5 intervals)', () => {
    const { clock, table } = createTable({ heartbeatIntervalMs: 200 })
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(599)
    expect(table.members('g')[0]?.state).toBe('alive')
    clock.advance(1)
    expect(table.members('g')[0]?.state).toBe('suspect')
    expectRemovedAfter(clock, table, 400)
  })

  it('removes each crashed member exactly at its own deadline with one timer', () => {
    const { clock, table } = createTable()
    const removedAt: Record<string, number> = {}
    table.addEventListener('member:leave', ({ detail }) => { removedAt[detail.id] = clock.now() })
    table.ingest(heartbeat('a', 1, ['g']))
    clock.advance(700)
    table.ingest(heartbeat('b', 1, ['g']))
    clock.advance(1300)
    table.ingest(heartbeat('c', 1, ['g']))
    expect(clock.pendingTimers).toBe(1)
    clock.advance(10_000)
    expect(removedAt).toEqual({ a: 5000, b: 5700, c: 7000 })
    expect(clock.pendingTimers).toBe(0)
  })

  it('expires nothing before start(), and expire() does one pass at now', () => {
    const { clock, table } = createTable()
    table.stop()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(60_000)
    expect(ids(table, 'g')).toEqual(['m'])
    table.expire()
    expect(ids(table, 'g')).toEqual([])
  })

  it('start() and stop() are idempotent; stop() disarms the timer', () => {
    const { clock, table } = createTable()
    table.start()
    table.ingest(heartbeat('m', 1, ['g']))
    expect(clock.pendingTimers).toBe(1)
    table.stop()
    table.stop()
    expect(clock.pendingTimers).toBe(0)
    table.start()
    table.start()
    expect(clock.pendingTimers).toBe(1)
    clock.advance(5000)
    expect(ids(table, 'g')).toEqual([])
  })
})
