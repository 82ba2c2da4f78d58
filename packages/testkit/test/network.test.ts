import { heartbeatAuthor } from '@gossip-ring/cluster'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestNetwork } from '../src/index.js'
import type { TestNetwork, TestNetworkInit } from '../src/index.js'
import { AgreementAssertionError, InvalidNodeError, NetworkStoppedError, OwnershipAssertionError } from '../src/errors.js'
import { waitFor } from '../src/wait.js'

const G = 'workers'
const resources = Array.from({ length: 60 }, (_, i) => `job-${i}`)
let net: TestNetwork | undefined

async function start (init: TestNetworkInit = {}): Promise<TestNetwork> {
  net = await createTestNetwork({ nodes: 3, groups: [G], ...init })
  await net.converged(G)
  return net
}

/** The ids node `node` sees in the group, sorted. */
function seen (n: TestNetwork, node: number): string[] {
  return n.cluster(node).members(G).map((m) => m.id).sort()
}

function ids (n: TestNetwork, nodes: number[]): string[] {
  return nodes.map((i) => n.id(i)).sort()
}

/** Resolves with the leave reason the first time `node` drops `id` from the group. */
async function nextLeave (n: TestNetwork, node: number, id: string): Promise<string> {
  return new Promise((resolve) => {
    const cluster = n.cluster(node)
    const onLeave = (event: CustomEvent<{ group: string, id: string, reason: string }>): void => {
      if (event.detail.group !== G || event.detail.id !== id) return
      cluster.removeEventListener('member:leave', onLeave)
      resolve(event.detail.reason)
    }
    cluster.addEventListener('member:leave', onLeave)
  })
}

afterEach(async () => {
  await net?.stop()
  net = undefined
})

describe('createTestNetwork', () => {
  it('starts connected nodes that converge and agree on every owner', async () => {
    const n = await start()
    expect(n.running()).toEqual([0, 1, 2])
    for (const i of [0, 1, 2]) expect(seen(n, i)).toEqual(ids(n, [0, 1, 2]))
    n.assertAgreement(G, resources)
    const assignments = n.assignments(G, resources)
    expect(assignments.map((a) => a.node)).toEqual([0, 1, 2])
    expect(assignments.reduce((sum, a) => sum + a.claims.size, 0)).toBe(resources.length)
  })

  it('also runs on loopback TCP', async () => {
    const n = await start({ transport: 'tcp' })
    expect(n.cluster(0).multiaddrs.some((a) => a.includes('/ip4/127.0.0.1/tcp/'))).toBe(true)
    await n.partition([[0], [1, 2]])
    await n.converged(G)
    expect(seen(n, 0)).toEqual(ids(n, [0]))
    await n.heal()
    await n.converged(G)
    n.assertAgreement(G, resources)
  })
})

describe('partition / heal', () => {
  it('cuts connections across the split, each side re-splits everything, heal brings agreement back', async () => {
    const n = await start({ nodes: 4 })
    await n.partition([[0, 1], [2, 3]])
    const peersOf0 = n.cluster(0).libp2p.getConnections().map((c) => c.remotePeer.toString())
    expect(peersOf0).toEqual([n.id(1)])
    await n.converged(G)
    expect(n.sides()).toEqual([[0, 1], [2, 3]])
    expect(seen(n, 0)).toEqual(ids(n, [0, 1]))
    expect(seen(n, 3)).toEqual(ids(n, [2, 3]))
    n.assertEachSideOwnsAll(G, resources)
    expect(() => { n.assertAgreement(G, resources) }).toThrow(AgreementAssertionError)
    expect(() => { n.assertEachSideOwnsAll(G, resources, [[0, 1, 2, 3]]) }).toThrow(OwnershipAssertionError)

    await n.heal()
    await n.converged(G)
    expect(seen(n, 0)).toEqual(ids(n, [0, 1, 2, 3]))
    n.assertAgreement(G, resources)
  })

  it('refuses new dials across the cut', async () => {
    const n = await start()
    await n.partition([[0], [1, 2]])
    const target = n.cluster(1).libp2p.getMultiaddrs()
    await expect(n.cluster(0).libp2p.dial(target)).rejects.toThrow()
    expect(n.cluster(0).libp2p.getConnections()).toHaveLength(0)
  })

  it('heal({ redial: false }) leaves reconnecting to the cluster, which does it', async () => {
    const n = await start()
    await n.partition([[0], [1, 2]])
    await n.converged(G)
    await n.heal({ redial: false })
    await n.converged(G)
    expect(seen(n, 0)).toEqual(ids(n, [0, 1, 2]))
  })

  it('isolate(i) cuts one node from all others', async () => {
    const n = await start()
    await n.isolate(1)
    await n.converged(G)
    expect(n.sides()).toEqual([[0, 2], [1]])
    expect(seen(n, 1)).toEqual(ids(n, [1]))
    expect(seen(n, 0)).toEqual(ids(n, [0, 2]))
    n.assertEachSideOwnsAll(G, resources)
  })
})

