import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, recordEvents } from './helpers.js'

describe('forgetAgreement: self was silent longer than the others wait (a paused process)', () => {
  it('a converged group with company is no longer converged, keeps its members, and converges again (with the event) once each member advertises our digest anew', () => {
    const { table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('b', 1, ['g']))
    const digest = table.digest('g')
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: digest } }))
    table.ingest(heartbeat('b', 2, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(true)
    const events = recordEvents(table)
    table.forgetAgreement()
    expect(table.isConverged('g')).toBe(false)
    expect(table.members('g').map(m => m.id)).toEqual(['a', 'b', 'self'])
    table.ingest(heartbeat('a', 3, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(false)
    table.ingest(heartbeat('b', 3, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(true)
    expect(events.take()).toEqual([{ type: 'group:converged', detail: { group: 'g', digest } }])
  })

  it('self alone stays converged: nobody to agree with', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    clock.advance(3000)
    expect(table.isConverged('g')).toBe(true)
    table.forgetAgreement()
    expect(table.isConverged('g')).toBe(true)
  })
})
