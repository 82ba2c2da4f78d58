/**
 * Issue 13: a heartbeat copy that comes straight from its author is not signature-checked (the noise
 * channel authenticated the author already); a copy relayed by another peer is. Counted on the real
 * stack: every Ed25519 verification of the process (`crypto.verify`, which libp2p uses, and libsodium's,
 * which the cluster's envelope uses when `sodium-native` is installed, as here), against the
 * heartbeats delivered.
 */
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { heartbeatAuthor } from '@gossip-ring/cluster'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestNetwork } from '../src/index.js'
import type { TestNetwork } from '../src/index.js'
import { waitFor } from '../src/wait.js'

const sodium = createRequire(import.meta.url)('sodium-native') as { crypto_sign_verify_detached: (...args: Uint8Array[]) => boolean }

let net: TestNetwork | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await net?.stop()
  net = undefined
})

/** Counts heartbeats delivered to node `node` from now on (of `author` only, when given). */
function deliveries (n: TestNetwork, node: number, author?: string): () => number {
  let count = 0
  const { topic } = n.cluster(node)
  const pubsub = n.cluster(node).libp2p.services.pubsub as EventTarget
  pubsub.addEventListener('message', (event) => {
    const message = (event as CustomEvent<{ topic: string, data: Uint8Array }>).detail
    if (message.topic === topic && (author === undefined || heartbeatAuthor(message.data) === author)) count++
  })
  return () => count
}

describe('issue 13: signature checks per delivered heartbeat', () => {
  it('direct copies are verified only when forwarded; copies relayed around a cut link are, and are delivered', async () => {
    net = await createTestNetwork({ nodes: 4, groups: ['g'] })
    const n = net
    await n.converged('g')
    // a direct copy is checked before it is forwarded (nobody forwards a bad signature): wait until the
    // start's forwarding (every heartbeat, for a member timeout after a new sender) is over
    const forwarded = (): number => n.running().reduce((sum, node) => sum + n.cluster(node).stats.forwarded, 0)
    const quiet = deliveries(n, 0)
    let mark = { forwarded: forwarded(), delivered: quiet() }
    await waitFor(() => {
      if (forwarded() !== mark.forwarded) mark = { forwarded: forwarded(), delivered: quiet() }
      return quiet() - mark.delivered >= 20
    }, () => `forwarding did not stop (${forwarded()} forwarded)`)
    const verify = vi.spyOn(crypto, 'verify')
    const sodiumVerify = vi.spyOn(sodium, 'crypto_sign_verify_detached')
    const delivered = n.running().map(node => deliveries(n, node))
    const checksBefore = n.running().map(node => n.cluster(node).stats.signatureChecks)
    await waitFor(() => delivered.reduce((sum, count) => sum + count(), 0) >= 100, () => 'no 100 deliveries')
    const total = delivered.reduce((sum, count) => sum + count(), 0)
    const verified = verify.mock.calls.length + sodiumVerify.mock.calls.length
    const checks = n.running().reduce((sum, node) => sum + n.cluster(node).stats.signatureChecks - (checksBefore[node] ?? 0), 0)
    console.log(`[measure] fully connected, 4 nodes: ${verified} verifications (${checks} envelope checks) for ${total} delivered heartbeats`)
    // every copy comes straight from its author (flood publish to every peer); a mesh copy that wins the race is the rare exception
    expect(verified).toBeLessThanOrEqual(total / 10)
    expect(checks).toBeLessThanOrEqual(verified)

    // node 1 can no longer hear node 0 directly: node 0's heartbeats reach it relayed, verified
    await n.cut([[0, 1]])
    const relayedChecks = n.cluster(1).stats.signatureChecks
    const refused = n.cluster(1).stats.dropped['bad-signature']
    const heard = deliveries(n, 1, n.id(0))
    await waitFor(() => heard() >= 10, () => `node 1 heard ${heard()} heartbeats of node 0 through the others`)
    expect(n.cluster(1).stats.signatureChecks - relayedChecks).toBeGreaterThanOrEqual(heard())
    expect(n.cluster(1).stats.dropped['bad-signature']).toBe(refused)
    expect(n.cluster(1).members('g').map(m => m.id)).toContain(n.id(0))
  })
})
