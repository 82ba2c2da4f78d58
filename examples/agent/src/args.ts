import { parseArgs } from 'node:util'

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `usage: pnpm example:agent --group NAME --resources N [options]

Joins group NAME and owns its share of the synthetic resources resource_0..N-1.
Prints one JSON line per change on stdout (events: ready, ring, member, peer, converged, stopped, explain).
Reads commands on stdin: explain KEY (why KEY has its owner: scores, epoch, converged).

options:
  --group NAME            group to join (required)
  --resources N           number of synthetic resources, integer >= 0 (required)
  --bootstrap ADDR        multiaddr of a peer, with /p2p/<id> (repeatable)
  --namespace NS          cluster namespace (separate clusters on one LAN)
  --listen ADDR           multiaddr to listen on (repeatable)
  --local                 many agents on this host: loopback, no colocation penalty
  --no-mdns               do not discover peers by mDNS (use --bootstrap)
  --mdns-interval-ms N    mDNS query interval in milliseconds
  --heartbeat-ms N        heartbeat interval in milliseconds (>= 10)
  --network-key FILE      private cluster: a PSK v1 key file shared by every agent
  --list-resources        include the owned resource names in each ring line
  --json                  no readable lines on stderr, JSON on stdout only
  --help                  print this text`

/** Upper bound for `--resources`, so a typo cannot make the agent allocate gigabytes. */
export const MAX_RESOURCES = 1_000_000

const MIN_HEARTBEAT_MS = 10

/** Thrown when the command line is invalid; `main` prints it with the usage and exits with code 2. */
export class UsageError extends Error {
  static override name = 'UsageError'
  constructor (msg = 'invalid command line') {
    super(msg)
    this.name = 'UsageError'
  }
}

/** The validated command line of the example agent. */
export interface AgentArgs {
  group: string
  resourceCount: number
  bootstrap: string[]
  namespace?: string
  listen: string[]
  local: boolean
  mdns: boolean
  mdnsIntervalMs?: number
  heartbeatIntervalMs?: number
  /** Path of the pre-shared network key file (`--network-key`). */
  networkKeyFile?: string
  listResources: boolean
  json: boolean
  help: boolean
}

const OPTIONS = {
  group: { type: 'string' },
  resources: { type: 'string' },
  bootstrap: { type: 'string', multiple: true },
  namespace: { type: 'string' },
  listen: { type: 'string', multiple: true },
  local: { type: 'boolean' },
  'no-mdns': { type: 'boolean' },
  'mdns-interval-ms': { type: 'string' },
  'heartbeat-ms': { type: 'string' },
  'network-key': { type: 'string' },
  'list-resources': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' }
} as const

function parseInteger (flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer in ${min}..${max}, got "${text}"`)
  }
  return value
}

function requireMultiaddrs (flag: string, values: string[] | undefined, needsPeerId: boolean): string[] {
  const list = values ?? []
  for (const addr of list) {
    if (!addr.startsWith('/')) {
      throw new UsageError(`--${flag} expects a multiaddr starting with "/", got "${addr}"`)
    }
    if (needsPeerId && !addr.includes('/p2p/')) {
      throw new UsageError(`--${flag} needs the peer id in the address (…/p2p/<id>), got "${addr}"`)
    }
  }
  return list
}

function nonEmpty (flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw new UsageError(`--${flag} must not be empty`)
  }
  return value
}

/**
 * Parses and validates the agent's command line (without the `node script` prefix).
 * Throws {@link UsageError} on unknown flags, stray arguments, missing or malformed values.
 * With `--help` the other requirements are not checked.
 */
export function parseAgentArgs (argv: readonly string[]): AgentArgs {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const v = parsed.values
  const help = v.help ?? false
  const group = nonEmpty('group', v.group)
  const resourceCount = parseInteger('resources', v.resources, 0, MAX_RESOURCES)
  if (!help && group === undefined) throw new UsageError('--group is required')
  if (!help && resourceCount === undefined) throw new UsageError('--resources is required')
  const mdns = !(v['no-mdns'] ?? false)
  const mdnsIntervalMs = parseInteger('mdns-interval-ms', v['mdns-interval-ms'], 1, 3_600_000)
  if (!mdns && mdnsIntervalMs !== undefined) {
    throw new UsageError('--mdns-interval-ms makes no sense with --no-mdns')
  }
  return {
    group: group ?? '',
    resourceCount: resourceCount ?? 0,
    bootstrap: requireMultiaddrs('bootstrap', v.bootstrap, true),
    namespace: nonEmpty('namespace', v.namespace),
    listen: requireMultiaddrs('listen', v.listen, false),
    local: v.local ?? false,
    mdns,
    mdnsIntervalMs,
    heartbeatIntervalMs: parseInteger('heartbeat-ms', v['heartbeat-ms'], MIN_HEARTBEAT_MS, 3_600_000),
    networkKeyFile: nonEmpty('network-key', v['network-key']),
    listResources: v['list-resources'] ?? false,
    json: v.json ?? false,
    help
  }
}
