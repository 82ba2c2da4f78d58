import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { Cluster } from '../../src/index.js'

/**
 * A simulated network cut for in-process clusters: each node gets `gaterFor()` as its connection
 * gater; `split(sides)` refuses every dial and handshake across the cut and hangs up the connections
 * that cross it; `heal()` lets connections through again (nothing redials for you: the clusters'
 * reconnect loops must).
 */
export class Partition {
  private readonly sideOf = new Map<string, number>()

  /** A gater for one node: denies peers on another side while split. `selfId()` is read lazily (the id exists once the node does). */
  gaterFor (selfId: () => string): ConnectionGater {
    const denied = (peer: PeerId): boolean => this.separated(selfId(), peer.toString())
    return {
      denyDialPeer: async peer => denied(peer),
      denyInboundEncryptedConnection: async peer => denied(peer),
      denyOutboundEncryptedConnection: async peer => denied(peer)
    }
  }

  /** Cuts the network into `sides` and closes the connections across the cut. */
  async split (sides: Cluster[][]): Promise<void> {
    this.sideOf.clear()
    sides.forEach((side, index) => { for (const cluster of side) this.sideOf.set(cluster.id, index) })
    await Promise.all(sides.flat().flatMap(cluster => cluster.libp2p.getConnections()
      .filter(connection => this.separated(cluster.id, connection.remotePeer.toString()))
      .map(async connection => connection.close().catch(() => connection.abort(new Error('partition'))))))
  }

  /** Removes the cut. */
  heal (): void {
    this.sideOf.clear()
  }

  private separated (a: string, b: string): boolean {
    const sideA = this.sideOf.get(a)
    const sideB = this.sideOf.get(b)
    return sideA !== undefined && sideB !== undefined && sideA !== sideB
  }
}
