import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/**
 * Thrown when a system command (ip, nft) exits non-zero; the message carries the command line and
 * its stderr so a failing network setup says exactly what went wrong.
 */
export class CommandFailedError extends Error {
  static override name = 'CommandFailedError'
  constructor (msg = 'command failed') {
    super(msg)
    this.name = 'CommandFailedError'
  }
}

/**
 * Runs `command args...` without a shell and resolves with its stdout.
 * Rejects with {@link CommandFailedError} (command line + stderr) when it fails.
 */
export async function runCommand (command: string, args: readonly string[], input?: string): Promise<string> {
  try {
    const pending = execFileAsync(command, [...args], { encoding: 'utf8', timeout: 15_000 })
    if (input !== undefined) {
      pending.child.stdin?.end(input)
    }
    const { stdout } = await pending
    return stdout
  } catch (err) {
    const e = err as { stderr?: string, message?: string }
    const detail = (e.stderr ?? '').trim() || (e.message ?? String(err))
    throw new CommandFailedError(`${command} ${args.join(' ')}: ${detail}`)
  }
}
