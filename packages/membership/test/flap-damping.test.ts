import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, ids } from './helpers.js'

describe('flap damping', () => {
  it('holds back a member that timed out and came back until it has been heard for flapDampingMs', () => {
    const { clock, table } = createTable({ flapDampingMs: 10_000 })
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(5000)
    expect(ids(table, 'g')).toEqual([])
    let seq = 2
    expect(table.ingest(heartbeat('m', seq++, ['g']))).toBe('damped')
    for (let heardMs = 1000; heardMs < 10_000; heardMs += 1000) {
      clock.advance(1000)
      expect(table.ingest(heartbeat('m', seq++, ['g']))).toBe('damped')
      expect(ids(table, 'g')).toEqual([])
    }
    clock.advance(1000)
    expect(table.ingest(heartbeat('m', seq++, ['g']))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['m'])
    expect(table.counters.damped).toBe(10)
  })

  it('restarts the probation when the member goes silent again', () => {
    const { clock, table } = createTable({ flapDampingMs: 8000 })
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(5000)
    expect(table.ingest(heartbeat('m', 2, ['g']))).toBe('damped')
    clock.advance(5000)
    expect(table.ingest(heartbeat('m', 3, ['g']))).toBe('damped')
    let seq = 4
    for (let heardMs = 1000; heardMs < 8000; heardMs += 1000) {
      clock.advance(1000)
      expect(table.ingest(heartbeat('m', seq++, ['g']))).toBe('damped')
    }
    clock.advance(1000)
    expect(table.ingest(heartbeat('m', seq++, ['g']))).toBe('accepted')
  })

  it('re-adds at once a member that comes back after flapDampingMs, or one that left gracefully', () => {
    const { clock, table } = createTable({ flapDampingMs: 3000 })
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(5000 + 3000)
    expect(table.ingest(heartbeat('m', 2, ['g']))).toBe('accepted')
    table.ingest(heartbeat('n', 1, ['g']))
    table.ingest(heartbeat('n', 2, ['g'], { leaving: true }))
    expect(table.ingest(heartbeat('n', 1, ['g'], { bootId: 'n-boot2' }))).toBe('accepted')
    expect(ids(table, 'g')).toEqual(['m', 'n'])
  })

  it('is off by default: a timed-out member rejoins with its first heartbeat', () => {
    const { clock, table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    clock.advance(5000)
    expect(table.ingest(heartbeat('m', 2, ['g']))).toBe('accepted')
  })
})
