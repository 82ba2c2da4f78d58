import { stat } from 'node:fs/promises'
import { createCluster } from '@gossip-ring/cluster'
import { serveMetrics } from '@gossip-ring/metrics'
import type { Cluster, ClusterInit, JoinOptions, OwnershipInit } from '@gossip-ring/cluster'
import type { MetricsServer } from '@gossip-ring/metrics'
import type { IdentityFileUse, NodeEvent, RingEvent } from './events.js'
import { syntheticResources } from './resources.js'
import { onWarnings } from '../warnings.js'

/** What a node session is asked to do. */
export interface NodeSessionInit {
  /** Cluster options (from the network flags), without groups: they are joined once listeners are on. */
  cluster: ClusterInit
  /** Groups to join. */
  groups: string[]
  /** How many synthetic resources (`resource_0..N-1`) each group splits. */
  resourceCount: number
  /** Put the owned resource names in `ring` events. */
  listResources: boolean
  /** Options every group is joined with (`minMembers`, the partition policy). */
  groupOptions?: JoinOptions & OwnershipInit
  /** Serve Prometheus metrics on this port (loopback unless `metricsHost`). */
  metricsPort?: number
  metricsHost?: string
}

/** A running node. */
export interface NodeSession {
  readonly cluster: Cluster
  readonly resources: readonly string[]
  /** Stops serving metrics, says goodbye (peers re-split at once), stops the node and emits `stopped`; idempotent. */
  stop(): Promise<void>
}

/**
 * Starts a cluster node, joins the groups and reports every change through `emit`: `ready`,
 * `waiting` (for peers, then for convergence), `metrics`, then `ring` (at join and on every change
 * of a group's ring or of our share), `member`, `peer`, `converged`, `warning` (a peer not reached,
 * a peer's clock off, a member with other ownership options), and `stopped` at the end.
 */
export async function startNodeSession (init: NodeSessionInit, emit: (event: NodeEvent) => void): Promise<NodeSession> {
  const resources = syntheticResources(init.resourceCount)
  const identity = await identityFileUse(init.cluster.identityFile)
  const cluster = await createCluster(init.cluster)
  let metrics: MetricsServer | undefined
  try {
    if (init.metricsPort !== undefined) {
      metrics = await serveMetrics(cluster, { port: init.metricsPort, ...(init.metricsHost !== undefined ? { host: init.metricsHost } : {}) })
    }
  } catch (err) {
    await cluster.stop()
    throw err
  }
  const groups = new Set(init.groups)
  /** Set when stopping: the cluster answers no question then (ClusterStoppedError), so handlers stay quiet. */
  let stopping = false
  const lastRing = new Map<string, string>()
  const emitRing = (group: string): void => {
    const event = ringEvent(cluster, group, resources, init.listResources)
    const key = `${event.digest}/${event.mine}`
    if (lastRing.get(group) === key) return
    lastRing.set(group, key)
    emit(event)
  }
  cluster.addEventListener('ring:change', ({ detail }) => { if (!stopping && groups.has(detail.group)) emitRing(detail.group) })
  // safe handoff and the partition policy change what we own without a ring change
  cluster.addEventListener('ownership:change', ({ detail }) => { if (!stopping && groups.has(detail.group)) emitRing(detail.group) })
  cluster.addEventListener('group:converged', ({ detail }) => {
    if (!stopping && groups.has(detail.group)) emit({ event: 'converged', group: detail.group, digest: detail.digest, members: cluster.members(detail.group).map(member => member.id) })
  })
  for (const change of ['join', 'suspect', 'alive', 'leave'] as const) {
    cluster.addEventListener(`member:${change}`, ({ detail }) => {
      if (!groups.has(detail.group)) return
      const reason = (detail as { reason?: unknown }).reason
      emit({ event: 'member', change, group: detail.group, id: detail.id, ...(typeof reason === 'string' ? { reason } : {}) })
    })
  }
  onWarnings(cluster, emit)
  let connectedOnce = false
  /** Start-up progress: once a first peer is connected, what remains is convergence. */
  const firstPeer = (): void => {
    if (connectedOnce || groups.size === 0) return
    connectedOnce = true
    emit({ event: 'waiting', for: 'convergence', groups: [...groups].sort() })
  }
  for (const change of ['connect', 'disconnect'] as const) {
    cluster.libp2p.addEventListener(`peer:${change}`, ({ detail }) => {
      emit({ event: 'peer', change, id: detail.toString() })
      if (change === 'connect') firstPeer()
    })
  }

  emit({ event: 'ready', id: cluster.id, groups: [...groups].sort(), multiaddrs: [...cluster.multiaddrs], ...(identity !== undefined ? { identity } : {}) })
  if (metrics !== undefined) emit({ event: 'metrics', url: metrics.url })
  emit({ event: 'waiting', for: 'peers', via: discoveryOf(init.cluster) })
  // a bootstrap peer may have connected while the cluster started, before the listeners above
  if (cluster.libp2p.getConnections().length > 0) firstPeer()
  for (const group of [...groups].sort()) {
    await cluster.joinGroup(group, init.groupOptions)
    emitRing(group)
  }

  let stopped: Promise<void> | undefined
  return {
    cluster,
    resources,
    stop: async () => {
      stopping = true
      stopped ??= (async () => {
        await metrics?.close()
        await cluster.stop()
        emit({ event: 'stopped', id: cluster.id })
      })()
      await stopped
    }
  }
}

/** How the node finds peers, for the `waiting` event. */
function discoveryOf (init: ClusterInit): string[] {
  const via: string[] = []
  if (init.mdns !== false) via.push('mDNS')
  const count = init.bootstrap?.length ?? 0
  if (count > 0) via.push(`bootstrap (${count} address${count === 1 ? '' : 'es'})`)
  return via
}

/** Our view of a group's ring as a `ring` event. */
function ringEvent (cluster: Cluster, group: string, resources: readonly string[], listResources: boolean): RingEvent {
  const mine = cluster.extractMySubset(group, resources)
  const event: RingEvent = {
    event: 'ring',
    group,
    members: cluster.members(group).map(member => member.id),
    mine: mine.length,
    digest: cluster.ring(group).digest
  }
  if (listResources) event.resources = mine
  return event
}

/** Whether `file` (the identity file, if any) is there before the cluster starts: if not, the start creates it. */
async function identityFileUse (file: string | undefined): Promise<IdentityFileUse | undefined> {
  if (file === undefined) return undefined
  const missing = await stat(file).then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ENOENT')
  return { file, created: missing }
}
