import type { Cluster } from '@gossip-ring/cluster'
import { shortId } from './events.js'

/** What the live view of a node shows. */
export interface NodeView {
  id: string
  /** Connected peers. */
  peers: number
  /** How the node finds peers (mDNS, bootstrap). */
  discovery: string[]
  metricsUrl?: string
  groups: Array<{
    group: string
    digest: string
    converged: boolean
    /** Resources we own, of `total`. */
    mine: number
    total: number
    members: Array<{ id: string, state: string, self: boolean }>
  }>
  /** The last change, described, and when (ms since epoch). */
  lastChange?: { text: string, atMs: number }
  /** Warnings so far, described (a peer not reached, a clock off, other ownership options): shown until the node stops. */
  warnings?: string[]
  /** Where the peer id came from, described (`describeIdentityUse`), once the node is ready: shown until it stops. */
  identity?: string
}

/** What the live view shows beside the cluster's state: what the node's events told. */
export type NodeViewExtra = Pick<NodeView, 'discovery' | 'metricsUrl' | 'lastChange' | 'warnings' | 'identity'>

/** The view of a running node now. */
export function nodeViewOf (cluster: Cluster, resources: readonly string[], extra: NodeViewExtra): NodeView {
  return {
    id: cluster.id,
    peers: new Set(cluster.libp2p.getConnections().map(connection => connection.remotePeer.toString())).size,
    ...extra,
    groups: cluster.groups().map(group => ({
      group,
      digest: cluster.ring(group).digest,
      converged: cluster.isConverged(group),
      mine: cluster.extractMySubset(group, resources).length,
      total: resources.length,
      members: cluster.members(group).map(member => ({ id: member.id, state: member.state, self: member.self }))
    }))
  }
}

/** What the node waits for, in words: the start-up progress line. */
export function progressOf (view: NodeView): string {
  if (view.peers === 0) return `waiting for peers (${view.discovery.join(', ') || 'no mDNS, no bootstrap: others must dial this node'})`
  if (view.groups.every(group => group.converged)) return `converged · ${view.peers} peer(s) connected`
  const pending = view.groups.filter(group => !group.converged).map(group => group.group)
  return `${view.peers} peer(s) connected · waiting for ${pending.join(', ')} to converge`
}

/** The lines of the live view (pure: `nowMs` is the wall clock). */
export function renderNodeView (view: NodeView, nowMs: number): string[] {
  const lines = [`gossip-ring node ${shortId(view.id)}  (Ctrl-C to stop: says goodbye)`, `status: ${progressOf(view)}`]
  if (view.identity !== undefined) lines.push(view.identity)
  for (const warning of view.warnings ?? []) lines.push(warning)
  if (view.metricsUrl !== undefined) lines.push(`metrics: ${view.metricsUrl}`)
  for (const group of view.groups) {
    const share = group.total === 0 ? 'no resources to share (--resources N)' : `my share ${group.mine}/${group.total}`
    lines.push('', `${group.group}  ${group.members.length} member(s)  ${group.converged ? 'converged' : 'NOT converged'}  digest ${group.digest}  ${share}`)
    for (const member of group.members) {
      lines.push(`  ${shortId(member.id)}${member.self ? ' (me)' : '     '}  ${member.state}`)
    }
  }
  if (view.lastChange !== undefined) {
    lines.push('', `last change ${Math.max(0, Math.round((nowMs - view.lastChange.atMs) / 1000))} s ago: ${view.lastChange.text}`)
  }
  return lines
}
