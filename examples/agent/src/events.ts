import type { OwnerExplanation } from '@gossip-ring/cluster'

/** The agent is up: its id and the addresses others can bootstrap from. */
export interface ReadyEvent { event: 'ready', id: string, group: string, multiaddrs: string[] }
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
/** A member joined, became suspect or left the group. */
export interface MemberEvent { event: 'member', change: 'join' | 'suspect' | 'leave', group: string, id: string, reason?: string }
/** A libp2p connection to a peer opened or closed (membership follows from heartbeats, not from this). */
export interface PeerEvent { event: 'peer', change: 'connect' | 'disconnect', id: string }
/** Every live member advertises the same view digest as this agent. */
export interface ConvergedEvent { event: 'converged', group: string, digest: string, members: string[] }
/** The agent said goodbye and stopped. */
export interface StoppedEvent { event: 'stopped', id: string }

/** The answer to the stdin command `explain KEY`: why KEY has its owner (`cluster.explainOwner`). */
export interface ExplainEvent extends OwnerExplanation { event: 'explain' }

/** One line of the agent's stdout. */
export type AgentEvent = ReadyEvent | RingEvent | MemberEvent | PeerEvent | ConvergedEvent | StoppedEvent | ExplainEvent

/** The last characters of a peer id: enough to tell agents apart in a terminal. */
export function shortId (id: string): string {
  return id.length <= 8 ? id : `…${id.slice(-6)}`
}

/** A one-line, human-readable description of an agent event (for a terminal). */
export function describeEvent (self: string, e: AgentEvent): string {
  const who = `[${shortId(self)}]`
  switch (e.event) {
    case 'ready':
      return `${who} ready in group ${e.group}, listening on ${e.multiaddrs.join(' ') || '(nothing)'}`
    case 'ring':
      return `${who} ${e.group}: ${e.members.length} member(s) ${e.members.map(shortId).join(' ')}, I own ${e.mine} resource(s), digest ${e.digest}`
    case 'member':
      return `${who} ${e.group}: ${shortId(e.id)} ${e.change}${e.reason === undefined ? '' : ` (${e.reason})`}`
    case 'peer':
      return `${who} ${e.change === 'connect' ? 'connected to' : 'disconnected from'} ${shortId(e.id)}`
    case 'converged':
      return `${who} ${e.group}: converged on ${e.digest} with ${e.members.length} member(s)`
    case 'stopped':
      return `${who} stopped`
    case 'explain':
      return `${who} ${e.group}/${e.key}: owner ${e.owner === undefined ? 'none' : shortId(e.owner)} epoch ${e.epoch}, mine ${String(e.mine)}, ` +
        `converged ${String(e.converged)}, ${e.mode} (${e.viewSize} in view, quorum ${e.quorumRequired}), view ${e.viewDigest}, ` +
        `scores ${e.members.map((m) => `${shortId(m.id)}=${m.score.toFixed(3)}`).join(' ')}`
  }
}

/**
 * Reads one stdout line of the agent back into an event; `undefined` when the line is not a JSON
 * object with a string `event` field (so readers can skip noise instead of crashing).
 */
export function parseEventLine (line: string): AgentEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || typeof (value as { event?: unknown }).event !== 'string') {
    return undefined
  }
  return value as AgentEvent
}
