/**
 * Runs another checkout's `pnpm bench:cost` (one round, the same settings) in a child process, so
 * `bench/delivery-cost.bench.ts --against DIR` can put another version of the code (e.g. main before
 * a change, with its own wire format and gossipsub settings) in the same run as this one. Only one
 * thing runs at a time: the child's figures are as comparable as two variants of this process.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { DeliveryCost } from './delivery-cost.js'

const run = promisify(execFile)

/** What the other checkout measured for one of its variants in one round. */
export interface CheckoutRow {
  /** Its variant's label, prefixed with the checkout's name. */
  label: string
  cost: DeliveryCost
}

interface ChildRow {
  variant: string
  cpuPerDeliveredMs: { median: number }
  copiesPerHeartbeat: number
  signatureChecksPerDelivered?: number
  delivery: number
  cpuCores: number
}

/**
 * One round of `dir`'s delivery-cost bench: `pnpm bench:cost --json --rounds 1` with the given
 * settings and `extraArgs` (its own variant flags), bounded by `timeoutMs`.
 */
export async function runCheckoutRound (dir: string, name: string, settings: { nodes: number, durationS: number, intervalMs: number }, extraArgs: string[], timeoutMs: number): Promise<CheckoutRow[]> {
  const args = ['bench:cost', '--json', '--rounds', '1', '--nodes', String(settings.nodes), '--duration-s', String(settings.durationS), '--interval-ms', String(settings.intervalMs), ...extraArgs]
  const { stdout } = await run('pnpm', ['--silent', '--dir', dir, ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 })
  const line = stdout.split('\n').find((l) => l.startsWith('{"bench":"delivery-cost"'))
  if (line === undefined) throw new Error(`${dir}: no JSON result from bench:cost`)
  const rows = (JSON.parse(line) as { rows: ChildRow[] }).rows
  return rows.map((row) => ({
    // its own baseline marker would read as ours
    label: `${name}: ${row.variant.replace(/ \([^)]*baseline\)$/, '')}`,
    cost: {
      cpuPerDeliveredMs: row.cpuPerDeliveredMs.median,
      copiesPerHeartbeat: row.copiesPerHeartbeat,
      signatureChecksPerDelivered: row.signatureChecksPerDelivered ?? Number.NaN,
      delivery: row.delivery,
      cpuCores: row.cpuCores
    }
  }))
}
