import type {
  GroupConvergedDetail, GroupOddMemberDetail, MemberEventDetail, MemberLeaveDetail, MembershipCounters, MemberUpdateDetail
} from '@gossip-ring/membership'
import type { AgreementChange } from './agreement.js'
import type { ClockSkew } from './clock-skew-watch.js'
import type { DropReason } from './errors.js'
import type { IdentityConflict } from './identity-conflict.js'
import type { LookalikeGroup } from './lookalike-group-watch.js'
import type { PeerUnreachable } from './peer-unreachable.js'
import type { PolicyMismatch } from './policy-watch.js'
import type { IncompatiblePeer } from './wire-version.js'

/**
 * The events of a cluster. They are dispatched synchronously from the network and timer callbacks,
 * so handlers must not block (start async work and return) and must not throw. Per received
 * heartbeat or expiry pass the order is: `member:*` events as the changes were applied, then
 * `ring:change` and `ownership:change` per group whose ring changed, then `group:converged`.
 * `ownership:change` also fires alone when safe handoff, the partition policy or settling changed
 * what we own.
 */
export interface ClusterEvents {
  /** A member entered a group (self too, when it joins). */
  'member:join': CustomEvent<MemberEventDetail>
  /** A member left a group: `left` (said so, or goodbye), `timeout` (silent for memberTimeoutMs), `replaced` (restarted without the group). */
  'member:leave': CustomEvent<MemberLeaveDetail>
  /** A member has been silent for suspectAfterMs; it keeps its share until it times out. */
  'member:suspect': CustomEvent<MemberEventDetail>
  /** A suspect was heard from again. */
  'member:alive': CustomEvent<MemberEventDetail>
  /** A member's weight or metadata in a group changed (it stays a member): the new values. A weight change also fires `ring:change`. */
  'member:update': CustomEvent<MemberUpdateDetail>
  /** The ring we own by changed (members or weights; after `settleMs`): re-split now. */
  'ring:change': CustomEvent<RingChangeDetail>
  /** What `extractMySubset`/`isMine` return for the group may have changed (ring, safe handoff, partition policy): re-split now. */
  'ownership:change': CustomEvent<OwnershipChangeDetail>
  /**
   * One id is used by two live agents (a copied identity file or volume): seen here as heartbeats of
   * `id` with two boot ids alternating, or told by peers when the id is ours (then `bootIds` holds
   * only ours). Fires once per episode on every node that sees it; both clones own the same keys:
   * stop one and give it its own identity file.
   */
  'identity:conflict': CustomEvent<IdentityConflict>
  /**
   * A connected gossip-ring agent runs another wire version (told by identify; an agent that names
   * none is version 1): neither reads the other's heartbeats, so in one namespace they form two
   * clusters that each look converged and own the same keys. Fires once per connection of that peer,
   * logged as an error; it does not hold back `converged()`, since the other agent's groups cannot be read.
   * Run one wire version per namespace.
   */
  'peer:incompatible': CustomEvent<IncompatiblePeer>
  /**
   * A peer this agent should reach and does not (it is still redialled): a bootstrap peer not
   * reached since the start (a network key or namespace that differs, a stale `/p2p/` id, an
   * allow-list, nothing listening: see `reason` and `hint`); while this agent has reached no one,
   * a peer mDNS found whose handshake fails (a network key that differs) or that hangs up (an
   * allow-list); and a peer mDNS found of a namespace a typo away from ours (`prd` for `prod`). An
   * agent that reaches no one is alone, looks converged and owns every resource, like the agents it
   * meant to join: so this fires once per peer and is logged as an error.
   * `minMembers` keeps such an agent from owning anything.
   */
  'peer:unreachable': CustomEvent<PeerUnreachable>
  /**
   * An agent's wall clock differs from ours by more than `maxClockSkewMs`: we refuse its heartbeats
   * (and it refuses ours), so each side is alone, looks converged and owns every resource. Told from
   * a replay by a steady stream of its heartbeats at one offset; once per agent until one of its
   * heartbeats is admitted (its clock fixed). Logged as an error. Remedy: NTP on every host.
   */
  'peer:clock-skew': CustomEvent<ClockSkew>
  /**
   * A member advertises other ownership options for a group we are in than ours (handoff, quorum,
   * onMinority, settleMs): the group's guarantees (no double ownership on joins, across a partition)
   * need every member to share them. Once per member and group until it advertises ours again;
   * logged as an error. `ours` says ours in words.
   */
  'group:policy-mismatch': CustomEvent<PolicyMismatch>
  /**
   * A member advertises a group whose name looks like a typo of one of ours (`Workers` for
   * `workers`, `oders` for `orders`): agents meant for one group in two, each converged on its own
   * and owning every resource. On a watcher (in no group): two groups heard whose names look alike.
   * Once per pair of names (at most 256 pairs); logged as an error. Fix the name.
   */
  'group:lookalike': CustomEvent<LookalikeGroup>
  /**
   * We sent no heartbeat for `silentMs`, longer than the member timeout less one interval: our
   * process was paused (a suspended VM or laptop, SIGSTOP, a long synchronous task), and the others
   * may have dropped us and re-split our share. We own nothing, and are not converged, until we have
   * caught up with each group again (`ownership:change` and `group:converged` follow). Once per
   * silence; logged as an error.
   */
  'self:silenced': CustomEvent<SelfSilence>
  /** The group converged (see `isConverged`; all but one odd member count, see `group:odd-member`): fires once after each change of its view, when it converges again. */
  'group:converged': CustomEvent<GroupConvergedDetail>
  /** Watchers only: whether a tracked group's views agree, or its digest, changed (see `snapshot()`). */
  'group:agreement': CustomEvent<AgreementChange>
  /**
   * Digest poisoning: one member's advertised view digest has differed from ours for
   * `memberTimeoutMs` while every other member (at least one) advertises ours. It is left out of
   * the convergence check until it agrees or leaves; it keeps its share of the ring.
   */
  'group:odd-member': CustomEvent<GroupOddMemberDetail>
}

