import type { Logger } from '@libp2p/interface'
import type { ClusterEvents } from './cluster-events.js'
import { ClockSkewWatch } from './clock-skew-watch.js'
import type { IdentityConflict } from './identity-conflict.js'
import { LookalikeGroupWatch } from './lookalike-group-watch.js'
import { describeUnreachable, shouldReport } from './peer-unreachable.js'
import type { NetworkKeyState, UnreachableCause, UnreachableVia } from './peer-unreachable.js'
import { PolicyWatch } from './policy-watch.js'
import type { DecodedHeartbeat } from './wire/codec.js'
import type { IncompatiblePeer } from './wire-version.js'

/** The events of the mistakes reported here. */
type MistakeEvent = 'identity:conflict' | 'peer:incompatible' | 'peer:unreachable' | 'peer:clock-skew' | 'group:policy-mismatch' | 'group:lookalike'

/** What the reports need of the cluster. */
export interface MistakeReportsComponents {
  log: Logger
  /** Dispatches an event (or holds it, see the cluster). */
  emit: <K extends MistakeEvent>(type: K, detail: ClusterEvents[K]['detail']) => void
  /** Our ownership options in `group`, in words (`group:policy-mismatch`'s `ours`). */
  describePolicy: (group: string) => string
  /** Whether we joined `group`. Per heartbeat: no allocation. */
  isJoined: (group: string) => boolean
  /** The group names a name heard is compared with: the groups we joined (on a watcher, every group heard). */
  ourGroupNames: () => readonly string[]
  /** The fingerprint of our ownership options in `group`, or undefined when we have not joined it. Per heartbeat: no allocation. */
  policyFingerprint: (group: string) => number | undefined
}

/** The settings the reports read. */
export interface MistakeReportsInit {
  maxClockSkewMs: number
  /** Our heartbeat topic (from the namespace). */
  topic: string
  bootstrap: readonly string[]
  /** Whether we have a network key (the likeliest cause of a failed handshake). */
  networkKey: NetworkKeyState
}

/**
 * The mistakes that would leave two agents owning the same resources in silence, reported: each as
 * an event, an error log line and a count (`stats`). An identity used twice, another wire version,
 * a peer not reached, a clock off, other ownership options in a group, a group name a typo away
 * from ours. The rules are in the watches; this is where they meet the cluster.
 */
export class MistakeReports {
  /** How many of each were reported (part of `cluster.stats`). */
  readonly counters = {
    identityConflicts: 0,
    incompatiblePeers: 0,
    unreachablePeers: 0,
    clockSkewedPeers: 0,
    policyMismatches: 0,
    lookalikeGroups: 0
  }

  readonly #components: MistakeReportsComponents
  readonly #init: MistakeReportsInit
  readonly #policies: PolicyWatch
  readonly #lookalikes: LookalikeGroupWatch
  readonly #clockSkew: ClockSkewWatch

  constructor (components: MistakeReportsComponents, init: MistakeReportsInit) {
    this.#components = components
    this.#init = init
    const { log, emit } = components
    this.#policies = new PolicyWatch((group, id) => {
      const ours = components.describePolicy(group)
      this.counters.policyMismatches++
      log.error('member %s of group %s has other ownership options than ours (%s): the group\'s guarantees need the same on every member', id, group, ours)
      emit('group:policy-mismatch', { group, id, ours })
    })
    this.#lookalikes = new LookalikeGroupWatch(report => {
      this.counters.lookalikeGroups++
      log.error('member %s is in group %s, whose name looks like a typo of our group %s: two groups where one was meant each own every resource; give every agent the same name', report.id, report.lookalike, report.group)
      emit('group:lookalike', report)
    })
    this.#clockSkew = new ClockSkewWatch({
      maxClockSkewMs: init.maxClockSkewMs,
      onSkew: skew => {
        this.counters.clockSkewedPeers++
        log.error('the wall clock of %s differs from ours by %d ms, more than maxClockSkewMs (%d): each of us refuses the other\'s heartbeats and owns its share too; fix the clocks (NTP)', skew.id, skew.offsetMs, skew.maxClockSkewMs)
        emit('peer:clock-skew', skew)
      }
    })
  }

  /** Membership accepted `heartbeat`: its sender's clock is fine, and its groups' options and names are compared with ours. */
  accepted (heartbeat: DecodedHeartbeat): void {
    const { isJoined, ourGroupNames, policyFingerprint } = this.#components
    this.#clockSkew.admitted(heartbeat.from)
    this.#policies.check(heartbeat.from, heartbeat.groups, heartbeat.owning, policyFingerprint)
    this.#lookalikes.check(heartbeat.from, heartbeat.groups, isJoined, ourGroupNames)
  }

  /** Membership refused `heartbeat` for its timestamp (`nowMs`: our wall clock). */
  skewed (heartbeat: DecodedHeartbeat, nowMs: number): void {
    this.#clockSkew.refused(heartbeat.from, heartbeat.bootId, heartbeat.seq, heartbeat.sentAtMs, nowMs)
  }

  /** The groups we joined changed. */
  joinedChanged (): void {
    this.#lookalikes.oursChanged()
  }

  /** An attempt did not reach a peer: reports it (see `peer:unreachable`) when `shouldReport` says so; whether it did. */
  notReached (peer: string, via: UnreachableVia, attempts: number, cause: UnreachableCause): boolean {
    const described = describeUnreachable(cause, peer, this.#init.topic, this.#init.networkKey)
    if (!shouldReport(via, attempts, described)) return false
    const { reason, hint, error } = described
    const addrs = this.#init.bootstrap.filter(addr => addr.endsWith(`/p2p/${peer}`))
    this.counters.unreachablePeers++
    this.#components.log.error('%s peer %s not reached after %d attempts (%s): %s - %s', via, peer, attempts, reason, hint, error)
    this.#components.emit('peer:unreachable', { peer, via, addrs, attempts, reason, hint, error })
    return true
  }

  /** Two incarnations of one identity were heard (see `identity:conflict`). */
  identityConflict (conflict: IdentityConflict): void {
    this.counters.identityConflicts++
    this.#components.emit('identity:conflict', conflict)
  }

  /** A connected agent speaks another wire version (see `peer:incompatible`). */
  incompatible (peer: IncompatiblePeer): void {
    this.counters.incompatiblePeers++
    this.#components.emit('peer:incompatible', peer)
  }
}
