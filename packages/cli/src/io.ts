/** What an output stream tells when it is a terminal (as `process.stdout` does). */
export interface TerminalInfo {
  /** True on a terminal: commands draw a live view instead of JSON lines. */
  isTTY?: boolean
  /** The terminal's width in characters (0 or missing when unknown). */
  columns?: number
}

/** Where a command writes, and what stops it: the process's streams and signals, or a test's. */
export interface CliIo {
  /** Results: JSON lines, or the live view on a terminal. */
  stdout: NodeJS.WritableStream & TerminalInfo
  /** Errors and progress meant for a person. */
  stderr: NodeJS.WritableStream
  /** Commands for `node` (`explain KEY`), one per line; none when undefined. */
  stdin?: NodeJS.ReadableStream
  /** Aborts long-running commands (`node`, `watch`): they say goodbye, stop and return. */
  signal: AbortSignal
}

/** Writes `value` as one JSON line. */
export function writeJsonLine (io: CliIo, value: object): void {
  io.stdout.write(`${JSON.stringify(value)}\n`)
}

/** Resolves when `signal` aborts (at once if it has). */
export async function untilAborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>(resolve => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
}
