/**
 * CPU per delivered heartbeat, copies per heartbeat on the wire, and delivery, for gossipsub
 * variants side by side in ONE run: N real clusters (testkit, memory transport) in this process,
 * 1 s heartbeats. A variant is a mesh degree, a number of gossip (IHAVE) peers and a relay mode,
 * written `D/G/relay` (`ClusterInit.meshDegree`, `gossipPeers`, `relay`). Each round runs every
 * variant once on a fresh network (the order rotates per round, so a load spike on the shared
 * machine does not hit one variant only); the baseline is the configuration issue 13 measured
 * (mesh degree 4, IHAVE to 4 peers: gossipsub's defaults at 20 nodes, every heartbeat forwarded)
 * and ratios are per round, against it.
 *
 *   tsx bench/delivery-cost.bench.ts                      # N = 20, 3 rounds of 15 s per variant
 *   options: --nodes 20 --rounds 3 --duration-s 15 --interval-ms 1000 --variants 2/4/always,1/2/on-demand --json
 *   --cpu-profile DIR                                      # a V8 CPU profile of each measurement window, into DIR
 *   --against DIR [--against-args "--degrees 2"]          # also another checkout's bench:cost, one round of it per
 *                                                          # round, in a child process (e.g. main before a change);
 *                                                          # repeatable; the table adds per-round ratios against
 *                                                          # the first row of the first one
 */
import { createTestNetwork } from '@gossip-ring/testkit'
import { basename } from 'node:path'
import { runCheckoutRound } from './other-checkout.js'
import { startCpuProfile } from './cpu-profile.js'
import { ArrivalLog, countWireCopies, deliveryCost, deliveryShare, ISSUE_BASELINE, median, nowEpochMs, readCounters, subtractCounters, variantName, WARM_UP_INTERVALS } from './delivery-cost.js'
import type { DeliveryCost, GossipVariant } from './delivery-cost.js'
import { flagValue } from './args.js'
import { describeMachineSpeed, measureMachineSpeed } from './machine-speed.js'

const GROUP = 'bench'


function parseVariant (text: string): GossipVariant {
  const [degree, peers, relay] = text.split('/')
  const meshDegree = Number(degree)
  const gossipPeers = Number(peers)
  if (!Number.isInteger(meshDegree) || meshDegree < 1 || !Number.isInteger(gossipPeers) || gossipPeers < 0 || (relay !== 'always' && relay !== 'on-demand')) {
    throw new Error(`bad variant ${text}: want D/G/relay, mesh degree >= 1, gossip peers >= 0, relay 'always' or 'on-demand'`)
  }
  return { meshDegree, gossipPeers, relay }
}

interface Settings {
  nodes: number
  rounds: number
  durationS: number
  intervalMs: number
  variants: GossipVariant[]
  json: boolean
  /** Other checkouts to measure in the same run, each with the extra arguments for its bench. */
  against: Array<{ dir: string, args: string[] }>
  /** Where to write a CPU profile of each measurement window. */
  cpuProfileDir?: string
}

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => flagValue(argv, name)
  const nodes = Number(value('--nodes') ?? 20)
  const rounds = Number(value('--rounds') ?? 3)
  const durationS = Number(value('--duration-s') ?? 15)
  const intervalMs = Number(value('--interval-ms') ?? 1000)
  const others = (value('--variants') ?? '2/4/always,1/2/always,1/2/on-demand').split(',').map(parseVariant).filter((v) => variantName(v) !== variantName(ISSUE_BASELINE))
  if (!Number.isInteger(nodes) || nodes < 3 || !Number.isInteger(rounds) || rounds < 1 || !(durationS > 0) || !(intervalMs > 0)) {
    throw new Error('usage: --nodes <int >= 3> --rounds <int >= 1> --duration-s <s> --interval-ms <ms> --variants <D/G,...> [--json]')
  }
  const cpuProfileDir = value('--cpu-profile')
  return { nodes, rounds, durationS, intervalMs, variants: [ISSUE_BASELINE, ...others], json: argv.includes('--json'), against: parseAgainst(argv), ...(cpuProfileDir !== undefined ? { cpuProfileDir } : {}) }
}

/** Every `--against DIR`, each with the `--against-args "..."` right after it (if any). */
function parseAgainst (argv: string[]): Settings['against'] {
  const against: Settings['against'] = []
  argv.forEach((arg, i) => {
    const dir = argv[i + 1]
    if (arg !== '--against' || dir === undefined) return
    const args = argv[i + 2] === '--against-args' ? (argv[i + 3] ?? '').split(' ').filter((a) => a !== '') : []
    against.push({ dir, args })
  })
  return against
}

/**
 * One variant on a fresh network: converge, warm up ({@link WARM_UP_INTERVALS}: steady state), then
 * measure one window.
 */
