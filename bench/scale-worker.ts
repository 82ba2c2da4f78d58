/**
 * One OS process of the multi-process scale bench: runs some of the network's clusters on loopback
 * TCP (mDNS off, bootstrap list), answers the parent's requests over IPC (see
 * `scale-worker-protocol.ts`) and exits when told to stop or when the parent goes away.
 * Partitions use the testkit's Reachability and connection gater, per process.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { peerIdFromString } from '@libp2p/peer-id'
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createCluster, presets } from '@gossip-ring/cluster'
import type { Cluster } from '@gossip-ring/cluster'
import { partitionGater, Reachability } from '@gossip-ring/testkit'
import type { MembershipSnapshot } from '@gossip-ring/testkit'
import { startCpuProfile } from './cpu-profile.js'
import type { RunningProfile } from './cpu-profile.js'
import { ArrivalLog, countWireCopies, nowEpochMs, readCounters } from './delivery-cost.js'
import { MilestoneLog } from './start-milestones.js'
import type { NodeWiring, StartedNode, StartRequest, WorkerEnvelope, WorkerReply, WorkerRequest, WorkerResults } from './scale-worker-protocol.js'

const reachability = new Reachability()
const indexById = new Map<string, number>()
const nodes = new Map<number, Cluster>()
let group = ''
let nodeCount = 0
let timeoutDrops = 0
const arrivals = new ArrivalLog()
const milestones = new MilestoneLog()
const identified = new Map<number, number>()
/** Lags from a peer's first connection until gossipsub counted it subscribed (ms), since the last `counters` request. */
const subscribeLagsMs: number[] = []
/** This process's event-loop delay, since the last `counters` request. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()
/** The CPU profile running, between `profileStart` and `profileStop`. */
let profile: RunningProfile | undefined

const onLeave = (event: Event): void => {
  if ((event as CustomEvent<{ reason?: string }>).detail.reason === 'timeout') timeoutDrops++
}

/** Counts `cluster`'s identify exchanges and records how long each new peer took from connection to subscribed in gossipsub. */
function watchWiring (index: number, cluster: Cluster): void {
  cluster.libp2p.addEventListener('peer:identify', () => { identified.set(index, (identified.get(index) ?? 0) + 1) })
  const opened = new Map<string, number>()
  cluster.libp2p.addEventListener('connection:open', ({ detail }) => { if (!opened.has(detail.remotePeer.toString())) opened.set(detail.remotePeer.toString(), performance.now()) })
  cluster.libp2p.services.pubsub.addEventListener('subscription-change', ({ detail }) => {
    const at = opened.get(detail.peerId.toString())
    if (at !== undefined && detail.subscriptions.some((s) => s.subscribe && s.topic === cluster.topic)) {
      subscribeLagsMs.push(performance.now() - at)
      opened.delete(detail.peerId.toString())
    }
  })
}

