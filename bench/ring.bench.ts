/**
 * Benchmark of @gossip-ring/ring against the npm packages `hashring` (ketama, md5, 160 points per
 * server) and `consistent-hash` (40 random points per node), in the same run, on keys
 * resource_0..999999 and members whose ids look like libp2p Ed25519 peer ids (from a seeded PRNG).
 *
 *   pnpm bench:ring           human table
 *   pnpm bench:ring --json    one JSON object on stdout, nothing else
 *
 * Every rate is the best of 3 time-bounded runs; machines are shared, so read the ratios.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { createRing } from '@gossip-ring/ring'

/** The mutable face every contender is measured through. */
interface Router {
  owner(key: string): string | undefined
  add(id: string): void
  remove(id: string): void
}

interface Contender {
  name: string
  create(ids: readonly string[]): Router
}

interface HashRingModule { get(key: string): string; add(server: string): void; remove(server: string): void }
interface ConsistentHashModule { get(key: string): string | null; add(node: string): void; remove(node: string): void }

const require = createRequire(import.meta.url)
const HashRingClass = require('hashring') as new (servers: string[]) => HashRingModule
const ConsistentHashClass = require('consistent-hash') as new () => ConsistentHashModule

const KEY_COUNT = 1_000_000
const RUN_BUDGET_MS = 200
const RUNS = 3
const SIZES = [10, 100, 1000] as const
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

const ours: Contender = {
  name: '@gossip-ring/ring',
  create (ids) {
    let ring = createRing(ids.map((id) => ({ id })))
    return {
      owner: (key) => ring.owner(key),
      add: (id) => { ring = ring.withMember({ id }) },
      remove: (id) => { ring = ring.withoutMember(id) }
    }
  }
}

const hashring: Contender = {
  name: 'hashring 3.2.0',
  create (ids) {
    const ring = new HashRingClass([...ids])
    return { owner: (key) => ring.get(key), add: (id) => ring.add(id), remove: (id) => ring.remove(id) }
  }
}

const consistentHash: Contender = {
  name: 'consistent-hash 1.2.2',
  create (ids) {
    const ring = new ConsistentHashClass()
    for (const id of ids) ring.add(id)
    return { owner: (key) => ring.get(key) ?? undefined, add: (id) => ring.add(id), remove: (id) => ring.remove(id) }
  }
}

const contenders = [ours, hashring, consistentHash]

/** mulberry32: a tiny seeded PRNG, so every run uses the same member ids. */
function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` ids shaped like libp2p Ed25519 peer ids: '12D3KooW' + 44 base58 chars. */
function peerIds (count: number, seed: number): string[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => {
    let id = '12D3KooW'
    for (let i = 0; i < 44; i++) id += BASE58[Math.floor(random() * BASE58.length)]
    return id
  })
}

/** Best of RUNS runs of `work(from, to)` over consecutive key ranges, each run bounded by RUN_BUDGET_MS: items per second. */
function bestRate (work: (from: number, to: number) => void, chunk = 4096): number {
  let best = 0
  let offset = 0
  for (let run = 0; run < RUNS; run++) {
    let done = 0
    const start = performance.now()
    let elapsed = 0
    while (elapsed < RUN_BUDGET_MS) {
      const from = offset % KEY_COUNT
      const to = Math.min(from + chunk, KEY_COUNT)
      work(from, to)
      done += to - from
      offset = to
      elapsed = performance.now() - start
    }
    best = Math.max(best, (done / elapsed) * 1000)
  }
  return best
}

/** Best of `runs` wall times of `work`, in ms. */
function bestMs (work: () => void, runs = RUNS): number {
  let best = Infinity
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    work()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

function lookupRate (router: Router, keys: readonly string[]): number {
  let sink = 0
  const rate = bestRate((from, to) => {
    for (let i = from; i < to; i++) if (router.owner(keys[i]!) === undefined) sink++
  })
  if (sink > 0) throw new Error('a lookup returned no owner')
  return rate
}

function assignAll (router: Router, keys: readonly string[]): string[] {
  return keys.map((key) => router.owner(key) ?? '')
}

function peakToMean (owners: readonly string[], memberCount: number): number {
  const counts = new Map<string, number>()
  for (const owner of owners) counts.set(owner, (counts.get(owner) ?? 0) + 1)
  return Math.max(...counts.values()) / (owners.length / memberCount)
}

interface Movement { moved: number, between: number }

/** Keys whose owner changed, and those among them that moved between two members other than `changed`. */
function movement (before: readonly string[], after: readonly string[], changed: string): Movement {
  let moved = 0
  let between = 0
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue
    moved++
    if (before[i] !== changed && after[i] !== changed) between++
  }
  return { moved, between }
}

/** Balance and disruption at 100 members: one member leaves, and (from the same start) one joins. */
function churn (contender: Contender, ids: readonly string[], joiner: string, keys: readonly string[]) {
  const leaver = ids[37]!
  const router = contender.create(ids)
  const base = assignAll(router, keys)
  router.add(joiner)
  const join = movement(base, assignAll(router, keys), joiner)
  router.remove(joiner)
  router.remove(leaver)
  const leave = movement(base, assignAll(router, keys), leaver)
  return {
    peakToMean: peakToMean(base, ids.length),
    movedOnLeaveRatio: leave.moved / (keys.length / ids.length),
    movedOnJoinRatio: join.moved / (keys.length / (ids.length + 1)),
    movedBetweenUnchanged: leave.between + join.between
  }
}

/** Fraction of sample keys on which two builds from the same ids, in opposite orders, agree. */
function agreement (contender: Contender, ids: readonly string[], keys: readonly string[]): number {
  const forward = contender.create(ids)
  const backward = contender.create([...ids].reverse())
  let same = 0
  for (const key of keys) if (forward.owner(key) === backward.owner(key)) same++
  return same / keys.length
}

function extractRate (contender: Contender, ids: readonly string[], keys: readonly string[]): number {
  const member = ids[0]!
  if (contender === ours) {
    const ring = createRing(ids.map((id) => ({ id })))
    return KEY_COUNT / bestMs(() => ring.extractSubset(keys, member)) * 1000
  }
  const router = contender.create(ids)
  return bestRate((from, to) => {
    const subset: string[] = []
    for (let i = from; i < to; i++) if (router.owner(keys[i]!) === member) subset.push(keys[i]!)
  })
}

function weightedLookupRate (ids: readonly string[], keys: readonly string[]): number {
  const ring = createRing(ids.map((id, index) => ({ id, weight: 1 + (index % 2) })))
  return lookupRate({ owner: (key) => ring.owner(key), add: () => {}, remove: () => {} }, keys)
}

function run () {
  const keys = Array.from({ length: KEY_COUNT }, (_, i) => `resource_${i}`)
  const idsBySize = new Map(SIZES.map((size) => [size, peerIds(size, size)]))
  const ids100 = idsBySize.get(100)!
  const ids1000 = idsBySize.get(1000)!
  const [joiner] = peerIds(1, 7)
  const agreementKeys = keys.slice(0, 100_000)

  return contenders.map((contender) => ({
    name: contender.name,
    lookups: Object.fromEntries(SIZES.map((size) => [size, lookupRate(contender.create(idsBySize.get(size)!), keys)])),
    churn: churn(contender, ids100, joiner!, keys),
    build1000Ms: bestMs(() => contender.create(ids1000)),
    extractItemsPerSec: extractRate(contender, ids100, keys),
    agreement: agreement(contender, ids100, agreementKeys),
    weightedLookups100: contender === ours ? weightedLookupRate(ids100, keys) : undefined
  }))
}

function derivationMicros (): { withMember: number, withoutMember: number } {
  const ring = createRing(peerIds(1000, 1000).map((id) => ({ id })))
  const [joiner] = peerIds(1, 7)
  const leaver = ring.members[500]!.id
  return {
    withMember: bestMs(() => ring.withMember({ id: joiner! }), 20) * 1000,
    withoutMember: bestMs(() => ring.withoutMember(leaver), 20) * 1000
  }
}

type Result = ReturnType<typeof run>[number]

function format (value: number, digits = 2): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(digits)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(digits)}k` : value.toFixed(digits)
}

