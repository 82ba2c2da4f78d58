/**
 * One OS process of the multi-process scale bench: runs some of the network's clusters on loopback
 * TCP (mDNS off, bootstrap list), answers the parent's requests over IPC (see
 * `scale-worker-protocol.ts`) and exits when told to stop or when the parent goes away.
 * Partitions use the testkit's Reachability and connection gater, per process.
 */
import { createCluster, presets } from '@gossip-ring/cluster'
import type { Cluster } from '@gossip-ring/cluster'
import { partitionGater, Reachability } from '@gossip-ring/testkit'
import type { MembershipSnapshot } from '@gossip-ring/testkit'
import { ArrivalLog, countWireCopies, nowEpochMs, readCounters } from './delivery-cost.js'
import type { StartedNode, StartRequest, WorkerEnvelope, WorkerReply, WorkerRequest, WorkerResults } from './scale-worker-protocol.js'

const reachability = new Reachability()
const indexById = new Map<string, number>()
const nodes = new Map<number, Cluster>()
let group = ''
let nodeCount = 0
let timeoutDrops = 0
const arrivals = new ArrivalLog()

const onLeave = (event: Event): void => {
  if ((event as CustomEvent<{ reason?: string }>).detail.reason === 'timeout') timeoutDrops++
}

async function start (req: StartRequest): Promise<StartedNode[]> {
  group = req.group
  return Promise.all(req.indices.map(async (index) => {
    const cluster = await createCluster({
      ...presets.local,
      heartbeatIntervalMs: req.heartbeatIntervalMs,
      suspectAfterMs: 3 * req.heartbeatIntervalMs,
      memberTimeoutMs: 5 * req.heartbeatIntervalMs,
      ...(req.meshDegree !== undefined ? { meshDegree: req.meshDegree } : {}),
      groups: [req.group],
      bootstrap: req.bootstrap,
      connectionGater: partitionGater(index, reachability, (id) => indexById.get(id))
    })
    countWireCopies(cluster)
    arrivals.watch(cluster)
    cluster.addEventListener('member:leave', onLeave)
    nodes.set(index, cluster)
    indexById.set(cluster.id, index)
    return { index, id: cluster.id, addrs: cluster.libp2p.getMultiaddrs().map(String) }
  }))
}

function snapshot (): MembershipSnapshot[] {
  return [...nodes].map(([node, cluster]) => {
    const members = cluster.members(group)
    return {
      node,
      inGroup: members.some((m) => m.self),
      members: members.map((m) => { const i = indexById.get(m.id); return i === undefined ? m.id : `n${i}` }).sort(),
      converged: cluster.isConverged(group)
    }
  })
}

async function enforceCuts (): Promise<void> {
  await Promise.all([...nodes].map(async ([node, cluster]) => {
    const cut = cluster.libp2p.getConnections().filter((conn) => {
      const other = indexById.get(conn.remotePeer.toString())
      return other !== undefined && !reachability.canReach(node, other)
    })
    await Promise.all(cut.map(async (conn) => cluster.libp2p.hangUp(conn.remotePeer)))
  }))
}

/**
 * Dials every known node it can reach but is not connected to (the smaller index dials), as
 * discovery would after a heal (the testkit's `heal()` does the same in one process).
 */
async function redialAll (): Promise<void> {
  await Promise.all([...nodes].map(async ([node, cluster]) => {
    const connected = new Set(cluster.libp2p.getConnections().map((c) => c.remotePeer.toString()))
    const known = await cluster.libp2p.peerStore.all()
    const targets = known.filter((peer) => {
      const other = indexById.get(peer.id.toString())
      return other !== undefined && other > node && !connected.has(peer.id.toString()) && reachability.canReach(node, other)
    })
    await Promise.all(targets.map(async (peer) => cluster.libp2p.dial(peer.id).catch(() => undefined)))
  }))
}

async function watch (id: string, deadlineMs: number): Promise<Array<number | null>> {
  return Promise.all([...nodes.values()].filter((c) => c.id !== id).map(async (cluster) => new Promise<number | null>((resolve) => {
    const done = (at: number | null): void => {
      clearTimeout(timer)
      cluster.removeEventListener('member:leave', listener)
      resolve(at)
    }
    const listener = (event: Event): void => {
      const detail = (event as CustomEvent<{ group: string, id: string }>).detail
      if (detail.group === group && detail.id === id) done(nowEpochMs())
    }
    const timer = setTimeout(() => { done(null) }, deadlineMs)
    cluster.addEventListener('member:leave', listener)
  })))
}

async function crash (index: number): Promise<number> {
  const cluster = nodes.get(index)
  if (cluster === undefined) throw new Error(`node ${index} does not run in this worker`)
  nodes.delete(index)
  const at = nowEpochMs()
  await cluster.stop({ goodbye: false })
  return at
}

async function stopAll (): Promise<void> {
  await Promise.allSettled([...nodes.values()].map(async (c) => c.stop({ goodbye: false })))
  nodes.clear()
}

async function handle (req: WorkerRequest): Promise<WorkerResults[WorkerRequest['op']]> {
  switch (req.op) {
    case 'start': return start(req)
    case 'peers':
      for (const [id, index] of Object.entries(req.ids)) indexById.set(id, index)
      nodeCount = Math.max(nodeCount, ...Object.values(req.ids).map((i) => i + 1))
      return null
    case 'snapshot': return snapshot()
    case 'counters': return { ...readCounters([...nodes.values()]), timeoutDrops }
    case 'arrivals': return arrivals.since(req.fromMs)
    case 'split':
      reachability.split(req.sides, nodeCount)
      await enforceCuts()
      return null
    case 'heal':
      reachability.heal()
      // like discovery, in the background: a dial that hangs until libp2p's dial timeout must not
      // hold up the measurement (convergence is what counts)
      void redialAll()
      return null
    case 'watch': return watch(req.memberId, req.deadlineMs)
    case 'crash': return crash(req.index)
    case 'stop':
      await stopAll()
      setImmediate(() => process.exit(0))
      return null
  }
}

process.on('message', (msg: WorkerEnvelope) => {
  handle(msg).then(
    (result) => { process.send?.({ id: msg.id, result } satisfies WorkerReply) },
    (err: unknown) => { process.send?.({ id: msg.id, error: (err as Error).stack ?? String(err) } satisfies WorkerReply) }
  )
})
// the parent went away (or crashed): stop, never linger
process.on('disconnect', () => { void stopAll().finally(() => process.exit(0)) })
process.send?.({ id: 0, result: 'ready' } satisfies WorkerReply)
