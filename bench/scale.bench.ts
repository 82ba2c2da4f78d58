/**
 * Scale benchmark of gossip-ring: N real clusters (real libp2p + gossipsub, in-memory transport)
 * in one process, driven by @gossip-ring/testkit.
 *
 * For each N: time to converge after start and after a heal (in heartbeat intervals), time for every
 * other node to drop a crashed one (vs the configured timeout + 1 interval), steady-state cost per
 * node (messages, bytes, CPU, heap growth), and members wrongly dropped while a CPU hog blocks the
 * event loop 50-150 ms at a time. Ratios are against the smallest N of the run (the baseline).
 *
 *   tsx bench/scale.bench.ts                 # N = 10, 25, 50; 60 s windows; default (LAN) timings
 *   tsx bench/scale.bench.ts --quick         # N = 5, 10; 5 s windows; 200 ms heartbeats
 *   tsx bench/scale.bench.ts --processes 2   # N = 20, 50 spread over 2 OS processes on loopback TCP (see multi-process.ts)
 *   options: --json (one JSON object only), --sizes 10,25,50,75, --duration-s 30, --interval-ms 1000 (with
 *            --processes also --interval-ms auto: the cluster's heartbeatIntervalMs 'auto'),
 *            --mesh-degree D (with --processes: the configuration measured; default: the cluster's),
 *            --peer-set K (with --processes: the measured configuration's peerSetSize; default: all),
 *            --discovery bootstrap|all (with --processes: node 0 as everyone's bootstrap peer, the default, or
 *            every node told of every other at start as mDNS would; both networks),
 *            --cpu-profile DIR (with --processes: a V8 CPU profile of each worker in the measured steady window)
 */
import { resolve } from 'node:path'
import { WARM_UP_INTERVALS } from './delivery-cost.js'
import { benchProcesses } from './multi-process.js'
import type { Discovery, ProcessSizeResult } from './multi-process.js'
import { benchSize } from './scale-scenarios.js'
import type { ScenarioSettings, SizeResult } from './scale-scenarios.js'
import { flagValue } from './args.js'
import { describeMachineSpeed, measureMachineSpeed } from './machine-speed.js'

interface Settings extends ScenarioSettings { sizes: number[], json: boolean, quick: boolean, processes?: number, meshDegree?: number, peerSetSize?: number, discovery?: Discovery, autoInterval: boolean, cpuProfileDir?: string }

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => flagValue(argv, name)
  const quick = argv.includes('--quick')
  const processes = value('--processes') === undefined ? undefined : Number(value('--processes'))
  const meshDegree = value('--mesh-degree') === undefined ? undefined : Number(value('--mesh-degree'))
  const peerSetSize = value('--peer-set') === undefined ? undefined : Number(value('--peer-set'))
  const discovery = value('--discovery')
  const defaultSizes = processes !== undefined ? (quick ? [6] : [20, 50]) : (quick ? [5, 10] : [10, 25, 50])
  const sizes = value('--sizes')?.split(',').map(Number) ?? defaultSizes
  const durationS = Number(value('--duration-s') ?? (quick ? 5 : processes !== undefined ? 20 : 60))
  const autoInterval = value('--interval-ms') === 'auto' && processes !== undefined
  const intervalMs = autoInterval ? 1000 : Number(value('--interval-ms') ?? (quick && processes === undefined ? 200 : 1000))
  if (sizes.some((n) => !Number.isInteger(n) || n < 2) || !(durationS > 0) || !(intervalMs > 0) ||
    (processes !== undefined && (!Number.isInteger(processes) || processes < 1)) || (meshDegree !== undefined && !Number.isInteger(meshDegree)) || (peerSetSize !== undefined && !Number.isInteger(peerSetSize)) || (discovery !== undefined && discovery !== 'bootstrap' && discovery !== 'all')) {
    throw new Error('usage: --sizes <ints >= 2, comma separated> --duration-s <s > 0> --interval-ms <ms > 0, or auto with --processes> [--processes <int >= 1>] [--mesh-degree <int>] [--peer-set <int>] [--discovery bootstrap|all] [--cpu-profile DIR (with --processes)] [--quick] [--json]')
  }
  const cpuProfileDir = processes !== undefined ? value('--cpu-profile') : undefined
  return { sizes, durationS, intervalMs, autoInterval, json: argv.includes('--json'), quick, ...(processes !== undefined ? { processes } : {}), ...(meshDegree !== undefined ? { meshDegree } : {}), ...(peerSetSize !== undefined ? { peerSetSize } : {}), ...(discovery !== undefined ? { discovery } : {}), ...(cpuProfileDir !== undefined ? { cpuProfileDir: resolve(cpuProfileDir) } : {}) }
}

