import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/errors.js'
import { resolveTestNetworkInit, TEST_HEARTBEAT_INTERVAL_MS } from '../src/options.js'

describe('resolveTestNetworkInit', () => {
  it('fills defaults: 3 nodes, group "default", memory transport, short heartbeats', () => {
    expect(resolveTestNetworkInit({})).toEqual({
      nodes: 3,
      groups: ['default'],
      clusterOptions: { heartbeatIntervalMs: TEST_HEARTBEAT_INTERVAL_MS },
      transport: 'memory',
      seed: 1
    })
  })

  it('keeps the caller options and does not mutate them', () => {
    const init = Object.freeze({ nodes: 5, groups: Object.freeze(['g']) as string[], clusterOptions: Object.freeze({ heartbeatIntervalMs: 50, namespace: 'x' }), transport: 'tcp' as const, seed: 9 })
    expect(resolveTestNetworkInit(init)).toEqual({ nodes: 5, groups: ['g'], clusterOptions: { heartbeatIntervalMs: 50, namespace: 'x' }, transport: 'tcp', seed: 9 })
  })

  it.each([
    [{ nodes: 0 }, 'nodes must be an integer >= 1'],
    [{ nodes: 2.5 }, 'nodes must be an integer >= 1'],
    [{ transport: 'udp' as 'tcp' }, "transport must be 'memory' or 'tcp'"],
    [{ seed: 0.5 }, 'seed must be an integer']
  ])('rejects %j with InvalidOptionError', (init, message) => {
    expect(() => resolveTestNetworkInit(init)).toThrow(InvalidOptionError)
    expect(() => resolveTestNetworkInit(init)).toThrow(message)
  })
})
