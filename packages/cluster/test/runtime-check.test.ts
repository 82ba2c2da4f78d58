import { afterEach, describe, expect, it } from 'vitest'
import { createCluster, UnsupportedRuntimeError } from '../src/index.js'
import { FAST } from './support/clusters.js'

const realVersion = process.versions.node

/** Makes this process report `version` as its Node.js version (restored after each test). */
function pretendNode (version: string): void {
  Object.defineProperty(process.versions, 'node', { value: version })
}

describe('the Node.js version', () => {
  afterEach(() => { pretendNode(realVersion) })

  it('Node 20 gets a named error before anything starts, not a TypeError from inside libp2p', async () => {
    // seen on Node 20 (npm installs despite "engines"): TypeError: Promise.withResolvers is not a function
    pretendNode('20.20.2')
    const failure = await createCluster({ ...FAST, groups: ['g'] }).then(() => undefined, (err: unknown) => err)
    expect(failure).toBeInstanceOf(UnsupportedRuntimeError)
    expect((failure as UnsupportedRuntimeError).code).toBe('ERR_UNSUPPORTED_RUNTIME')
    expect((failure as Error).message).toBe('gossip-ring needs Node.js 22 or later; this is Node.js 20.20.2')
  })

  it.each(['22.0.0', '24.21.0', '26.1.0'])('Node %s starts', async (version) => {
    pretendNode(version)
    const cluster = await createCluster({ ...FAST, groups: ['g'] })
    await cluster.stop({ goodbye: false })
  })
})
