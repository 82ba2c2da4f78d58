/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 10000 */
  timeoutMs?: number
  /** How often to re-check the predicate. @default 10 */
  pollMs?: number
  /** Shown in the timeout error. */
  what?: string
}

/**
 * Resolves as soon as `predicate()` is true (checked now, then every `pollMs`), or rejects with a
 * clear message after `timeoutMs`. Returns the elapsed milliseconds. Not a sleep: it returns the
 * moment the condition holds.
 */
export async function waitFor (predicate: () => boolean, options: WaitForOptions = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const pollMs = options.pollMs ?? 10
  const started = performance.now()
  while (!predicate()) {
    const elapsed = performance.now() - started
    if (elapsed > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`)
    await new Promise(resolve => setTimeout(resolve, pollMs))
  }
  return performance.now() - started
}