/** The detail of `ring:change`: the group whose ring changed, its new digest and members. */
export interface RingChangeDetail {
  /** The group. */
  group: string
  /** The new ring's digest (16 hex characters). */
  digest: string
  /** The member ids of the new ring, sorted. */
  members: string[]
}

/** The detail of `self:silenced`: how long we sent no heartbeat, and the member timeout we judged it by. */
export interface SelfSilence {
  /** Milliseconds since our last heartbeat when we noticed. */
  silentMs: number
  /** Our member timeout (ms): the others drop a member silent that long. */
  memberTimeoutMs: number
}

/** The detail of `ownership:change`: the group whose owned keys may have changed. */
export interface OwnershipChangeDetail {
  /** The group. */
  group: string
}

/** Counters of what the cluster has done; they only grow (except `knownPeers`). */
export interface ClusterStats {
  /** Messages received on our heartbeat topic. */
  received: number
  /** Received messages dropped, by reason; each drop is logged at debug. */
  dropped: Record<DropReason, number>
  /** Envelope signatures checked: one per relayed copy that got past the cheap checks; a copy straight from its author only when we forward it. */
  signatureChecks: number
  /** Heartbeats published. */
  published: number
  /** Heartbeats that failed to publish for another reason than having no peer yet (logged as errors). */
  publishErrors: number
  /** Heartbeats not sent because no peer subscribed to the topic is connected yet (normal while alone). */
  publishNoPeers: number
  /** Times we were silent (no heartbeat of ours) longer than the member timeout less one interval, a paused process, and gave up every share until we caught up with the group again (each logged as an error). */
  silences: number
  /** First dials of discovered or learned peers. */
  dials: number
  /** Redials of peers we had been connected to (the reconnect loop healing a cut). */
  redials: number
  /** Failed dials, each retried with backoff. */
  dialFailures: number
  /** Peers given up on (unreachable for redialGiveUpMs, or said goodbye) and dropped from the peer store. */
  forgottenPeers: number
  /** Connected peers that gossipsub had dropped (e.g. after a bad frame), hung up and redialled. */
  connectionRepairs: number
  /** With `peerSetSize`: connections we had dialled, hung up because neither side picks the other any more (picked while we knew fewer agents). */
  prunedConnections: number
  /** Peers the dialer keeps connected or redials now (not a counter: it goes down as peers are given up). */
  knownPeers: number
  /** `identity:conflict` events fired (each logged as an error). */
  identityConflicts: number
  /** Claims that our id is in conflict (heartbeat field `conflicts`, notice stream) dropped because their sender is a member of none of our groups (each logged at debug). */
  identityClaimsDropped: number
  /** `peer:incompatible` events fired: connected gossip-ring agents on another wire version (each logged as an error). */
  incompatiblePeers: number
  /** `peer:unreachable` events fired: bootstrap peers not reached since we started, peers mDNS found that we could not reach while we reached no one, or of a namespace a typo away (each logged as an error). */
  unreachablePeers: number
  /** `peer:clock-skew` events fired: agents whose wall clock differs from ours beyond `maxClockSkewMs` (each logged as an error). */
  clockSkewedPeers: number
  /** `group:policy-mismatch` events fired: members of our groups with other ownership options (each logged as an error). */
  policyMismatches: number
  /** `group:lookalike` events fired: groups heard whose name looks like a typo of one of ours (each logged as an error). */
  lookalikeGroups: number
  /** Group adverts whose fencing epoch was above our wall clock plus `maxClockSkewMs` (no honest member has such an epoch): taken as 0, so one member cannot pin every epoch at the wire's limit. */
  implausibleEpochs: number
  /** Peers banned and hung up on because their gossipsub score fell below the graylist threshold (floods, invalid heartbeats); counted at the ban, as the hang-up starts. */
  abusersDisconnected: number
  /** What the membership table did with the heartbeats it got: accepted, stale, and group adverts dropped (invalid, untracked group, group full). */
  membership: MembershipCounters
  /** Received heartbeats handed back to gossipsub to forward to its mesh (see `ClusterInit.relay`). */
  forwarded: number
  /** Received heartbeats not forwarded: every member hears their author directly, or we may not forward them (a bad signature; over our forwarding cap, see `maxSignersPerPeer`). */
  notForwarded: number
}
