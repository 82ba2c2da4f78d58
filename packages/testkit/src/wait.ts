import { ConvergenceTimeoutError } from './errors.js'

/** Options of a wait: an abort signal, a deadline and how often the condition is checked. */
export interface WaitOptions {
  /** Aborts the wait (rejects with the signal's reason). */
  signal?: AbortSignal
  /** Deadline in milliseconds. @default 10000 */
  timeoutMs?: number
  /** How often the condition is checked, in milliseconds. @default 20 */
  pollIntervalMs?: number
}

/**
 * Resolves as soon as `condition()` returns true; rejects with `ConvergenceTimeoutError`
 * (message from `describe()`, which tells what was seen) when the deadline passes, or with the
 * signal's reason when aborted. Removes its timer and abort listener on every path.
 */
export async function waitFor (condition: () => boolean, describe: () => string, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const pollIntervalMs = options.pollIntervalMs ?? 20
  const signal = options.signal
  signal?.throwIfAborted()
  if (condition()) return
  const deadline = Date.now() + timeoutMs
  await new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = (error?: unknown): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (error === undefined) resolve()
      else reject(error)
    }
    const onAbort = (): void => { finish(signal?.reason ?? new Error('aborted')) }
    const check = (): void => {
      try {
        if (condition()) { finish(); return }
        if (Date.now() >= deadline) { finish(new ConvergenceTimeoutError(`timed out after ${timeoutMs} ms: ${describe()}`)); return }
      } catch (err) {
        finish(err)
        return
      }
      timer = setTimeout(check, pollIntervalMs)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    timer = setTimeout(check, pollIntervalMs)
  })
}
