import { ClusterStoppedError } from '@gossip-ring/cluster'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Cluster, ClusterStats, LeaveReason } from '@gossip-ring/cluster'
import { MetricNameTakenError } from './errors.js'
import { LastHeard } from './last-heard.js'

/** Options of {@link registerClusterMetrics}. */
export interface ClusterMetricsInit {
  /** The registry to add the metrics to, e.g. the application's own. @default a new Registry */
  registry?: Registry
  /** Start of every metric name; give each cluster of one registry its own. @default 'gossip_ring_' */
  prefix?: string
  /**
   * Buckets of the removal-delay histogram, in seconds. The defaults cover a goodbye (~0) up to a
   * crash detected at a few times the default memberTimeoutMs (5 s); more buckets cost more series.
   *
   * @default [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 15, 30, 60]
   */
  removalBucketsSeconds?: number[]
  /**
   * Peers not heard for this long are forgotten by the removal-delay tracker (bounds its memory);
   * a member removed later than this after its last heartbeat is not observed.
   *
   * @default 3_600_000
   */
  forgetAfterMs?: number
}

/** The metrics of one cluster in a registry. */
export interface ClusterMetrics {
  /** The registry holding them: `await registry.metrics()` is the Prometheus text. */
  readonly registry: Registry
  /** Removes the metrics from the registry and stops listening to the cluster; idempotent. */
  unregister(): void
}

/** The per-group gauges (name suffixes). */
const GROUP_GAUGES = ['members', 'suspects', 'group_converged', 'seconds_since_view_change'] as const

const DEFAULT_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 15, 30, 60]

/** The counters mirrored from `cluster.stats`: name suffix, help, and the labelled values. */
const MIRRORED_COUNTERS: ReadonlyArray<{ name: string, help: string, labelNames: string[], read: (stats: ClusterStats) => Array<[Record<string, string>, number]> }> = [
  { name: 'heartbeats_sent_total', help: 'Heartbeats published.', labelNames: [], read: stats => [[{}, stats.published]] },
  { name: 'heartbeats_received_total', help: 'Messages received on the heartbeat topic, valid or not.', labelNames: [], read: stats => [[{}, stats.received]] },
  {
    name: 'heartbeats_dropped_total',
    help: 'Received heartbeats dropped as invalid, by reason.',
    labelNames: ['reason'],
    read: stats => Object.entries(stats.dropped).map(([reason, n]) => [{ reason }, n])
  },
  {
    name: 'heartbeat_publish_failures_total',
    help: 'Heartbeats not sent: no peer subscribed yet (no-peers, normal while alone) or another error.',
    labelNames: ['reason'],
    read: stats => [[{ reason: 'no-peers' }, stats.publishNoPeers], [{ reason: 'error' }, stats.publishErrors]]
  },
  { name: 'dials_total', help: 'First dials of discovered or learned peers.', labelNames: [], read: stats => [[{}, stats.dials]] },
  { name: 'redials_total', help: 'Redials of peers we had been connected to (healing a cut).', labelNames: [], read: stats => [[{}, stats.redials]] },
  { name: 'dial_failures_total', help: 'Failed dials (each retried with backoff).', labelNames: [], read: stats => [[{}, stats.dialFailures]] },
  { name: 'heartbeat_signature_checks_total', help: 'Heartbeat signatures checked (relayed copies; a copy straight from its author only when forwarded).', labelNames: [], read: stats => [[{}, stats.signatureChecks]] },
  { name: 'incompatible_peers_total', help: 'Connected gossip-ring agents on another wire version (they and we cannot read each other\'s heartbeats).', labelNames: [], read: stats => [[{}, stats.incompatiblePeers]] },
  { name: 'policy_mismatches_total', help: 'Members of our groups advertising other ownership options than ours (see the group:policy-mismatch event): the group\'s guarantees need the same on every member.', labelNames: [], read: stats => [[{}, stats.policyMismatches]] },
  { name: 'lookalike_groups_total', help: 'Groups heard whose name looks like a typo of one of ours (see the group:lookalike event): two groups where one was meant each own every resource.', labelNames: [], read: stats => [[{}, stats.lookalikeGroups]] },
  { name: 'identity_claims_dropped_total', help: 'Claims that our id is in conflict dropped because their sender is a member of none of our groups (a stranger cannot make us report a clone).', labelNames: [], read: stats => [[{}, stats.identityClaimsDropped]] },
  { name: 'implausible_epochs_total', help: 'Group adverts whose fencing epoch was above our wall clock plus maxClockSkewMs (no honest member has one): taken as 0, so one member cannot pin every epoch at the wire limit.', labelNames: [], read: stats => [[{}, stats.implausibleEpochs]] },
  { name: 'silences_total', help: 'Times this agent found it had sent no heartbeat for longer than the member timeout less one interval (a paused process): the others may have re-split its share, so it owned nothing until it caught up again.', labelNames: [], read: stats => [[{}, stats.silences]] },
  { name: 'clock_skewed_peers_total', help: 'Agents whose wall clock differs from ours beyond maxClockSkewMs (see the peer:clock-skew event): each side refuses the other\'s heartbeats and owns its share too.', labelNames: [], read: stats => [[{}, stats.clockSkewedPeers]] },
  { name: 'unreachable_peers_total', help: 'Peers not reached: bootstrap peers since start (network key, namespace, stale id, nothing listening), peers found by mDNS while alone (network key) or of a namespace a typo away; see the peer:unreachable event. Alone, an agent owns everything.', labelNames: [], read: stats => [[{}, stats.unreachablePeers]] }
]