async function runVariant (s: Settings, variant: GossipVariant): Promise<DeliveryCost> {
  const net = await createTestNetwork({ nodes: s.nodes, groups: [GROUP], clusterOptions: { heartbeatIntervalMs: s.intervalMs, ...variant } })
  try {
    await net.converged(GROUP, { timeoutMs: 60_000 })
    const clusters = net.running().map((i) => net.cluster(i))
    const arrivals = new ArrivalLog()
    for (const c of clusters) {
      countWireCopies(c)
      arrivals.watch(c)
    }
    await sleep(WARM_UP_INTERVALS * s.intervalMs)
    const fromMs = nowEpochMs()
    const profile = s.cpuProfileDir === undefined ? undefined : await startCpuProfile(s.cpuProfileDir, `delivery-cost-${variantName(variant).replaceAll('/', '-')}-${Date.now()}.cpuprofile`)
    const before = readCounters(clusters)
    await sleep(s.durationS * 1000)
    const window = subtractCounters(readCounters(clusters), before)
    if (profile !== undefined) console.error(`CPU profile: ${await profile.stop()}`)
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

const label = (v: GossipVariant): string => v === ISSUE_BASELINE ? `${variantName(v)} (baseline)` : variantName(v)

/** One step of a round: a variant in this process, or one round of another checkout. */
type Step = GossipVariant | { dir: string, args: string[] }

async function runStep (s: Settings, step: Step): Promise<Array<{ label: string, cost: DeliveryCost }>> {
  if (!('dir' in step)) return [{ label: label(step), cost: await runVariant(s, step) }]
  return runCheckoutRound(step.dir, basename(step.dir), s, step.args, 20 * 60_000)
}

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  const machine = measureMachineSpeed()
  const steps: Step[] = [...s.variants, ...s.against]
  const results = new Map<string, DeliveryCost[]>()
  /** The label of the first row the first other checkout printed: the second baseline. */
  let checkoutBase: string | undefined
  for (let round = 0; round < s.rounds; round++) {
    const order = steps.map((_, i) => steps[(i + round) % steps.length] as Step)
    for (const step of order) {
      for (const { label: name, cost } of await runStep(s, step)) {
        console.error(`round ${round + 1} ${name}: ${JSON.stringify(cost)}`)
        if (step === s.against[0]) checkoutBase ??= name
        results.set(name, [...(results.get(name) ?? []), cost])
      }
    }
  }
  const ratiosTo = (runs: DeliveryCost[], base: DeliveryCost[]): { median: number, min: number, max: number } => {
    const ratios = runs.map((r, i) => r.cpuPerDeliveredMs / (base[i]?.cpuPerDeliveredMs ?? Number.NaN))
    return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) }
  }
  const rows = [...results].map(([name, runs]) => {
    const cpu = runs.map((r) => r.cpuPerDeliveredMs)
    return {
      variant: name,
      cpuPerDeliveredMs: { median: median(cpu), min: Math.min(...cpu), max: Math.max(...cpu) },
      ratioToBaseline: ratiosTo(runs, results.get(label(ISSUE_BASELINE)) ?? []),
      ...(checkoutBase !== undefined ? { ratioToCheckout: ratiosTo(runs, results.get(checkoutBase) ?? []) } : {}),
      copiesPerHeartbeat: median(runs.map((r) => r.copiesPerHeartbeat)),
      signatureChecksPerDelivered: median(runs.map((r) => r.signatureChecksPerDelivered)),
      delivery: Math.min(...runs.map((r) => r.delivery)),
      cpuCores: median(runs.map((r) => r.cpuCores))
    }
  })
  if (s.json) {
    console.log(JSON.stringify({ bench: 'delivery-cost', nodes: s.nodes, rounds: s.rounds, durationS: s.durationS, heartbeatIntervalMs: s.intervalMs, baseline: label(ISSUE_BASELINE), checkoutBaseline: checkoutBase, machine, rows }))
    return
  }
  const f = (x: number, d: number): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const range = (r: { median: number, min: number, max: number }): string => `${f(r.median, 2)} (${f(r.min, 2)}-${f(r.max, 2)})`
  const table = [
    ['variant (mesh degree / gossip peers / relay)', 'CPU ms / delivered heartbeat, median (min-max)', 'x baseline, median (min-max)', ...(checkoutBase !== undefined ? [`x ${checkoutBase}`] : []), 'copies / heartbeat', 'signature checks / delivered', 'delivery (worst run)', 'process CPU (cores)'],
    ...rows.map((r) => [
      r.variant,
      `${f(r.cpuPerDeliveredMs.median, 3)} (${f(r.cpuPerDeliveredMs.min, 3)}-${f(r.cpuPerDeliveredMs.max, 3)})`,
      range(r.ratioToBaseline),
      ...(r.ratioToCheckout !== undefined ? [range(r.ratioToCheckout)] : []),
      f(r.copiesPerHeartbeat, 2),
      f(r.signatureChecksPerDelivered, 3),
      `${f(r.delivery * 100, 2)}%`,
      f(r.cpuCores, 2)
    ])
  ]
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring delivery cost: ${s.nodes} nodes in one process (memory transport), heartbeat ${s.intervalMs} ms, ${s.rounds} rounds x ${s.durationS} s per variant`)
  console.log(describeMachineSpeed(machine))
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | '))
}

await main()
