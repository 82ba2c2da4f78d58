import { describe, expect, it } from 'vitest'
import { createTable, heartbeat, recordEvents } from './helpers.js'

describe('event batching and order', () => {
  it('three members expiring in one tick fire three member:leave then one view:change', () => {
    const { clock, table } = createTable()
    table.joinGroup('g')
    for (const id of ['a', 'b', 'c']) {
      table.ingest(heartbeat(id, 1, ['g']))
    }
    const events = recordEvents(table)
    clock.advance(3000)
    expect(events.take().map(event => event.type)).toEqual(['member:suspect', 'member:suspect', 'member:suspect'])
    clock.advance(2000)
    const fired = events.take()
    expect(fired.map(event => event.type)).toEqual(['member:leave', 'member:leave', 'member:leave', 'view:change', 'group:converged'])
    expect(fired.slice(0, 3).map(event => event.detail)).toEqual(['a', 'b', 'c'].map(id => ({ group: 'g', id, reason: 'timeout' })))
    expect(fired[3]?.detail).toEqual({ group: 'g', members: table.members('g'), digest: table.digest('g') })
  })

  it('one view:change per changed group per call, groups by name, after the member events', () => {
    const { table } = createTable()
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 1, ['z', 'a']))
    expect(events.take().map(event => [event.type, event.detail.group])).toEqual([
      ['member:join', 'z'], ['member:join', 'a'], ['view:change', 'a'], ['view:change', 'z']
    ])
  })

  it('handlers see the table already updated and may call back into it without reordering events', () => {
    const { table } = createTable()
    const seen: string[] = []
    table.addEventListener('member:join', ({ detail }) => {
      seen.push(`join ${detail.id} members=${table.members('g').map(member => member.id).join(',')}`)
      if (detail.id === 'a') {
        table.ingest(heartbeat('b', 1, ['g']))
      }
    })
    table.addEventListener('view:change', ({ detail }) => {
      seen.push(`view ${detail.members.map(member => member.id).join(',')}`)
    })
    table.ingest(heartbeat('a', 1, ['g']))
    expect(seen).toEqual(['join a members=a', 'view a', 'join b members=a,b', 'view a,b'])
  })

  it('a heartbeat that changes nothing fires nothing', () => {
    const { table } = createTable()
    table.ingest(heartbeat('m', 1, ['g']))
    const events = recordEvents(table)
    table.ingest(heartbeat('m', 2, ['g']))
    expect(events.take()).toEqual([])
  })
})

describe('convergence', () => {
  it('is true iff self joined and every other live member advertises our digest; group:converged fires when it turns true', () => {
    const { table } = createTable()
    const events = recordEvents(table)
    table.ingest(heartbeat('a', 1, ['g']))
    expect(table.isConverged('g')).toBe(false)
    table.joinGroup('g')
    expect(table.isConverged('g')).toBe(false)
    const digest = table.digest('g')
    events.take()
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: 'something-else' } }))
    expect(table.isConverged('g')).toBe(false)
    table.ingest(heartbeat('a', 3, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(true)
    expect(events.take()).toEqual([{ type: 'group:converged', detail: { group: 'g', digest } }])
    table.ingest(heartbeat('a', 4, ['g'], { digests: { g: digest } }))
    expect(events.take()).toEqual([])
  })

  it('turns false when the view changes and fires again once everyone advertises the new digest', () => {
    const { table } = createTable()
    table.joinGroup('g')
    const events = recordEvents(table)
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('b', 1, ['g']))
    const digest = table.digest('g')
    table.ingest(heartbeat('a', 2, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(false)
    table.ingest(heartbeat('b', 2, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(true)
    table.ingest(heartbeat('c', 1, ['g'], { digests: { g: digest } }))
    expect(table.isConverged('g')).toBe(false)
    const next = table.digest('g')
    for (const id of ['a', 'b', 'c']) {
      table.ingest(heartbeat(id, 3, ['g'], { digests: { g: next } }))
    }
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().filter(event => event.type === 'group:converged').map(event => event.detail.digest)).toEqual([digest, next])
  })

  it('turns false when a member advertises another digest, and true again when it comes back to ours', () => {
    const { table } = createTable()
    table.joinGroup('g')
    table.ingest(heartbeat('a', 1, ['g']))
    table.ingest(heartbeat('b', 1, ['g']))
    const digest = table.digest('g')
    const advertising = (seq: number, a: string, b: string): boolean => {
      table.ingest(heartbeat('a', seq, ['g'], { digests: { g: a } }))
      table.ingest(heartbeat('b', seq, ['g'], { digests: { g: b } }))
      return table.isConverged('g')
    }
    expect(advertising(2, digest, digest)).toBe(true)
    expect(advertising(3, 'other', digest)).toBe(false)
    expect(advertising(4, 'other', 'other')).toBe(false)
    expect(advertising(5, digest, 'other')).toBe(false)
    expect(advertising(6, digest, digest)).toBe(true)
  })

  it('a lone member is converged once the settle window (suspectAfterMs after joining) is over', () => {
    const { clock, table } = createTable()
    const events = recordEvents(table)
    table.joinGroup('g')
    expect(table.isConverged('g')).toBe(false)
    expect(events.take().map(event => event.type)).toEqual(['member:join', 'view:change'])
    clock.advance(3000)
    expect(table.isConverged('g')).toBe(true)
    expect(events.take().map(event => event.type)).toEqual(['group:converged'])
  })

  it('the digest of an unknown group is the digest of the empty set', () => {
    const { table } = createTable()
    table.joinGroup('g')
    table.leaveGroup('g')
    expect(table.digest('g')).toBe(table.digest('never-seen'))
    expect(table.members('never-seen')).toEqual([])
  })
})
