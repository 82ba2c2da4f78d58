/**
 * How a multi-process network gets wired, second by second (a diagnostic for the scale bench):
 * N nodes over P worker processes, loopback TCP, bootstrap from node 0, and per second the
 * spread (min / median / max over nodes) of connections, gossipsub peers on the topic, mesh
 * peers, members seen, and the dialer's counters, plus per process the CPU used (cores), the 99th
 * percentile of the event-loop delay, heartbeats published per node per second, copies received and
 * signatures checked per delivered heartbeat and how long new peers took from connection to subscribed
 * in gossipsub (median / 90th percentile / max), until every node converged and holds a
 * subscribed gossipsub peer for every other node, or the deadline. With `--heal`, then splits the
 * nodes in halves as the scale bench does, waits until each half converged, heals, and traces the
 * heal every 250 ms the same way. With `--learning`, then how the start's heartbeats spread: per half
 * second of their first delivery, how many there were, the share of the other nodes each reached
 * (median / 10th percentile) and the time from its first to its last delivery (median / 90th percentile).
 * With `--milestones`, then the start's critical path: per step (connected, subscribed, heard one /
 * a quarter / half / 90% / all of the group, converged), when the nodes got there
 * (`start-milestones.ts`); with `--heal` too, the same again from the heal.
 *
 *   pnpm bench:wiring --nodes 50 --processes 2 --seconds 30 [--interval-ms 1000] [--peer-set K] [--mesh-degree D] [--discovery-all] [--heal] [--every-ms MS] [--learning] [--milestones] [--cpu-profile DIR]
 */
import { resolve } from 'node:path'
import { ProcessNetwork, withWorkers } from './multi-process.js'
import type { NodeWiring } from './scale-worker-protocol.js'
import { mergeArrivals, nowEpochMs } from './delivery-cost.js'
import { milestoneTable } from './start-milestones.js'

