/**
 * A simulated LAN made of Linux network namespaces, for tests that need real multicast (mDNS)
 * without ever touching the host's own interfaces.
 *
 * Layout for a LAN named `gr-<pid>-`:
 * - `gr-<pid>-br`: a namespace holding the bridge `br0` (multicast snooping off, so every
 *   multicast frame floods to every port);
 * - `gr-<pid>-h<i>`: one namespace per host, with `lo` up and `eth0` (a veth whose peer
 *   `h<i>` is a port of `br0`), address `192.0.2.<i+1>/24` (TEST-NET-1: routed nowhere),
 *   multicast on and a route for 224.0.0.0/4 on `eth0`.
 *
 * Partitions are nftables drop rules inside the host namespaces; heal deletes them.
 * Requires root and iproute2 (+ nftables for partitions).
 *
 * @example
 * ```ts
 * const lan = await createSimulatedLan({ hostCount: 3 })
 * const child = lan.hosts[0].spawn(process.execPath, ['agent.js'])
 * await lan.partition([lan.hosts[0]], lan.hosts.slice(1))
 * await lan.heal()
 * await lan.destroy()
 * ```
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { runCommand } from './run-command.js'

/** Every namespace this harness creates starts with this, followed by `<pid>-`. */
export const NAMESPACE_PREFIX = 'gr-'

const BRIDGE = 'br0'
const HOST_INTERFACE = 'eth0'
const SUBNET_PREFIX = '192.0.2.'
const PARTITION_TABLE = 'gr_partition'
const MAX_HOSTS = 200

/**
 * Thrown when network namespaces cannot be created (not root, no iproute2, no kernel support).
 * The network suite must fail with this, never skip.
 */
export class NetnsUnavailableError extends Error {
  static override name = 'NetnsUnavailableError'
  constructor (msg = 'network namespaces are unavailable: the network suite needs root and iproute2 (CI runs it as root)') {
    super(msg)
    this.name = 'NetnsUnavailableError'
  }
}

/** Thrown when the LAN is asked for something outside its bounds (bad host count, unknown host). */
export class InvalidLanRequestError extends Error {
  static override name = 'InvalidLanRequestError'
  constructor (msg = 'invalid simulated LAN request') {
    super(msg)
    this.name = 'InvalidLanRequestError'
  }
}

/** One simulated machine on the LAN. */
export interface LanHost {
  /** Short label, `h0`, `h1`, ... */
  readonly label: string
  /** The network namespace it lives in. */
  readonly namespace: string
  /** Its IPv4 address on the LAN (192.0.2.x). */
  readonly address: string
  /** Starts `command args...` inside this host's namespace (via `ip netns exec`, which execs in place: the child's pid is the command's). */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess
  /** Runs a command inside the namespace and resolves with its stdout. */
  exec(command: string, args: readonly string[], input?: string): Promise<string>
}

/** How a partition treats packets across the cut; see {@link SimulatedLan.partition}. */
export type PartitionMode = 'drop' | 'reset'

/** A bridge and its hosts; see the module doc. */
export interface SimulatedLan {
  /** `gr-<pid>-`: every namespace of this LAN starts with it. */
  readonly prefix: string
  readonly hosts: readonly LanHost[]
  /**
   * Cuts every host of `sideA` off from every host of `sideB` (both directions, unicast and
   * multicast). `drop` silently loses packets (open TCP connections hang until a timeout notices);
   * `reset` also answers TCP with a reset, so open connections across the cut close at once.
   */
  partition(sideA: readonly LanHost[], sideB: readonly LanHost[], mode?: PartitionMode): Promise<void>
  /** Removes every partition rule. */
  heal(): Promise<void>
  /** Brings a host's `eth0` down or up (an unplugged cable, the alternative to nftables). */
  setLinkUp(host: LanHost, up: boolean): Promise<void>
  /** Kills every process it spawned and every other process inside the LAN's namespaces, and deletes them. Idempotent. */
  destroy(): Promise<void>
}

/** Options of {@link createSimulatedLan}. */
export interface SimulatedLanInit {
  /** How many host namespaces to create (1..200). */
  hostCount: number
  /**
   * Namespace name prefix; must start with `gr-<pid>-` of a live process for the stale sweep to spare it.
   * @default `gr-${process.pid}-`
   */
  prefix?: string
}

/** Lists the names of all network namespaces on this machine. */
export async function listNamespaces (): Promise<string[]> {
  const out = await runCommand('ip', ['netns', 'list'])
  return out.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((name) => name !== '')
}

function isProcessAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function killProcessesIn (namespace: string): Promise<void> {
  const out = await runCommand('ip', ['netns', 'pids', namespace]).catch(() => '')
  for (const pid of out.split(/\s+/).filter((p) => p !== '').map(Number)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

async function deleteNamespace (namespace: string): Promise<void> {
  await killProcessesIn(namespace)
  await runCommand('ip', ['netns', 'del', namespace]).catch(() => undefined)
}

/**
 * Deletes `gr-<pid>-*` namespaces left behind by test runs whose process is gone (a crashed or
 * killed run), killing whatever still runs inside them. Returns the names it deleted.
 */
export async function sweepStaleNamespaces (): Promise<string[]> {
  const stale = (await listNamespaces()).filter((name) => {
    const match = /^gr-(\d+)-/.exec(name)
    return match !== null && !isProcessAlive(Number(match[1]))
  })
  for (const name of stale) {
    await deleteNamespace(name)
  }
  return stale
}

/**
 * Checks that this process may create network namespaces, by creating and deleting one.
 * Throws {@link NetnsUnavailableError} with the reason otherwise.
 */
export async function assertNetnsAvailable (): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new NetnsUnavailableError(`the network suite needs root to create network namespaces (running as uid ${process.getuid?.()}); CI runs it as root, run it with sudo locally`)
  }
  const probe = `${NAMESPACE_PREFIX}${process.pid}-probe`
  try {
    await runCommand('ip', ['netns', 'add', probe])
  } catch (err) {
    throw new NetnsUnavailableError(`cannot create a network namespace (needs iproute2 and kernel support): ${(err as Error).message}`)
  }
  await runCommand('ip', ['netns', 'del', probe])
}

