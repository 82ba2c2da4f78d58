/**
 * The README's demo (`pnpm demo`) as a user runs it: it exits 0 by itself, within its time bound,
 * and shows a correct split of three agents and a correct re-split of the two that remain.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { tsxNodeArgs } from '../examples/agent/src/agent-process.js'

const DEMO = fileURLToPath(new URL('../examples/agent/src/demo.ts', import.meta.url))
const DEMO_BOUND_MS = 40_000

describe('pnpm demo', () => {
  it('shows the split and the re-split and exits 0 on its own', async () => {
    const startedAt = performance.now()
    const { stdout } = await promisify(execFile)(process.execPath, tsxNodeArgs(DEMO), { timeout: DEMO_BOUND_MS, encoding: 'utf8' })
    const tookMs = performance.now() - startedAt
    console.log(`demo finished in ${Math.round(tookMs)} ms`)
    expect(stdout).toMatch(/split after [\d.]+ s/)
    expect(stdout).toMatch(/re-split \d+ ms after the stop/)
    expect(stdout.match(/every one of the 24 resources has exactly one owner/g)).toHaveLength(2)
    expect(stdout).not.toContain('SPLIT IS WRONG')
    const tables = stdout.split('\n').filter((line) => /^agent-[abc] /.test(line))
    expect(tables.filter((line) => line.startsWith('agent-c'))).toHaveLength(1)
    expect(tables).toHaveLength(5)
  })
})
