#!/usr/bin/env node
/**
 * The `gossip-ring` command. SIGINT and SIGTERM stop long-running commands gracefully (a goodbye
 * heartbeat first); a second signal exits at once.
 */
import { run } from './program.js'

const stop = new AbortController()
const onSignal = (): void => {
  if (stop.signal.aborted) process.exit(130)
  stop.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: stop.signal }).then(code => {
  process.exit(code)
}, (err: unknown) => {
  process.stderr.write(`gossip-ring failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exit(1)
})
