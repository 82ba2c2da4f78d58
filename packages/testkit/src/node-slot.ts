import { join } from 'node:path'
import { createCluster, heartbeatTopic } from '@gossip-ring/cluster'
import type { Cluster, ClusterInit } from '@gossip-ring/cluster'
import type { ConnectionGater } from '@libp2p/interface'
import { installMessageHook, subscribedTopics } from './message-hook.js'
import type { MessageHook, Sleep } from './message-hook.js'
import type { ResolvedTestNetworkInit } from './options.js'
import type { NodeWatcher } from './ownership-recorder.js'

/** Lifecycle state of one node of a test network. */
export type NodeState = 'running' | 'crashed' | 'stopped'

/** Messages a node received from the heartbeat topic (each distinct message once), and what the faults did to them. */
export interface NodeTraffic {
  /** Distinct messages that reached the node's validator. */
  messages: number
  /** Their payload bytes. */
  bytes: number
  /** Dropped by a `loss()` rule. */
  dropped: number
  /** Held back by a `delay()` rule. */
  delayed: number
}

/** What a slot needs from its network. */
export interface SlotContext {
  init: ResolvedTestNetworkInit
  /** Folder of this network's identity files. */
  dir: string
  /** Unique name of this network (memory addresses must be unique in the process). */
  name: string
  gater: (node: number) => ConnectionGater
  hook: (node: number, traffic: NodeTraffic) => MessageHook
  sleep: Sleep
  /** Told after a cluster started at this slot and before one stops. */
  watcher: NodeWatcher
}

/**
 * One node position of the network: a stable index, identity file and address, and the cluster
 * currently running there (a restart replaces the cluster, keeps the identity).
 */
export class NodeSlot {
  /** The node's peer id, known after the first start and kept over restarts. */
  id: string | undefined
  /** The running cluster, if any. */
  cluster: Cluster | undefined
  state: NodeState = 'stopped'
  readonly traffic: NodeTraffic = { messages: 0, bytes: 0, dropped: 0, delayed: 0 }
  private uninstallHook: (() => void) | undefined

  /** `identityOf`: the node whose identity file this slot uses (itself unless it is a clone). */
  constructor (readonly index: number, private readonly ctx: SlotContext, private readonly identityOf = index) {}

  /** Starts a cluster with this slot's identity; `onId` registers the peer id before any dial. */
  async start (onId: (id: string, index: number) => void): Promise<Cluster> {
    const { init } = this.ctx
    const clusterInit: ClusterInit = {
      ...init.clusterOptions,
      groups: init.groups,
      listen: [init.transport === 'memory' ? `/memory/${this.ctx.name}-n${this.index}` : '/ip4/127.0.0.1/tcp/0'],
      transport: init.transport,
      mdns: false,
      local: true,
      identityFile: join(this.ctx.dir, `n${this.identityOf}.key`),
      connectionGater: this.ctx.gater(this.index)
    }
    const cluster = await createCluster(clusterInit)
    this.id = cluster.id
    onId(cluster.id, this.index)
    const namespace = init.clusterOptions.namespace ?? 'default'
    this.uninstallHook = installMessageHook(
      cluster.libp2p,
      [...subscribedTopics(cluster.libp2p), heartbeatTopic(namespace)],
      this.ctx.hook(this.index, this.traffic),
      this.ctx.sleep
    )
    this.cluster = cluster
    this.state = 'running'
    this.ctx.watcher.started(this.index, cluster)
    return cluster
  }

  /** Stops the running cluster: gracefully (goodbye heartbeat) or as a crash (silence). No-op when not running. */
  async halt (graceful: boolean): Promise<void> {
    const cluster = this.cluster
    if (cluster === undefined) return
    this.cluster = undefined
    this.state = graceful ? 'stopped' : 'crashed'
    this.ctx.watcher.halted(this.index)
    this.uninstallHook?.()
    this.uninstallHook = undefined
    await cluster.stop({ goodbye: graceful })
  }
}

