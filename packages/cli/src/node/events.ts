import type { OwnerExplanation } from '@gossip-ring/cluster'

/** The node is up: its id, its groups (none for a watcher) and the addresses others can bootstrap from. */
export interface ReadyEvent {
  /** The kind of line. */
  event: 'ready'
  /** The node's peer id (its member id). */
  id: string
  /** The groups it joins, sorted. */
  groups: string[]
  /** Where others can dial it, each with `/p2p/<id>` (for their `--bootstrap`). */
  multiaddrs: string[]
  /**
   * With `--identity`: the key file, and whether this start created it. Created means a new peer id,
   * so a new place on every ring: expected on a first start, a typo in the path on a restart.
   */
  identity?: IdentityFileUse
}
/** Where a node's key came from (`--identity`). */
export interface IdentityFileUse {
  /** The key file, as given. */
  file: string
  /** True when the file did not exist and this start wrote a new key there. */
  created: boolean
}
/** Start-up progress: what the node waits for now (peers to discover or connect, or its groups to converge). */
export interface WaitingEvent {
  /** The kind of line. */
  event: 'waiting'
  /** `peers` first; `convergence` once a first peer is connected. */
  for: 'peers' | 'convergence'
  /** How peers are found (`mDNS`, `bootstrap (N addresses)`); with `peers`. */
  via?: string[]
  /** The groups that must converge; with `convergence`. */
  groups?: string[]
}
/** Metrics are served at `url` (`--metrics`). */
export interface MetricsEvent {
  /** The kind of line. */
  event: 'metrics'
  /** Where to scrape them. */
  url: string
}
/** The group's ring changed: its members, how many resources this agent owns, the view digest. */
export interface RingEvent {
  /** The kind of line. */
  event: 'ring'
  /** The group. */
  group: string
  /** Its member ids, sorted. */
  members: string[]
  /** How many resources this agent owns in it. */
  mine: number
  /** The ring digest (the view digest). */
  digest: string
  /** The owned resources, only with `--list-resources`. */
  resources?: string[]
}
/** A member joined, became suspect, was heard again (alive) or left the group. */
export interface MemberEvent {
  /** The kind of line. */
  event: 'member'
  /** What happened to the member. */
  change: 'join' | 'suspect' | 'alive' | 'leave'
  /** The group. */
  group: string
  /** The member's id. */
  id: string
  /** Why it left (`left`, `timeout`, `replaced`); with `leave`. */
  reason?: string
}
/** A libp2p connection to a peer opened or closed (membership follows from heartbeats, not from this). */
export interface PeerEvent {
  /** The kind of line. */
  event: 'peer'
  /** Opened or closed. */
  change: 'connect' | 'disconnect'
  /** The peer's id. */
  id: string
}
/** Every live member advertises the same view digest as this agent. */
export interface ConvergedEvent {
  /** The kind of line. */
  event: 'converged'
  /** The group. */
  group: string
  /** The digest all agree on. */
  digest: string
  /** Its member ids, sorted. */
  members: string[]
}
/**
 * A bootstrap peer not reached since the start (a network key or namespace that differs, a stale
 * `/p2p/` id, nothing listening), or, while the agent reached no one, a peer mDNS found that it
 * cannot connect to (a network key that differs): an agent that reaches no one owns every resource
 * while the others own them too.
 */
export interface UnreachableWarningEvent {
  /** The kind of line. */
  event: 'warning'
  /** What the warning is about. */
  kind: 'peer-unreachable'
  /** The peer's id. */
  peer: string
  /** How the agent learnt of it: `bootstrap` or `mdns`. */
  via: string
  /** Why, as far as the agent can tell (see `PeerUnreachable.reason` of the cluster package). */
  reason: string
  /** What to check, in words. */
  hint: string
}
/**
 * An agent whose wall clock differs from ours by more than `maxClockSkewMs`: each refuses the
 * other's heartbeats, so each owns the other's share too.
 */
export interface ClockSkewWarningEvent {
  /** The kind of line. */
  event: 'warning'
  /** What the warning is about. */
  kind: 'clock-skew'
  /** The agent's id. */
  peer: string
  /** Its clock minus ours (ms). */
  offsetMs: number
  /** What to do, in words. */
  hint: string
}
/** A member of a group with other ownership options than ours (handoff, quorum, onMinority, settleMs): the group's guarantees need the same on every member. */
export interface PolicyWarningEvent {
  /** The kind of line. */
  event: 'warning'
  /** What the warning is about. */
  kind: 'policy-mismatch'
  /** The group. */
  group: string
  /** The member's id. */
  peer: string
  /** Our options, in words. */
  ours: string
}
/** A member of a group whose name looks like a typo of one of ours (`Workers` for `workers`): two groups where one was meant, each owning every resource. */
export interface LookalikeGroupWarningEvent {
  /** The kind of line. */
  event: 'warning'
  /** What the warning is about. */
  kind: 'group-lookalike'
  /** Our group. */
  group: string
  /** The other group's name. */
  lookalike: string
  /** The first member heard in it. */
  peer: string
}
/** This agent sent no heartbeat for longer than the member timeout less one interval (its process was paused): it owns nothing until it has caught up again. */
export interface PausedWarningEvent {
  /** The kind of line. */
  event: 'warning'
  /** What the warning is about. */
  kind: 'paused'
  /** How long it sent no heartbeat (ms). */
  silentMs: number
  /** What it means, in words. */
  hint: string
}
/** Something is likely misconfigured, or happened, that would leave two agents owning the same resources. */
export type WarningEvent = UnreachableWarningEvent | ClockSkewWarningEvent | PolicyWarningEvent | LookalikeGroupWarningEvent | PausedWarningEvent
/** The agent said goodbye and stopped. */
export interface StoppedEvent {
  /** The kind of line. */
  event: 'stopped'
  /** The node's peer id. */
  id: string
}

