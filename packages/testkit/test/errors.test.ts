import { InvalidOptionError as ClusterInvalidOptionError } from '@gossip-ring/cluster'
import { describe, expect, it } from 'vitest'
import { createTestNetwork, InvalidOptionError } from '../src/index.js'

describe('testkit errors', () => {
  it('a bad option throws the cluster\'s InvalidOptionError (one class per meaning), with its code', async () => {
    const err = await createTestNetwork({ nodes: 0 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ClusterInvalidOptionError)
    expect(InvalidOptionError).toBe(ClusterInvalidOptionError)
    expect((err as ClusterInvalidOptionError).code).toBe('ERR_INVALID_OPTION')
  })
})
