import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManualClock, MembershipTable } from '../src/index.js'
import { advert } from './helpers.js'
import type { GroupAdvert, Heartbeat } from '../src/index.js'

const MEMBER_TIMEOUT_MS = 5000
const GROUP_NAMES = ['g1', 'g2', 'g3']

/** One heartbeat's content: the groups listed (with weight and metadata), or a goodbye. */
const heartbeatContent = fc.record({
  groups: fc.subarray(GROUP_NAMES).chain(names => fc.tuple(
    ...names.map(name => fc.record({ weight: fc.integer({ min: 1, max: 3 }), zone: fc.constantFrom('a', 'b') })
      .map(({ weight, zone }): GroupAdvert => advert(name, weight, { zone }))))),
  leaving: fc.boolean()
})

/** Every member's heartbeats of one boot id with seq 1..n (any of them may be a goodbye). */
const heartbeats = fc.uniqueArray(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), { minLength: 1 })
  .chain(members => fc.tuple(...members.map(from => fc.array(heartbeatContent, { minLength: 1, maxLength: 4 })
    .map(contents => contents.map((content, i): Heartbeat => ({ from, bootId: `${from}-boot`, seq: i + 1, digests: {}, ...content }))))))
  .map(perMember => perMember.flat())

/** A delivery: the heartbeats in some order, with a clock tick before each, all within one member timeout. */
function delivery (all: Heartbeat[]): fc.Arbitrary<Array<{ hb: Heartbeat, tickMs: number }>> {
  const maxTickMs = Math.floor((MEMBER_TIMEOUT_MS - 1) / all.length)
  return fc.tuple(
    fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
    fc.array(fc.integer({ min: 0, max: maxTickMs }), { minLength: all.length, maxLength: all.length })
  ).map(([order, ticks]) => order.map((hb, i) => ({ hb, tickMs: ticks[i] ?? 0 })))
}

function run (steps: Array<{ hb: Heartbeat, tickMs: number }>, joinAt: number): MembershipTable {
  const clock = new ManualClock()
  const table = new MembershipTable({ clock }, { selfId: 'self', heartbeatIntervalMs: 1000, memberTimeoutMs: MEMBER_TIMEOUT_MS })
  table.start()
  steps.forEach(({ hb, tickMs }, i) => {
    if (i === joinAt) {
      table.joinGroup('g1', { weight: 2 })
    }
    clock.advance(tickMs)
    table.ingest(hb)
  })
  if (joinAt >= steps.length) {
    table.joinGroup('g1', { weight: 2 })
  }
  return table
}

/** What must agree between two tables: members with weights and metadata (not suspicion), and digests. */
function snapshot (table: MembershipTable): unknown {
  return GROUP_NAMES.map(group => ({
    group,
    members: table.members(group).map(({ id, weight, metadata, self }) => ({ id, weight, metadata, self })),
    digest: table.digest(group)
  }))
}

describe('order independence (property)', () => {
  it('two tables fed the same heartbeats in any order, with any ticks within the timeout, agree on members and digests', () => {
    fc.assert(fc.property(
      heartbeats.chain(all => fc.tuple(delivery(all), delivery(all), fc.nat({ max: all.length }), fc.nat({ max: all.length }))),
      ([first, second, joinFirst, joinSecond]) => {
        const a = run(first, joinFirst)
        const b = run(second, joinSecond)
        expect(snapshot(a)).toEqual(snapshot(b))
      }
    ), { numRuns: 300 })
  })

  it('the agreed state is the one of each member\'s highest-seq heartbeat', () => {
    fc.assert(fc.property(heartbeats.chain(all => fc.tuple(fc.constant(all), delivery(all))), ([all, steps]) => {
      const table = run(steps, steps.length)
      const latest = new Map<string, Heartbeat>()
      for (const hb of all) {
        if ((latest.get(hb.from)?.seq ?? 0) < hb.seq) {
          latest.set(hb.from, hb)
        }
      }
      for (const group of GROUP_NAMES) {
        const expected = [...latest.values()]
          .filter(hb => !hb.leaving && hb.groups.some(g => g.name === group))
          .map(hb => hb.from)
        if (group === 'g1') {
          expected.push('self')
        }
        expect(table.members(group).map(member => member.id)).toEqual(expected.sort())
      }
    }), { numRuns: 200 })
  })
})