/** The answer to the stdin command `explain [GROUP] KEY`: why KEY has its owner (`cluster.explainOwner`). */
export interface ExplainEvent extends OwnerExplanation {
  /** The kind of line. */
  event: 'explain'
}

/** One line of `gossip-ring node --json`. */
export type NodeEvent = ReadyEvent | WaitingEvent | MetricsEvent | RingEvent | MemberEvent | PeerEvent | ConvergedEvent | WarningEvent | StoppedEvent | ExplainEvent

/** The last characters of a peer id: enough to tell agents apart in a terminal. */
export function shortId (id: string): string {
  return id.length <= 8 ? id : `…${id.slice(-6)}`
}

/** A one-line, human-readable description of a node event (for a terminal), prefixed with the node's short id. */
export function describeEvent (self: string, e: NodeEvent): string {
  return `[${shortId(self)}] ${describeChange(e)}`
}

/**
 * Where the node's peer id came from, for the live view's header (it stays there for the whole run:
 * a new id is a new place on every ring, expected on a first start, a typo on a restart).
 */
export function describeIdentityUse (identity: IdentityFileUse | undefined): string {
  if (identity === undefined) return 'identity: for this run only (no --identity: a new peer id at every start)'
  return identity.created
    ? `identity: NEW peer id, written to ${identity.file} (on a restart, check the path)`
    : `identity: from ${identity.file}`
}

/** The ready line's note of the identity file, if one was given (see {@link describeIdentityUse}). */
function describeIdentity (identity: IdentityFileUse | undefined): string {
  return identity === undefined ? '' : `, ${describeIdentityUse(identity)}`
}

/** A one-line, human-readable description of a node event (for a terminal). */
export function describeChange (e: NodeEvent): string {
  switch (e.event) {
    case 'ready':
      return `ready${e.groups.length > 0 ? ` in ${e.groups.join(', ')}` : ''}, listening on ${e.multiaddrs.join(' ') || '(nothing)'}${describeIdentity(e.identity)}`
    case 'waiting':
      return e.for === 'peers' ? `waiting for peers (${e.via?.join(', ') ?? 'nothing to discover them by'})` : `waiting for ${e.groups?.join(', ') ?? 'the groups'} to converge`
    case 'metrics':
      return `metrics at ${e.url}`
    case 'ring':
      return `${e.group}: ${e.members.length} member(s) ${e.members.map(shortId).join(' ')}, I own ${e.mine} resource(s), digest ${e.digest}`
    case 'member':
      return `${e.group}: ${shortId(e.id)} ${e.change}${e.reason === undefined ? '' : ` (${e.reason})`}`
    case 'peer':
      return `${e.change === 'connect' ? 'connected to' : 'disconnected from'} ${shortId(e.id)}`
    case 'converged':
      return `${e.group}: converged on ${e.digest} with ${e.members.length} member(s)`
    case 'warning':
      return describeWarning(e)
    case 'stopped':
      return `stopped`
    case 'explain':
      return `${e.group}/${e.key}: owner ${e.owner === undefined ? 'none' : shortId(e.owner)} epoch ${e.epoch}, mine ${String(e.mine)}, ` +
        `converged ${String(e.converged)}, ${e.mode} (${e.viewSize} in view, quorum ${e.quorumRequired}), view ${e.viewDigest}, ` +
        `scores ${e.members.map((m) => `${shortId(m.id)}=${m.score.toFixed(3)}`).join(' ')}`
  }
}

/** A warning in words. */
function describeWarning (e: WarningEvent): string {
  switch (e.kind) {
    case 'clock-skew':
      return `WARNING: the clock of ${shortId(e.peer)} is ${(Math.abs(e.offsetMs) / 1000).toFixed(1)} s ${e.offsetMs >= 0 ? 'ahead of' : 'behind'} ours: ${e.hint}`
    case 'policy-mismatch':
      return `WARNING: ${shortId(e.peer)} has other ownership options in ${e.group} than ours (${e.ours}): every member of a group needs the same, or two may own one resource`
    case 'group-lookalike':
      return `WARNING: ${shortId(e.peer)} is in group ${e.lookalike}, a typo away from group ${e.group}: agents in the two groups each own every resource; give every agent the same group name`
    case 'peer-unreachable':
      return `WARNING: ${e.via === 'bootstrap' ? 'bootstrap peer' : `peer found by ${e.via}`} ${shortId(e.peer)} not reached (${e.reason}): ${e.hint}`
    case 'paused':
      return `WARNING: no heartbeat of ours for ${(e.silentMs / 1000).toFixed(1)} s: ${e.hint}`
  }
}

/**
 * Reads one stdout line of `gossip-ring node --json` back into an event; `undefined` when the line is not a JSON
 * object with a string `event` field (so readers can skip noise instead of crashing).
 */
export function parseEventLine (line: string): NodeEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || typeof (value as { event?: unknown }).event !== 'string') {
    return undefined
  }
  return value as NodeEvent
}
