import { describe, expect, it } from 'vitest'
import { ManualClock, MembershipTable, tombstoneLifetimeMs, resolveTimings } from '../src/index.js'
import { heartbeat, ids } from './helpers.js'
import type { Heartbeat } from '../src/index.js'

/** Wall clock starts at this epoch ms; the table's monotonic clock at 0. */
const EPOCH = 1_700_000_000_000

/** A started table whose wall clock moves with its monotonic clock; heartbeat 1000 ms, timeout 5000 ms, skew 60 s (or `maxClockSkewMs`). */
function setup (maxClockSkewMs?: number): { clock: ManualClock, table: MembershipTable, sent: (from: string, seq: number, extra?: Partial<Heartbeat>) => Heartbeat } {
  const clock = new ManualClock()
  const table = new MembershipTable({ clock, wallClock: { now: () => EPOCH + clock.now() } }, { selfId: 'self', heartbeatIntervalMs: 1000, ...(maxClockSkewMs !== undefined ? { maxClockSkewMs } : {}) })
  table.start()
  table.joinGroup('g')
  const sent = (from: string, seq: number, extra: Partial<Heartbeat> = {}): Heartbeat => heartbeat(from, seq, ['g'], { sentAtMs: EPOCH + clock.now(), ...extra })
  return { clock, table, sent }
}

describe('replays', () => {
  it('a departed member stays departed: its captured heartbeats replayed after gossipsub\'s seen cache are refused by its tombstone', () => {
    // a skew allowance above the replay's age, so the tombstone is what refuses it (with 60 s, the skew check would first)
    const { clock, table, sent } = setup(300_000)
    const captured: Heartbeat[] = []
    for (let seq = 1; seq <= 5; seq++) {
      captured.push(sent('a', seq))
      table.ingest(captured.at(-1)!)
      clock.advance(1000)
    }
    clock.advance(6000)   // crashed: timed out
    expect(ids(table, 'g')).toEqual(['self'])
    clock.advance(121_000)
    for (const hb of captured) expect(table.ingest(hb)).toBe('stale')
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('after the tombstone is gone, the skew check refuses the same replays', () => {
    const { clock, table, sent } = setup()
    const old = sent('a', 1)
    table.ingest(old)
    clock.advance(6000 + tombstoneLifetimeMs(60_000, resolveTimings({ heartbeatIntervalMs: 1000 })))
    expect(table.ingest({ ...old, seq: 2 })).toBe('skewed')
    expect(table.counters.skewed).toBe(1)
    expect(ids(table, 'g')).toEqual(['self'])
  })

  it('a node that never saw the sender refuses heartbeats older (or newer) than maxClockSkewMs, and those without a timestamp', () => {
    const { table, sent } = setup()
    expect(table.ingest(sent('a', 1, { sentAtMs: EPOCH - 60_001 }))).toBe('skewed')
    expect(table.ingest(sent('b', 1, { sentAtMs: EPOCH + 60_001 }))).toBe('skewed')
    expect(table.ingest(heartbeat('c', 1, ['g']))).toBe('skewed')
    expect(table.counters.skewed).toBe(3)
    expect(table.ingest(sent('d', 1, { sentAtMs: EPOCH - 59_000 }))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['d', 'self'])
  })

  it('one old-incarnation heartbeat does not retire the live incarnation (late joiner)', () => {
    const { clock, table, sent } = setup()
    const oldIncarnation = sent('a', 40, { bootId: 'a-old' })
    clock.advance(10_000)
    for (let seq = 1; seq <= 3; seq++) {
      table.ingest(sent('a', seq, { bootId: 'a-live' }))
      clock.advance(1000)
    }
    expect(table.ingest(oldIncarnation)).toBe('stale')
    for (let seq = 4; seq <= 20; seq++) {
      expect(table.ingest(sent('a', seq, { bootId: 'a-live' }))).toBe('accepted')
      clock.advance(1000)
    }
    expect(ids(table, 'g')).toEqual(['a', 'self'])
  })

  it('a real restart (new boot id, later timestamp) is accepted, also over a tombstone; a partition heal (same boot, higher seq) too', () => {
    const { clock, table, sent } = setup()
    table.ingest(sent('a', 7))
    table.ingest(sent('b', 7))
    clock.advance(6000)
    expect(ids(table, 'g')).toEqual(['self'])
    expect(table.ingest(sent('a', 1, { bootId: 'a-boot2' }))).toBe('accepted')
    expect(table.ingest(sent('b', 8))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['a', 'b', 'self'])
    expect(table.ingest(sent('a', 8))).toBe('stale')   // the first boot is retired
  })
})