async function start (req: StartRequest): Promise<StartedNode[]> {
  group = req.group
  return Promise.all(req.indices.map(async (index) => {
    const cluster = await createCluster({
      ...presets.local,
      ...(req.heartbeatIntervalMs === 'auto'
        ? { heartbeatIntervalMs: 'auto' as const, suspectAfterMs: undefined, memberTimeoutMs: undefined }
        : { heartbeatIntervalMs: req.heartbeatIntervalMs, suspectAfterMs: 3 * req.heartbeatIntervalMs, memberTimeoutMs: 5 * req.heartbeatIntervalMs }),
      ...req.variant,
      groups: [req.group],
      bootstrap: req.bootstrap,
      connectionGater: partitionGater(index, reachability, (id) => indexById.get(id))
    })
    countWireCopies(cluster)
    arrivals.watch(cluster)
    cluster.addEventListener('member:leave', onLeave)
    watchWiring(index, cluster)
    milestones.watch(index, cluster, req.group, () => nodeCount)
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

function wiring (): NodeWiring[] {
  return [...nodes].map(([node, cluster]) => {
    const conns = cluster.libp2p.getConnections()
    const pubsub = cluster.libp2p.services.pubsub
    const stats = cluster.stats
    return {
      node,
      connections: conns.length,
      connectedPeers: new Set(conns.map((c) => c.remotePeer.toString())).size,
      pubsubPeers: pubsub.getPeers().length,
      topicPeers: pubsub.getSubscribers(cluster.topic).length,
      meshPeers: (pubsub as unknown as { getMeshPeers: (topic: string) => string[] }).getMeshPeers(cluster.topic).length,
      members: cluster.members(group).length,
      identified: identified.get(node) ?? 0,
      dials: stats.dials,
      redials: stats.redials,
      dialFailures: stats.dialFailures,
      repairs: stats.connectionRepairs,
      knownPeers: stats.knownPeers
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

/** Tells `cluster` of a peer as a discovery service would: a `peer:discovery` event (its dialer decides whether to dial). */
function announce (cluster: Cluster, id: PeerId, multiaddrs: Multiaddr[]): void {
  cluster.libp2p.safeDispatchEvent('peer:discovery', { detail: { id, multiaddrs } })
}

/**
 * Tells every node of every known node it can reach again, as discovery would after a heal: each
 * node's dialer decides whom to dial (the tie-break, its peer set) and skips the backoff of the
 * dials that failed during the split (the testkit's `heal()` does the same in one process).
 */
async function rediscoverAll (): Promise<void> {
  await Promise.all([...nodes].map(async ([node, cluster]) => {
    for (const peer of await cluster.libp2p.peerStore.all()) {
      const other = indexById.get(peer.id.toString())
      if (other !== undefined && other !== node && reachability.canReach(node, other)) announce(cluster, peer.id, peer.addresses.map((a) => a.multiaddr))
    }
  }))
}

/** Tells every local node of every other node in `all`: its addresses into the peer store, then a discovery event, as mDNS would. */
async function discover (all: StartedNode[]): Promise<void> {
  await Promise.all([...nodes].map(async ([node, cluster]) => {
    for (const other of all.filter((n) => n.index !== node)) {
      const id = peerIdFromString(other.id)
      const multiaddrs = other.addrs.map((a) => multiaddr(a).decapsulateCode(CODE_P2P))
      await cluster.libp2p.peerStore.merge(id, { multiaddrs })
      announce(cluster, id, multiaddrs)
    }
    milestones.mark(node, 'discovered')
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
    case 'wiring': return wiring()
    case 'counters': {
      const loopDelayP99Ms = loopDelay.percentile(99) / 1e6
      loopDelay.reset()
      const lags = subscribeLagsMs.splice(0).sort((a, b) => a - b)
      const subscribeLagMs = lags.length === 0 ? [0, 0, 0] : [lags[Math.floor(lags.length / 2)] as number, lags[Math.floor(lags.length * 0.9)] as number, lags[lags.length - 1] as number]
      const intervalsMs = [...nodes.values()].map((cluster) => cluster.heartbeatIntervalMs)
      return { ...readCounters([...nodes.values()]), timeoutDrops, loopDelayP99Ms, subscribeLagMs, intervalsMs }
    }
    case 'arrivals': return arrivals.since(req.fromMs)
    case 'milestones': return milestones.all()
    case 'milestonesRestart':
      milestones.restart()
      return null
    case 'split':
      reachability.split(req.sides, nodeCount)
      await enforceCuts()
      return null
    case 'discover':
      await discover(req.nodes)
      return null
    case 'heal':
      reachability.heal()
      // like discovery, in the background: a dial that hangs until libp2p's dial timeout must not
      // hold up the measurement (convergence is what counts)
      void rediscoverAll()
      return null
    case 'watch': return watch(req.memberId, req.deadlineMs)
    case 'profileStart':
      if (profile !== undefined) throw new Error('a CPU profile is already running')
      profile = await startCpuProfile(req.dir, req.file)
      return null
    case 'profileStop': {
      if (profile === undefined) throw new Error('no CPU profile is running')
      const running = profile
      profile = undefined
      return running.stop()
    }
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