function printTable (results: Result[], derivation: { withMember: number, withoutMember: number }): void {
  const [mine, ketama] = results as [Result, Result, Result]
  const rows: Array<[string, (r: Result) => string]> = [
    ...SIZES.map((size): [string, (r: Result) => string] => [`lookups/s @${size}`, (r) => `${format(r.lookups[size]!)} (${(r.lookups[size]! / ketama.lookups[size]!).toFixed(1)}x)`]),
    ['peak/mean keys @100', (r) => r.churn.peakToMean.toFixed(3)],
    ['moved on leave @100 (x ideal)', (r) => r.churn.movedOnLeaveRatio.toFixed(3)],
    ['moved on join @100 (x ideal)', (r) => r.churn.movedOnJoinRatio.toFixed(3)],
    ['moved between unchanged', (r) => String(r.churn.movedBetweenUnchanged)],
    ['build 1000 members (ms)', (r) => r.build1000Ms.toFixed(2)],
    ['extract items/s @100', (r) => format(r.extractItemsPerSec)],
    ['same owner, reversed build order', (r) => `${(r.agreement * 100).toFixed(1)}%`]
  ]
  const widths = [34, ...results.map((r) => Math.max(r.name.length, 18))]
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')
  console.log(line(['', ...results.map((r) => r.name)]))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const [label, cell] of rows) console.log(line([label, ...results.map(cell)]))
  console.log(`\nours, weighted (1 and 2) @100: ${format(mine.weightedLookups100!)} lookups/s; ` +
    `withMember @1000: ${derivation.withMember.toFixed(0)} µs, withoutMember @1000: ${derivation.withoutMember.toFixed(0)} µs`)
}

const results = run()
const derivation = derivationMicros()
const [mine, ketama, randomPoints] = results as [Result, Result, Result]
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    lookupsRatioVsHashring10: mine.lookups[10]! / ketama.lookups[10]!,
    lookupsRatioVsHashring100: mine.lookups[100]! / ketama.lookups[100]!,
    lookupsRatioVsHashring1000: mine.lookups[1000]! / ketama.lookups[1000]!,
    peakToMean100: mine.churn.peakToMean,
    movedOnLeaveRatio100: mine.churn.movedOnLeaveRatio,
    movedOnJoinRatio100: mine.churn.movedOnJoinRatio,
    movedBetweenUnchanged: mine.churn.movedBetweenUnchanged,
    build1000Ms: mine.build1000Ms,
    extractItemsPerSec: mine.extractItemsPerSec,
    lookupsPerSec: mine.lookups,
    weightedLookupsPerSec100: mine.weightedLookups100,
    withMember1000Micros: derivation.withMember,
    withoutMember1000Micros: derivation.withoutMember,
    hashring: { lookupsPerSec: ketama.lookups, ...ketama.churn, build1000Ms: ketama.build1000Ms, agreement: ketama.agreement },
    consistentHash: {
      lookupsPerSec: randomPoints.lookups, ...randomPoints.churn, build1000Ms: randomPoints.build1000Ms, agreement: randomPoints.agreement
    }
  }))
} else {
  printTable(results, derivation)
}
