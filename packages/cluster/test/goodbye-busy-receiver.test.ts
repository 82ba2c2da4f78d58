import { once } from 'node:events'
import type { Socket } from 'node:net'
import type { Connection } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { createCluster } from '../src/index.js'
import type { Cluster } from '../src/index.js'
import { decodeHeartbeat } from '../src/wire/codec.js'
import { openEnvelope } from '../src/wire/envelope.js'
import { FAST, memberIds, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

/** The TCP socket under a libp2p connection (the TCP transport's multiaddr connection keeps it). */
function socketOf (connection: Connection): Socket {
  const socket = (connection as unknown as { maConn?: { socket?: Socket } }).maConn?.socket
  if (socket === undefined) throw new Error('not a TCP connection')
  return socket
}

function socketsBetween (from: Cluster, to: Cluster): Socket[] {
  const sockets = from.libp2p.getConnections(to.libp2p.peerId).map(socketOf)
  if (sockets.length === 0) throw new Error('not connected')
  return sockets
}

describe('graceful stop with a busy member or leaver', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  // Seen in full test runs (the goodbye lost about once in 50 stops, the member dropped by timeout):
  // the leaver wrote its goodbye and closed its socket; the member, its process busy, had not read
  // it yet and sent a heartbeat first; the leaver's closed socket answered with a TCP reset, and the
  // member's socket, reset, threw away the unread goodbye with it. Here the member's reading is held
  // back (as a busy process's is) until it has sent.
  it('a member that reads late and sends first still hears the goodbye', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [member, leaver] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    const reasons: string[] = []
    member.addEventListener('member:leave', ({ detail }) => { if (detail.id === leaver.id) reasons.push(detail.reason) })

    const memberSockets = socketsBetween(member, leaver)
    for (const socket of memberSockets) socket.pause()
    // the leaver has sent everything it will send (goodbye included) once its sockets finish writing
    const finished = Promise.all(socketsBetween(leaver, member).map(async socket => socket.writableFinished ? undefined : once(socket, 'finish')))
    const stopping = leaver.stop({ goodbye: true })
    await finished
    // the busy member sends before it reads
    await member.heartbeat()
    for (const socket of memberSockets) socket.resume()

    await waitFor(() => !memberIds(member, 'g').includes(leaver.id), { timeoutMs: 5000, what: 'the member to drop the leaver' })
    expect(reasons).toEqual(['left'])
    await stopping
  })

  // Also seen in those runs: a member connected to the leaver moments before, whose subscription the
  // leaver's busy process had not read yet, so gossipsub did not count it and the goodbye went to
  // the others only (the member then depended on a relay: gossip, a quarter interval or more later).
  // Here the leaver's reading from that member is held back from the moment they connect.
  it('a connected member the leaver\'s gossipsub did not reach yet gets the goodbye from the leaver itself once it does (bounded), not only through a relay', async () => {
    const [first, leaver] = await startClusters(2, () => ({ groups: ['g'] }))
    clusters = [first!, leaver!]
    const held: Socket[] = []
    leaver!.libp2p.addEventListener('connection:open', ({ detail }) => {
      if (!detail.remotePeer.equals(first!.libp2p.peerId)) {
        const socket = socketOf(detail)
        socket.pause()
        held.push(socket)
      }
    })
    const member = await createCluster({ ...FAST, groups: ['g'], bootstrap: first!.multiaddrs })
    clusters.push(member)
    // the three agree (the leaver hears the member through the first agent), the leaver and the
    // member connect, and the leaver's gossipsub has not counted the member
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    await waitFor(() => held.length > 0 && leaver!.libp2p.getConnections(member.libp2p.peerId).length > 0, { what: 'the leaver and the member to connect' })
    expect(leaver!.libp2p.services.pubsub.getSubscribers(leaver!.topic).map(String)).not.toContain(member.id)

    const goodbyeFrom: string[] = []
    member.libp2p.services.pubsub.addEventListener('gossipsub:message', ({ detail }) => {
      const envelope = openEnvelope(detail.msg.data)
      if (decodeHeartbeat(envelope.heartbeat, leaver!.id).leaving) goodbyeFrom.push(detail.propagationSource.toString())
    })
    const stopping = leaver!.stop({ goodbye: true })
    // the leaver's process gets to read again
    for (const socket of held) socket.resume()
    await stopping
    await waitFor(() => !memberIds(member, 'g').includes(leaver!.id), { timeoutMs: 5000, what: 'the member to drop the leaver' })
    expect(goodbyeFrom).toContain(leaver!.id)
  })
})
