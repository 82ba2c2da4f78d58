import type { Cluster } from '@gossip-ring/cluster'
import type { ExplainEvent } from './events.js'

/** The commands the agent reads on stdin, one per line. */
export const COMMANDS_HELP = 'commands on stdin: explain KEY (why KEY has its owner: scores, epoch, converged)'

/**
 * Runs one stdin command line against the agent's cluster: `explain KEY` answers with an `explain`
 * event; an empty line is ignored (undefined); anything else is a usage error (a string to print).
 */
export function runCommand (line: string, cluster: Cluster, group: string): ExplainEvent | string | undefined {
  const [command, ...rest] = line.trim().split(/\s+/)
  if (command === undefined || command === '') return undefined
  if (command === 'explain' && rest.length === 1) return { event: 'explain', ...cluster.explainOwner(group, rest[0] as string) }
  return `unknown command ${JSON.stringify(line.trim())}; ${COMMANDS_HELP}`
}
