/**
 * Heap soak of gossip-ring: N clusters (testkit, one process, 1 s heartbeats) at steady state, memory
 * held (the JS heap plus ArrayBuffers, where received bytes live) sampled after a forced GC every
 * `--sample-s` seconds for `--duration-s`. The first ~2 minutes fill
 * gossipsub's seen-message caches (their TTL is 2 minutes), so growth is reported twice: during that
 * warm-up (the baseline) and after it, where a leak would show.
 *
 *   tsx bench/heap-soak.bench.ts                       # N = 10, 420 s, samples every 30 s
 *   options: --nodes 10 --duration-s 420 --sample-s 30 --warmup-s 150 --json
 */
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { parseArgs } from 'node:util'
import { createTestNetwork } from '@gossip-ring/testkit'

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10' },
    'duration-s': { type: 'string', default: '420' },
    'sample-s': { type: 'string', default: '30' },
    'warmup-s': { type: 'string', default: '150' },
    json: { type: 'boolean', default: false }
  }
})
const nodes = Number(values.nodes)
const durationS = Number(values['duration-s'])
const sampleS = Number(values['sample-s'])
const warmupS = Number(values['warmup-s'])
if (!Number.isInteger(nodes) || nodes < 2 || !(sampleS > 0) || !(warmupS >= 0) || !(durationS > warmupS)) {
  throw new Error('usage: --nodes <int >= 2> --duration-s <s > warmup> --sample-s <s > 0> --warmup-s <s >= 0> [--json]')
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
/** The JS heap and the ArrayBuffers outside it after a full GC, MB: a leak of received bytes shows only in the latter. */
const heldMB = (): number => {
  gc()
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return (heapUsed + arrayBuffers) / 2 ** 20
}

const net = await createTestNetwork({ nodes, groups: ['soak'], clusterOptions: { heartbeatIntervalMs: 1000 } })
const samples: Array<{ atS: number, heldMB: number }> = []
try {
  await net.converged('soak', { timeoutMs: 60_000 })
  const t0 = performance.now()
  for (let atS = 0; atS <= durationS; atS += sampleS) {
    const wait = t0 + atS * 1000 - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    samples.push({ atS, heldMB: heldMB() })
    if (!values.json) console.error(`${atS} s: ${samples.at(-1)?.heldMB.toFixed(2)} MB`)
  }
} finally {
  await net.stop()
}

const at = (s: number): number => (samples.find((sample) => sample.atS >= s) ?? samples.at(-1))!.heldMB
const last = samples.at(-1)!
const warmupGrowthMB = at(warmupS) - at(0)
const afterWarmupGrowthMB = last.heldMB - at(warmupS)
const result = {
  bench: 'heap-soak', nodes, durationS, warmupS,
  warmupGrowthMB, afterWarmupGrowthMB,
  afterWarmupMBPerMin: afterWarmupGrowthMB / ((last.atS - warmupS) / 60),
  samples
}
if (values.json) {
  console.log(JSON.stringify(result))
} else {
  console.log(`heap soak (JS heap + ArrayBuffers): ${nodes} nodes, 1 s heartbeats, ${durationS} s`)
  console.log(`growth during warm-up (0-${warmupS} s, the baseline): ${warmupGrowthMB.toFixed(2)} MB`)
  console.log(`growth after warm-up (${warmupS}-${last.atS} s): ${afterWarmupGrowthMB.toFixed(2)} MB (${result.afterWarmupMBPerMin.toFixed(3)} MB/min; x${(afterWarmupGrowthMB / warmupGrowthMB).toFixed(2)} of the warm-up)`)
}
