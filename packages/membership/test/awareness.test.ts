import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, ids, recordEvents } from './helpers.js'
import type { ManualClock, MembershipTable } from '../src/index.js'

// createTable: heartbeat 1000 ms, suspect 3000, timeout 5000; late-timer grace min(50, 1000 / 4) = 50 ms

/**
 * m is heard at 0 and suspected on time at 3000; then our loop is blocked so the removal timer due
 * at 5000 fires 100 ms late, at 5100, with m's fresh heartbeat queued behind it (delivered in the
 * poll phase, after the timers phase).
 */
function lateTimerWithQueuedHeartbeat (awareness: boolean): { inTimersPhase: string[], after: string[], events: string[] } {
  const { clock, table } = createTable({ awareness })
  const events = recordEvents(table)
  table.ingest(heartbeat('m', 1, ['g']))
  clock.advance(3000)
  events.take()
  clock.advanceBlocked(2100)
  const inTimersPhase = ids(table, 'g')
  table.ingest(heartbeat('m', 2, ['g']))
  clock.advance(0)
  return { inTimersPhase, after: ids(table, 'g'), events: events.take().map(event => event.type) }
}

/** Steps the clock by `stepMs` (with `advanceBlocked` if `blocked`), c heartbeating each step, until m leaves; returns when. */
function stepUntilLeave (clock: ManualClock, table: MembershipTable, stepMs: number, blocked: boolean): number | undefined {
  let leftAtMs: number | undefined
  table.addEventListener('member:leave', ({ detail }) => {
    if (detail.id === 'm') {
      leftAtMs ??= clock.now()
    }
  })
  for (let seq = 100; leftAtMs === undefined && seq < 200; seq++) {
    if (blocked) {
      clock.advanceBlocked(stepMs)
    } else {
      clock.advance(stepMs)
    }
    table.ingest(heartbeat('c', seq, ['g']))
    clock.advance(0)
  }
  return leftAtMs
}

describe('late expiry timer (our own event loop was blocked)', () => {
  it('defers its pass by one turn, so a heartbeat queued behind it keeps the member', () => {
    const result = lateTimerWithQueuedHeartbeat(true)
    expect(result.inTimersPhase).toEqual(['m'])
    expect(result.after).toEqual(['m'])
    expect(result.events).toEqual(['member:alive'])
  })

  it('without awareness the same steps drop the member (the false positive this prevents)', () => {
    const result = lateTimerWithQueuedHeartbeat(false)
    expect(result.inTimersPhase).toEqual([])
    expect(result.events).toEqual(['member:leave', 'view:change', 'member:join', 'view:change'])
  })

  it('defers once only: with no heartbeat queued, the deferred pass drops a crashed member', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(3000)
    clock.advanceBlocked(2100)
    expect(ids(table, 'g')).toEqual(['m'])
    clock.advanceBlocked(500) // the deferred pass itself fires late: it is not deferred again
    expect(ids(table, 'g')).toEqual([])
  })

  it('a timer late by no more than the grace runs its pass at once', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(3000)
    clock.advanceBlocked(2050)
    expect(ids(table, 'g')).toEqual([])
    expect(table.lagAllowanceMs).toBe(0)
  })
})

describe('awareness: a lagging node is more patient with others', () => {
  it('extends the removal deadline of others by the lateness of its own timer', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advanceBlocked(3600) // the suspicion timer due at 3000 fires 600 ms late
    expect(table.lagAllowanceMs).toBe(600)
    clock.advance(0)
    expect(table.members('g').map(member => member.state)).toEqual(['suspect'])
    clock.advance(1999)
    expect(ids(table, 'g')).toEqual(['m'])
    clock.advance(1)
    expect(clock.now()).toBe(5600)
    expect(ids(table, 'g')).toEqual([])
  })

  it('lateness decays: once timers are on time for memberTimeoutMs, deadlines are exact again', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('c', 1, ['other']))
    clock.advanceBlocked(3600)
    expect(table.lagAllowanceMs).toBe(600)
    table.ingest(heartbeat('c', 2, ['other']))
    clock.advance(0)
    for (let seq = 3; clock.now() < 3600 + 5000; seq++) {
      expect(table.lagAllowanceMs).toBe(600)
      clock.advance(500)
      table.ingest(heartbeat('c', seq, ['other']))
    }
    expect(table.lagAllowanceMs).toBe(0)
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(4999)
    expect(ids(table, 'g')).toEqual(['m'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual([])
  })

  it('caps the extension at memberTimeoutMs: a crashed member is still removed within 2 * memberTimeoutMs', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    table.ingest(heartbeat('c', 1, ['g']))
    clock.advanceBlocked(20_000) // blocked 20 s: the timer due at 3000 fires 17 s late
    expect(table.lagAllowanceMs).toBe(5000)
    table.ingest(heartbeat('m', 2, ['g']))
    table.ingest(heartbeat('c', 2, ['g']))
    clock.advance(0)
    expect(ids(table, 'g')).toEqual(['c', 'm'])
    const lastHeardMs = clock.now() // m crashes; c keeps heartbeating on time
    const leftAtMs = stepUntilLeave(clock, table, 100, false)
    expect(leftAtMs).toBeDefined()
    expect((leftAtMs as number) - lastHeardMs).toBeGreaterThanOrEqual(5000)
    expect((leftAtMs as number) - lastHeardMs).toBeLessThanOrEqual(5000 + 5000)
    expect(ids(table, 'g')).toEqual(['c'])
  })

  it('a crashed member is removed within memberTimeoutMs + the cap while our loop keeps lagging', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    const leftAtMs = stepUntilLeave(clock, table, 400, true)
    expect(leftAtMs).toBeDefined()
    expect(leftAtMs).toBeLessThanOrEqual(5000 + 5000)
  })

  it('awareness: false keeps deadlines exact whatever the lateness', () => {
    const { clock, table } = createTable({ awareness: false })
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advanceBlocked(3600)
    expect(table.lagAllowanceMs).toBe(0)
    clock.advance(1399)
    expect(ids(table, 'g')).toEqual(['m'])
    clock.advance(1)
    expect(ids(table, 'g')).toEqual([])
  })
})
