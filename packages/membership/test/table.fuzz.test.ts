/**
 * Fuzzing of the membership table (fast-check): arbitrary interleavings of heartbeats (good, stale,
 * replayed, restarted, malformed, skewed, oversized groups), clock advances, expiries, joins,
 * leaves and watches. No exception escapes, and after every step the table's invariants hold.
 * `FUZZ_RUNS` sets the sequences per run (`pnpm fuzz`: 100,000; default 200 for CI).
 */
import fc from 'fast-check'
import { membersDigest } from '@gossip-ring/ring'
import { describe, expect, it } from 'vitest'
import { ManualClock, MAX_WEIGHT, MembershipTable } from '../src/index.js'
import type { GroupAdvert, Heartbeat } from '../src/index.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 200)
/** `pnpm fuzz` runs long: allow ~10 ms per input (100,000 inputs: under 17 minutes on a loaded 2-core machine). */
const FUZZ_TIMEOUT_MS = Math.max(60_000, RUNS * 10)
const EPOCH = 1_700_000_000_000
const IDS = ['a', 'b', 'c', 'd', 'self', '']
const GROUPS = ['g1', 'g2', 'g3', '__proto__', 'toString', '']
const MAX_MEMBERS = 3
const TIMEOUT_MS = 5000

const advertArb: fc.Arbitrary<GroupAdvert> = fc.record({
  name: fc.constantFrom(...GROUPS),
  weight: fc.oneof(fc.constantFrom(1, 2, MAX_WEIGHT, 0, -1, 1e300, Number.NaN, Number.POSITIVE_INFINITY), fc.double()),
  metadata: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }), fc.constant({ k: 1 } as unknown as Record<string, string>))
})

type Step =
  | { kind: 'ingest', from: string, boot: number, seq: number, skewMs: number, groups: GroupAdvert[], leaving: boolean, digest: string | undefined }
  | { kind: 'advance', ms: number }
  | { kind: 'expire' }
  | { kind: 'join' | 'leave' | 'watch' | 'unwatch', group: string, weight: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('ingest' as const), from: fc.constantFrom(...IDS), boot: fc.integer({ min: 0, max: 2 }), seq: fc.integer({ min: -1, max: 12 }), skewMs: fc.constantFrom(0, 0, -30_000, 70_000, -200_000), groups: fc.array(advertArb, { maxLength: 4 }), leaving: fc.boolean(), digest: fc.option(fc.constantFrom('x', ''), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(0, 200, 1000, 3000, 6000, 200_000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'watch' as const, 'unwatch' as const), group: fc.constantFrom(...GROUPS), weight: fc.constantFrom(1, 3, 0, 2000) }) }
)

function apply (table: MembershipTable, clock: ManualClock, step: Step): void {
  switch (step.kind) {
    case 'ingest': {
      const hb: Heartbeat = {
        from: step.from, bootId: `${step.from}-boot${step.boot}`, seq: step.seq, groups: step.groups, leaving: step.leaving,
        digests: step.digest === undefined ? {} : Object.fromEntries(step.groups.map(group => [group.name, step.digest === 'x' ? table.digest(group.name) : 'ffffffffffffffff'])),
        sentAtMs: EPOCH + clock.now() + step.skewMs + step.boot * 10
      }
      table.ingest(hb)
      return
    }
    case 'advance': clock.advance(step.ms); return
    case 'expire': table.expire(); return
    case 'join':
      try {
        table.joinGroup(step.group, { weight: step.weight })
      } catch (err) {
        expect((err as Error).name).toBe('InvalidOptionError')   // empty name or weight outside (0, 1000]
      }
      return
    case 'leave': table.leaveGroup(step.group); return
    case 'watch':
      try {
        table.watchGroup(step.group)
      } catch (err) {
        expect((err as Error).name).toBe('InvalidOptionError')
      }
      return
    case 'unwatch': table.unwatchGroup(step.group)
  }
}

function checkInvariants (table: MembershipTable, watched: Set<string>): void {
  const joined = new Set(table.groups())
  for (const group of GROUPS) {
    const members = table.members(group)
    const ids = members.map(member => member.id)
    expect(ids).toEqual([...new Set(ids)].sort())                                   // sorted, unique
    expect(members.length).toBeLessThanOrEqual(Math.max(MAX_MEMBERS, joined.has(group) ? MAX_MEMBERS + 1 : 0))
    expect(ids.includes('self')).toBe(joined.has(group))                          // self iff joined
    expect(members.filter(member => member.self).map(member => member.id)).toEqual(joined.has(group) ? ['self'] : [])
    for (const member of members) expect(member.weight > 0 && member.weight <= MAX_WEIGHT && member.id !== '').toBe(true)
    if (!joined.has(group) && !watched.has(group)) expect(members).toEqual([])    // only tracked groups
    expect(table.digest(group)).toBe(membersDigest(members.map(member => ({ id: member.id, weight: member.weight }))))
    expect(typeof table.isConverged(group)).toBe('boolean')
    if (!joined.has(group)) expect(table.isConverged(group)).toBe(false)
  }
}

describe('membership table fuzzing', () => {
  it('no exception escapes and the invariants hold after every step', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), steps => {
      const clock = new ManualClock()
      const table = new MembershipTable({ clock, wallClock: { now: () => EPOCH + clock.now() } }, {
        selfId: 'self', heartbeatIntervalMs: 1000, memberTimeoutMs: TIMEOUT_MS, trackAllGroups: false, maxMembersPerGroup: MAX_MEMBERS, flapDampingMs: 2000
      })
      table.start()
      const watched = new Set<string>()
      for (const step of steps) {
        apply(table, clock, step)
        if (step.kind === 'watch' && step.group !== '') watched.add(step.group)
        if (step.kind === 'unwatch') watched.delete(step.group)
        checkInvariants(table, watched)
      }
      table.stop()
    }), { numRuns: RUNS })
  }, FUZZ_TIMEOUT_MS)
})
