import { describe, expect, it } from 'vitest'
import { judgedTimings, MAX_ADVERTISED_INTERVAL_MS, readAdvertisedInterval } from '../src/index.js'
import { createTable, heartbeat, ids, recordEvents } from './helpers.js'

const own = { heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 }

describe('judgedTimings', () => {
  it.each([
    [undefined, own],
    [1000, own],
    [200, own],
    [4000, { heartbeatIntervalMs: 4000, suspectAfterMs: 12_000, memberTimeoutMs: 20_000 }],
    [MAX_ADVERTISED_INTERVAL_MS, { heartbeatIntervalMs: 30_000, suspectAfterMs: 90_000, memberTimeoutMs: 150_000 }],
    [3_600_000, { heartbeatIntervalMs: 30_000, suspectAfterMs: 90_000, memberTimeoutMs: 150_000 }]
  ] as const)('a member advertising %s ms is judged by %o', (advertised, expected) => {
    expect(judgedTimings(own, advertised)).toEqual(expected)
  })

  it('keeps the receiver ratios, and its own timings when they are longer', () => {
    const custom = { heartbeatIntervalMs: 500, suspectAfterMs: 2000, memberTimeoutMs: 4000 }
    expect(judgedTimings(custom, 1000)).toEqual({ heartbeatIntervalMs: 1000, suspectAfterMs: 4000, memberTimeoutMs: 8000 })
    const slow = { heartbeatIntervalMs: 60_000, suspectAfterMs: 180_000, memberTimeoutMs: 300_000 }
    expect(judgedTimings(slow, 3_600_000)).toBe(slow)
  })
})

describe('readAdvertisedInterval', () => {
  it.each([
    [undefined, undefined, 'absent'],
    [1, 1, 'ok'],
    [1000, 1000, 'ok'],
    [MAX_ADVERTISED_INTERVAL_MS, MAX_ADVERTISED_INTERVAL_MS, 'ok'],
    [MAX_ADVERTISED_INTERVAL_MS + 1, MAX_ADVERTISED_INTERVAL_MS, 'clamped'],
    [4_294_967_295, MAX_ADVERTISED_INTERVAL_MS, 'clamped'],
    [0, undefined, 'invalid'],
    [-5, undefined, 'invalid'],
    [1.5, undefined, 'invalid'],
    [Number.NaN, undefined, 'invalid'],
    [Number.POSITIVE_INFINITY, undefined, 'invalid'],
    ['1000', undefined, 'invalid']
  ] as const)('%s -> %s (%s)', (value, intervalMs, outcome) => {
    expect(readAdvertisedInterval(value)).toEqual({ intervalMs, outcome })
  })
})

describe('members judged by the interval they advertise (receiver: 1 s, suspect 3 s, timeout 5 s)', () => {
  it('does not suspect or time out a member heartbeating every 4 s that says so', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    const events = recordEvents(table)
    for (let seq = 1; seq <= 5; seq++) {
      table.ingest(heartbeat('slow', seq, ['g'], { heartbeatIntervalMs: 4000 }))
      clock.advance(4000)
    }
    expect(events.take().filter(e => e.type === 'member:suspect' || e.type === 'member:leave')).toEqual([])
    expect(ids(table, 'g')).toEqual(['self', 'slow'])
    expect(table.timingsOf('slow')).toEqual({ heartbeatIntervalMs: 4000, suspectAfterMs: 12_000, memberTimeoutMs: 20_000 })
  })

  it('suspects it after 3 of its intervals and removes it after 5 (its crash is still detected)', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('slow', 1, ['g'], { heartbeatIntervalMs: 4000 }))
    const events = recordEvents(table)
    clock.advance(11_999)
    expect(table.members('g').find(m => m.id === 'slow')?.state).toBe('alive')
    clock.advance(1)
    expect(events.take().map(e => e.type)).toEqual(['member:suspect'])
    clock.advance(7_999)
    expect(ids(table, 'g')).toEqual(['self', 'slow'])
    clock.advance(1)
    expect(events.take().filter(e => e.type.startsWith('member:')).map(e => [e.type, e.detail.reason])).toEqual([['member:leave', 'timeout']])
  })

  it('without the field (an older sender), judges by its own timings', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('old', 1, ['g']))
    clock.advance(4999)
    expect(ids(table, 'g')).toEqual(['old', 'self'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual(['self'])
    expect(table.counters.intervalsInvalid + table.counters.intervalsClamped).toBe(0)
  })

  it('never judges a member faster than itself: a member advertising 100 ms still gets 5 s', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('fast', 1, ['g'], { heartbeatIntervalMs: 100 }))
    clock.advance(4999)
    expect(ids(table, 'g')).toEqual(['fast', 'self'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('clamps an interval of one hour to 30 s: the member is gone 150 s after its last heartbeat', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('liar', 1, ['g'], { heartbeatIntervalMs: 3_600_000 }))
    expect(table.counters.intervalsClamped).toBe(1)
    clock.advance(149_999)
    expect(ids(table, 'g')).toEqual(['liar', 'self'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it.each([0, -1, 2.5, Number.NaN])('ignores and counts an unusable interval (%s): own timings apply, no crash', (bad) => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    expect(table.ingest(heartbeat('odd', 1, ['g'], { heartbeatIntervalMs: bad }))).toBe('accepted')
    expect(table.counters.intervalsInvalid).toBe(1)
    expect(table.timingsOf('odd')).toEqual(table.timings)
    clock.advance(5000)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('follows a member whose interval changes: its latest heartbeat counts', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('m', 1, ['g'], { heartbeatIntervalMs: 4000 }))
    clock.advance(4000)
    table.ingest(heartbeat('m', 2, ['g'], { heartbeatIntervalMs: 1000 }))
    clock.advance(4999)
    expect(ids(table, 'g')).toEqual(['m', 'self'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('a slow member at the head does not hide a faster member behind it that is due', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('slow', 1, ['g'], { heartbeatIntervalMs: 8000 }))
    clock.advance(100)
    table.ingest(heartbeat('fast', 1, ['g']))
    clock.advance(5000)
    expect(ids(table, 'g')).toEqual(['self', 'slow'])
    clock.advance(40_000 - 5100)
    expect(ids(table, 'g')).toEqual(['self'])
  })
})

describe('setTimings (the cluster\'s auto interval)', () => {
  it('scales the thresholds of members judged by our own timings, and re-arms the timer', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('m', 1, ['g']))
    table.setTimings({ heartbeatIntervalMs: 2000 })
    expect(table.timings).toEqual({ heartbeatIntervalMs: 2000, suspectAfterMs: 6000, memberTimeoutMs: 10_000 })
    clock.advance(9999)
    expect(ids(table, 'g')).toEqual(['m', 'self'])
    table.setTimings({ heartbeatIntervalMs: 1000 })
    expect(ids(table, 'g')).toEqual(['m', 'self'])
    clock.advance(0)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('refuses bad timings and keeps the old ones', () => {
    const { table } = createTable()
    expect(() => { table.setTimings({ heartbeatIntervalMs: 0 }) }).toThrow(/heartbeatIntervalMs/)
    expect(table.timings.heartbeatIntervalMs).toBe(1000)
  })
})
