/**
 * CPU per connection: what one agent-to-agent connection costs both ends, from dial until both see
 * each other subscribed in gossipsub, and its hang-up (issue 13: at N = 50 the heal after a partition
 * and the start-up are bound by this CPU, as every agent connects to every other). Each checkout,
 * this one and every `--against DIR` (another checkout, e.g. main before a change, with its own
 * node_modules), runs in its own process (`bench/connection-cost-worker.ts`: two clusters on
 * loopback TCP, mDNS off). The processes take turns, a slice of `--slice` connections each, in an
 * order that rotates per slice, so a load spike on the shared machine hits all of them alike; a
 * round is `--cycles` connections of each, and ratios are per round, against the first `--against`
 * (the baseline), or against this checkout without one.
 *
 * The first few hundred connections of a process cost more (the JIT: 13.5 ms each after 10 warm-up
 * connections, 10.9 after 100, 9.4 after 300, 9.0 after 600), and an agent of a 50-agent network
 * makes hundreds, so each process first makes `--warm-up` unmeasured ones, one process at a time.
 *
 *   pnpm bench:connections                          # this checkout only
 *   pnpm bench:connections --against /tmp/main      # plus a baseline checkout, ratios against it
 *   options: --rounds 5 --cycles 100 --slice 10 --warm-up 200 --json
 *   --cpu-profile DIR                               # a V8 CPU profile of each process's measured connections, into DIR
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { basename, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './delivery-cost.js'
import type { ConnectionCost, WorkerReply, WorkerRequest } from './connection-cost.js'
import { flagValue } from './args.js'

const WORKER = fileURLToPath(new URL('./connection-cost-worker.ts', import.meta.url))
const THIS_CHECKOUT = fileURLToPath(new URL('..', import.meta.url))
/** The longest a worker may take to answer one request (its warm-up included). */
const REPLY_TIMEOUT_MS = 120_000

interface Settings {
  rounds: number
  cycles: number
  slice: number
  warmUp: number
  json: boolean
  /** Other checkouts to measure in the same run; the first is the baseline. */
  against: string[]
  cpuProfileDir?: string
}

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => flagValue(argv, name)
  const rounds = Number(value('--rounds') ?? 5)
  const cycles = Number(value('--cycles') ?? 100)
  const slice = Number(value('--slice') ?? 10)
  const warmUp = Number(value('--warm-up') ?? 200)
  const positive = (x: number): boolean => Number.isInteger(x) && x >= 1
  if (!positive(rounds) || !positive(cycles) || !positive(slice) || cycles % slice !== 0 || !Number.isInteger(warmUp) || warmUp < 0) {
    throw new Error('usage: --rounds <int >= 1> --cycles <int >= 1, a multiple of --slice> --slice <int >= 1> --warm-up <int >= 0> [--against DIR]... [--cpu-profile DIR] [--json]')
  }
  const against = argv.flatMap((arg, i) => arg === '--against' && argv[i + 1] !== undefined ? [resolve(argv[i + 1] as string)] : [])
  const cpuProfileDir = value('--cpu-profile')
  return { rounds, cycles, slice, warmUp, json: argv.includes('--json'), against, ...(cpuProfileDir !== undefined ? { cpuProfileDir: resolve(cpuProfileDir) } : {}) }
}

/** A checkout's worker process and its replies, one request at a time. */
class Worker {
  readonly #child: ChildProcess
  readonly #replies: WorkerReply[] = []
  #waiting: ((reply: WorkerReply) => void) | undefined
  #exit: string | undefined

  constructor (readonly checkout: string, cpuProfileDir: string | undefined) {
    this.#child = fork(WORKER, [checkout, ...(cpuProfileDir !== undefined ? [cpuProfileDir] : [])], { cwd: THIS_CHECKOUT, execArgv: ['--conditions=@gossip-ring/source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.#child.on('message', (reply: WorkerReply) => { this.#deliver(reply) })
    this.#child.on('exit', (code, signal) => {
      this.#exit = `the worker for ${checkout} exited (${code ?? signal})`
      this.#waiting = undefined
    })
  }

  #deliver (reply: WorkerReply): void {
    const waiting = this.#waiting
    this.#waiting = undefined
    if (waiting !== undefined) waiting(reply)
    else this.#replies.push(reply)
  }

  /** The next reply, or an error if the worker exits or takes longer than {@link REPLY_TIMEOUT_MS}. */
  async next (): Promise<WorkerReply> {
    const queued = this.#replies.shift()
    if (queued !== undefined) return queued
    return new Promise((resolvePromise, reject) => {
      if (this.#exit !== undefined) { reject(new Error(this.#exit)); return }
      const timer = setTimeout(() => { reject(new Error(`the worker for ${this.checkout} did not answer within ${REPLY_TIMEOUT_MS} ms`)) }, REPLY_TIMEOUT_MS)
      const onExit = (): void => { clearTimeout(timer); reject(new Error(this.#exit)) }
      this.#child.once('exit', onExit)
      this.#waiting = (reply) => {
        clearTimeout(timer)
        this.#child.off('exit', onExit)
        resolvePromise(reply)
      }
    })
  }

  async request (request: WorkerRequest): Promise<WorkerReply> {
    this.#child.send(request)
    return this.next()
  }

  async run (connections: number): Promise<ConnectionCost> {
    const reply = await this.request({ type: 'run', connections, measure: true })
    if (reply.type !== 'ran') throw new Error(`the worker for ${this.checkout} answered ${reply.type}`)
    return reply.cost
  }

  kill (): void {
    if (this.#exit === undefined) this.#child.kill()
  }
}

type Range = { median: number, min: number, max: number }
const range = (xs: number[]): Range => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) })

