/**
 * @packageDocumentation
 *
 * `@gossip-ring/cli`: the `gossip-ring` command (`node`, `watch`, `owner`, `keygen`) and the live
 * ring page. The exports serve programs that drive the command: its exit codes, its errors, and
 * the JSON lines it prints.
 *
 * @example
 * ```ts
 * import { parseEventLine } from '@gossip-ring/cli'
 *
 * child.stdout.on('data', line => {                    // gossip-ring node --group g --json
 *   const event = parseEventLine(line)
 *   if (event?.event === 'ring') console.log(event.group, event.mine)
 * })
 * ```
 */
export { EXIT_CODES } from './exit-codes.js'
export { NoMembersError, UsageError } from './errors.js'
export { describeEvent, parseEventLine, shortId } from './node/events.js'
export type {
  ConvergedEvent, ExplainEvent, IdentityFileUse, MemberEvent, MetricsEvent, NodeEvent, PeerEvent, ReadyEvent, RingEvent, StoppedEvent, WaitingEvent,
  UnreachableWarningEvent, ClockSkewWarningEvent, PolicyWarningEvent, LookalikeGroupWarningEvent, PausedWarningEvent, WarningEvent
} from './node/events.js'
export { syntheticResources } from './node/resources.js'
export { run } from './program.js'
export type { CliIo, TerminalInfo } from './io.js'