function arg (name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const nodes = arg('--nodes', 50)
const processes = arg('--processes', 2)
const seconds = arg('--seconds', 30)
const intervalMs = arg('--interval-ms', 1000)
const peerSetSize = process.argv.includes('--peer-set') ? arg('--peer-set', 0) : undefined
const meshDegree = process.argv.includes('--mesh-degree') ? arg('--mesh-degree', 0) : undefined
const discovery = process.argv.includes('--discovery-all') ? 'all' : 'bootstrap'
const heal = process.argv.includes('--heal')
/** How often the start is traced (the heal: every 250 ms). */
const everyMs = arg('--every-ms', 1000)
const learning = process.argv.includes('--learning')
const milestones = process.argv.includes('--milestones')
const profileAt = process.argv.indexOf('--cpu-profile')
const profileDir = profileAt >= 0 ? resolve(process.argv[profileAt + 1] ?? '.') : undefined

const FIELDS = ['connections', 'connectedPeers', 'pubsubPeers', 'topicPeers', 'meshPeers', 'members', 'identified', 'dials', 'redials', 'dialFailures', 'repairs', 'knownPeers'] as const

function spread (values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  return `${sorted[0]}/${sorted[Math.floor(sorted.length / 2)]}/${sorted[sorted.length - 1]}`
}

/**
 * Prints one line of the wiring table every `everyMs` (times from `t0`) until every node converged
 * and holds its gossipsub peers (all others, or its peer set), or `seconds` have passed.
 */
async function trace (net: ProcessNetwork, t0: number, everyMs: number): Promise<void> {
  console.log(['t s', 'per process: cores@loop p99 ms, heartbeats/s per node, copies and signature checks per delivered heartbeat, connection to subscribed ms', 'conv', ...FIELDS].join(' | '))
  let last = await net.counters()
  for (;;) {
    const w: NodeWiring[] = await net.wiring()
    const now = await net.counters()
    const perProcess = now.map((c, i) => {
      const before = last[i] ?? c
      const seconds = (c.atMs - before.atMs) / 1000
      const beats = (c.published - before.published) / seconds / (w.length / processes)
      const delivered = Math.max(1, c.delivered - before.delivered)
      const perDelivered = `copies ${((c.copies - before.copies) / delivered).toFixed(2)} sig ${((c.signatureChecks - before.signatureChecks) / delivered).toFixed(2)}`
      return `${((c.cpuMs - before.cpuMs) / 1000 / seconds).toFixed(2)}@${Math.round(c.loopDelayP99Ms)} hb ${beats.toFixed(1)} ${perDelivered} sub ${c.subscribeLagMs.map(Math.round).join('/')}`
    }).join(' + ')
    last = now
    const converged = !Number.isNaN(await net.converged(0))
    const t = (performance.now() - t0) / 1000
    console.log([t.toFixed(1), perProcess, converged ? 'yes' : 'no', ...FIELDS.map((f) => spread(w.map((n) => n[f])))].join(' | '))
    const wired = w.every((n) => n.topicPeers >= Math.min(w.length - 1, peerSetSize ?? w.length))
    if ((converged && wired) || t > seconds) break
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

function quantile (sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

/** How the heartbeats first delivered since `fromEpochMs` spread, per half second (see the module comment). */
async function printLearning (net: ProcessNetwork, fromEpochMs: number): Promise<void> {
  const arrivals = mergeArrivals(await Promise.all(net.workers.map(async (w) => w.request({ op: 'arrivals', fromMs: fromEpochMs }))))
  const others = net.running().length - 1
  console.log('first delivered, s | heartbeats | share of the others reached, median / p10 | first to last delivery ms, median / p90')
  const bins = new Map<number, typeof arrivals>()
  for (const a of arrivals) {
    const bin = Math.floor((a.firstAtMs - fromEpochMs) / 500)
    bins.set(bin, [...(bins.get(bin) ?? []), a])
  }
  for (const [bin, list] of [...bins].sort((a, b) => a[0] - b[0])) {
    const shares = list.map((a) => a.receivers / others).sort((a, b) => a - b)
    const spreads = list.map((a) => a.lastAtMs - a.firstAtMs).sort((a, b) => a - b)
    console.log(`${(bin / 2).toFixed(1)} | ${list.length} | ${quantile(shares, 0.5).toFixed(2)} / ${quantile(shares, 0.1).toFixed(2)} | ${Math.round(quantile(spreads, 0.5))} / ${Math.round(quantile(spreads, 0.9))}`)
  }
}

await withWorkers(processes, async (workers) => {
  const stamp = Date.now()
  if (profileDir !== undefined) await Promise.all(workers.map(async (w, k) => w.request({ op: 'profileStart', dir: profileDir, file: `wiring-N${nodes}-w${k}-${stamp}.cpuprofile` })))
  const t0 = performance.now()
  const t0EpochMs = nowEpochMs()
  const net = await ProcessNetwork.start(workers, nodes, intervalMs, { ...(peerSetSize !== undefined ? { peerSetSize } : {}), ...(meshDegree !== undefined ? { meshDegree } : {}) }, discovery)
  console.log(`started ${nodes} nodes over ${processes} processes in ${Math.round(performance.now() - t0)} ms; columns: min/median/max over nodes`)
  await trace(net, t0, everyMs)
  if (profileDir !== undefined) console.error(`CPU profiles: ${(await Promise.all(workers.map(async (w) => w.request({ op: 'profileStop' })))).join(', ')}`)
  if (learning) await printLearning(net, t0EpochMs)
  const printMilestones = async (fromEpochMs: number): Promise<void> => {
    console.log(milestoneTable((await Promise.all(workers.map(async (w) => w.request({ op: 'milestones' })))).flat(), nodes, fromEpochMs))
  }
  if (milestones) await printMilestones(t0EpochMs)
  if (!heal) return
  // as the scale bench does: split in halves, wait until each half converged, heal, trace the heal
  const half = Math.floor(nodes / 2)
  await net.split([Array.from({ length: half }, (_, i) => i), Array.from({ length: nodes - half }, (_, i) => half + i)])
  const splitMs = await net.converged(seconds * 1000)
  console.log(`split in halves; each converged after ${Math.round(splitMs)} ms; healing`)
  if (milestones) await Promise.all(workers.map(async (w) => w.request({ op: 'milestonesRestart' })))
  const healedAt = performance.now()
  const healedAtEpochMs = nowEpochMs()
  await net.heal()
  await trace(net, healedAt, 250)
  if (milestones) await printMilestones(healedAtEpochMs)
})
