import { createCluster } from '@gossip-ring/cluster'
import type { Cluster } from '@gossip-ring/cluster'
import { NoMembersError } from '../errors.js'
import { clusterInitFrom } from '../flags/cluster-flags.js'
import type { ClusterFlags } from '../flags/cluster-flags.js'
import { writeJsonLine } from '../io.js'
import { describeChange } from '../node/events.js'
import { onWarnings } from '../warnings.js'
import type { CliIo } from '../io.js'

/** The flags of `gossip-ring owner`. */
export interface OwnerFlags extends ClusterFlags {
  group: string
  replicas: number
  waitMs: number
  json?: boolean
}

/** What `owner` answers for one key: the owner first, then its failovers in order. */
export interface OwnerAnswer { key: string, owners: string[], agreed: boolean }

/**
 * `gossip-ring owner --group G KEY...`: joins as a watcher, waits until the group's views agree
 * (or `--wait-ms` passes), and prints who owns each key as the cluster sees it now, with failovers.
 * When the views still differ at the deadline it answers from its own view and says so on stderr.
 *
 * @throws {NoMembersError} when the group had no live member before the deadline
 */
export async function runOwner (flags: OwnerFlags, keys: string[], io: CliIo): Promise<void> {
  const cluster = await createCluster({ ...await clusterInitFrom(flags), watcher: true, watchGroups: [flags.group] })
  // a peer not reached (say, no network key) is why no member is heard: say so as it happens
  const warnings: string[] = []
  const stopWarnings = onWarnings(cluster, warning => {
    const text = describeChange(warning)
    warnings.push(text)
    io.stderr.write(`${text}\n`)
  })
  try {
    await agreementOf(cluster, flags.group, flags.waitMs, io.signal)
    const { agreed, members } = cluster.snapshot(flags.group)
    if (members.length === 0) {
      const why = warnings.length > 0 ? `; the ${warnings.length} warning(s) above may say why` : ''
      throw new NoMembersError(`No live member of group ${flags.group} was heard within ${flags.waitMs} ms${why}`)
    }
    if (!agreed) io.stderr.write(`warning: the views of ${flags.group} do not agree yet; answering from this watcher's view\n`)
    const answers: OwnerAnswer[] = keys.map(key => ({ key, owners: cluster.owners(flags.group, key, flags.replicas), agreed }))
    if (flags.json === true) {
      for (const answer of answers) writeJsonLine(io, answer)
    } else {
      const width = Math.max(3, ...keys.map(key => key.length))
      io.stdout.write(`${'key'.padEnd(width)}  owner, then failovers (group ${flags.group}, ${members.length} members)\n`)
      for (const answer of answers) io.stdout.write(`${answer.key.padEnd(width)}  ${answer.owners.join('  ')}\n`)
    }
  } finally {
    stopWarnings()
    await cluster.stop()
  }
}

/** Resolves when `group` agrees, or at the deadline, or when `signal` aborts (whichever is first). */
async function agreementOf (cluster: Cluster, group: string, waitMs: number, signal: AbortSignal): Promise<void> {
  if (cluster.snapshot(group).agreed) return
  await new Promise<void>(resolve => {
    const finish = (): void => {
      clearTimeout(timer)
      cluster.removeEventListener('group:agreement', onAgreement)
      signal.removeEventListener('abort', finish)
      resolve()
    }
    const onAgreement = (evt: CustomEvent<{ group: string, agreed: boolean }>): void => {
      if (evt.detail.group === group && evt.detail.agreed) finish()
    }
    const timer = setTimeout(finish, waitMs)
    cluster.addEventListener('group:agreement', onAgreement)
    signal.addEventListener('abort', finish)
  })
}
