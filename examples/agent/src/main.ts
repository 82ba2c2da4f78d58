/**
 * The example agent: `pnpm example:agent --group NAME --resources N [--bootstrap ADDR]...`
 * (see `--help`). Joins a group, owns its share of `resource_0..N-1` and prints one JSON line per
 * change on stdout; readable lines go to stderr when it is a terminal. Reads commands on stdin
 * (`explain KEY` prints why KEY has its owner). SIGINT/SIGTERM say goodbye
 * to the peers and exit 0; a usage error exits 2.
 */
import { createInterface } from 'node:readline'
import { parseAgentArgs, USAGE, UsageError, type AgentArgs } from './args.js'
import { runCommand } from './commands.js'
import { describeEvent, type AgentEvent } from './events.js'

function parseOrExit (argv: readonly string[]): AgentArgs {
  try {
    return parseAgentArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`)
    process.exit(2)
  }
}

async function main (): Promise<void> {
  const args = parseOrExit(process.argv.slice(2))
  if (args.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const readable = process.stderr.isTTY === true && !args.json
  let selfId = ''
  const emit = (event: AgentEvent): void => {
    if (event.event === 'ready') selfId = event.id
    process.stdout.write(`${JSON.stringify(event)}\n`)
    if (readable) process.stderr.write(`${describeEvent(selfId, event)}\n`)
  }
  // loaded only now, so that --help and usage errors answer without loading libp2p
  const { startAgent } = await import('./agent.js')
  const agent = await startAgent(args, emit)
  const commands = createInterface({ input: process.stdin })
  commands.on('line', (line) => {
    const answer = runCommand(line, agent.cluster, args.group)
    if (typeof answer === 'string') process.stderr.write(`${answer}\n`)
    else if (answer !== undefined) emit(answer)
  })
  const shutdown = (): void => {
    commands.close()
    agent.stop().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`error while stopping: ${String(err)}\n`)
      process.exit(1)
    })
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

main().catch((err: unknown) => {
  process.stderr.write(`agent failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exit(1)
})
