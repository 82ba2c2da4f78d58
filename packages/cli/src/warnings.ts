import type { Cluster, ClusterEvents } from '@gossip-ring/cluster'
import type { WarningEvent } from './node/events.js'

/**
 * Calls `emit` with a `warning` for each misconfiguration the cluster reports that would leave two
 * agents owning the same resources: a peer not reached (`peer:unreachable`), a peer whose clock is
 * off (`peer:clock-skew`), a member with other ownership options (`group:policy-mismatch`), a
 * group named like ours, a typo away (`group:lookalike`), and a pause of our own process
 * (`self:silenced`).
 * Returns the function that stops listening.
 */
export function onWarnings (cluster: Cluster, emit: (warning: WarningEvent) => void): () => void {
  const onUnreachable = ({ detail }: ClusterEvents['peer:unreachable']): void => {
    emit({ event: 'warning', kind: 'peer-unreachable', peer: detail.peer, via: detail.via, reason: detail.reason, hint: detail.hint })
  }
  const onClockSkew = ({ detail }: ClusterEvents['peer:clock-skew']): void => {
    const hint = `beyond maxClockSkewMs (${detail.maxClockSkewMs} ms) each agent refuses the other's heartbeats and owns its share too: fix the clocks (NTP)`
    emit({ event: 'warning', kind: 'clock-skew', peer: detail.id, offsetMs: detail.offsetMs, hint })
  }
  const onPolicyMismatch = ({ detail }: ClusterEvents['group:policy-mismatch']): void => {
    emit({ event: 'warning', kind: 'policy-mismatch', group: detail.group, peer: detail.id, ours: detail.ours })
  }
  const onLookalike = ({ detail }: ClusterEvents['group:lookalike']): void => {
    emit({ event: 'warning', kind: 'group-lookalike', group: detail.group, lookalike: detail.lookalike, peer: detail.id })
  }
  const onSilenced = ({ detail }: ClusterEvents['self:silenced']): void => {
    const hint = `longer than the member timeout (${detail.memberTimeoutMs} ms) allows: was this process paused, or the machine suspended? The others may have taken our share, so this agent owns nothing until it has caught up again`
    emit({ event: 'warning', kind: 'paused', silentMs: detail.silentMs, hint })
  }
  cluster.addEventListener('peer:unreachable', onUnreachable)
  cluster.addEventListener('peer:clock-skew', onClockSkew)
  cluster.addEventListener('group:policy-mismatch', onPolicyMismatch)
  cluster.addEventListener('group:lookalike', onLookalike)
  cluster.addEventListener('self:silenced', onSilenced)
  return () => {
    cluster.removeEventListener('peer:unreachable', onUnreachable)
    cluster.removeEventListener('peer:clock-skew', onClockSkew)
    cluster.removeEventListener('group:policy-mismatch', onPolicyMismatch)
    cluster.removeEventListener('group:lookalike', onLookalike)
    cluster.removeEventListener('self:silenced', onSilenced)
  }
}
