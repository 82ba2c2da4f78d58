/**
 * Benchmark of @gossip-ring/membership: a simulated group of N members (10, 50, 200) that all
 * heartbeat once per round, each heartbeat advertising the group's digest, followed by one expiry
 * pass; measured against a named baseline in the same run, `naive-recompute`: a table that rebuilds
 * the sorted member list and its digest on every heartbeat and scans every member on expiry.
 *
 *   pnpm bench:membership           human table
 *   pnpm bench:membership --json    one JSON object on stdout, nothing else
 *
 * Every rate is the best of 3 time-bounded runs; machines are shared, so read the ratios.
 */
import { performance } from 'node:perf_hooks'
import { ManualClock, MembershipTable } from '@gossip-ring/membership'
import { membersDigest } from '@gossip-ring/ring'
import type { Heartbeat } from '@gossip-ring/membership'

const GROUP = 'pollers'
const HEARTBEAT_INTERVAL_MS = 1000
const MEMBER_TIMEOUT_MS = 5 * HEARTBEAT_INTERVAL_MS
const SIZES = [10, 50, 200] as const
const RUN_BUDGET_MS = 250
const RUNS = 3
const TARGET_HEARTBEATS_PER_SEC = 1_000_000

/** What the benchmark drives: ingest, one expiry pass, and the digest peers advertise. */
interface Contender {
  ingest(hb: Heartbeat): void
  expire(): void
  digest(): string
}

interface Simulation {
  readonly clock: ManualClock
  readonly contender: Contender
  readonly heartbeats: Heartbeat[]
}

/** The membership table under test, started, self in the group. */
function createOurs (clock: ManualClock): Contender {
  const table = new MembershipTable({ clock }, { selfId: 'self', heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, memberTimeoutMs: MEMBER_TIMEOUT_MS })
  table.start()
  table.joinGroup(GROUP)
  return { ingest: (hb) => { table.ingest(hb) }, expire: () => { table.expire() }, digest: () => table.digest(GROUP) }
}

/** The baseline: correct but recomputes the whole view and its digest on every heartbeat. */
function createNaive (clock: ManualClock): Contender {
  const records = new Map<string, { bootId: string, seq: number, lastSeenMs: number, weight: number }>()
  let digest = membersDigest([{ id: 'self' }])
  const recompute = (): void => {
    const members = [{ id: 'self', weight: 1 }, ...[...records].map(([id, { weight }]) => ({ id, weight }))]
    members.sort((a, b) => (a.id < b.id ? -1 : 1))
    digest = membersDigest(members)
  }
  return {
    ingest (hb) {
      const known = records.get(hb.from)
      if (known !== undefined && known.bootId === hb.bootId && known.seq >= hb.seq) {
        return
      }
      records.set(hb.from, { bootId: hb.bootId, seq: hb.seq, lastSeenMs: clock.now(), weight: hb.groups[0]?.weight ?? 1 })
      recompute()
    },
    expire () {
      const nowMs = clock.now()
      let removed = false
      for (const [id, record] of records) {
        if (nowMs - record.lastSeenMs >= MEMBER_TIMEOUT_MS) {
          records.delete(id)
          removed = true
        }
      }
      if (removed) {
        recompute()
      }
    },
    digest: () => digest
  }
}

/** N members with one heartbeat object each (seq bumped per round), every member converged on the digest. */
function simulate (size: number, create: (clock: ManualClock) => Contender): Simulation {
  const clock = new ManualClock()
  const contender = create(clock)
  const heartbeats = Array.from({ length: size }, (_, i): Heartbeat => ({
    from: `member-${String(i).padStart(4, '0')}`,
    bootId: `boot-${i}`,
    seq: 0,
    groups: [{ name: GROUP, weight: 1 + (i % 3), metadata: { zone: `z${i % 4}` } }],
    leaving: false,
    digests: {}
  }))
  round(heartbeats, contender)
  const digest = contender.digest()
  for (const hb of heartbeats) {
    hb.digests = { [GROUP]: digest }
  }
  return { clock, contender, heartbeats }
}

/** One round: every member's next heartbeat is ingested. */
function round (heartbeats: Heartbeat[], contender: Contender): void {
  for (const hb of heartbeats) {
    hb.seq++
    contender.ingest(hb)
  }
}

interface Measurement {
  heartbeatsPerSec: number
  /** One round of N heartbeats plus one expiry pass, in microseconds. */
  roundUs: number
  /** One expiry pass with nothing due, in microseconds. */
  expirePassUs: number
}

