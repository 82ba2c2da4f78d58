import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, recordEvents } from './helpers.js'
import type { ManualClock, MembershipTable } from '../src/index.js'

/** Everyone in `agree` advertises our digest of g, `odd` advertises a digest nobody has; one interval passes. */
function round (clock: ManualClock, table: MembershipTable, seq: number, agree: string[], odd: string | undefined): void {
  const digest = table.digest('g')
  for (const id of agree) table.ingest(heartbeat(id, seq, ['g'], { digests: { g: digest } }))
  if (odd !== undefined) table.ingest(heartbeat(odd, seq, ['g'], { digests: { g: 'ffffffffffffffff' } }))
  clock.advance(1000)
}

describe('digest poisoning', () => {
  it('a member advertising a digest nobody has blocks convergence only for memberTimeoutMs, then is named and left out', () => {
    const { clock, table } = createTable()   // heartbeat 1000 ms, timeout 5000 ms
    table.joinGroup('g')
    const events = recordEvents(table)
    let seq = 0
    round(clock, table, ++seq, ['a', 'b'], 'poison')
    round(clock, table, ++seq, ['a', 'b'], 'poison')
    expect(table.isConverged('g')).toBe(false)
    while (clock.now() < 6000) round(clock, table, ++seq, ['a', 'b'], 'poison')
    expect(table.isConverged('g')).toBe(true)
    const relevant = events.take().filter(event => event.type === 'group:odd-member' || event.type === 'group:converged')
    expect(relevant.map(event => [event.type, event.detail.id ?? null])).toEqual([['group:odd-member', 'poison'], ['group:converged', null]])
    expect(relevant[0]?.detail).toEqual({ group: 'g', id: 'poison', digest: 'ffffffffffffffff' })
    // the odd member comes round: converged the ordinary way, no new odd-member event
    round(clock, table, ++seq, ['a', 'b', 'poison'], undefined)
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:odd-member')).toEqual([])
  })

  it('two members disagreeing, or a lone other member, never count as converged', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    for (let seq = 1; seq <= 10; seq++) {
      round(clock, table, seq, ['a'], 'poison')
      table.ingest(heartbeat('other', seq, ['g'], { digests: { g: '0000000000000000' } }))
    }
    expect(table.isConverged('g')).toBe(false)
    const lone = createTable()
    lone.table.joinGroup('g')
    for (let seq = 1; seq <= 10; seq++) round(lone.clock, lone.table, seq, [], 'poison')
    expect(lone.table.isConverged('g')).toBe(false)
  })
})
