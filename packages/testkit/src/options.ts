import type { ClusterInit } from '@gossip-ring/cluster'
import { InvalidOptionError } from './errors.js'

/** Cluster options the test network sets itself (addresses, discovery, gater, identity). */
export type ManagedClusterKeys = 'listen' | 'bootstrap' | 'mdns' | 'connectionGater' | 'transport' | 'identityFile' | 'libp2p' | 'local' | 'groups'

/** Options of `createTestNetwork()`. */
export interface TestNetworkInit {
  /** Number of nodes started at once (more can join with `add()`). @default 3 */
  nodes?: number
  /** Groups every node joins. @default ['default'] */
  groups?: ClusterInit['groups']
  /**
   * Options passed to every `createCluster()` (timings, namespace, logger). The network sets the
   * transport, addresses, gater and identity itself. `heartbeatIntervalMs` defaults to 200 ms here
   * (not 1 s) so tests run in seconds; suspicion and timeout follow the cluster's defaults from it.
   */
  clusterOptions?: Omit<ClusterInit, ManagedClusterKeys>
  /** 'memory' (in-process streams, fastest) or 'tcp' (loopback 127.0.0.1). @default 'memory' */
  transport?: 'memory' | 'tcp'
  /** Seed of the random source used by `loss()`: the same seed drops the same messages. @default 1 */
  seed?: number
}

/** Options after defaults and validation. */
export interface ResolvedTestNetworkInit {
  nodes: number
  groups: NonNullable<ClusterInit['groups']>
  clusterOptions: Omit<ClusterInit, ManagedClusterKeys>
  transport: 'memory' | 'tcp'
  seed: number
}

/** Heartbeat interval of test networks unless the caller sets one, in milliseconds. */
export const TEST_HEARTBEAT_INTERVAL_MS = 200

/** Applies defaults and validates; throws `InvalidOptionError` saying what was wrong and what was expected. Never mutates `init`. */
export function resolveTestNetworkInit (init: TestNetworkInit): ResolvedTestNetworkInit {
  const nodes = init.nodes ?? 3
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new InvalidOptionError(`nodes must be an integer >= 1, got ${String(nodes)}`)
  }
  const transport = init.transport ?? 'memory'
  if (transport !== 'memory' && transport !== 'tcp') {
    throw new InvalidOptionError(`transport must be 'memory' or 'tcp', got ${String(transport)}`)
  }
  const seed = init.seed ?? 1
  if (!Number.isInteger(seed)) {
    throw new InvalidOptionError(`seed must be an integer, got ${String(seed)}`)
  }
  return {
    nodes,
    groups: [...(init.groups ?? ['default'])],
    clusterOptions: {
      ...init.clusterOptions,
      heartbeatIntervalMs: init.clusterOptions?.heartbeatIntervalMs ?? TEST_HEARTBEAT_INTERVAL_MS
    },
    transport,
    seed
  }
}
