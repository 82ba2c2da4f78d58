import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { preSharedKey } from '@libp2p/pnet'
import { memory } from '@libp2p/memory'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import type { Identify } from '@libp2p/identify'
import type { ComponentLogger, ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'
import type { ClusterOptions } from './options.js'
import { pubsubService } from './pubsub.js'
import type { GossipSub } from './pubsub.js'

/** The services the cluster uses on a libp2p node. */
// a type alias, not an interface: libp2p's ServiceMap constraint needs an index signature
export type ClusterServices = {
  pubsub: GossipSub
  identify: Identify
}

/** What the node factory depends on. */
export interface NodeComponents {
  privateKey: PrivateKey
  /** libp2p user agent (identify): the cluster puts its boot id in it. */
  userAgent?: string
  connectionGater?: ConnectionGater
  logger?: ComponentLogger
}

/** mDNS service tag: only gossip-ring agents answer it (namespaces are kept apart by topic). */
export const MDNS_SERVICE_TAG = '_gossip-ring._udp.local'

/**
 * How often libp2p's connection monitor pings each connection (its default is 10 s). Each ping opens
 * a stream (multistream negotiation, 32 bytes each way, close) on every connection, and with every
 * agent connected to every other that cost about as much CPU as the heartbeats themselves: 20 nodes,
 * `pnpm bench:cost`, 0.34-0.43 ms per delivered heartbeat with 10 s pings, 0.24-0.27 ms without
 * (separate runs). Heartbeats already tell whether a member is alive, and a member we stop hearing
 * directly is relayed to us by the others (`relay`); the ping only finds connections that died
 * silently, so they can be redialled, which now takes up to a minute or two instead of 10-20 s.
 */
const CONNECTION_PING_INTERVAL_MS = 60_000

/** Loopback ranges that local mode exempts from the inbound connection rate limit. */
const LOOPBACK_ALLOW = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']

/**
 * Creates and starts a libp2p node for the cluster: TCP (or in-memory) transport, noise, yamux,
 * identify, gossipsub, mDNS (if enabled) and the pre-shared network key (if given). The bootstrap list is dialled by `Connectivity`
 * (`@libp2p/bootstrap` only accepts IP/DNS addresses, not `/memory`, and forgets its peers).
 */
export async function createClusterNode (components: NodeComponents, options: ClusterOptions): Promise<Libp2p<ClusterServices>> {
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = []
  if (options.mdns !== false) peerDiscovery.push(mdns({ interval: options.mdns.intervalMs, serviceTag: MDNS_SERVICE_TAG }))
  return createLibp2p({
    privateKey: components.privateKey,
    ...(components.userAgent !== undefined ? { nodeInfo: { userAgent: components.userAgent } } : {}),
    addresses: { listen: options.listen },
    transports: [options.transport === 'memory' ? memory() : tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: {
      identify: identify(),
      pubsub: pubsubService({ local: options.local, meshDegree: options.meshDegree, gossipPeers: options.gossipPeers, topic: options.topic })
    },
    ...(options.networkKey !== undefined ? { connectionProtector: preSharedKey({ psk: options.networkKey }) } : {}),
    ...(options.local ? { connectionManager: { allow: LOOPBACK_ALLOW } } : {}),
    connectionMonitor: { pingInterval: CONNECTION_PING_INTERVAL_MS },
    ...(components.connectionGater !== undefined ? { connectionGater: components.connectionGater } : {}),
    ...(components.logger !== undefined ? { logger: components.logger } : {})
  })
}

