import { afterEach, describe, expect, it } from 'vitest'
import type { Stream } from '@libp2p/interface'
import type { Cluster } from '../src/index.js'
import { expectAbuserHungUpAndBanned, startAbuseScene } from './support/abuser.js'
import { gossipsubStream, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { heldBytes } from './support/held-bytes.js'
import { waitFor } from './support/wait-for.js'

/**
 * Writes `total` bytes in 64 KB chunks while the stream takes them; stops early when the receiver
 * closes it or stops reading (no drain within a second), so the test is bounded either way.
 * Returns the bytes written.
 */
async function writeUntilRefused (stream: Stream, total: number): Promise<number> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61)
  let written = 0
  while (written < total && stream.writeStatus === 'writable') {
    written += chunk.byteLength
    if (!stream.send(chunk)) {
      const drained = await stream.onDrain({ signal: AbortSignal.timeout(1000) }).then(() => true, () => false)
      if (!drained) break
    }
  }
  return written
}

/** A 4-byte frame of field 7 with wire type 7 behind its length prefix: no protobuf decoder reads it. */
const MALFORMED_FRAME = Uint8Array.from([0x04, 0x3f, 0xff, 0xff, 0xff])

/**
 * What a peer writes on its gossipsub stream before any RPC is decoded: a length prefix, then the
 * frame. Gossipsub refuses a frame longer than its inbound limit; these are the frames it cannot read.
 */
describe('unreadable gossipsub frames are dropped and counted, never buffered', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('a frame announced above the inbound limit is counted as an oversized drop', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    const stream = await gossipsubStream(b, a)
    stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x01]))   // varint length 2^28 bytes
    await waitFor(() => a.stats.dropped.oversized === 1, { timeoutMs: 5000, what: `a to count the frame (dropped ${JSON.stringify(a.stats.dropped)})` })
  })

  it('a length prefix that never ends is refused at once: the bytes after it are not kept', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    const stream = await gossipsubStream(b, a)
    const before = heldBytes()
    // ten bytes with the continuation bit set: no varint ends here, so no frame length can be read
    stream.send(new Uint8Array(10).fill(0xff))
    const sent = 16 * 2 ** 20
    const written = await writeUntilRefused(stream, sent)
    await waitFor(() => a.stats.dropped.oversized === 1, { timeoutMs: 5000, what: `a to count the stream (dropped ${JSON.stringify(a.stats.dropped)}, ${written} bytes written)` })
    expect(heldBytes() - before).toBeLessThan(sent / 4)
    // and the stream was reset: the sender could not write much past the muxer's window
    expect(written).toBeLessThan(sent / 4)
  }, 30_000)

  it('a frame that is not a gossipsub RPC is counted as a malformed drop', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    const stream = await gossipsubStream(b, a)
    stream.send(MALFORMED_FRAME)
    await waitFor(() => a.stats.dropped.malformed === 1, { timeoutMs: 5000, what: `a to count the frame (dropped ${JSON.stringify(a.stats.dropped)})` })
    // one bad frame is excused, as one bad signature is: its sender stays connected
    expect(a.stats.abusersDisconnected).toBe(0)
    expect(a.libp2p.getConnections(b.libp2p.peerId).length).toBeGreaterThan(0)
  })

  it('a peer that keeps sending frames nobody can read is hung up on and banned, and the honest agents keep each other', async () => {
    const scene = await startAbuseScene()
    clusters = scene.clusters
    const { a, b } = scene
    const stream = await gossipsubStream(b, a)
    const batch = new Uint8Array(MALFORMED_FRAME.byteLength * 1000)
    for (let i = 0; i < 1000; i++) batch.set(MALFORMED_FRAME, i * MALFORMED_FRAME.byteLength)
    const deadline = performance.now() + 10_000
    let sent = 0
    while (a.stats.abusersDisconnected === 0 && stream.writeStatus === 'writable' && performance.now() < deadline) {
      sent += 1000
      if (!stream.send(batch)) await stream.onDrain({ signal: AbortSignal.timeout(1000) }).catch(() => {})
      await new Promise(resolve => setImmediate(resolve))
    }
    await expectAbuserHungUpAndBanned(scene, () => `${sent} frames sent, dropped ${JSON.stringify(a.stats.dropped)}`)
    // at once: before, a read every frame of 390,000 in 10 s and never hung up
    expect(a.stats.dropped.malformed).toBeLessThan(10_000)
  }, 30_000)
})
