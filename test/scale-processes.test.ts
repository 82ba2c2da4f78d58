import { describe, expect, it } from 'vitest'
import { benchProcesses } from '../bench/multi-process.js'

/**
 * CI's small-N run of `pnpm bench:scale --processes P`, with the same code: 6 nodes spread over 2
 * OS processes on loopback TCP (mDNS off, bootstrap), 1 s heartbeats, members dropped after 5 s.
 * It asserts the behaviour (convergence, delivery, crash detection, no false drops), not speed;
 * the convergence bound is the target of 3 intervals (measured at N = 6: 0.9 after start,
 * 0.5 after a heal, on a loaded 2-core machine).
 */
describe('scale scenarios over OS processes, small N (the benchmark code at N = 6, P = 2)', () => {
  it('converges within 3 intervals after start and after a heal, delivers >= 99%, drops no one wrongly, and sees a crash within timeout + 1 interval', async () => {
    const result = await benchProcesses(6, { processes: 2, intervalMs: 1000, durationS: 4 })
    console.log('[measure] scale N=6 P=2:', JSON.stringify(result))
    expect(result.startToConvergedIntervals).toBeLessThanOrEqual(3)
    expect(result.healToConvergedIntervals).toBeLessThanOrEqual(3)
    expect(result.delivery).toBeGreaterThanOrEqual(0.99)
    expect(result.falseDrops).toBe(0)
    expect(result.crashMissed).toBe(0)
    expect(result.crashDetectMaxMs).toBeLessThanOrEqual(result.crashTargetMs)
  })
})
