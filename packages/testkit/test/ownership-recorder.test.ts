import { afterEach, describe, expect, it } from 'vitest'
import { createTestNetwork } from '../src/index.js'
import type { TestNetwork } from '../src/index.js'

const GROUP = 'g'
const resources = Array.from({ length: 200 }, (_, i) => `r${i}`)
/** Test networks heartbeat every 200 ms; members time out after 1 s. */
const TIMEOUT_MS = 1000

let net: TestNetwork | undefined
afterEach(async () => { await net?.stop() })

describe('net.recordOwnership on a real test network', () => {
  it('sees the crashed node\'s share without owner for about the member timeout, and names it', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [GROUP] })
    await net.converged(GROUP)
    const recorder = net.recordOwnership(GROUP, resources)
    recorder.mark('crash')
    const share = net.cluster(2).extractMySubset(GROUP, resources).length
    await net.crash(2)
    await net.converged(GROUP)
    recorder.assertNoDoubleOwnership({ sinceMark: 'crash' })
    const phase = recorder.report().phases.find((p) => p.label === 'crash')
    expect(phase?.keysMoved).toBe(share)
    expect(phase?.unownedResourceS).toBeGreaterThan(share * TIMEOUT_MS * 0.5 / 1000)
    expect(() => { recorder.assertCoverage({ maxGapMs: 100, sinceMark: 'crash' }) }).toThrow(/had no owner for longer than 100 ms:\n {2}r\d+: no owner for \d+ ms/)
    recorder.stop()
  })

  it('sees both sides of a partition own everything, with the nodes of both sides in the failure', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [GROUP] })
    await net.converged(GROUP)
    const recorder = net.recordOwnership(GROUP, resources)
    recorder.assertNoDoubleOwnership()
    await net.partition([[0], [1, 2]])
    await net.converged(GROUP)
    expect(recorder.doubleOwnership().length).toBe(resources.length)
    expect(() => { recorder.assertNoDoubleOwnership({ graceMs: 0 }) }).toThrow(/200 resource\(s\) of group "g" had several owners for longer than 0 ms:\n {2}r\d+: owned by n0, n[12] for/)
  })

  it('stops recording when the network stops, and rejects an unknown mark', async () => {
    net = await createTestNetwork({ nodes: 2, groups: [GROUP] })
    await net.converged(GROUP)
    const recorder = net.recordOwnership(GROUP, resources)
    await net.stop()
    const before = recorder.report()
    expect(recorder.report()).toEqual(before)
    expect(() => { recorder.gaps('nope') }).toThrow(expect.objectContaining({ name: 'InvalidOptionError' }))
  })
})
