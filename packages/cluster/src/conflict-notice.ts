import type { Connection, Libp2p, Logger, PeerId, Stream } from '@libp2p/interface'

/**
 * A stream opened on this protocol tells the receiver "your id is used by another live process".
 * Needed besides the heartbeat field `conflicts`: gossipsub keeps one stream pair per peer id, so
 * one of two clones may hear no heartbeat at all.
 */
export const CONFLICT_NOTICE_PROTOCOL = '/gossip-ring/identity-conflict/1.0.0'

/** A stream opened on this protocol is answered with the receiver's boot id and a newline, then closed. */
export const BOOT_ID_PROTOCOL = '/gossip-ring/boot-id/1.0.0'

/** How long one notice or boot-id probe may take. */
const STREAM_TIMEOUT_MS = 5000

/** Longest boot id answer read. */
const MAX_BOOT_ID_BYTES = 64

/**
 * Serves both protocols: answers boot-id probes with `bootId`, and calls `onNotice` for every
 * conflict notice a peer sends us. Returns the unregister function.
 */
export async function handleIdentityProtocols (libp2p: Libp2p, bootId: string, onNotice: (from: PeerId) => void): Promise<() => Promise<void>> {
  await libp2p.handle(CONFLICT_NOTICE_PROTOCOL, (stream, connection) => {
    onNotice(connection.remotePeer)
    stream.abort(new Error('notice received'))
  })
  await libp2p.handle(BOOT_ID_PROTOCOL, async (stream) => {
    stream.send(new TextEncoder().encode(`${bootId}\n`))
    await stream.close().catch(() => { stream.abort(new Error('cannot close')) })
  })
  return async () => { await libp2p.unhandle([CONFLICT_NOTICE_PROTOCOL, BOOT_ID_PROTOCOL]) }
}

/** Asks the process at the other end of `connection` for its boot id; undefined when it does not answer in time. */
export async function probeBootId (connection: Connection): Promise<string | undefined> {
  const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
  let stream: Stream | undefined
  try {
    stream = await connection.newStream(BOOT_ID_PROTOCOL, { signal, negotiateFully: true })
    const opened = stream
    signal.addEventListener('abort', () => { opened.abort(new Error('boot id probe timed out')) }, { once: true })
    let text = ''
    for await (const chunk of opened) {
      text += new TextDecoder().decode(chunk.subarray())
      if (text.includes('\n') || text.length > MAX_BOOT_ID_BYTES) break
    }
    const bootId = text.split('\n')[0] ?? ''
    return text.includes('\n') && bootId.length > 0 ? bootId : undefined
  } catch {
    return undefined
  } finally {
    stream?.abort(new Error('probe done'))
  }
}

/** Sends a conflict notice on every open connection to `peerId` (each clone has its own); failures are logged. */
export async function sendConflictNotices (libp2p: Libp2p, peerId: PeerId, log: Logger): Promise<void> {
  await Promise.all(libp2p.getConnections(peerId).filter(connection => connection.status === 'open').map(async connection => {
    try {
      const stream = await connection.newStream(CONFLICT_NOTICE_PROTOCOL, { signal: AbortSignal.timeout(STREAM_TIMEOUT_MS) })
      await stream.close()
    } catch (err) {
      log('cannot send an identity-conflict notice to %p - %e', peerId, err)
    }
  }))
}