/** Each round: every checkout's connections, in slices taking turns; returns each checkout's cost per round. */
async function measure (s: Settings, workers: Worker[]): Promise<ConnectionCost[][]> {
  const results: ConnectionCost[][] = workers.map(() => [])
  let turn = 0
  for (let round = 0; round < s.rounds; round++) {
    const sums = workers.map(() => ({ cpu: 0, thread: 0, wall: 0 }))
    for (let slice = 0; slice < s.cycles / s.slice; slice++, turn++) {
      for (let i = 0; i < workers.length; i++) {
        const w = (i + turn) % workers.length
        const cost = await (workers[w] as Worker).run(s.slice)
        const sum = sums[w] as { cpu: number, thread: number, wall: number }
        sum.cpu += cost.cpuMsPerConnection * s.slice
        sum.thread += cost.mainThreadCpuMsPerConnection * s.slice
        sum.wall += cost.wallMsPerConnection * s.slice
      }
    }
    sums.forEach((sum, w) => {
      const cost = { cpuMsPerConnection: sum.cpu / s.cycles, mainThreadCpuMsPerConnection: sum.thread / s.cycles, wallMsPerConnection: sum.wall / s.cycles }
      console.error(`round ${round + 1} ${workers[w]?.checkout}: ${JSON.stringify(cost)}`)
      results[w]?.push(cost)
    })
  }
  return results
}

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  const checkouts = [THIS_CHECKOUT, ...s.against]
  const name = (dir: string): string => dir === THIS_CHECKOUT ? 'this checkout' : basename(dir)
  const baseline = s.against.length > 0 ? 1 : 0
  const workers = checkouts.map((dir) => new Worker(dir, s.cpuProfileDir))
  let results: ConnectionCost[][]
  try {
    for (const w of workers) if ((await w.next()).type !== 'ready') throw new Error(`the worker for ${w.checkout} did not start`)
    // one at a time, so each warms up alone
    for (const w of workers) await w.request({ type: 'run', connections: s.warmUp, measure: false })
    results = await measure(s, workers)
    for (const w of workers) {
      const reply = await w.request({ type: 'stop' })
      if (reply.type === 'stopped' && reply.cpuProfile !== undefined) console.error(`CPU profile of ${name(w.checkout)}: ${reply.cpuProfile}`)
    }
  } finally {
    for (const w of workers) w.kill()
  }
  const base = results[baseline] ?? []
  const rows = checkouts.map((dir, w) => {
    const runs = results[w] ?? []
    return {
      checkout: w === baseline ? `${name(dir)} (baseline)` : name(dir),
      cpuMsPerConnection: range(runs.map((r) => r.cpuMsPerConnection)),
      ratioToBaseline: range(runs.map((r, i) => r.cpuMsPerConnection / (base[i]?.cpuMsPerConnection ?? Number.NaN))),
      mainThreadCpuMsPerConnection: range(runs.map((r) => r.mainThreadCpuMsPerConnection)),
      mainThreadRatioToBaseline: range(runs.map((r, i) => r.mainThreadCpuMsPerConnection / (base[i]?.mainThreadCpuMsPerConnection ?? Number.NaN))),
      wallMsPerConnection: range(runs.map((r) => r.wallMsPerConnection))
    }
  })
  if (s.json) {
    console.log(JSON.stringify({ bench: 'connection-cost', rounds: s.rounds, cycles: s.cycles, slice: s.slice, warmUp: s.warmUp, rows }))
    return
  }
  const f = (x: number, d: number): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const cell = (r: Range, d: number): string => `${f(r.median, d)} (${f(r.min, d)}-${f(r.max, d)})`
  const table = [
    ['checkout', 'CPU ms / connection, median (min-max)', 'x baseline, median (min-max)', 'main thread CPU ms', 'main thread x baseline', 'wall ms / connection'],
    ...rows.map((r) => [r.checkout, cell(r.cpuMsPerConnection, 2), cell(r.ratioToBaseline, 3), cell(r.mainThreadCpuMsPerConnection, 2), cell(r.mainThreadRatioToBaseline, 3), cell(r.wallMsPerConnection, 2)])
  ]
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring connection cost: 2 clusters per process, loopback TCP, dial -> subscribed both ways -> hang up; ${s.rounds} rounds x ${s.cycles} connections per checkout, in turns of ${s.slice}, after ${s.warmUp} warm-up; CPU of both ends`)
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | '))
}

await main()
