/** The node is up: its id, its groups (none for a watcher) and the addresses others can bootstrap from. */
export interface ReadyEvent { event: 'ready', id: string, groups: string[], multiaddrs: string[] }
/** Start-up progress: what the node waits for now (peers to discover or connect, or its groups to converge). */
export interface WaitingEvent { event: 'waiting', for: 'peers' | 'convergence', via?: string[], groups?: string[] }
/** Metrics are served at `url` (`--metrics`). */
export interface MetricsEvent { event: 'metrics', url: string }
/** The group's ring changed: its members, how many resources this agent owns, the view digest. */
export interface RingEvent {
  event: 'ring'
  group: string
  members: string[]
  mine: number
  digest: string
  /** The owned resources, only with `--list-resources`. */
  resources?: string[]
}
/** A member joined, became suspect, was heard again (alive) or left the group. */
export interface MemberEvent { event: 'member', change: 'join' | 'suspect' | 'alive' | 'leave', group: string, id: string, reason?: string }
/** A libp2p connection to a peer opened or closed (membership follows from heartbeats, not from this). */
export interface PeerEvent { event: 'peer', change: 'connect' | 'disconnect', id: string }
/** Every live member advertises the same view digest as this agent. */
export interface ConvergedEvent { event: 'converged', group: string, digest: string, members: string[] }
/** The agent said goodbye and stopped. */
export interface StoppedEvent { event: 'stopped', id: string }

/** One line of `gossip-ring node --json`. */
export type NodeEvent = ReadyEvent | WaitingEvent | MetricsEvent | RingEvent | MemberEvent | PeerEvent | ConvergedEvent | StoppedEvent

/** The last characters of a peer id: enough to tell agents apart in a terminal. */
export function shortId (id: string): string {
  return id.length <= 8 ? id : `…${id.slice(-6)}`
}

/** A one-line, human-readable description of a node event (for a terminal), prefixed with the node's short id. */
export function describeEvent (self: string, e: NodeEvent): string {
  return `[${shortId(self)}] ${describeChange(e)}`
}

/** A one-line, human-readable description of a node event (for a terminal). */
export function describeChange (e: NodeEvent): string {
  switch (e.event) {
    case 'ready':
      return `ready${e.groups.length > 0 ? ` in ${e.groups.join(', ')}` : ''}, listening on ${e.multiaddrs.join(' ') || '(nothing)'}`
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
    case 'stopped':
      return `stopped`
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