describe('crash / stop / restart / add', () => {
  it.each([
    { control: 'crash' as const, state: 'crashed', reason: 'timeout' },
    { control: 'stop' as const, state: 'stopped', reason: 'left' }
  ])('$control(i): the others drop it with reason $reason', async ({ control, state, reason }) => {
    const n = await start()
    const left = nextLeave(n, 0, n.id(2))
    await n[control](2)
    expect(n.state(2)).toBe(state)
    expect(await left).toBe(reason)
    await n.converged(G)
    expect(seen(n, 1)).toEqual(ids(n, [0, 1]))
    expect(() => n.cluster(2)).toThrow(InvalidNodeError)
  })

  it('restart(i): same peer id, back in every view', async () => {
    const n = await start()
    const id = n.id(2)
    const bootId = n.cluster(2).bootId
    await n.crash(2)
    await n.restart(2)
    expect(n.state(2)).toBe('running')
    expect(n.id(2)).toBe(id)
    expect(n.cluster(2).id).toBe(id)
    expect(n.cluster(2).bootId).not.toBe(bootId)
    await n.converged(G)
    for (const i of [0, 1, 2]) expect(seen(n, i)).toEqual(ids(n, [0, 1, 2]))
    n.assertAgreement(G, resources)
  })

  it('add(): a new node joins and gets a share', async () => {
    const n = await start({ nodes: 2 })
    const added = await n.add()
    expect(added).toBe(2)
    await n.converged(G)
    expect(seen(n, 0)).toEqual(ids(n, [0, 1, 2]))
    n.assertAgreement(G, resources)
    expect(n.cluster(2).extractMySubset(G, resources).length).toBeGreaterThan(0)
  })
})

describe('loss / delay', () => {
  it('loss({ from, to, rate: 1 }) silences one author at one receiver only; clearFaults() brings it back', async () => {
    const n = await start()
    const left = nextLeave(n, 1, n.id(0))
    n.loss({ from: 0, to: 1, rate: 1 })
    expect(await left).toBe('timeout')
    expect(seen(n, 1)).toEqual(ids(n, [1, 2]))
    expect(seen(n, 2)).toEqual(ids(n, [0, 1, 2]))
    expect(n.traffic(1).dropped).toBeGreaterThan(0)
    expect(n.traffic(2).dropped).toBe(0)
    n.clearFaults()
    await waitFor(() => seen(n, 1).includes(n.id(0)), () => 'node 1 never heard node 0 again')
  })

  it('delay({ from, to, ms }) holds messages back at that receiver only', async () => {
    const n = await start()
    const delayMs = 300
    n.delay({ from: 0, to: 1, ms: delayMs })
    const arrivals = new Map<number, Map<string, number>>([[1, new Map()], [2, new Map()]])
    for (const [node, times] of arrivals) {
      const pubsub = n.cluster(node).libp2p.services.pubsub as EventTarget
      pubsub.addEventListener('message', (event) => {
        const msg = (event as CustomEvent<{ data: Uint8Array }>).detail
        if (heartbeatAuthor(msg.data) === n.id(0)) times.set(Buffer.from(msg.data).toString('base64'), performance.now())
      })
    }
    const both = (): string[] => [...(arrivals.get(2) as Map<string, number>).keys()].filter((s) => arrivals.get(1)?.has(s))
    await waitFor(() => both().length >= 3, () => 'node 1 did not get three delayed messages of node 0')
    for (const seq of both()) {
      const lag = (arrivals.get(1)?.get(seq) as number) - (arrivals.get(2)?.get(seq) as number)
      expect(lag).toBeGreaterThan(delayMs - 50)
    }
    expect(n.traffic(1).delayed).toBeGreaterThan(0)
    expect(n.traffic(2).delayed).toBe(0)
  })
})

describe('lifecycle', () => {
  it('stop() is idempotent and controls then throw NetworkStoppedError', async () => {
    const n = await start({ nodes: 1 })
    await n.stop()
    await n.stop()
    expect(n.running()).toEqual([])
    await expect(n.heal()).rejects.toThrow(NetworkStoppedError)
    expect(() => { n.loss({ rate: 1 }) }).toThrow(NetworkStoppedError)
  })

  it('rejects unknown node indices with InvalidNodeError', async () => {
    const n = await start({ nodes: 1 })
    await expect(n.crash(5)).rejects.toThrow(InvalidNodeError)
    expect(() => n.cluster(-1)).toThrow(InvalidNodeError)
  })
})