/** Best of RUNS time-bounded runs of rounds; the clock moves one interval between rounds. */
function measure (size: number, create: (clock: ManualClock) => Contender): Measurement {
  let best: Measurement = { heartbeatsPerSec: 0, roundUs: Number.POSITIVE_INFINITY, expirePassUs: Number.POSITIVE_INFINITY }
  for (let run = 0; run < RUNS; run++) {
    const { clock, contender, heartbeats } = simulate(size, create)
    let ingestMs = 0
    let expireMs = 0
    let rounds = 0
    const startMs = performance.now()
    while (performance.now() - startMs < RUN_BUDGET_MS) {
      clock.advance(HEARTBEAT_INTERVAL_MS)
      const t0 = performance.now()
      round(heartbeats, contender)
      const t1 = performance.now()
      contender.expire()
      const t2 = performance.now()
      ingestMs += t1 - t0
      expireMs += t2 - t1
      rounds++
    }
    best = {
      heartbeatsPerSec: Math.max(best.heartbeatsPerSec, (rounds * size) / (ingestMs / 1000)),
      roundUs: Math.min(best.roundUs, ((ingestMs + expireMs) * 1000) / rounds),
      expirePassUs: Math.min(best.expirePassUs, (expireMs * 1000) / rounds)
    }
  }
  return best
}

/** One expiry pass that removes all N members at once (one view:change), in microseconds, best of RUNS. */
function measureMassExpiry (size: number, create: (clock: ManualClock) => Contender): number {
  let bestUs = Number.POSITIVE_INFINITY
  for (let run = 0; run < RUNS * 10; run++) {
    const { clock, contender } = simulate(size, create)
    clock.advance(MEMBER_TIMEOUT_MS - 1)
    const t0 = performance.now()
    clock.advance(1)
    contender.expire()
    bestUs = Math.min(bestUs, (performance.now() - t0) * 1000)
  }
  return bestUs
}

interface Row {
  size: number
  ours: Measurement
  naive: Measurement
  massExpiryUs: number
}

function main (): void {
  const json = process.argv.includes('--json')
  measure(SIZES[0], createOurs) // warm-up
  const rows: Row[] = SIZES.map((size) => ({
    size,
    ours: measure(size, createOurs),
    naive: measure(size, createNaive),
    massExpiryUs: measureMassExpiry(size, createOurs)
  }))
  const largest = rows.at(-1) as Row
  const result: Record<string, number | boolean | string> = { baseline: 'naive-recompute' }
  for (const row of rows) {
    result[`heartbeatsPerSec${row.size}`] = Math.round(row.ours.heartbeatsPerSec)
    result[`naiveHeartbeatsPerSec${row.size}`] = Math.round(row.naive.heartbeatsPerSec)
    result[`speedupVsNaive${row.size}`] = round2(row.ours.heartbeatsPerSec / row.naive.heartbeatsPerSec)
    result[`roundUs${row.size}`] = round2(row.ours.roundUs)
    result[`expirePassUs${row.size}`] = round2(row.ours.expirePassUs)
    result[`massExpiryPassUs${row.size}`] = round2(row.massExpiryUs)
  }
  result.targetHeartbeatsPerSec = TARGET_HEARTBEATS_PER_SEC
  result.meetsTarget = largest.ours.heartbeatsPerSec >= TARGET_HEARTBEATS_PER_SEC
  if (json) {
    console.log(JSON.stringify(result))
    return
  }
  console.log(`membership: one round of heartbeats + one expiry pass per simulated interval (best of ${RUNS} x ${RUN_BUDGET_MS} ms)\n`)
  console.table(rows.map((row) => ({
    members: row.size,
    'heartbeats/s': fmt(row.ours.heartbeatsPerSec),
    'naive-recompute heartbeats/s': fmt(row.naive.heartbeatsPerSec),
    'speed-up': `${round2(row.ours.heartbeatsPerSec / row.naive.heartbeatsPerSec)}x`,
    'round + pass (us)': round2(row.ours.roundUs),
    'expiry pass (us)': round2(row.ours.expirePassUs),
    'pass removing all (us)': round2(row.massExpiryUs)
  })))
  const verdict = result.meetsTarget === true ? 'meets' : 'MISSES'
  console.log(`\n${largest.size} members: ${fmt(largest.ours.heartbeatsPerSec)} heartbeats/s, ${verdict} the target of ${fmt(TARGET_HEARTBEATS_PER_SEC)}/s`)
}

function round2 (value: number): number {
  return Math.round(value * 100) / 100
}

function fmt (value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

main()
