import type { Cluster } from '@gossip-ring/cluster'
import type { ExplainEvent } from './events.js'

/** The commands `gossip-ring node` reads on stdin, one per line. */
export const COMMANDS_HELP = 'commands on stdin: explain KEY, or explain GROUP KEY with several groups (why KEY has its owner: scores, epoch, converged)'

/**
 * Runs one stdin command line against the node's cluster: `explain [GROUP] KEY` answers with an
 * `explain` event (GROUP may be left out when the node is in one group); an empty line is ignored
 * (undefined); anything else is a usage error (a string to print on stderr).
 */
export function runCommand (line: string, cluster: Cluster, groups: readonly string[]): ExplainEvent | string | undefined {
  const [command, ...rest] = line.trim().split(/\s+/)
  if (command === undefined || command === '') return undefined
  if (command === 'explain' && (rest.length === 2 || (rest.length === 1 && groups.length === 1))) {
    const [group, key] = rest.length === 2 ? rest as [string, string] : [groups[0] as string, rest[0] as string]
    if (!groups.includes(group)) return `not in group ${JSON.stringify(group)}; this node is in ${groups.join(', ')}`
    return { event: 'explain', ...cluster.explainOwner(group, key) }
  }
  return `unknown command ${JSON.stringify(line.trim())}; ${COMMANDS_HELP}`
}
