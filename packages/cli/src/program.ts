import { createRequire } from 'node:module'
import { Command, CommanderError, Option } from 'commander'
import { exitCodeOf, UsageError } from './errors.js'
import { EXIT_CODES, EXIT_CODES_HELP } from './exit-codes.js'
import { COMMANDS_HELP } from './node/commands.js'
import { addClusterFlags } from './flags/cluster-flags.js'
import { integerIn, MAX_QUORUM, nameList, nonEmpty, port, quorum } from './flags/values.js'
import type { CliIo } from './io.js'
import type { NodeFlags } from './node/run-node.js'
import type { KeygenFlags } from './keygen/run-keygen.js'
import type { OwnerFlags } from './owner/run-owner.js'
import type { WatchFlags } from './watch/run-watch.js'

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

/** Upper bound of `--resources`, so a typo cannot make the node allocate gigabytes. */
export const MAX_RESOURCES = 1_000_000

/** Commander's codes for a request of help or version: not errors. */
const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version'])

/**
 * Builds the `gossip-ring` command line. Commands load the network stack only when they run, so
 * `--help` and usage errors answer at once.
 */
export function createProgram (io: CliIo): Command {
  const program = new Command('gossip-ring')
    .description('Run, watch and query gossip-ring agents: groups split work over a consistent-hash ring with no central store.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: text => { io.stdout.write(text) }, writeErr: text => { io.stderr.write(text) } })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)

  addClusterFlags(program.command('node')
    .description('run an agent: join groups and own a share of the resources; a live view on a terminal, else JSON lines (one per change)')
    .option('--group <name>', 'group to join (repeatable; at least one)', nameList)
    .addOption(new Option('--resources <n>', 'synthetic resources resource_0..N-1 each group splits').argParser(integerIn(0, MAX_RESOURCES)).default(0))
    .option('--list-resources', 'put the owned resource names in each ring line')
    .addOption(new Option('--metrics <port>', 'serve Prometheus metrics on this port (/metrics)').argParser(port))
    .option('--metrics-host <address>', 'address for --metrics (default: 127.0.0.1; 0.0.0.0 exposes it)', nonEmpty)
    .addOption(new Option('--min-members <n>', 'each group: not converged, and nothing owned, until this many members see each other (an agent cut off alone owns nothing)').argParser(integerIn(1, MAX_QUORUM)))
    .addOption(new Option('--quorum <n>', 'each group: the members a view needs (a count, or "majority" of the largest recent view); below it --on-minority applies').argParser(quorum))
    .addOption(new Option('--on-minority <mode>', 'below the quorum: own-all (double ownership across a partition), own-nothing, or keep-last (the last share, until the majority takes it)').choices(['own-all', 'own-nothing', 'keep-last']))
    .option('--json', 'JSON lines even on a terminal'))
    .addHelpText('after', `\nJSON events: ready, waiting, metrics, ring, member, peer, converged, warning, stopped, explain.\n${COMMANDS_HELP}.\nSIGINT/SIGTERM: say goodbye (peers re-split at once) and exit 0.\n\n${EXIT_CODES_HELP}`)
    .action(async (flags: NodeFlags) => {
      if (flags.group === undefined) throw new UsageError('--group is required (repeatable)')
      if (flags.onMinority !== undefined && flags.onMinority !== 'own-all' && flags.quorum === undefined) {
        throw new UsageError(`--on-minority ${flags.onMinority} needs --quorum: without a quorum no view is a minority, so it would do nothing`)
      }
      if (flags.quorum !== undefined && flags.onMinority === undefined) {
        throw new UsageError(`--quorum ${flags.quorum} without --on-minority: a minority side would still own every resource (own-all); add --on-minority own-nothing or keep-last, or --on-minority own-all to mean it`)
      }
      const { runNode } = await import('./node/run-node.js')
      await runNode(flags, io)
    })

  addClusterFlags(program.command('watch')
    .description('join as a watcher (in no group, owns nothing, never counted) and show every group: members, suspects, digests, agreement')
    .option('--group <name>', 'watch only this group (repeatable; default: every group)', nameList)
    .addOption(new Option('--http <port>', 'serve the live ring page on this port').argParser(port))
    .option('--http-host <address>', 'address for --http (default: 127.0.0.1; 0.0.0.0 exposes it)', nonEmpty)
    .option('--json', 'JSON lines even on a terminal'))
    .addHelpText('after', `\nJSON events: ready, http, member, agreement, warning, stopped.\n\n${EXIT_CODES_HELP}`)
    .action(async (flags: WatchFlags) => {
      const { runWatch } = await import('./watch/run-watch.js')
      await runWatch(flags, io)
    })

  addClusterFlags(program.command('owner')
    .description('which member owns each key in a group as the cluster sees it now, with failovers')
    .argument('<key...>', 'keys to look up')
    .requiredOption('--group <name>', 'the group', nonEmpty)
    .addOption(new Option('--replicas <n>', 'owner plus failovers to print').argParser(integerIn(1, 1000)).default(1))
    .addOption(new Option('--wait-ms <ms>', 'how long to wait for the group\'s views to agree').argParser(integerIn(0, 3_600_000)).default(10_000))
    .option('--json', 'one JSON line per key: { key, owners, agreed }'))
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (keys: string[], flags: OwnerFlags) => {
      const { runOwner } = await import('./owner/run-owner.js')
      await runOwner(flags, keys, io)
    })

  program.command('keygen')
    .description('write a new identity file (private key, mode 0600) for node --identity and print its peer id; with --network, a network key file for --network-key instead')
    .argument('<file>', 'where to write it (never overwritten)')
    .option('--network', 'write a new network key (PSK v1, mode 0600): copy it to every agent of the cluster, each runs with --network-key FILE')
    .option('--json', 'print { event, file, id } (with --network: { event, kind, file }) as JSON')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (file: string, flags: KeygenFlags) => {
      const { runKeygen } = await import('./keygen/run-keygen.js')
      await runKeygen(file, flags, io)
    })

  return program
}

/**
 * Runs the command line `argv` (without `node gossip-ring`) and resolves with the exit code. Errors
 * are printed on stderr: usage errors by commander (or ours) with a pointer to `--help`.
 */
export async function run (argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return EXIT_CODES.ok
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has printed the message (and help, when asked for)
      return HELP_CODES.has(err.code) ? EXIT_CODES.ok : exitCodeOf(new UsageError(err.message, err.code))
    }
    io.stderr.write(err instanceof UsageError
      ? `error: ${err.message}\n(add --help for usage)\n`
      : `error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`)
    return exitCodeOf(err)
  }
}
