import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, StrictNoSign, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { createCluster, heartbeatMessageIds, heartbeatTopic, presets } from '../src/index.js'
import { createClusterNode } from '../src/node.js'
import { resolveClusterOptions } from '../src/options.js'
import type { Cluster, ClusterInit } from '../src/index.js'
import { FAST, resources, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

describe('options', () => {
  it.each([
    ['a namespace with a slash', { namespace: 'a/b' }],
    ['an empty namespace', { namespace: '' }],
    ['memberTimeoutMs <= suspectAfterMs', { heartbeatIntervalMs: 100, suspectAfterMs: 300, memberTimeoutMs: 300 }],
    ['a negative heartbeat interval', { heartbeatIntervalMs: -1 }],
    ['jitter above 0.5', { heartbeatJitter: 0.6 }],
    ['a bootstrap address without /p2p', { bootstrap: ['/ip4/127.0.0.1/tcp/1'] }],
    ['a listen address that is not a multiaddr', { listen: ['nope'] }],
    ['mdns interval 0', { mdns: { intervalMs: 0 } }],
    ['an unknown transport', { transport: 'udp' }],
    ['an empty group name', { groups: [''] }],
    ['a group with weight 0', { groups: [{ name: 'g', weight: 0 }] }],
    ['duplicate groups', { groups: ['g', 'g'] }],
    ['metadata that is not strings', { groups: [{ name: 'g', metadata: { a: 1 } }] }],
    ['a watcher with groups', { watcher: true, groups: ['g'] }],
    ['watcher that is not a boolean', { watcher: 'yes' }],
    ['watchGroups with an empty name', { watchGroups: [''] }],
    ['watchGroups that is not a list', { watchGroups: 'g' }],
    ['a quorum of 0', { groups: [{ name: 'g', quorum: 0 }] }],
    ['an unknown onMinority', { groups: [{ name: 'g', onMinority: 'own-some' }] }],
    ['a negative settleMs', { groups: [{ name: 'g', settleMs: -1 }] }],
    ['a handoff that is not a boolean', { groups: [{ name: 'g', handoff: 'yes' }] }],
    ['an infinite keepLastMs', { groups: [{ name: 'g', quorum: 'majority', onMinority: 'keep-last', keepLastMs: Number.POSITIVE_INFINITY }] }],
    ['onMinority own-nothing without a quorum (no view is ever a minority: it would do nothing)', { groups: [{ name: 'g', onMinority: 'own-nothing' }] }],
    ['onMinority keep-last without a quorum', { groups: [{ name: 'g', onMinority: 'keep-last' }] }],
    ['keepLastMs without onMinority keep-last', { groups: [{ name: 'g', quorum: 2, onMinority: 'own-nothing', keepLastMs: 1000 }] }],
    ['quorumWindowMs without quorum majority', { groups: [{ name: 'g', quorum: 2, onMinority: 'own-nothing', quorumWindowMs: 1000 }] }],
    ['mesh degree 0 (nothing would forward a heartbeat over a cut link)', { meshDegree: 0 }],
    ['a fractional mesh degree', { meshDegree: 1.5 }],
    ['negative gossip peers', { gossipPeers: -1 }],
    ['gossip peers above 16', { gossipPeers: 17 }],
    ['a peer set of 2 (too few neighbours to stay connected through a cut)', { peerSetSize: 2 }],
    ['a fractional peer set size', { peerSetSize: 3.5 }],
    ['a peer set size that is neither a number nor \'all\'', { peerSetSize: 'some' }],
    ['a peer set size above 64', { peerSetSize: 65 }]
  ] as Array<[string, ClusterInit]>)('refuses %s with InvalidOptionError, before starting anything', async (_, init) => {
    await expect(createCluster({ ...FAST, ...init })).rejects.toMatchObject({ name: 'InvalidOptionError' })
  })

  it('an ownership option that would do nothing with the others given says which one it needs (joinGroup too)', async () => {
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', onMinority: 'own-nothing' }] })).rejects.toThrow(/groups entry "g": onMinority 'own-nothing' has no effect without a quorum: set quorum \(a count or 'majority'\)/)
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', quorum: 2, keepLastMs: 10 }] })).rejects.toThrow(/keepLastMs has no effect unless onMinority is 'keep-last'/)
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', quorum: 2, quorumWindowMs: 10 }] })).rejects.toThrow(/quorumWindowMs has no effect unless quorum is 'majority'/)
    const cluster = await createCluster({ ...FAST, groups: [{ name: 'g', onMinority: 'own-all' }] })   // the default, harmless
    try {
      await expect(cluster.joinGroup('h', { onMinority: 'keep-last' })).rejects.toMatchObject({ name: 'InvalidOptionError' })
    } finally {
      await cluster.stop()
    }
  })

  it('joinGroup updating only the weight or metadata keeps the group\'s ownership options (an option left out keeps its value)', async () => {
    // before, a weight update dropped the quorum: a 2|3 partition then double-owned every key, in silence
    const cluster = await createCluster({ ...FAST, groups: [{ name: 'g', quorum: 'majority', onMinority: 'own-nothing', settleMs: 100 }] })
    try {
      const before = cluster.explainOwner('g', 'k')
      await cluster.joinGroup('g', { weight: 2 })
      await cluster.joinGroup('g', { metadata: { zone: 'a' } })
      expect(cluster.explainOwner('g', 'k')).toMatchObject({ quorumRequired: before.quorumRequired, mode: before.mode })
      expect(before.quorumRequired).toBeGreaterThan(0)
      await cluster.joinGroup('g', { settleMs: 0 })                        // one option changed, the others kept
      expect(cluster.explainOwner('g', 'k').quorumRequired).toBe(before.quorumRequired)
      await cluster.joinGroup('g', { quorum: undefined, onMinority: 'own-all' })   // undefined given: unset
      expect(cluster.explainOwner('g', 'k').quorumRequired).toBe(0)
    } finally {
      await cluster.stop()
    }
  })

  it('refuses an empty allowedPeers (an empty env var): it would refuse every peer; the message says so and what to do', async () => {
    // an accepted cluster is stopped at once (printing it would make an unreadable failure)
    const refusal = await createCluster({ ...FAST, allowedPeers: [] }).then(async cluster => { await cluster.stop(); return 'accepted' }, (err: unknown) => err)
    expect(refusal).toMatchObject({ name: 'InvalidOptionError' })
    expect((refusal as Error).message).toMatch(/allowedPeers is empty: it would refuse every peer.*leave allowedPeers out/)
  })

  it('names both forms of peerSetSize when a value is wrong (a typo of \'all\')', async () => {
    await expect(createCluster({ ...FAST, peerSetSize: 'al' as never })).rejects.toThrow(/peerSetSize must be 'all' or an integer from 3 to 64, got "al"/)
  })

  it('applies defaults without touching the caller\'s object; presets are frozen', () => {
    const init: ClusterInit = { groups: ['g'] }
    const options = resolveClusterOptions(init)
    expect(init).toEqual({ groups: ['g'] })
    expect(options).toMatchObject({
      namespace: 'default', topic: 'gossip-ring/default/heartbeat/1', listen: ['/ip4/0.0.0.0/tcp/0'], mdns: { intervalMs: 2000 },
      heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000, dialGraceMs: 2000, reconnectMaxBackoffMs: 5000
    })
    expect(resolveClusterOptions({ ...presets.local }).listen).toEqual(['/ip4/127.0.0.1/tcp/0'])
    expect(resolveClusterOptions({ transport: 'memory' }).listen[0]).toMatch(/^\/memory\//)
    expect(Object.isFrozen(presets.lan)).toBe(true)
    expect(heartbeatTopic('team-a')).toBe('gossip-ring/team-a/heartbeat/1')
  })
})

describe('cluster API', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('alone: owns everything of a joined group (after memberTimeoutMs with safe handoff, at once without), nothing of another; logs no-peer publishes without errors', async () => {
    const alone = await createCluster({ ...FAST, groups: ['g', { name: 'h', handoff: false }] })
    clusters.push(alone)
    expect(alone.extractMySubset('h', resources(10))).toEqual(resources(10))
    // safe handoff: a newcomer takes nothing until it caught up with the others, or memberTimeoutMs passed with nobody to take over from
    expect(alone.extractMySubset('g', resources(10))).toEqual([])
    expect(alone.multiaddrs[0]).toMatch(new RegExp(`^/ip4/127.0.0.1/tcp/\\d+/p2p/${alone.id}$`))
    expect(alone.members('g').map(m => ({ id: m.id, self: m.self }))).toEqual([{ id: alone.id, self: true }])
    expect(alone.extractMySubset('other', resources(10))).toEqual([])
    expect(alone.owner('other', 'x')).toBeUndefined()
    expect(alone.isConverged('g')).toBe(false)   // the settle window: alone, within suspectAfterMs of joining
    await alone.converged('g', { signal: AbortSignal.timeout(5000) })
    expect(alone.isConverged('g')).toBe(true)
    await waitFor(() => alone.extractMySubset('g', resources(10)).length === 10, { what: 'the lone member to take everything' })
    expect(alone.extractMySubset('g', resources(10))).toEqual(resources(10))
    await alone.heartbeat()
    expect(alone.stats.publishNoPeers).toBeGreaterThan(0)
    expect(alone.stats.publishErrors).toBe(0)
  })

  it('emits member:join, then ring:change, then group:converged; ring:change only when the ring digest changes', async () => {
    clusters = await startClusters(1, () => ({ groups: ['g'] }))
    const [first] = clusters as [Cluster]
    const events: string[] = []
    first.addEventListener('member:join', ({ detail }) => events.push(`join:${detail.id === first.id ? 'self' : 'other'}`))
    first.addEventListener('ring:change', ({ detail }) => events.push(`ring:${detail.members.length}`))
    first.addEventListener('group:converged', () => events.push('converged'))
    const second = await createCluster({ ...FAST, bootstrap: first.multiaddrs, groups: ['g'] })
    clusters.push(second)
    await waitForAgreement(clusters, 'g', [first.id, second.id])
    // the initial self events reach listeners added right after creation (item 12)
    expect(events.slice(0, 4)).toEqual(['join:self', 'ring:1', 'join:other', 'ring:2'])
    expect(events).toContain('converged')
    const ringChanges = events.filter(e => e.startsWith('ring:')).length
    await second.joinGroup('g', { metadata: { v: '2' } })     // metadata only: same ring
    await waitFor(() => first.members('g').some(m => m.metadata.v === '2'), { what: 'the metadata update' })
    expect(events.filter(e => e.startsWith('ring:')).length).toBe(ringChanges)
    await second.joinGroup('g', { weight: 3 })                 // weight: new ring
    await waitFor(() => events.filter(e => e.startsWith('ring:')).length === ringChanges + 1, { what: 'a ring:change for the weight' })
  })

  it('converged() waits for agreement, rejects on abort and on stop', async () => {
    clusters = await startClusters(1, () => ({ groups: ['g'] }))
    const [first] = clusters as [Cluster]
    const controller = new AbortController()
    // a group that needs a second member: pending until the signal aborts
    await first.joinGroup('pair', { minMembers: 2 })
    const pending = first.converged('pair', { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await first.leaveGroup('pair')
    await expect(first.converged('g', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    const second = await createCluster({ ...FAST, bootstrap: first.multiaddrs, groups: ['g'] })
    clusters.push(second)
    // converged() resolves once second advertises the digest of both (whether first saw second before or after that
    // depends on which heartbeat crossed first; the "not converged until all advertise" rule is tested in membership)
    await waitFor(() => first.members('g').length === 2, { what: 'first to see second' })
    await first.converged('g', { signal: AbortSignal.timeout(5000) })
    expect(first.isConverged('g')).toBe(true)
    await waitFor(() => second.ring('g').digest === first.ring('g').digest, { what: 'second to see the same ring' })
    const lastRing = second.ring('g')
    await second.joinGroup('never', { minMembers: 3 })
    const waiting = expect(second.converged('never')).rejects.toMatchObject({ name: 'ClusterStoppedError' })
    await second.stop()
    await waiting
    await expect(second.joinGroup('x')).rejects.toMatchObject({ name: 'ClusterStoppedError' })
    await expect(second.heartbeat()).rejects.toMatchObject({ name: 'ClusterStoppedError' })
    await second.stop()   // idempotent
    // a stopped cluster answers no question about ownership (item 6); a ring taken before stays usable
    expect(lastRing.size).toBe(2)
    expect(() => second.extractMySubset('g', resources(100))).toThrow(expect.objectContaining({ name: 'ClusterStoppedError' }))
  })

  it('joinGroup refuses groups peers would drop, and changes nothing', async () => {
    const alone = await createCluster({ ...FAST })
    clusters.push(alone)
    await expect(alone.joinGroup('')).rejects.toMatchObject({ name: 'InvalidOptionError' })
    await expect(alone.joinGroup('g', { metadata: { k: 'v'.repeat(2000) } })).rejects.toMatchObject({ name: 'InvalidOptionError' })
    // 64 groups with 2 x 80 characters of metadata fit, with room for each group's ownership fields (epoch, owning digest)
    for (let i = 0; i < 64; i++) await alone.joinGroup(`g${i}`, { metadata: Object.fromEntries(Array.from({ length: 2 }, (_, j) => [`k${j}`, 'x'.repeat(80)])) })
    await expect(alone.joinGroup('one-too-many')).rejects.toMatchObject({ name: 'InvalidOptionError' })
    await expect(alone.joinGroup('g0', { metadata: Object.fromEntries(Array.from({ length: 32 }, (_, j) => [`k${j}`, 'x'.repeat(1000)])) })).rejects.toMatchObject({ name: 'HeartbeatTooLargeError' })
    expect(alone.groups()).toHaveLength(64)
  })

  it('keeps its id with an identity file (created 0600), and runs on a user-supplied libp2p node it does not stop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gossip-ring-'))
    try {
      const file = join(dir, 'sub', 'id.key')
      const first = await createCluster({ ...FAST, identityFile: file })
      await first.stop()
      expect((await stat(file)).mode & 0o777).toBe(0o600)
      const again = await createCluster({ ...FAST, identityFile: file })
      clusters.push(again)
      expect(again.id).toBe(first.id)
      const corrupt = join(dir, 'corrupt.key')
      await writeFile(corrupt, 'not a key')
      await expect(createCluster({ ...FAST, identityFile: corrupt })).rejects.toMatchObject({ name: 'IdentityFileError' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const privateKey = await generateKeyPair('Ed25519')
    const node = await createClusterNode({ privateKey }, resolveClusterOptions({ ...FAST }))
    const other = await generateKeyPair('Ed25519')
    await expect(createCluster({ ...FAST, libp2p: node })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('privateKey') })
    await expect(createCluster({ ...FAST, libp2p: node, privateKey: other })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('not the key of libp2p.peerId') })
    await expect(createCluster({ ...FAST, libp2p: node, privateKey: await generateKeyPair('secp256k1') })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('Ed25519') })
    await expect(createCluster({ ...FAST, privateKey })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('identityFile') })
    const mine = await createCluster({ ...FAST, libp2p: node, privateKey, groups: ['g'] })
    expect(mine.id).toBe(node.peerId.toString())
    await mine.stop()
    expect(node.status).toBe('started')
    expect(node.services.pubsub.getTopics()).not.toContain(heartbeatTopic('default'))
    await node.stop()
  })

  it('stops cleanly on a user-supplied node that the application stopped first', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const node = await createClusterNode({ privateKey }, resolveClusterOptions({ ...FAST }))
    const cluster = await createCluster({ ...FAST, libp2p: node, privateKey, groups: ['g'] })
    await node.stop()
    await expect(cluster.stop()).resolves.toBeUndefined()
  })

  it('refuses a second cluster on a libp2p node that already carries one (it would make the first deaf); the node takes a new one once the first stopped', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const node = await createClusterNode({ privateKey }, resolveClusterOptions({ ...FAST }))
    try {
      const first = await createCluster({ ...FAST, libp2p: node, privateKey, groups: ['orders'] })
      const validator = node.services.pubsub.topicValidators.get(first.topic)
      for (const namespace of ['default', 'other']) {
        // an accepted second cluster is stopped at once (printing it would make an unreadable failure)
        const second = await createCluster({ ...FAST, libp2p: node, privateKey, groups: ['billing'], namespace })
          .then(async cluster => { await cluster.stop(); return `accepted (namespace ${namespace})` }, (err: unknown) => err)
        expect(second).toMatchObject({ name: 'ClusterAlreadyOnNodeError', code: 'ERR_CLUSTER_ALREADY_ON_NODE' })
        expect((second as Error).message).toMatch(/already carries a gossip-ring cluster.*one cluster per node.*joinGroup/)
      }
      // the refusals left the first cluster as it was: still validating its topic, still in its group
      expect(node.services.pubsub.topicValidators.get(first.topic)).toBe(validator)
      expect(node.services.pubsub.getTopics()).toContain(first.topic)
      expect(first.members('orders').map(m => m.id)).toEqual([first.id])
      await first.stop()
      const next = await createCluster({ ...FAST, libp2p: node, privateKey, groups: ['billing'] })
      expect(next.members('billing').map(m => m.id)).toEqual([next.id])
      await next.stop()
    } finally {
      await node.stop()
    }
  })

  it('refuses a user libp2p node without gossipsub configured as the cluster\'s (StrictNoSign, asyncValidation, heartbeatMessageIds); runs on one that is', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const base = { privateKey, addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] }
    // each node with what the refusal names as its problem
    const nodes: Array<[Libp2p, RegExp]> = [
      [await createLibp2p(base), /this one: it has no services\.identify$/],
      [await createLibp2p({ ...base, services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictSign }) } }), /this one: its globalSignaturePolicy is not StrictNoSign$/],
      [await createLibp2p({ ...base, services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign }) } }), /this one: asyncValidation is not true$/],
      [await createLibp2p({ ...base, services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, asyncValidation: true }) } }), /this one: its msgIdFn is not heartbeatMessageIds\.msgIdFn$/],
      // a fast id of its own would let gossipsub drop a heartbeat whose fast id collides with another's
      [await createLibp2p({ ...base, services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, asyncValidation: true, ...heartbeatMessageIds, fastMsgIdFn: () => 'same' }) } }), /this one: it has a fastMsgIdFn$/]
    ]
    const fitting = await createLibp2p({ ...base, services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, asyncValidation: true, ...heartbeatMessageIds }) } })
    try {
      for (const [node, problem] of nodes) {
        const refusal = createCluster({ ...FAST, libp2p: node, privateKey })
        await expect(refusal).rejects.toMatchObject({ name: 'IncompatibleLibp2pError' })
        await expect(refusal).rejects.toThrow(/StrictNoSign.*asyncValidation.*heartbeatMessageIds/)
        await expect(refusal).rejects.toThrow(problem)
      }
      const cluster = await createCluster({ ...FAST, libp2p: fitting, privateKey })
      expect(cluster.id).toBe(fitting.peerId.toString())
      await cluster.stop()
    } finally {
      await Promise.all([...nodes.map(([node]) => node), fitting].map(async node => node.stop()))
    }
  })

  it('hands meshDegree and gossipPeers to gossipsub (mesh watermarks, a fixed IHAVE fan-out)', async () => {
    const gossipsubOptions = (cluster: Cluster): Record<string, number> => (cluster.libp2p.services.pubsub as unknown as { opts: Record<string, number> }).opts
    const byDefault = await createCluster({ ...FAST })
    clusters.push(byDefault)
    expect(gossipsubOptions(byDefault)).toMatchObject({ D: 1, Dlo: 1, Dhi: 2, Dlazy: 2, gossipFactor: 0 })
    const tuned = await createCluster({ ...FAST, meshDegree: 4, gossipPeers: 0 })
    clusters.push(tuned)
    expect(gossipsubOptions(tuned)).toMatchObject({ D: 4, Dlo: 3, Dhi: 6, Dlazy: 0, gossipFactor: 0 })
  })

  it('keeps namespaces apart and works over the in-memory transport', async () => {
    clusters = await startClusters(3, i => ({ transport: 'memory', groups: ['g'], namespace: i === 2 ? 'other' : 'default' }))
    const [a, b, c] = clusters as [Cluster, Cluster, Cluster]
    await waitForAgreement([a, b], 'g', [a.id, b.id])
    expect(c.members('g').map(m => m.id)).toEqual([c.id])
    expect(a.multiaddrs[0]).toMatch(/^\/memory\//)
  })
})
