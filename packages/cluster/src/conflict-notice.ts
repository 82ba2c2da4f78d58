import type { Libp2p, Logger, PeerId } from '@libp2p/interface'

/**
 * A stream opened on this protocol tells the receiver "your id is used by another live process".
 * Needed besides the heartbeat field `conflicts`: gossipsub keeps one stream pair per peer id, so
 * one of two clones may hear no heartbeat at all.
 */
export const CONFLICT_NOTICE_PROTOCOL = '/gossip-ring/identity-conflict/1.0.0'

/** How long sending one notice may take. */
const NOTICE_TIMEOUT_MS = 5000

/** Calls `onNotice` for every conflict notice a peer sends us; returns the unregister function. */
export async function handleConflictNotices (libp2p: Libp2p, onNotice: (from: PeerId) => void): Promise<() => Promise<void>> {
  await libp2p.handle(CONFLICT_NOTICE_PROTOCOL, (stream, connection) => {
    onNotice(connection.remotePeer)
    stream.abort(new Error('notice received'))
  })
  return async () => { await libp2p.unhandle(CONFLICT_NOTICE_PROTOCOL) }
}

/** Sends a conflict notice on every open connection to `peerId` (each clone has its own); failures are logged. */
export async function sendConflictNotices (libp2p: Libp2p, peerId: PeerId, log: Logger): Promise<void> {
  await Promise.all(libp2p.getConnections(peerId).filter(connection => connection.status === 'open').map(async connection => {
    try {
      const stream = await connection.newStream(CONFLICT_NOTICE_PROTOCOL, { signal: AbortSignal.timeout(NOTICE_TIMEOUT_MS) })
      await stream.close()
    } catch (err) {
      log('cannot send an identity-conflict notice to %p - %e', peerId, err)
    }
  }))
}
