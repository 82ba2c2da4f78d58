import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { run } from '../src/program.js'
import { capture } from './capture.js'

/** Waits until `predicate()` holds, checking every 20 ms, or throws after `timeoutMs`. */
async function until (predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('gossip-ring node on a terminal', () => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('keeps where the peer id came from in the live view, a new key file included (a passing change would scroll away)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gossip-ring-live-'))
    const file = join(dir, 'agent.key')
    const { io, out, stop } = capture()
    Object.assign(io.stdout, { isTTY: true, columns: 200 })
    const running = run(['node', '--group', 'g', '--local', '--no-mdns', '--identity', file], io)
    try {
      await until(() => out().includes('identity: NEW peer id'), 'the live view to show the identity')
      expect(out()).toContain(`identity: NEW peer id, written to ${file} (on a restart, check the path)`)
    } finally {
      stop.abort()
    }
    expect(await running).toBe(0)
  })
})
