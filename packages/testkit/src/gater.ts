import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { Reachability } from './reachability.js'

/**
 * A libp2p connection gater for node `self`: refuses dials to, and connections with, peers that
 * the partition puts on another side. Peers the network does not know (`nodeOf` gives undefined)
 * are let through. The partition is read at each check, so `partition()`/`heal()` apply at once
 * to new connections (existing ones are hung up by the network).
 */
export function partitionGater (self: number, reachability: Reachability, nodeOf: (peerId: string) => number | undefined): ConnectionGater {
  const deny = (peerId: PeerId): boolean => {
    const other = nodeOf(peerId.toString())
    return other !== undefined && !reachability.canReach(self, other)
  }
  return {
    denyDialPeer: deny,
    denyOutboundConnection: deny,
    denyInboundEncryptedConnection: deny,
    denyOutboundEncryptedConnection: deny,
    denyInboundUpgradedConnection: deny,
    denyOutboundUpgradedConnection: deny
  }
}
