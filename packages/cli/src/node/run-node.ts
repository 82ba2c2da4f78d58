import { createInterface } from 'node:readline'
import type { MinorityMode } from '@gossip-ring/cluster'
import { clusterInitFrom } from '../flags/cluster-flags.js'
import type { ClusterFlags } from '../flags/cluster-flags.js'
import { untilAborted, writeJsonLine } from '../io.js'
import type { CliIo } from '../io.js'
import { LiveScreen } from '../screen.js'
import { runCommand } from './commands.js'
import { describeChange, describeIdentityUse } from './events.js'
import type { NodeEvent } from './events.js'
import { startNodeSession } from './node-session.js'
import { nodeViewOf, renderNodeView } from './node-view.js'
import type { NodeViewExtra } from './node-view.js'

/** The flags of `gossip-ring node`. */
export interface NodeFlags extends ClusterFlags {
  /** Required: the program checks it. */
  group: string[]
  resources: number
  listResources?: boolean
  json?: boolean
  metrics?: number
  metricsHost?: string
  /** `minMembers` of every group. */
  minMembers?: number
  /** `quorum` of every group. */
  quorum?: number | 'majority'
  /** `onMinority` of every group. */
  onMinority?: MinorityMode
}

/** How often the live view refreshes by itself ("last change N s ago"). */
const REFRESH_MS = 1000

/**
 * `gossip-ring node`: runs a member until `io.signal` aborts, then says goodbye. JSON lines on
 * stdout (one per change) unless stdout is a terminal and `--json` is not given: then a live view
 * redrawn in place.
 */
export async function runNode (flags: NodeFlags, io: CliIo): Promise<void> {
  const live = io.stdout.isTTY === true && flags.json !== true
  const screen = live ? new LiveScreen(io.stdout) : undefined
  let extra: NodeViewExtra = { discovery: [] }
  let redraw = (): void => {}
  const emit = (event: NodeEvent): void => {
    if (!live) {
      writeJsonLine(io, event)
      return
    }
    if (event.event === 'ready') extra = { ...extra, identity: describeIdentityUse(event.identity) }
    else if (event.event === 'waiting' && event.for === 'peers') extra = { ...extra, discovery: event.via ?? [] }
    else if (event.event === 'metrics') extra = { ...extra, metricsUrl: event.url }
    else if (event.event === 'warning') extra = { ...extra, warnings: [...(extra.warnings ?? []), describeChange(event)] }
    else if (event.event === 'member' || event.event === 'converged' || event.event === 'explain') extra = { ...extra, lastChange: { text: describeChange(event), atMs: Date.now() } }
    redraw()
  }
  const session = await startNodeSession({
    cluster: await clusterInitFrom(flags),
    groups: flags.group,
    resourceCount: flags.resources,
    listResources: flags.listResources ?? false,
    groupOptions: {
      ...(flags.minMembers !== undefined ? { minMembers: flags.minMembers } : {}),
      ...(flags.quorum !== undefined ? { quorum: flags.quorum } : {}),
      ...(flags.onMinority !== undefined ? { onMinority: flags.onMinority } : {})
    },
    ...(flags.metrics !== undefined ? { metricsPort: flags.metrics } : {}),
    ...(flags.metricsHost !== undefined ? { metricsHost: flags.metricsHost } : {})
  }, emit)
  const commands = io.stdin === undefined ? undefined : createInterface({ input: io.stdin })
  commands?.on('line', (line) => {
    const answer = runCommand(line, session.cluster, flags.group)
    if (typeof answer === 'string') io.stderr.write(`${answer}\n`)
    else if (answer !== undefined) emit(answer)
  })
  let timer: ReturnType<typeof setInterval> | undefined
  if (screen !== undefined) {
    redraw = () => { screen.draw(renderNodeView(nodeViewOf(session.cluster, session.resources, extra), Date.now())) }
    redraw()
    timer = setInterval(redraw, REFRESH_MS)
  }
  try {
    await untilAborted(io.signal)
  } finally {
    clearInterval(timer)
    commands?.close()
    redraw = () => {}   // a stopping cluster answers no question
    await session.stop()
  }
}
