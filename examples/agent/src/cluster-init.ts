import type { ClusterInit } from '@gossip-ring/cluster'
import type { AgentArgs } from './args.js'

/** Maps the agent's command line onto the cluster's options (groups are joined later, after listeners are attached). */
export function clusterInitFrom (args: AgentArgs): ClusterInit {
  const init: ClusterInit = {
    bootstrap: [...args.bootstrap],
    local: args.local,
    mdns: args.mdns ? (args.mdnsIntervalMs === undefined ? true : { intervalMs: args.mdnsIntervalMs }) : false
  }
  if (args.namespace !== undefined) init.namespace = args.namespace
  if (args.listen.length > 0) init.listen = [...args.listen]
  if (args.heartbeatIntervalMs !== undefined) init.heartbeatIntervalMs = args.heartbeatIntervalMs
  return init
}
