import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { createClusterNode } from '../src/node.js'
import { resolveClusterOptions } from '../src/options.js'
import { forwardWhen } from '../src/pubsub.js'
import type { ClusterServices } from '../src/node.js'
import type { Libp2p } from '@libp2p/interface'
import { waitFor } from './support/wait-for.js'

const TOPIC = 'gossip-ring/smoke/heartbeat/1'

describe('libp2p node factory', () => {
  const nodes: Array<Libp2p<ClusterServices>> = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(async node => node.stop())) })

  it('three nodes on loopback, each dialling the first, exchange gossipsub messages (unsigned: the cluster signs its heartbeats itself; forwarded once approved: asyncValidation)', async () => {
    const first = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false }))
    nodes.push(first)
    const bootstrap = first.getMultiaddrs().map(String)
    expect(bootstrap[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
    for (let i = 0; i < 2; i++) {
      const node = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false }))
      nodes.push(node)
      await node.dial(multiaddr(bootstrap[0] as string))
    }
    const received = nodes.map(() => new Set<string>())
    nodes.forEach((node, i) => {
      // the factory's gossipsub forwards a delivered message only when told (the cluster decides per heartbeat)
      forwardWhen(node.services.pubsub, () => true)
      node.services.pubsub.subscribe(TOPIC)
      node.services.pubsub.addEventListener('message', evt => {
        const msg = evt.detail
        if (msg.type === 'unsigned') received[i]?.add(new TextDecoder().decode(msg.data).split(' #')[0] as string)
      })
    })
    await waitFor(() => nodes.slice(1).every(node => node.services.pubsub.getSubscribers(TOPIC).length > 0), { what: 'topic peers' })
    // the two non-bootstrap nodes only know node 0, so their messages reach each other through it
    // a fresh payload each round: message ids are content hashes, so a repeated payload is a duplicate
    let round = 0
    await waitFor(() => {
      round++
      nodes.forEach((node, i) => { void node.services.pubsub.publish(TOPIC, new TextEncoder().encode(`hi from ${i} #${round}`)).catch(() => {}) })
      return received.every((set, i) => set.size >= 2 && !set.has(`hi from ${i}`))
    }, { pollMs: 100, what: 'every node to hear the two others' })
  })

  it('pings each connection once a minute, not every 10 s (the pings cost as much CPU as the heartbeats)', async () => {
    const node = await createClusterNode({ privateKey: await generateKeyPair('Ed25519') }, resolveClusterOptions({ local: true, mdns: false }))
    nodes.push(node)
    const monitor = (node as unknown as { components: { connectionMonitor?: { pingIntervalMs: number } } }).components.connectionMonitor
    expect(monitor?.pingIntervalMs).toBe(60_000)
  })
})
