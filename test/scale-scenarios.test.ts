import { describe, expect, it } from 'vitest'
import { benchSize } from '../bench/scale-scenarios.js'

/**
 * CI's small-N run of every scale scenario of `pnpm bench:scale`, with the same code, at the default
 * (LAN) timings: 1 s heartbeats, members dropped after 5 s. The targets are those of the benchmark.
 */
describe('scale scenarios, small N (the benchmark code at N = 5)', () => {
  it('converges, keeps its cost per node, drops no one under a CPU hog, heals, and detects a crash in time', async () => {
    const nodes = 5
    const intervalMs = 1000
    const result = await benchSize(nodes, { intervalMs, durationS: 4 })
    console.log('[measure] scale N=5:', JSON.stringify(result))
    // converged after start and after heal (NaN means the deadline passed)
    expect(result.startToConvergedMs).not.toBeNaN()
    expect(result.healToConvergedMs).not.toBeNaN()
    // steady state: each node hears each other node about once per interval, in small messages
    const expectedPerS = (nodes - 1) * 1000 / intervalMs
    expect(result.msgsPerNodePerS).toBeGreaterThan(0.75 * expectedPerS)
    expect(result.msgsPerNodePerS).toBeLessThan(1.5 * expectedPerS)
    expect(result.bytesPerHeartbeat).toBeLessThan(256)
    // the Lifeguard problem: a busy event loop (blocked 50-150 ms every 200 ms) must not drop live members
    expect(result.hogBlockedMsTotal).toBeGreaterThan(0)
    expect(result.falsePositives).toBe(0)
    // a crash is seen by every other node within the member timeout plus one interval
    expect(result.crashWithinTarget).toBe(true)
  })
})