/** Builds host `index`; what it spawns is added to `children`, so destroy can kill it even while it is still entering the namespace. */
function hostAt (prefix: string, index: number, children: Set<ChildProcess>): LanHost {
  const namespace = `${prefix}h${index}`
  return {
    label: `h${index}`,
    namespace,
    address: `${SUBNET_PREFIX}${index + 1}`,
    spawn: (command, args, options = {}) => {
      const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], options)
      children.add(child)
      child.once('exit', () => children.delete(child))
      return child
    },
    exec: async (command, args, input) => await runCommand('ip', ['netns', 'exec', namespace, command, ...args], input)
  }
}

async function createBridge (bridgeNs: string): Promise<void> {
  await runCommand('ip', ['netns', 'add', bridgeNs])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'set', 'lo', 'up'])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'add', BRIDGE, 'type', 'bridge', 'mcast_snooping', '0'])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'set', BRIDGE, 'up'])
}

async function attachHost (bridgeNs: string, host: LanHost): Promise<void> {
  const ns = host.namespace
  await runCommand('ip', ['netns', 'add', ns])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'add', host.label, 'type', 'veth', 'peer', 'name', HOST_INTERFACE, 'netns', ns])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'set', host.label, 'master', BRIDGE])
  await runCommand('ip', ['-n', bridgeNs, 'link', 'set', host.label, 'up'])
  await runCommand('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
  await runCommand('ip', ['-n', ns, 'addr', 'add', `${host.address}/24`, 'dev', HOST_INTERFACE])
  await runCommand('ip', ['-n', ns, 'link', 'set', HOST_INTERFACE, 'multicast', 'on'])
  await runCommand('ip', ['-n', ns, 'link', 'set', HOST_INTERFACE, 'up'])
  await runCommand('ip', ['-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', HOST_INTERFACE])
}

function partitionRules (addresses: readonly string[], mode: PartitionMode): string {
  const set = `{ ${addresses.join(', ')} }`
  // reset: the resets the reject rules forge must themselves pass, or the peer never sees them
  const rules = (match: string): string => mode === 'reset'
    ? `${match} tcp flags & rst == rst accept; ${match} meta l4proto tcp reject with tcp reset; ${match} drop;`
    : `${match} drop;`
  return `table inet ${PARTITION_TABLE} {
  chain input { type filter hook input priority 0; policy accept; ${rules(`ip saddr ${set}`)} }
  chain output { type filter hook output priority 0; policy accept; ${rules(`ip daddr ${set}`)} }
}
`
}

/**
 * Creates a simulated LAN (a bridge namespace + `hostCount` host namespaces). On any failure
 * while building, everything already created is deleted before the error propagates.
 */
export async function createSimulatedLan (init: SimulatedLanInit): Promise<SimulatedLan> {
  const { hostCount } = init
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > MAX_HOSTS) {
    throw new InvalidLanRequestError(`hostCount must be an integer in 1..${MAX_HOSTS}, got ${hostCount}`)
  }
  const prefix = init.prefix ?? `${NAMESPACE_PREFIX}${process.pid}-`
  const bridgeNs = `${prefix}br`
  const children = new Set<ChildProcess>()
  const hosts = Array.from({ length: hostCount }, (_, i) => hostAt(prefix, i, children))
  const partitioned = new Set<LanHost>()
  let destroyed = false

  const destroy = async (): Promise<void> => {
    if (destroyed) return
    destroyed = true
    for (const child of children) child.kill('SIGKILL')
    for (const host of hosts) {
      await deleteNamespace(host.namespace)
    }
    await deleteNamespace(bridgeNs)
  }

  const ownHost = (host: LanHost): void => {
    if (!hosts.includes(host)) {
      throw new InvalidLanRequestError(`host ${host.namespace} is not part of LAN ${prefix}`)
    }
  }

  try {
    await createBridge(bridgeNs)
    for (const host of hosts) {
      await attachHost(bridgeNs, host)
    }
  } catch (err) {
    await destroy()
    throw err
  }

  return {
    prefix,
    hosts,
    async partition (sideA, sideB, mode = 'drop') {
      for (const [side, other] of [[sideA, sideB], [sideB, sideA]] as const) {
        const otherAddresses = other.map((h) => { ownHost(h); return h.address })
        for (const host of side) {
          ownHost(host)
          await host.exec('nft', ['-f', '-'], partitionRules(otherAddresses, mode))
          partitioned.add(host)
        }
      }
    },
    async heal () {
      for (const host of partitioned) {
        await host.exec('nft', ['delete', 'table', 'inet', PARTITION_TABLE])
      }
      partitioned.clear()
    },
    async setLinkUp (host, up) {
      ownHost(host)
      await runCommand('ip', ['-n', host.namespace, 'link', 'set', HOST_INTERFACE, up ? 'up' : 'down'])
      if (up) {
        // the multicast route goes away with the link; restore it
        await runCommand('ip', ['-n', host.namespace, 'route', 'replace', '224.0.0.0/4', 'dev', HOST_INTERFACE])
      }
    },
    destroy
  }
}
