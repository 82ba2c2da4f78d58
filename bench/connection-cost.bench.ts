/**
 * CPU per connection: what one agent-to-agent connection costs both ends, from dial until both see
 * each other subscribed in gossipsub, and its hang-up (issue 13: at N = 50 the heal after a partition
 * and the start-up are bound by this CPU, as every agent connects to every other). Each measurement
 * is a fresh process (`bench/connection-cost-worker.ts`: two clusters on loopback TCP, mDNS off);
 * this checkout and every `--against DIR` (another checkout, e.g. main before a change, with its
 * own node_modules) run once per round, in an order that rotates per round, and ratios are per
 * round against the first `--against` (the baseline), or against this checkout without one.
 *
 *   pnpm bench:connections                          # this checkout only: 3 rounds of 60 connections
 *   pnpm bench:connections --against /tmp/main      # plus a baseline checkout, ratios against it
 *   options: --rounds 3 --cycles 60 --warm-up 10 --json
 *   --cpu-profile DIR                               # a V8 CPU profile of each measured window, into DIR
 */
import { execFile } from 'node:child_process'
import { basename, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { median } from './delivery-cost.js'
import { RESULT_PREFIX } from './connection-cost.js'
import type { ConnectionCost } from './connection-cost.js'

const run = promisify(execFile)
const WORKER = fileURLToPath(new URL('./connection-cost-worker.ts', import.meta.url))
const THIS_CHECKOUT = fileURLToPath(new URL('..', import.meta.url))
/** The longest one measurement may take. */
const WORKER_TIMEOUT_MS = 120_000

interface Settings {
  rounds: number
  cycles: number
  warmUp: number
  json: boolean
  /** Other checkouts to measure in the same run; the first is the baseline. */
  against: string[]
  cpuProfileDir?: string
}

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const rounds = Number(value('--rounds') ?? 3)
  const cycles = Number(value('--cycles') ?? 60)
  const warmUp = Number(value('--warm-up') ?? 10)
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(warmUp) || warmUp < 0) {
    throw new Error('usage: --rounds <int >= 1> --cycles <int >= 1> --warm-up <int >= 0> [--against DIR]... [--cpu-profile DIR] [--json]')
  }
  const against = argv.flatMap((arg, i) => arg === '--against' && argv[i + 1] !== undefined ? [resolve(argv[i + 1] as string)] : [])
  const cpuProfileDir = value('--cpu-profile')
  return { rounds, cycles, warmUp, json: argv.includes('--json'), against, ...(cpuProfileDir !== undefined ? { cpuProfileDir: resolve(cpuProfileDir) } : {}) }
}

/** One measurement of `checkout` in a fresh process. */
async function measure (s: Settings, checkout: string): Promise<ConnectionCost> {
  const args = ['--conditions=@gossip-ring/source', '--import', 'tsx', WORKER, '--checkout', checkout, '--cycles', String(s.cycles), '--warm-up', String(s.warmUp), ...(s.cpuProfileDir !== undefined ? ['--cpu-profile', s.cpuProfileDir] : [])]
  const { stdout, stderr } = await run(process.execPath, args, { cwd: THIS_CHECKOUT, timeout: WORKER_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 })
  if (stderr !== '') process.stderr.write(stderr)
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
  if (line === undefined) throw new Error(`${checkout}: the worker printed no result`)
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ConnectionCost
}

type Range = { median: number, min: number, max: number }
const range = (xs: number[]): Range => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) })

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  const checkouts = [THIS_CHECKOUT, ...s.against]
  const name = (dir: string): string => dir === THIS_CHECKOUT ? 'this checkout' : basename(dir)
  const baseline = s.against[0] ?? THIS_CHECKOUT
  const results = new Map<string, ConnectionCost[]>(checkouts.map((dir) => [dir, []]))
  for (let round = 0; round < s.rounds; round++) {
    for (let i = 0; i < checkouts.length; i++) {
      const dir = checkouts[(i + round) % checkouts.length] as string
      const cost = await measure(s, dir)
      console.error(`round ${round + 1} ${name(dir)}: ${JSON.stringify(cost)}`)
      results.get(dir)?.push(cost)
    }
  }
  const base = results.get(baseline) ?? []
  const rows = checkouts.map((dir) => {
    const runs = results.get(dir) ?? []
    return {
      checkout: dir === baseline ? `${name(dir)} (baseline)` : name(dir),
      cpuMsPerConnection: range(runs.map((r) => r.cpuMsPerConnection)),
      ratioToBaseline: range(runs.map((r, i) => r.cpuMsPerConnection / (base[i]?.cpuMsPerConnection ?? Number.NaN))),
      wallMsPerConnection: range(runs.map((r) => r.wallMsPerConnection))
    }
  })
  if (s.json) {
    console.log(JSON.stringify({ bench: 'connection-cost', rounds: s.rounds, cycles: s.cycles, warmUp: s.warmUp, rows }))
    return
  }
  const f = (x: number, d: number): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const cell = (r: Range, d: number): string => `${f(r.median, d)} (${f(r.min, d)}-${f(r.max, d)})`
  const table = [
    ['checkout', 'CPU ms / connection, median (min-max)', 'x baseline, median (min-max)', 'wall ms / connection, median (min-max)'],
    ...rows.map((r) => [r.checkout, cell(r.cpuMsPerConnection, 2), cell(r.ratioToBaseline, 2), cell(r.wallMsPerConnection, 2)])
  ]
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring connection cost: 2 clusters in one process, loopback TCP, dial -> subscribed both ways -> hang up; ${s.rounds} rounds x ${s.cycles} connections (after ${s.warmUp} warm-up), CPU of both ends`)
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | '))
}

await main()
