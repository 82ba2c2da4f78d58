/**
 * The scale scenarios of gossip-ring, shared by `bench/scale.bench.ts` (N = 10, 25, 50) and CI's
 * small-N run (`test/scale-scenarios.test.ts`): N real clusters (real libp2p + gossipsub,
 * in-memory transport) in one process, driven by @gossip-ring/testkit.
 */
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'

const GROUP = 'bench'

/** What one scenario run needs: the heartbeat interval and the length of each measuring window. */
export interface ScenarioSettings { durationS: number, intervalMs: number }

/** Every figure of one N. */
export interface SizeResult {
  nodes: number
  /** createTestNetwork(): start every node and connect every pair. */
  createMs: number
  /** From the start of createTestNetwork() to all converged. */
  startToConvergedMs: number
  startToConvergedIntervals: number
  healToConvergedMs: number
  healToConvergedIntervals: number
  crashDetectMaxMs: number
  crashDetectMinMs: number
  crashTargetMs: number
  crashWithinTarget: boolean
  msgsPerNodePerS: number
  bytesPerNodePerS: number
  bytesPerHeartbeat: number
  cpuPercentPerNode: number
  cpuPercentTotal: number
  heapGrowthMB: number
  falsePositives: number
  hogBlockedMsTotal: number
}

/** A forced full GC (exposed at run time), so heap figures are live data, not garbage. */
const forceGc: () => void = (() => {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
})()

/** Milliseconds `fn` took, or NaN when it timed out (not converged in time: printed n/a, null in JSON). */
async function timed (fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now()
  try {
    await fn()
  } catch (err) {
    if ((err as Error).name === 'ConvergenceTimeoutError') return Number.NaN
    throw err
  }
  return performance.now() - t0
}

/** Counts member:leave events with reason 'timeout' on every running node (nobody really left). */
function countTimeouts (net: TestNetwork): { count: () => number, dispose: () => void } {
  let count = 0
  const onLeave = (event: Event): void => {
    if ((event as CustomEvent<{ reason?: string }>).detail.reason === 'timeout') count++
  }
  const clusters = net.running().map((i) => net.cluster(i))
  for (const c of clusters) c.addEventListener('member:leave', onLeave)
  return { count: () => count, dispose: () => { for (const c of clusters) c.removeEventListener('member:leave', onLeave) } }
}

/** Blocks the event loop 50-150 ms every 200 ms; returns a stop function giving the total blocked time. */
function startCpuHog (): () => number {
  let blocked = 0
  let i = 0
  const timer = setInterval(() => {
    const ms = 50 + ((i++ * 37) % 101)
    const end = performance.now() + ms
    while (performance.now() < end) { /* busy */ }
    blocked += ms
  }, 200)
  return () => { clearInterval(timer); return blocked }
}

async function measureSteadyState (net: TestNetwork, durationS: number): Promise<Pick<SizeResult, 'msgsPerNodePerS' | 'bytesPerNodePerS' | 'bytesPerHeartbeat' | 'cpuPercentPerNode' | 'cpuPercentTotal' | 'heapGrowthMB'>> {
  const nodes = net.running()
  const sum = (): { messages: number, bytes: number } => nodes.reduce((acc, i) => {
    const t = net.traffic(i)
    return { messages: acc.messages + t.messages, bytes: acc.bytes + t.bytes }
  }, { messages: 0, bytes: 0 })
  forceGc()
  const heap0 = process.memoryUsage().heapUsed
  const before = sum()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000))
  const wallS = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const after = sum()
  forceGc()
  const heap1 = process.memoryUsage().heapUsed
  const messages = after.messages - before.messages
  const bytes = after.bytes - before.bytes
  const cpuShare = (cpu.user + cpu.system) / 1e6 / wallS
  return {
    msgsPerNodePerS: messages / nodes.length / wallS,
    bytesPerNodePerS: bytes / nodes.length / wallS,
    bytesPerHeartbeat: messages > 0 ? bytes / messages : 0,
    cpuPercentTotal: cpuShare * 100,
    cpuPercentPerNode: cpuShare * 100 / nodes.length,
    heapGrowthMB: (heap1 - heap0) / 2 ** 20
  }
}

/** Crashes the last node; resolves with each other node's time (ms) until it dropped it (Infinity: not by `deadlineMs`). */
async function measureCrash (net: TestNetwork, deadlineMs: number): Promise<number[]> {
  const victim = Math.max(...net.running())
  const victimId = net.id(victim)
  const others = net.running().filter((i) => i !== victim)
  const t0 = performance.now()
  const drops = others.map(async (i) => new Promise<number>((resolve) => {
    const cluster = net.cluster(i)
    const done = (ms: number): void => {
      clearTimeout(timer)
      cluster.removeEventListener('member:leave', onLeave)
      resolve(ms)
    }
    const onLeave = (event: Event): void => {
      const detail = (event as CustomEvent<{ group: string, id: string }>).detail
      if (detail.group === GROUP && detail.id === victimId) done(performance.now() - t0)
    }
    const timer = setTimeout(() => { done(Number.POSITIVE_INFINITY) }, deadlineMs)
    cluster.addEventListener('member:leave', onLeave)
  }))
  await net.crash(victim)
  return Promise.all(drops)
}

/**
 * Runs every scenario on one network of `nodes`: start, steady state, CPU hog, split + heal, crash.
 * Used by the benchmark (large N) and by CI's small-N scenario test.
 */
export async function benchSize (nodes: number, s: ScenarioSettings): Promise<SizeResult> {
  const timeoutMs = 5 * s.intervalMs
  const waitMs = Math.max(60_000, 40 * s.intervalMs)
  const t0 = performance.now()
  const net = await createTestNetwork({ nodes, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: s.intervalMs } })
  const createMs = performance.now() - t0
  try {
    const settle = async (): Promise<number> => timed(async () => net.converged(GROUP, { timeoutMs: waitMs }))
    // from the first createCluster() call: with many nodes, wiring them up takes longer than converging
    const startMs = await settle() + createMs
    const steady = await measureSteadyState(net, s.durationS)

    const timeouts = countTimeouts(net)
    const stopHog = startCpuHog()
    await new Promise((resolve) => setTimeout(resolve, s.durationS * 1000))
    const hogBlockedMsTotal = stopHog()
    const falsePositives = timeouts.count()
    timeouts.dispose()
    await settle()

    const half = Math.floor(nodes / 2)
    await net.partition([Array.from({ length: half }, (_, i) => i), Array.from({ length: nodes - half }, (_, i) => half + i)])
    await settle()
    const healMs = await timed(async () => {
      await net.heal()
      await net.converged(GROUP, { timeoutMs: waitMs })
    })
    const crashTargetMs = timeoutMs + s.intervalMs
    const detect = await measureCrash(net, 3 * crashTargetMs)
    return {
      nodes,
      createMs,
      startToConvergedMs: startMs,
      startToConvergedIntervals: startMs / s.intervalMs,
      healToConvergedMs: healMs,
      healToConvergedIntervals: healMs / s.intervalMs,
      crashDetectMaxMs: Math.max(...detect),
      crashDetectMinMs: Math.min(...detect),
      crashTargetMs,
      crashWithinTarget: detect.every((ms) => ms <= crashTargetMs),
      ...steady,
      falsePositives,
      hogBlockedMsTotal
    }
  } finally {
    await net.stop()
  }
}