function printProcessTable (s: Settings, results: ProcessSizeResult[]): void {
  const f = (x: number, d = 1): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const rows = [
    ['N', 'P', 'interval ms', 'CPU ms/delivered (x baseline)', 'baseline 4/4/always', 'copies/hb (baseline)', 'delivery', 'CPU cores', 'start→conv (iv)', 'start→wired (iv)', 'heal→conv (iv)', 'crash seen by all ms (target)', 'false drops'],
    ...results.map((r) => [
      String(r.nodes),
      String(r.processes),
      r.minIntervalMs === r.intervalMs ? String(r.intervalMs) : `${r.minIntervalMs}-${r.intervalMs}`,
      `${f(r.cpuPerDeliveredMs, 3)} (${f(r.cpuPerDeliveredMs / r.baselineCpuPerDeliveredMs, 2)})`,
      f(r.baselineCpuPerDeliveredMs, 3),
      `${f(r.copiesPerHeartbeat, 2)} (${f(r.baselineCopiesPerHeartbeat, 2)})`,
      `${f(r.delivery * 100, 2)}%`,
      f(r.cpuCores, 2),
      f(r.startToConvergedIntervals),
      f(r.startToWiredIntervals),
      f(r.healToConvergedIntervals),
      `${f(r.crashDetectMaxMs, 0)} (${r.crashTargetMs}) ${r.crashDetectMaxMs <= r.crashTargetMs ? 'ok' : 'LATE'}`,
      String(r.falseDrops)
    ])
  ]
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring scale over processes: heartbeat ${s.autoInterval ? "'auto'" : `${s.intervalMs} ms`}, timeout 5 intervals, steady windows ${s.durationS} s (from converged + wired + ${WARM_UP_INTERVALS} iv), loopback TCP, mesh degree ${s.meshDegree ?? 'default'}, peer set ${s.peerSetSize ?? 'all'}, discovery ${s.discovery ?? 'bootstrap'}; baseline: 4/4/always (mesh degree / IHAVE peers / relay, issue 13's) in the same run`)
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | '))
  console.log('iv = heartbeat intervals (of the interval column; with auto the longest picked); wired = every node connected to every other (with a peer set of k: to at least k others)')
}

async function mainProcesses (s: Settings, processes: number): Promise<void> {
  const machine = measureMachineSpeed()
  const results: ProcessSizeResult[] = []
  for (const nodes of s.sizes) {
    console.error(`N = ${nodes} over ${processes} processes ...`)
    const result = await benchProcesses(nodes, { processes, intervalMs: s.autoInterval ? 'auto' : s.intervalMs, durationS: s.durationS, ...(s.meshDegree !== undefined ? { meshDegree: s.meshDegree } : {}), ...(s.peerSetSize !== undefined ? { peerSetSize: s.peerSetSize } : {}), ...(s.discovery !== undefined ? { discovery: s.discovery } : {}), ...(s.cpuProfileDir !== undefined ? { cpuProfileDir: s.cpuProfileDir } : {}) })
    console.error(JSON.stringify(result))
    results.push(result)
  }
  if (s.json) {
    console.log(JSON.stringify({ bench: 'scale-processes', heartbeatIntervalMs: s.autoInterval ? 'auto' : s.intervalMs, ...(s.autoInterval ? {} : { memberTimeoutMs: 5 * s.intervalMs }), durationS: s.durationS, machine, results }))
  } else {
    printProcessTable(s, results)
    console.log(describeMachineSpeed(machine))
  }
}

function printTable (s: Settings, results: SizeResult[]): void {
  const base = results[0] as SizeResult
  const f = (x: number, d = 1): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const rows = [
    ['N', 'create ms', 'start→conv (iv)', 'heal→conv (iv)', 'crash drop max/min ms (target)', 'msg/s/node', 'B/s/node (x base)', 'B/hb', 'CPU %/node (x base)', 'CPU % total', 'heap Δ MB', 'false drops (hog ms)'],
    ...results.map((r) => [
      String(r.nodes),
      f(r.createMs, 0),
      f(r.startToConvergedIntervals),
      f(r.healToConvergedIntervals),
      `${f(r.crashDetectMaxMs, 0)}/${f(r.crashDetectMinMs, 0)} (${r.crashTargetMs}) ${r.crashWithinTarget ? 'ok' : 'LATE'}`,
      f(r.msgsPerNodePerS),
      `${f(r.bytesPerNodePerS, 0)} (${f(r.bytesPerNodePerS / base.bytesPerNodePerS, 2)})`,
      f(r.bytesPerHeartbeat, 0),
      `${f(r.cpuPercentPerNode, 2)} (${f(r.cpuPercentPerNode / base.cpuPercentPerNode, 2)})`,
      f(r.cpuPercentTotal),
      f(r.heapGrowthMB, 2),
      `${r.falsePositives} (${r.hogBlockedMsTotal})`
    ])
  ]
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring scale: heartbeat ${s.intervalMs} ms, timeout ${5 * s.intervalMs} ms, windows ${s.durationS} s, memory transport, one process`)
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | '))
  console.log('iv = heartbeat intervals; ratios are against N =', base.nodes)
}

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  if (s.processes !== undefined) {
    await mainProcesses(s, s.processes)
    return
  }
  const machine = measureMachineSpeed()
  const results: SizeResult[] = []
  for (const nodes of s.sizes) {
    console.error(`N = ${nodes} ...`)
    try {
      const result = await benchSize(nodes, s)
      console.error(JSON.stringify(result))
      results.push(result)
    } catch (err) {
      console.error(`N = ${nodes} failed, stopping here: ${(err as Error).stack ?? String(err)}`)
      break
    }
  }
  if (results.length === 0) throw new Error('no size completed')
  if (s.json) {
    console.log(JSON.stringify({ bench: 'scale', heartbeatIntervalMs: s.intervalMs, memberTimeoutMs: 5 * s.intervalMs, durationS: s.durationS, baselineNodes: s.sizes[0], machine, results }))
  } else {
    printTable(s, results)
    console.log(describeMachineSpeed(machine))
  }
}

await main()
