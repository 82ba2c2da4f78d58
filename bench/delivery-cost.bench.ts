/**
 * CPU per delivered heartbeat, copies per heartbeat on the wire, and delivery, for gossipsub mesh
 * variants side by side in ONE run: N real clusters (testkit, memory transport) in this process,
 * 1 s heartbeats. Each round runs every variant once on a fresh network (the order rotates per
 * round, so a load spike on the shared machine does not hit one variant only); the baseline is
 * today's configuration (mesh degree 4) and ratios are per round, against it.
 *
 *   tsx bench/delivery-cost.bench.ts                      # N = 20, 3 rounds of 15 s per variant
 *   options: --nodes 20 --rounds 3 --duration-s 15 --interval-ms 1000 --degrees 4,2,1 --json
 */
import { createTestNetwork } from '@gossip-ring/testkit'
import { ArrivalLog, countWireCopies, deliveryCost, deliveryShare, median, nowEpochMs, readCounters, subtractCounters } from './delivery-cost.js'
import type { DeliveryCost } from './delivery-cost.js'

const GROUP = 'bench'

/** The configuration every ratio is against: mesh degree 4, what main ships. */
const BASELINE_DEGREE = 4

interface Settings { nodes: number, rounds: number, durationS: number, intervalMs: number, degrees: number[], json: boolean }

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const nodes = Number(value('--nodes') ?? 20)
  const rounds = Number(value('--rounds') ?? 3)
  const durationS = Number(value('--duration-s') ?? 15)
  const intervalMs = Number(value('--interval-ms') ?? 1000)
  const others = (value('--degrees') ?? '6,2,1').split(',').map(Number).filter((d) => d !== BASELINE_DEGREE)
  if (!Number.isInteger(nodes) || nodes < 3 || !Number.isInteger(rounds) || rounds < 1 || !(durationS > 0) || !(intervalMs > 0) ||
    others.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error('usage: --nodes <int >= 3> --rounds <int >= 1> --duration-s <s> --interval-ms <ms> --degrees <ints >= 1> [--json]')
  }
  return { nodes, rounds, durationS, intervalMs, degrees: [BASELINE_DEGREE, ...others], json: argv.includes('--json') }
}

/** One variant on a fresh network: converge, warm up two intervals, then measure one window. */
async function runVariant (s: Settings, meshDegree: number): Promise<DeliveryCost> {
  const net = await createTestNetwork({ nodes: s.nodes, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: s.intervalMs, meshDegree } })
  try {
    await net.converged(GROUP, { timeoutMs: 60_000 })
    const clusters = net.running().map((i) => net.cluster(i))
    const arrivals = new ArrivalLog()
    for (const c of clusters) {
      countWireCopies(c)
      arrivals.watch(c)
    }
    await sleep(2 * s.intervalMs)
    const fromMs = nowEpochMs()
    const before = readCounters(clusters)
    await sleep(s.durationS * 1000)
    const window = subtractCounters(readCounters(clusters), before)
    const toMs = nowEpochMs()
    await sleep(s.intervalMs) // late copies of the last heartbeats still count
    return deliveryCost(window, deliveryShare([arrivals.since(fromMs - s.intervalMs)], s.nodes, fromMs, toMs))
  } finally {
    await net.stop()
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

const label = (degree: number): string => degree === BASELINE_DEGREE ? `D=${degree} (today, baseline)` : `D=${degree}`

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  const results = new Map<number, DeliveryCost[]>(s.degrees.map((d) => [d, []]))
  for (let round = 0; round < s.rounds; round++) {
    const order = s.degrees.map((_, i) => s.degrees[(i + round) % s.degrees.length] as number)
    for (const degree of order) {
      const cost = await runVariant(s, degree)
      console.error(`round ${round + 1} ${label(degree)}: ${JSON.stringify(cost)}`)
      results.get(degree)?.push(cost)
    }
  }
  const base = results.get(BASELINE_DEGREE) ?? []
  const rows = s.degrees.map((degree) => {
    const runs = results.get(degree) ?? []
    const cpu = runs.map((r) => r.cpuPerDeliveredMs)
    const ratios = runs.map((r, i) => r.cpuPerDeliveredMs / (base[i]?.cpuPerDeliveredMs ?? Number.NaN))
    return {
      variant: label(degree),
      meshDegree: degree,
      cpuPerDeliveredMs: { median: median(cpu), min: Math.min(...cpu), max: Math.max(...cpu) },
      ratioToBaseline: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      copiesPerHeartbeat: median(runs.map((r) => r.copiesPerHeartbeat)),
      delivery: Math.min(...runs.map((r) => r.delivery)),
      cpuCores: median(runs.map((r) => r.cpuCores))
    }
  })
  if (s.json) {
    console.log(JSON.stringify({ bench: 'delivery-cost', nodes: s.nodes, rounds: s.rounds, durationS: s.durationS, heartbeatIntervalMs: s.intervalMs, baseline: label(BASELINE_DEGREE), rows }))
    return
  }
  const f = (x: number, d: number): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const table = [
    ['gossipsub mesh', 'CPU ms / delivered heartbeat, median (min-max)', 'x baseline, median (min-max)', 'copies / heartbeat', 'delivery (worst run)', 'process CPU (cores)'],
    ...rows.map((r) => [
      r.variant,
      `${f(r.cpuPerDeliveredMs.median, 3)} (${f(r.cpuPerDeliveredMs.min, 3)}-${f(r.cpuPerDeliveredMs.max, 3)})`,
      `${f(r.ratioToBaseline.median, 2)} (${f(r.ratioToBaseline.min, 2)}-${f(r.ratioToBaseline.max, 2)})`,
      f(r.copiesPerHeartbeat, 2),
      `${f(r.delivery * 100, 2)}%`,
      f(r.cpuCores, 2)
    ])
  ]
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring delivery cost: ${s.nodes} nodes in one process (memory transport), heartbeat ${s.intervalMs} ms, ${s.rounds} rounds x ${s.durationS} s per variant`)
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | '))
}

await main()
