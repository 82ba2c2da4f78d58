import { readFile } from 'node:fs/promises'
import { createCluster, type Cluster } from '@gossip-ring/cluster'
import type { AgentArgs } from './args.js'
import { clusterInitFrom } from './cluster-init.js'
import type { AgentEvent, RingEvent } from './events.js'
import { syntheticResources } from './resources.js'

/** A running example agent. */
export interface RunningAgent {
  readonly cluster: Cluster
  /** Says goodbye (the peers re-split at once), stops the node and emits `stopped`. Idempotent. */
  stop(): Promise<void>
}

/** This agent's view of the group's ring as a `ring` event. */
function ringEvent (cluster: Cluster, args: AgentArgs, resources: readonly string[]): RingEvent {
  const mine = cluster.extractMySubset(args.group, resources)
  const event: RingEvent = {
    event: 'ring',
    group: args.group,
    members: cluster.members(args.group).map((m) => m.id),
    mine: mine.length,
    digest: cluster.ring(args.group).digest
  }
  if (args.listResources) event.resources = mine
  return event
}

/**
 * Starts a cluster node, joins `args.group` and reports every change through `emit`:
 * `ready` first, then `ring` (once at join and on every ring change), `member`, `peer` and `converged`.
 */
export async function startAgent (args: AgentArgs, emit: (event: AgentEvent) => void): Promise<RunningAgent> {
  const resources = syntheticResources(args.resourceCount)
  const init = clusterInitFrom(args)
  if (args.networkKeyFile !== undefined) init.networkKey = await readFile(args.networkKeyFile)
  const cluster = await createCluster(init)
  const { group } = args
  let lastRingKey = ''
  const emitRing = (): void => {
    const event = ringEvent(cluster, args, resources)
    const key = `${event.digest}/${event.mine}`
    if (key === lastRingKey) return
    lastRingKey = key
    emit(event)
  }

  cluster.addEventListener('ring:change', ({ detail }) => { if (detail.group === group) emitRing() })
  // safe handoff and the partition policy change what we own without a ring change
  cluster.addEventListener('ownership:change', ({ detail }) => { if (detail.group === group) emitRing() })
  cluster.addEventListener('group:converged', ({ detail }) => {
    if (detail.group !== group) return
    emit({ event: 'converged', group, digest: detail.digest, members: cluster.members(group).map((m) => m.id) })
  })
  for (const change of ['join', 'suspect', 'leave'] as const) {
    cluster.addEventListener(`member:${change}`, ({ detail }) => {
      if (detail.group !== group) return
      const reason = (detail as { reason?: unknown }).reason
      emit({ event: 'member', change, group, id: detail.id, ...(typeof reason === 'string' ? { reason } : {}) })
    })
  }

  for (const change of ['connect', 'disconnect'] as const) {
    cluster.libp2p.addEventListener(`peer:${change}`, ({ detail }) => emit({ event: 'peer', change, id: detail.toString() }))
  }

  emit({ event: 'ready', id: cluster.id, group, multiaddrs: [...cluster.multiaddrs] })
  await cluster.joinGroup(group)
  emitRing()

  let stopping: Promise<void> | undefined
  return {
    cluster,
    stop: async () => {
      stopping ??= cluster.stop().then(() => emit({ event: 'stopped', id: cluster.id }))
      await stopping
    }
  }
}
