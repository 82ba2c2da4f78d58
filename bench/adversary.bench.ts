/**
 * Flood benchmark: three honest clusters on loopback TCP in this process, and a flooding peer in
 * its own process, for `--duration-s` seconds per scenario:
 * - `baseline`: no flood (the named baseline of the ratios);
 * - `one key`: one peer publishes valid heartbeats as fast as it can;
 * - `2,000 keys`: one peer publishes max-size heartbeats signed by 2,000 fresh keys in turn.
 * Printed per scenario: the flood rate the flooder achieved, honest members dropped by timeout
 * (false drops), the longest event-loop stall of the honest process (monitorEventLoopDelay max),
 * the longest gap between two heartbeats of one honest member at another (processing on time:
 * compare with the interval), how many honest nodes hung up on the flooder, and the stall as a
 * ratio to the baseline. Defaults: the LAN preset's timings (1 s heartbeats, 5 s timeout).
 *
 *   pnpm bench:adversary                  # 20 s per scenario
 *   pnpm bench:adversary --duration-s 5   # a quick look
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createCluster, heartbeatAuthor, presets } from '@gossip-ring/cluster'
import type { Cluster } from '@gossip-ring/cluster'
import { startFlooder } from '../test/adversary/flooder-process.js'
import type { FloodMode } from '../test/adversary/flooder.js'

interface ScenarioResult {
  name: string
  floodRatePerS: number
  falseDrops: number
  maxStallMs: number
  maxHonestGapMs: number
  disconnectedBy: number
}

const HONEST = 3

function durationS (argv: string[]): number {
  const i = argv.indexOf('--duration-s')
  const value = i >= 0 ? Number(argv[i + 1]) : 20
  if (!(value > 0)) throw new Error('usage: --duration-s <seconds > 0>')
  return value
}

async function until (predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now()
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** Largest gap between consecutive heartbeats of one honest member as received by another. */
function trackGaps (nodes: Cluster[]): { maxGapMs: () => number } {
  const honest = new Set(nodes.map(node => node.id))
  let maxGapMs = 0
  for (const node of nodes) {
    const last = new Map<string, number>()
    node.libp2p.services.pubsub.addEventListener('message', evt => {
      const from = heartbeatAuthor(evt.detail.data)
      if (from === undefined || !honest.has(from)) return
      const now = performance.now()
      const previous = last.get(from)
      if (previous !== undefined) maxGapMs = Math.max(maxGapMs, now - previous)
      last.set(from, now)
    })
  }
  return { maxGapMs: () => maxGapMs }
}

async function scenario (name: string, mode: FloodMode | undefined, seconds: number): Promise<ScenarioResult> {
  const init = { ...presets.lan, local: true, mdns: false as const, groups: ['g'] }
  const first = await createCluster(init)
  const nodes = [first, ...await Promise.all(Array.from({ length: HONEST - 1 }, async () => createCluster({ ...init, bootstrap: first.multiaddrs })))]
  try {
    await until(() => nodes.every(node => node.members('g').length === HONEST && node.isConverged('g')), 20_000, 'the honest nodes to converge')
    let falseDrops = 0
    for (const node of nodes) node.addEventListener('member:leave', evt => { if (evt.detail.reason === 'timeout' && nodes.some(n => n.id === evt.detail.id)) falseDrops++ })
    const gaps = trackGaps(nodes)
    const flooder = mode === undefined ? undefined : startFlooder({ bootstrap: nodes.map(node => node.multiaddrs[0] as string), mode, durationMs: seconds * 1000 })
    await flooder?.ready
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    let floodRatePerS = 0
    if (flooder !== undefined) {
      floodRatePerS = (await flooder.done).ratePerS
      flooder.kill()
    } else {
      await new Promise(resolve => setTimeout(resolve, seconds * 1000))
    }
    loop.disable()
    return {
      name,
      floodRatePerS,
      falseDrops,
      maxStallMs: loop.max / 1e6,
      maxHonestGapMs: gaps.maxGapMs(),
      disconnectedBy: nodes.filter(node => node.stats.abusersDisconnected > 0).length
    }
  } finally {
    await Promise.all(nodes.map(async node => node.stop({ goodbye: false })))
  }
}

function printTable (seconds: number, results: ScenarioResult[]): void {
  const base = results[0] as ScenarioResult
  const rows = [
    ['scenario', 'flood msg/s', 'honest false drops', 'longest stall ms (x baseline)', 'longest honest heartbeat gap ms', `flooder hung up on by (of ${HONEST})`],
    ...results.map(r => [
      r.name,
      r.name === 'baseline' ? '-' : String(r.floodRatePerS),
      String(r.falseDrops),
      `${r.maxStallMs.toFixed(0)} (x${(r.maxStallMs / base.maxStallMs).toFixed(1)})`,
      r.maxHonestGapMs.toFixed(0),
      r.name === 'baseline' ? '-' : String(r.disconnectedBy)
    ])
  ]
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map(row => row[col]!.length)))
  console.log(`\nflood benchmark: ${HONEST} honest nodes (1 s heartbeats, 5 s timeout) on loopback TCP, flooder in another process, ${seconds} s per scenario`)
  for (const row of rows) console.log(row.map((cell, col) => cell.padEnd(widths[col]!)).join('  '))
}

async function main (): Promise<void> {
  const seconds = durationS(process.argv.slice(2))
  const results: ScenarioResult[] = []
  for (const [name, mode] of [['baseline', undefined], ['one key', 'one-key'], ['2,000 keys', 'many-keys']] as Array<[string, FloodMode | undefined]>) {
    results.push(await scenario(name, mode, seconds))
  }
  printTable(seconds, results)
  process.exit(0)
}

main().catch(err => { console.error(err); process.exit(1) })
