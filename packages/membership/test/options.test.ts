import { describe, expect, it } from 'vitest'
import { InvalidOptionError, ManualClock, MembershipTable } from '../src/index.js'
import { createTable } from './helpers.js'
import type { MembershipInit } from '../src/index.js'

describe('option validation', () => {
  it.each([
    [{ selfId: '' }, /selfId must be a non-empty string/],
    [{ selfId: 'a', heartbeatIntervalMs: 0 }, /heartbeatIntervalMs/],
    [{ selfId: 'a', suspectAfterMs: 500 }, /suspectAfterMs .* greater than heartbeatIntervalMs \(1000\)/],
    [{ selfId: 'a', memberTimeoutMs: 2000 }, /memberTimeoutMs .* greater than suspectAfterMs \(3000\)/],
    [{ selfId: 'a', flapDampingMs: -1 }, /flapDampingMs must be a finite number of milliseconds >= 0, got -1/],
    [{ selfId: 'a', flapDampingMs: Number.NaN }, /flapDampingMs .* got NaN/],
    [{ selfId: 'a', awareness: 'yes' }, /awareness must be true or false, got "yes"/],
    [{ selfId: 'a', awareness: 1 }, /awareness must be true or false, got 1/]
  ] as Array<[MembershipInit, RegExp]>)('rejects %o', (init, message) => {
    expect(() => new MembershipTable({ clock: new ManualClock() }, init)).toThrow(message)
    expect(() => new MembershipTable({ clock: new ManualClock() }, init)).toThrow(InvalidOptionError)
  })

  it('rejects a missing clock', () => {
    expect(() => new MembershipTable({} as never, { selfId: 'a' })).toThrow(InvalidOptionError)
  })

  it('rejects a contactPending that is not a function', () => {
    expect(() => new MembershipTable({ clock: new ManualClock(), contactPending: true as never }, { selfId: 'a' })).toThrow(/contactPending must be a function/)
  })

  it.each([
    ['', {}, /group must be a non-empty string, got ""/],
    ['g', { weight: 0 }, /weight must be a number greater than 0 and at most 1000, got 0/],
    ['g', { weight: 1000.5 }, /weight .* at most 1000, got 1000.5/],
    ['g', { weight: Number.POSITIVE_INFINITY }, /weight .* got Infinity/],
    ['g', { metadata: { n: 1 } }, /metadata must be a plain object whose values are strings/]
  ])('joinGroup(%j, %o) throws InvalidOptionError', (group, opts, message) => {
    const { table } = createTable()
    expect(() => table.joinGroup(group, opts as never)).toThrow(message)
    expect(table.groups()).toEqual([])
  })

  it('does not mutate the caller options', () => {
    const init = Object.freeze({ selfId: 'a', heartbeatIntervalMs: 10 })
    expect(() => new MembershipTable({ clock: new ManualClock() }, init)).not.toThrow()
    expect(init).toEqual({ selfId: 'a', heartbeatIntervalMs: 10 })
  })
})
