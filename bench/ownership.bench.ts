/**
 * Ownership benchmark of gossip-ring: what a user who bills per resource would see. For N = 5 and
 * 10 real clusters on the testkit's in-process network, 1,000 resources, and each variant of the
 * group's ownership options (the first, `baseline`, is today's default), the ownership history
 * checker measures per scenario (join, graceful leave, crash, partition + heal, flapping member):
 * double-owned and unowned resource-seconds, keys moved, unowned time per moved key.
 *
 *   tsx bench/ownership.bench.ts            # N = 5, 10; 200 ms heartbeats (1 s timeout)
 *   options: --sizes 5,10  --resources 1000  --variants baseline,handoff  --flaps 3  --json
 */
import { runOwnershipScenarios, GROUP } from './ownership-scenarios.js'
import type { OwnershipSettings, ScenarioResult, Variant } from './ownership-scenarios.js'
import { flagValue } from './args.js'

/** Every variant, baseline first. */
const VARIANTS: Variant[] = [
  { name: 'baseline', group: { name: GROUP, handoff: false } },
  { name: 'handoff', group: { name: GROUP, handoff: true } },
  { name: 'handoff+own-nothing', group: { name: GROUP, handoff: true, quorum: 'majority', onMinority: 'own-nothing' } },
  { name: 'handoff+keep-last', group: { name: GROUP, handoff: true, quorum: 'majority', onMinority: 'keep-last' } },
  { name: 'handoff+settle 3s', group: { name: GROUP, handoff: true, settleMs: 3000 } }
]

interface Settings extends OwnershipSettings { sizes: number[], variants: Variant[], json: boolean }

function parseArgs (argv: string[]): Settings {
  const value = (name: string): string | undefined => flagValue(argv, name)
  const sizes = (value('--sizes') ?? '5,10').split(',').map(Number)
  const resources = Number(value('--resources') ?? 1000)
  const flaps = Number(value('--flaps') ?? 3)
  const names = value('--variants')?.split(',')
  const variants = names === undefined ? VARIANTS : VARIANTS.filter((v) => names.includes(v.name))
  if (sizes.some((n) => !Number.isInteger(n) || n < 3) || !(resources > 0) || !(flaps >= 1) || variants.length === 0) {
    throw new Error(`usage: --sizes <ints >= 3> --resources <n> --flaps <n >= 1> --variants <${VARIANTS.map((v) => v.name).join(',')}> [--json]`)
  }
  return { sizes, resources, flaps, intervalMs: 200, variants, json: argv.includes('--json') }
}

function printTable (s: Settings, results: ScenarioResult[]): void {
  const f = (x: number, d = 2): string => Number.isFinite(x) ? x.toFixed(d) : 'n/a'
  const base = (r: ScenarioResult): ScenarioResult | undefined => results.find((b) => b.variant === 'baseline' && b.nodes === r.nodes && b.scenario === r.scenario)
  const ratio = (x: number, b: number | undefined): string => b === undefined || b === 0 ? '' : ` (${f(x / b)}x)`
  const rows = [
    ['N', 'variant', 'scenario', 'double-owned res-s (x base)', 'unowned res-s (x base)', 'keys moved (x base)', 'unowned ms / moved key'],
    ...results.map((r) => [
      String(r.nodes), r.variant, r.scenario,
      f(r.doubleOwnedResourceS) + ratio(r.doubleOwnedResourceS, base(r)?.doubleOwnedResourceS),
      f(r.unownedResourceS) + ratio(r.unownedResourceS, base(r)?.unownedResourceS),
      String(r.keysMoved) + ratio(r.keysMoved, base(r)?.keysMoved),
      f(r.unownedMsPerMovedKey, 0)
    ])
  ]
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? []
  console.log(`gossip-ring ownership: ${s.resources} resources, heartbeat ${s.intervalMs} ms, timeout ${5 * s.intervalMs} ms, memory transport, one process; baseline = today's behaviour (handoff: false)`)
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | '))
}

async function main (): Promise<void> {
  const s = parseArgs(process.argv.slice(2))
  const results: ScenarioResult[] = []
  for (const nodes of s.sizes) {
    for (const variant of s.variants) {
      console.error(`N = ${nodes}, ${variant.name} ...`)
      const rows = await runOwnershipScenarios(nodes, variant, s)
      for (const row of rows) console.error(JSON.stringify(row))
      results.push(...rows)
    }
  }
  if (s.json) console.log(JSON.stringify({ bench: 'ownership', resources: s.resources, heartbeatIntervalMs: s.intervalMs, results }))
  else printTable(s, results)
}

await main()
