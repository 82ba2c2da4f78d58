import { execFile } from 'node:child_process'

/** What a finished command printed. */
export interface RunResult {
  stdout: string
  stderr: string
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd: string
  /** Kill it (SIGKILL) and fail after this long. */
  timeoutMs: number
}

/**
 * The environment of a child that must behave as if started from a user's shell: without the
 * variables this vitest run sets for its own workers, which would confuse a nested vitest, and
 * without the `NODE_PATH` pnpm sets, through which `require` finds the workspace's packages.
 */
function userEnv (): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST' && name !== 'NODE_PATH'))
}

/**
 * Runs `command args...` without a shell; resolves with its output when it exits 0 by itself
 * within `timeoutMs`. Rejects otherwise, with the command line, the exit or signal and the tail of
 * both outputs, so a failure says what the consumer saw.
 */
export async function run (command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: options.cwd, env: userEnv(), timeout: options.timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) { resolve({ stdout, stderr }); return }
      const how = err.killed ? `was killed after ${options.timeoutMs} ms` : `exited with ${String(err.code ?? err.signal)}`
      reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) ${how}\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`))
    })
  })
}
