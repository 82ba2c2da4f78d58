/**
 * @packageDocumentation
 *
 * `@gossip-ring/testkit`: test your agents against partitions, crashes, message loss and delay.
 * Real clusters (real libp2p and gossipsub) run in one process on a simulated network.
 *
 * @example
 * ```ts
 * import { createTestNetwork } from '@gossip-ring/testkit'
 *
 * const net = await createTestNetwork({ nodes: 5, groups: ['pollers'] })
 * try {
 *   await net.converged('pollers')
 *   await net.partition([[0, 1], [2, 3, 4]])
 *   await net.converged('pollers')
 *   net.assertEachSideOwnsAll('pollers', resources)
 *   await net.heal()
 *   await net.converged('pollers')
 *   net.assertAgreement('pollers', resources)
 * } finally {
 *   await net.stop()
 * }
 * ```
 */
export { createTestNetwork, TestNetwork } from './network.js'
export type { ManagedClusterKeys, TestNetworkInit } from './options.js'
export { TEST_HEARTBEAT_INTERVAL_MS } from './options.js'
export type { NodeState, NodeTraffic } from './node-slot.js'
export type { LossRule, DelayRule, NodeSelector } from './faults.js'
export type { OwnershipSnapshot } from './ownership.js'
export { OwnershipRecorder } from './ownership-recorder.js'
export type { CoverageOptions, DoubleOwnershipOptions, NodeWatcher, RecordOwnershipOptions, RecorderSource } from './ownership-recorder.js'
export { OwnershipTimeline } from './ownership-timeline.js'
export type { OwnershipFigures, OwnershipIncident, OwnershipPhase, OwnershipReport } from './ownership-timeline.js'
export type { WaitOptions } from './wait.js'
// building blocks for networks spread over several processes (bench/scale-worker.ts)
export { Reachability } from './reachability.js'
export { partitionGater } from './gater.js'
export { convergenceProblems } from './convergence.js'
export type { MembershipSnapshot } from './convergence.js'
export {
  AgreementAssertionError,
  ConvergenceTimeoutError,
  InvalidNodeError,
  InvalidOptionError,
  InvalidPartitionError,
  NetworkStoppedError,
  OwnershipAssertionError
} from './errors.js'
