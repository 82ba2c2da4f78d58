/**
 * Benchmark of @gossip-ring/cluster on real libp2p + TCP over loopback, in one process, mDNS off:
 * for N = 3 and 5 agents (the others bootstrapped from the first one's address), measures
 * - start -> converged: from the first `createCluster()` call until every agent sees all N and is converged;
 * - graceful detection: from `stop()` (goodbye) until every other agent dropped the agent;
 * - crash detection: from `stop({ goodbye: false })` until every other agent dropped it; the crash
 *   happens at a random moment of the heartbeat interval.
 * Times are also given in heartbeat intervals. The named baseline is `timeout-bound`: what a
 * heartbeat-only detector guarantees, memberTimeoutMs + one interval; ratios are measured / bound
 * (crash, graceful) and crash / graceful (what the goodbye buys).
 *
 *   tsx bench/cluster.bench.ts           human table
 *   tsx bench/cluster.bench.ts --json    one JSON object on stdout, nothing else
 *
 * Each figure is the median of 5 trials; heartbeat 200 ms, suspect 600 ms, timeout 1000 ms
 * (presets.local). Bounded: about 30 s. The machine is shared: read the ratios.
 */
import { performance } from 'node:perf_hooks'
import { createCluster, presets } from '@gossip-ring/cluster'
import type { Cluster, ClusterInit } from '@gossip-ring/cluster'

const INIT: ClusterInit = { ...presets.local, heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 }
const INTERVAL_MS = INIT.heartbeatIntervalMs as number
const TIMEOUT_MS = INIT.memberTimeoutMs as number
const BOUND_MS = TIMEOUT_MS + INTERVAL_MS
const SIZES = [3, 5] as const
const TRIALS = 5
const GROUP = 'bench'
const DEADLINE_MS = 10_000

interface Trial { convergeMs: number, gracefulMs: number, crashMs: number }

/** Resolves when `predicate()` holds (checked every 2 ms); throws after DEADLINE_MS. */
async function until (predicate: () => boolean, what: string): Promise<void> {
  const started = performance.now()
  while (!predicate()) {
    if (performance.now() - started > DEADLINE_MS) throw new Error(`bench: timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

function agree (clusters: Cluster[]): boolean {
  const want = clusters.map(c => c.id).sort().join(',')
  return clusters.every(c => c.members(GROUP).map(m => m.id).join(',') === want && c.isConverged(GROUP))
}

async function timeDrop (clusters: Cluster[], victim: Cluster, goodbye: boolean): Promise<number> {
  const others = clusters.filter(c => c !== victim)
  const started = performance.now()
  const stopping = victim.stop({ goodbye })
  await until(() => others.every(c => !c.members(GROUP).some(m => m.id === victim.id)), 'the drop')
  const elapsed = performance.now() - started
  await stopping
  return elapsed
}

async function trial (size: number): Promise<Trial> {
  const started = performance.now()
  const first = await createCluster({ ...INIT, groups: [GROUP] })
  const clusters = [first, ...await Promise.all(Array.from({ length: size - 1 }, async () =>
    createCluster({ ...INIT, groups: [GROUP], bootstrap: first.multiaddrs })))]
  try {
    await until(() => agree(clusters), 'convergence')
    const convergeMs = performance.now() - started
    const gracefulMs = await timeDrop(clusters, clusters.pop() as Cluster, true)
    await until(() => agree(clusters), 'convergence after the graceful stop')
    // crash at a random phase of the heartbeat cycle (convergence is detected right after a heartbeat)
    await new Promise(resolve => setTimeout(resolve, Math.random() * INTERVAL_MS))
    const crashMs = await timeDrop(clusters, clusters.pop() as Cluster, false)
    return { convergeMs, gracefulMs, crashMs }
  } finally {
    await Promise.all(clusters.map(async c => c.stop({ goodbye: false })))
  }
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits))

async function main (): Promise<void> {
  const json = process.argv.includes('--json')
  const results = []
  for (const size of SIZES) {
    const trials: Trial[] = []
    for (let i = 0; i < TRIALS; i++) trials.push(await trial(size))
    const convergeMs = median(trials.map(t => t.convergeMs))
    const gracefulMs = median(trials.map(t => t.gracefulMs))
    const crashMs = median(trials.map(t => t.crashMs))
    results.push({
      nodes: size,
      startToConvergedMs: round(convergeMs),
      startToConvergedIntervals: round(convergeMs / INTERVAL_MS, 2),
      gracefulDetectionMs: round(gracefulMs),
      gracefulDetectionIntervals: round(gracefulMs / INTERVAL_MS, 2),
      crashDetectionMs: round(crashMs),
      crashDetectionIntervals: round(crashMs / INTERVAL_MS, 2),
      crashVsTimeoutBound: round(crashMs / BOUND_MS, 2),
      gracefulVsTimeoutBound: round(gracefulMs / BOUND_MS, 3),
      goodbyeSpeedup: round(crashMs / gracefulMs, 1)
    })
  }
  const report = {
    bench: 'cluster',
    transport: 'tcp loopback, one process',
    heartbeatIntervalMs: INTERVAL_MS,
    memberTimeoutMs: TIMEOUT_MS,
    baseline: { name: 'timeout-bound', ms: BOUND_MS, meaning: 'memberTimeoutMs + one heartbeat interval: the detection a heartbeat-only detector guarantees' },
    trialsPerSize: TRIALS,
    results
  }
  if (json) {
    console.log(JSON.stringify(report))
    return
  }
  console.log(`cluster bench: heartbeat ${INTERVAL_MS} ms, timeout ${TIMEOUT_MS} ms, baseline timeout-bound = ${BOUND_MS} ms; median of ${TRIALS} trials`)
  console.table(results.map(r => ({
    nodes: r.nodes,
    'start->converged ms (intervals)': `${r.startToConvergedMs} (${r.startToConvergedIntervals})`,
    'graceful ms (intervals)': `${r.gracefulDetectionMs} (${r.gracefulDetectionIntervals})`,
    'crash ms (intervals)': `${r.crashDetectionMs} (${r.crashDetectionIntervals})`,
    'crash / bound': r.crashVsTimeoutBound,
    'graceful / bound': r.gracefulVsTimeoutBound,
    'crash / graceful': r.goodbyeSpeedup
  })))
}

await main()
