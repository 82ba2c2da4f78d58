import { createCluster } from '@gossip-ring/cluster'
import { clusterInitFrom } from '../flags/cluster-flags.js'
import type { ClusterFlags } from '../flags/cluster-flags.js'
import { untilAborted, writeJsonLine } from '../io.js'
import type { CliIo } from '../io.js'
import { LiveScreen } from '../screen.js'
import { servePage } from './page-server.js'
import type { PageServer } from './page-server.js'
import { WatchModel } from './watch-model.js'
import { renderWatchView } from './watch-view.js'

/** The flags of `gossip-ring watch`. */
export interface WatchFlags extends ClusterFlags {
  group?: string[]
  json?: boolean
  http?: number
  httpHost?: string
}

/**
 * `gossip-ring watch`: joins as a watcher (in no group, never a member) until `io.signal` aborts.
 * JSON lines on stdout (`ready`, `http`, then one per change: `member`, `agreement`; `stopped`)
 * unless stdout is a terminal and `--json` is not given: then a live view. `--http PORT` serves
 * the live ring page.
 */
export async function runWatch (flags: WatchFlags, io: CliIo): Promise<void> {
  const watchGroups = flags.group !== undefined ? [...flags.group] : '*'
  const cluster = await createCluster({ ...await clusterInitFrom(flags), watcher: true, watchGroups })
  const model = new WatchModel(cluster, watchGroups)
  let page: PageServer | undefined
  try {
    if (flags.http !== undefined) page = await servePage(model, { port: flags.http, ...(flags.httpHost !== undefined ? { host: flags.httpHost } : {}) })
  } catch (err) {
    model.close()
    await cluster.stop()
    throw err
  }
  const live = io.stdout.isTTY === true && flags.json !== true
  let timer: ReturnType<typeof setInterval> | undefined
  if (live) {
    const screen = new LiveScreen(io.stdout)
    const redraw = (): void => { screen.draw(renderWatchView(model.state(), page !== undefined ? { pageUrl: page.url } : {})) }
    model.onChange(redraw)
    redraw()
    timer = setInterval(redraw, 1000)
  } else {
    writeJsonLine(io, { event: 'ready', id: cluster.id, groups: [], watcher: true, multiaddrs: cluster.multiaddrs })
    if (page !== undefined) writeJsonLine(io, { event: 'http', url: page.url })
    model.onChange(entry => { if (entry !== undefined) writeJsonLine(io, entry) })
  }
  try {
    await untilAborted(io.signal)
  } finally {
    clearInterval(timer)
    model.close()
    await page?.close()
    await cluster.stop()
    if (!live) writeJsonLine(io, { event: 'stopped', id: cluster.id })
  }
}