/**
 * Registers the metrics of `cluster` in a prom-client registry (the application's, or a new one).
 * Gauges and counters are read from the cluster at scrape time; the removal-delay histogram is fed
 * by `member:leave` events. See the package README for the list.
 *
 * @throws {MetricNameTakenError} when the registry already has one of the names (nothing is registered)
 */
export function registerClusterMetrics (cluster: Cluster, init: ClusterMetricsInit = {}): ClusterMetrics {
  const registry = init.registry ?? new Registry()
  const prefix = init.prefix ?? 'gossip_ring_'
  const names = [...GROUP_GAUGES, 'watchers', ...MIRRORED_COUNTERS.map(counter => counter.name), 'member_removal_delay_seconds'].map(name => prefix + name)
  const taken = names.find(name => registry.getSingleMetric(name) !== undefined)
  if (taken !== undefined) throw new MetricNameTakenError(`The registry already has a metric named ${taken}; give each cluster its own prefix or registry`)

  const registers = [registry]
  const viewChangedMs = new Map<string, number>()
  const registeredMs = performance.now()
  const groupGauge = (name: typeof GROUP_GAUGES[number], help: string, value: (group: string, nowMs: number) => number): void => {
    new Gauge({
      name: prefix + name,
      help,
      labelNames: ['group'],
      registers,
      collect () {
        this.reset()
        const nowMs = performance.now()
        whileRunning(() => { for (const group of cluster.knownGroups()) this.set({ group }, value(group, nowMs)) })
      }
    })
  }
  groupGauge('members', 'Live members (alive and suspect) of each group as this node sees it.', group => cluster.members(group).length)
  groupGauge('suspects', 'Members of each group silent for suspectAfterMs (they keep their share).', group => cluster.members(group).filter(member => member.state === 'suspect').length)
  groupGauge('group_converged', '1 when every live member of the group advertises our view digest, else 0.', group => Number(cluster.snapshot(group).agreed))
  groupGauge('seconds_since_view_change', 'Seconds since the group\'s ring last changed (or since the metrics were registered).', (group, nowMs) =>
    (nowMs - (viewChangedMs.get(group) ?? registeredMs)) / 1000)
  new Gauge({
    name: `${prefix}watchers`,
    help: 'Watchers (observers in no group) this node hears.',
    registers,
    collect () {
      this.reset()
      whileRunning(() => { this.set(cluster.watchers().length) })
    }
  })
  for (const counter of MIRRORED_COUNTERS) {
    new Counter({
      name: prefix + counter.name,
      help: counter.help,
      labelNames: counter.labelNames,
      registers,
      collect () {
        this.reset()
        for (const [labels, value] of counter.read(cluster.stats)) this.inc(labels, value)
      }
    })
  }
  const removalDelay = new Histogram({
    name: `${prefix}member_removal_delay_seconds`,
    help: 'Time from a member\'s last heartbeat to its removal from a group, by reason (left, timeout, replaced).',
    labelNames: ['reason'],
    buckets: init.removalBucketsSeconds ?? DEFAULT_BUCKETS_SECONDS,
    registers
  })

  const lastHeard = new LastHeard(cluster, init.forgetAfterMs ?? 3_600_000)
  const onRingChange = ({ detail }: CustomEvent<{ group: string, members: string[] }>): void => {
    if (detail.members.length === 0) viewChangedMs.delete(detail.group)
    else viewChangedMs.set(detail.group, performance.now())
  }
  const onLeave = ({ detail }: CustomEvent<{ id: string, reason: LeaveReason }>): void => {
    if (detail.id === cluster.id) return
    const nowMs = performance.now()
    // 'left' and 'replaced' are applied while the member's last heartbeat (a goodbye, a new boot id) is handled
    const silentMs = detail.reason === 'timeout' ? lastHeard.silentMs(detail.id, nowMs) : 0
    if (silentMs !== undefined) removalDelay.observe({ reason: detail.reason }, silentMs / 1000)
    lastHeard.prune(nowMs)
  }
  lastHeard.start()
  cluster.addEventListener('ring:change', onRingChange)
  cluster.addEventListener('member:leave', onLeave)

  let registered = true
  return {
    registry,
    unregister: () => {
      if (!registered) return
      registered = false
      lastHeard.stop()
      cluster.removeEventListener('ring:change', onRingChange)
      cluster.removeEventListener('member:leave', onLeave)
      for (const name of names) registry.removeSingleMetric(name)
    }
  }
}

/** Runs `read` unless the cluster has stopped (its questions throw `ClusterStoppedError` then): a stopped cluster exports no gauge samples. */
function whileRunning (read: () => void): void {
  try {
    read()
  } catch (err) {
    if (!(err instanceof ClusterStoppedError)) throw err
  }
}
