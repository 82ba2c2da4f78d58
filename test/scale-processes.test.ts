import { describe, expect, it } from 'vitest'
import { benchProcesses } from '../bench/multi-process.js'
import type { ProcessSettings } from '../bench/multi-process.js'

/**
 * CI's small-N run of `pnpm bench:scale --processes P`, with the same code: nodes spread over 2 OS
 * processes on loopback TCP (mDNS off), 1 s heartbeats, members dropped after 5 s; fully connected
 * with everyone bootstrapping from node 0, and with a bounded peer set (`--peer-set 3 --discovery
 * all`: every node told of every other at start, each dialling its picks). It asserts the behaviour
 * (convergence, delivery, crash detection, no false drops), not speed; the convergence bound is the
 * issue's target of 3 intervals (measured at N = 6 fully connected: 0.9 after start, 0.5 after a
 * heal, on a loaded 2-core machine).
 */
describe('scale scenarios over OS processes, small N (the benchmark code, P = 2)', () => {
  it.each([
    ['N = 6, fully connected, bootstrap', 6, {}],
    ['N = 8, a peer set of 3, discovery of all', 8, { peerSetSize: 3, discovery: 'all' }]
  ] as Array<[string, number, Partial<ProcessSettings>]>)('%s: converges within 3 intervals after start and after a heal, delivers at least 99 in 100 heartbeats, drops no one wrongly, and sees a crash within timeout + 1 interval', async (name, nodes, settings) => {
    const result = await benchProcesses(nodes, { processes: 2, intervalMs: 1000, durationS: 4, ...settings })
    console.log(`[measure] scale ${name}, P=2:`, JSON.stringify(result))
    expect(result.startToConvergedIntervals).toBeLessThanOrEqual(3)
    expect(result.healToConvergedIntervals).toBeLessThanOrEqual(3)
    expect(result.delivery).toBeGreaterThanOrEqual(0.99)
    expect(result.falseDrops).toBe(0)
    expect(result.crashMissed).toBe(0)
    expect(result.crashDetectMaxMs).toBeLessThanOrEqual(result.crashTargetMs)
  })
})
