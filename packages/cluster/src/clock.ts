import type { Clock } from '@gossip-ring/membership'

/**
 * The real clock for the membership table: monotonic milliseconds from `performance.now()` (never
 * the wall clock, which can jump) and one-shot timers that are `unref`'d, so a forgotten cluster
 * never keeps the process alive.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn: () => void, ms: number): unknown => {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return timer
  },
  clearTimeout: (handle: unknown): void => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  }
}

/** The wall clock (Unix epoch ms): stamped into our heartbeats and used only to bound the age of heartbeats from senders we have no record of. */
export const wallClock = { now: (): number => Date.now() }
