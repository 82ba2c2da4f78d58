import { defaultLogger } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { InvalidOptionError } from '../errors.js'
import { formatLogLine } from './format.js'

/**
 * A plain logger, such as `console` or a pino/winston logger: each call gets one formatted line,
 * prefixed with the component (`gossip-ring:cluster:connectivity dialled 12D3KooW...`).
 */
export interface PlainLogger {
  /** Receives this library's debug lines (dials, drops, publishing while alone). */
  debug: (message: string) => void
  /** Reserved for informational lines; this version sends none. */
  info: (message: string) => void
  /** Reserved for warnings; this version sends none. */
  warn: (message: string) => void
  /** Receives this library's errors (a heartbeat that failed to publish, a peer store write that failed). */
  error: (message: string) => void
}

/** Where log lines go: this library's own, and libp2p's internals. */
export interface ResolvedLoggers {
  /** This library's lines. */
  ours: ComponentLogger
  /** The libp2p node's internal lines. */
  libp2p: ComponentLogger
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const

/**
 * Splits the `logger` option. A libp2p `ComponentLogger` gets everything, as libp2p users expect.
 * A {@link PlainLogger} gets only this library's lines, formatted; libp2p's internals go to
 * `@libp2p/logger` as usual (silent unless `DEBUG=libp2p*`). Without one, both use `@libp2p/logger`.
 *
 * @throws {InvalidOptionError} for a logger that is neither
 */
export function resolveLoggers (logger: ComponentLogger | PlainLogger | undefined): ResolvedLoggers {
  if (logger === undefined) {
    const fallback = defaultLogger()
    return { ours: fallback, libp2p: fallback }
  }
  if (typeof (logger as Partial<ComponentLogger>).forComponent === 'function') {
    return { ours: logger as ComponentLogger, libp2p: logger as ComponentLogger }
  }
  if (LOGGER_METHODS.every(method => typeof (logger as Partial<PlainLogger>)[method] === 'function')) {
    return { ours: plainComponentLogger(logger as PlainLogger), libp2p: defaultLogger() }
  }
  throw new InvalidOptionError('logger must be a libp2p ComponentLogger (with forComponent) or a plain { debug, info, warn, error } logger such as console')
}

/**
 * A libp2p `ComponentLogger` that writes to a plain logger: debug lines to `debug`, errors to
 * `error`, each formatted and prefixed with its component. Trace lines (per-message chatter) are
 * not sent; `DEBUG=gossip-ring*:trace` with the default logger shows them.
 */
export function plainComponentLogger (plain: PlainLogger): ComponentLogger {
  return { forComponent: (name: string) => plainLogger(plain, name) }
}

function plainLogger (plain: PlainLogger, name: string): Logger {
  const line = (template: unknown, args: unknown[]): string => `${name} ${formatLogLine(template, args)}`
  const log = (template: unknown, ...args: unknown[]): void => { plain.debug(line(template, args)) }
  return Object.assign(log, {
    error: (template: unknown, ...args: unknown[]): void => { plain.error(line(template, args)) },
    trace: (): void => {},
    enabled: true,
    newScope: (scope: string): Logger => plainLogger(plain, `${name}:${scope}`)
  })
}
