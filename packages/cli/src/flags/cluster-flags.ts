import { readFile } from 'node:fs/promises'
import { Option } from 'commander'
import { InvalidNetworkKeyError, parseNetworkKey } from '@gossip-ring/cluster'
import type { ClusterInit } from '@gossip-ring/cluster'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { integerIn, integerInOrAuto, multiaddrList, nonEmpty } from './values.js'

/** The flags every command that joins the network shares. */
export interface ClusterFlags {
  bootstrap?: string[]
  listen?: string[]
  namespace?: string
  local?: boolean
  mdns: boolean
  mdnsIntervalMs?: number
  heartbeatMs?: number | 'auto'
  peerSet?: number
  identity?: string
  networkKey?: string
}

/** Adds the network flags to `command`. */
export function addClusterFlags (command: Command): Command {
  return command
    .option('--bootstrap <multiaddr>', 'a peer to dial, with /p2p/<id> (repeatable); for networks without multicast', multiaddrList(true))
    .option('--listen <multiaddr>', 'address to listen on (repeatable) (default: /ip4/0.0.0.0/tcp/0, or 127.0.0.1 with --local)', multiaddrList(false))
    .option('--namespace <name>', 'cluster namespace: separate clusters on one LAN (default: "default")', nonEmpty)
    .option('--local', 'many agents on this host: loopback, no IP-colocation penalty')
    .option('--no-mdns', 'do not discover peers by mDNS (use --bootstrap)')
    .addOption(new Option('--mdns-interval-ms <ms>', 'mDNS query interval in milliseconds (default: 2000)').argParser(integerIn(1, 3_600_000)))
    .addOption(new Option('--heartbeat-ms <ms>', 'heartbeat interval in milliseconds, or "auto" (1 s, doubling as the fleet grows past 33 agents); members time out after 5 intervals (default: 1000)').argParser(integerInOrAuto(10, 3_600_000)))
    .addOption(new Option('--peer-set <k>', 'dial only the k agents that rank highest for this one (3-64), not every agent: fewer connections in large fleets, most heartbeats relayed (default: every agent)').argParser(integerIn(3, 64)))
    .option('--identity <file>', 'private key file: keeps the peer id across restarts (created if missing; see keygen)', nonEmpty)
    .option('--network-key <file>', 'private cluster: a PSK v1 key file every agent shares (others cannot connect)', nonEmpty)
}

/**
 * The cluster options of the network flags (reads the `--network-key` file).
 *
 * @throws {UsageError} for contradictory flags
 * @throws {InvalidNetworkKeyError} when the network key file cannot be read or is not a network key
 */
export async function clusterInitFrom (flags: ClusterFlags): Promise<ClusterInit> {
  if (!flags.mdns && flags.mdnsIntervalMs !== undefined) throw new UsageError('--mdns-interval-ms makes no sense with --no-mdns')
  const init: ClusterInit = {
    bootstrap: [...(flags.bootstrap ?? [])],
    local: flags.local ?? false,
    mdns: flags.mdns ? (flags.mdnsIntervalMs === undefined ? true : { intervalMs: flags.mdnsIntervalMs }) : false
  }
  if (flags.namespace !== undefined) init.namespace = flags.namespace
  if (flags.listen !== undefined) init.listen = [...flags.listen]
  if (flags.heartbeatMs !== undefined) init.heartbeatIntervalMs = flags.heartbeatMs
  if (flags.peerSet !== undefined) init.peerSetSize = flags.peerSet
  if (flags.identity !== undefined) init.identityFile = flags.identity
  if (flags.networkKey !== undefined) init.networkKey = await readNetworkKey(flags.networkKey)
  return init
}

/** Reads and checks the `--network-key` file; its errors name the file and how to make a key. */
async function readNetworkKey (file: string): Promise<Uint8Array> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw new InvalidNetworkKeyError(`Cannot read network key file ${file}: ${(err as Error).message}`)
  }
  try {
    return parseNetworkKey(bytes)
  } catch (err) {
    throw new InvalidNetworkKeyError(`${file} is not a network key: ${(err as Error).message} (make one with gossip-ring keygen --network FILE; an identity file from keygen is not one)`)
  }
}
