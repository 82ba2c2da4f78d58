import { format, inspect } from 'node:util'

/**
 * The printf directives of `@libp2p/logger` that `node:util`'s `format` does not know, as
 * `@libp2p/logger` prints them. (`%b`, `%t`, `%m`, bytes in base58/32/64, are not used by this
 * library's lines and are left to `format`, which prints them as they are.)
 */
const LIBP2P_DIRECTIVES: Record<string, (value: unknown) => string> = {
  p: String, // peer id
  a: String, // multiaddr
  c: String, // CID
  k: String, // datastore key
  e: formatError
}

/** The directives `node:util`'s `format` consumes an argument for (its `%c` is replaced by libp2p's CID). */
const UTIL_DIRECTIVES = new Set(['s', 'd', 'i', 'f', 'j', 'o', 'O'])

/**
 * Formats a log line written for `@libp2p/logger` (printf style: `%s %d %i %f %j %o %O` as in
 * `node:util`, plus libp2p's `%p` peer id, `%a` multiaddr, `%c` CID, `%k` key, `%e` error with its
 * stack) into one string, the way `DEBUG=...` would print it; extra arguments are appended.
 */
export function formatLogLine (template: unknown, args: readonly unknown[]): string {
  if (typeof template !== 'string') return format(template, ...args)
  let next = 0
  const line = template.replace(/%([a-zA-Z%])/g, (directive, letter: string) => {
    if (letter === '%') return '%'
    if (next >= args.length) return directive
    const custom = LIBP2P_DIRECTIVES[letter]
    if (custom !== undefined) return custom(args[next++])
    return UTIL_DIRECTIVES.has(letter) ? format(directive, args[next++]) : directive
  })
  const extra = args.slice(next).map(arg => typeof arg === 'string' ? arg : inspect(arg))
  return [line, ...extra].join(' ')
}

/** An error as `@libp2p/logger`'s `%e` prints it: its stack (with the message), and the inner errors of an `AggregateError`. */
function formatError (value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'undefined'
  if (!(value instanceof Error)) return String(value)
  const stack = value.stack ?? ''
  const own = stack === '' ? value.message : stack.includes(value.message) ? stack : `${value.message}\n${stack}`
  const text = own.split('\n').join(`\n${indent}`)
  if (!(value instanceof AggregateError)) return text
  const inner = `${indent}    `
  const errors = value.errors.length > 0 ? value.errors.map(err => `${inner}${formatError(err, inner)}`) : [`${inner}[Error list was empty]`]
  return [text, ...errors].join('\n')
}
