import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createCluster, presets } from '../src/index.js'
import { resolveClusterOptions } from '../src/options.js'
import type { Cluster, ClusterInit } from '../src/index.js'
import { FAST, resources, startClusters, stopAll, waitForAgreement } from './support/clusters.js'
import { waitFor } from './support/wait-for.js'

const CHILD = fileURLToPath(new URL('./support/create-fails.ts', import.meta.url))

/** Runs a failing scenario in a child process; resolves with what it printed, or rejects if it does not exit by itself within `limitMs`. */
async function runChild (scenario: string, limitMs = 20_000): Promise<{ name: string, code?: string, address?: string, message?: string }> {
  const child = spawn(process.execPath, ['--conditions=@gossip-ring/source', '--import', import.meta.resolve('tsx'), CHILD, scenario], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
  const exited = await new Promise<boolean>(resolve => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(false) }, limitMs)
    child.once('exit', () => { clearTimeout(timer); resolve(true) })
  })
  if (!exited) throw new Error(`child "${scenario}" did not exit by itself within ${limitMs} ms; printed ${out} ${err.slice(-500)}`)
  return JSON.parse(out.trim().split('\n').pop() ?? '{}')
}

describe('fail loudly: options', () => {
  it('item 9: an unknown option key (a typo) throws InvalidOptionError naming the valid keys', async () => {
    await expect(createCluster({ ...FAST, heartbeatInterval: 100 } as ClusterInit)).rejects.toThrow(/Unknown key "heartbeatInterval".*valid keys: .*heartbeatIntervalMs/)
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', wieght: 2 }] } as unknown as ClusterInit)).rejects.toThrow(/Unknown key "wieght"/)
  })

  it('an unknown key names the known key it is nearest to: a slip of case or of a letter or two, not a stranger', async () => {
    await expect(createCluster({ ...FAST, heartbeatIntervalMS: 100 } as unknown as ClusterInit)).rejects.toThrow('Unknown key "heartbeatIntervalMS" in options (did you mean "heartbeatIntervalMs"?); valid keys: ')
    await expect(createCluster({ ...FAST, heartbeatInterval: 100 } as ClusterInit)).rejects.toThrow('(did you mean "heartbeatIntervalMs"?)')
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', wieght: 2 }] } as unknown as ClusterInit)).rejects.toThrow('Unknown key "wieght" in group "g" (did you mean "weight"?)')
    await expect(createCluster({ ...FAST, peersetsize: 3 } as unknown as ClusterInit)).rejects.toThrow('(did you mean "peerSetSize"?)')
    await expect(createCluster({ ...FAST, colour: 'blue' } as unknown as ClusterInit)).rejects.toThrow(/^Unknown key "colour" in options; valid keys: /)
  })

  it('item 9: groups that is not an array throws InvalidOptionError', async () => {
    await expect(createCluster({ ...FAST, groups: 'x' } as unknown as ClusterInit)).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringMatching(/groups must be an array/) })
  })

  it('item 9: heartbeatIntervalMs below 10 ms is refused', async () => {
    await expect(createCluster({ ...FAST, heartbeatIntervalMs: 0.001, suspectAfterMs: undefined, memberTimeoutMs: undefined })).rejects.toThrow(/heartbeatIntervalMs must be 'auto' or a number of at least 10 ms/)
    expect(resolveClusterOptions({ heartbeatIntervalMs: 10 }).heartbeatIntervalMs).toBe(10)
  })

  it('heartbeatIntervalMs \'auto\': starts at 1000 ms with the given ratios; autoHeartbeatsPerSecond only with it, checked', () => {
    expect(resolveClusterOptions({ heartbeatIntervalMs: 'auto' })).toMatchObject({
      heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000, autoInterval: { baseMs: 1000, heartbeatsPerSecond: 32 }
    })
    expect(resolveClusterOptions({ ...presets.local, heartbeatIntervalMs: 'auto', autoHeartbeatsPerSecond: 8, memberTimeoutMs: 7000 })).toMatchObject({
      heartbeatIntervalMs: 1000, memberTimeoutMs: 7000, autoInterval: { heartbeatsPerSecond: 8 }
    })
    expect(resolveClusterOptions({}).autoInterval).toBeUndefined()
    for (const bad of ['fast', '100', null, Number.NaN]) {
      expect(() => resolveClusterOptions({ heartbeatIntervalMs: bad as unknown as number })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', message: expect.stringMatching(/heartbeatIntervalMs must be 'auto' or a number of at least 10 ms/) }))
    }
    expect(() => resolveClusterOptions({ autoHeartbeatsPerSecond: 8 })).toThrow(/autoHeartbeatsPerSecond applies only with heartbeatIntervalMs: 'auto'/)
    expect(() => resolveClusterOptions({ heartbeatIntervalMs: 500, autoHeartbeatsPerSecond: 8 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError' }))
    for (const bad of [0, -1, Number.POSITIVE_INFINITY, '8']) {
      expect(() => resolveClusterOptions({ heartbeatIntervalMs: 'auto', autoHeartbeatsPerSecond: bad as number })).toThrow(/autoHeartbeatsPerSecond must be a finite number greater than 0/)
    }
  })

  it('item 9: spreading a preset and overriding heartbeatIntervalMs derives the other timings from it', () => {
    expect(resolveClusterOptions({ ...presets.local, heartbeatIntervalMs: 1000 })).toMatchObject({ heartbeatIntervalMs: 1000, suspectAfterMs: 3000, memberTimeoutMs: 5000 })
    expect(resolveClusterOptions({ ...presets.lan, heartbeatIntervalMs: 100 })).toMatchObject({ suspectAfterMs: 300, memberTimeoutMs: 500, dialGraceMs: 200 })
    expect(resolveClusterOptions({ ...presets.local })).toMatchObject({ heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 })
  })

  it('item 2: initial groups too large for a heartbeat throw HeartbeatTooLargeError, as joinGroup does', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]))
    await expect(createCluster({ ...FAST, groups: [{ name: 'g', metadata }] })).rejects.toMatchObject({ name: 'HeartbeatTooLargeError' })
  })

  it('item 7: a bad peer id in bootstrap throws InvalidOptionError and the process exits by itself', async () => {
    const result = await runChild('bad-bootstrap-peer-id')
    expect(result).toMatchObject({ name: 'InvalidOptionError', message: expect.stringMatching(/invalid peer id "not-a-peer-id"/) })
  })

  it('item 7: when createCluster fails after the node started, it stops everything and the process exits by itself', async () => {
    const result = await runChild('fails-after-start')
    expect(result).toMatchObject({ name: 'HeartbeatTooLargeError' })
  })

  it('item 8: a listen address in use throws ListenAddressError naming it, and the process exits by itself', async () => {
    const result = await runChild('listen-in-use')
    expect(result).toMatchObject({ name: 'ListenAddressError', code: 'ERR_LISTEN_ADDRESS', address: expect.stringMatching(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/) })
    expect(result.message).toMatch(/in use/)
    expect(result.message).not.toMatch(/faultTolerance/)
  })
})

describe('fail loudly: the running cluster', () => {
  let clusters: Cluster[] = []
  afterEach(async () => { await stopAll(clusters); clusters = [] })

  it('item 1: two agents that cannot reach each other are not converged with minMembers 2; they converge once connected', async () => {
    const a = await createCluster({ ...FAST, groups: [{ name: 'g', minMembers: 2 }] })
    const b = await createCluster({ ...FAST, groups: [{ name: 'g', minMembers: 2 }] })
    clusters.push(a, b)
    const aborted = expect(a.converged('g', { signal: AbortSignal.timeout(1500) })).rejects.toMatchObject({ name: 'AbortError' })
    await aborted
    expect(a.isConverged('g')).toBe(false)
    expect(b.isConverged('g')).toBe(false)
    await a.libp2p.dial(b.libp2p.getMultiaddrs()[0]!)
    await Promise.all([a.converged('g', { signal: AbortSignal.timeout(10_000) }), b.converged('g', { signal: AbortSignal.timeout(10_000) })])
    const mine = [...a.extractMySubset('g', resources(100)), ...b.extractMySubset('g', resources(100))]
    expect(mine.sort()).toEqual(resources(100).sort())
  })

  it('item 1: an agent alone below minMembers owns nothing, also after memberTimeoutMs (safe handoff\'s patience)', async () => {
    // before, it was not converged but owned every key once the handoff's patience ran out
    const a = await createCluster({ ...FAST, groups: [{ name: 'g', minMembers: 3 }] })
    clusters.push(a)
    const beats = Math.ceil(2 * FAST.memberTimeoutMs! / Number(FAST.heartbeatIntervalMs))   // two member timeouts of our own heartbeats
    await waitFor(() => a.stats.published + a.stats.publishNoPeers >= beats, { timeoutMs: 10_000, what: `${beats} heartbeats sent (alone: to nobody)` })
    expect(a.isConverged('g')).toBe(false)
    expect(a.extractMySubset('g', resources(100))).toEqual([])
    expect(a.owner('g', 'k')).toBeUndefined()
  })

  it('item 1: by default an agent alone is not converged within suspectAfterMs of start (the quick-start pattern)', async () => {
    const a = await createCluster({ ...FAST, groups: ['g'] })
    clusters.push(a)
    const b = await createCluster({ ...FAST, groups: ['g'], bootstrap: a.multiaddrs })
    clusters.push(b)
    expect(b.isConverged('g')).toBe(false)
    await b.converged('g', { signal: AbortSignal.timeout(10_000) })
    expect(b.members('g').map(m => m.id).sort()).toEqual([a.id, b.id].sort())
  })

  it('item 5: owner() of numbers spreads them (decimal text); a key that is not a string, number or bigint throws InvalidKeyError', async () => {
    clusters = await startClusters(3, () => ({ groups: ['g'] }))
    const [a] = clusters as [Cluster]
    await waitForAgreement(clusters, 'g', clusters.map(c => c.id))
    const numbers = Array.from({ length: 100 }, (_, i) => i)
    expect(new Set(numbers.map(n => a.owner('g', n))).size).toBe(3)
    expect(a.owner('g', 42)).toBe(a.owner('g', '42'))
    expect(() => a.owner('g', undefined as unknown as string)).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }))
    expect(() => a.extractMySubset('g', [{ id: 1 }])).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }))
    expect(() => a.extractMySubset('g', [{ id: 1 }], item => item.id as unknown as string)).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }))
  })

  it('item 6: after stop() every question about ownership throws ClusterStoppedError', async () => {
    const a = await createCluster({ ...FAST, groups: ['g'] })
    await a.stop()
    const questions: Array<[string, () => unknown]> = [
      ['extractMySubset', () => a.extractMySubset('g', ['x'])], ['isConverged', () => a.isConverged('g')], ['owner', () => a.owner('g', 'x')],
      ['owners', () => a.owners('g', 'x', 1)], ['isMine', () => a.isMine('g', 'x')], ['members', () => a.members('g')], ['ring', () => a.ring('g')]
    ]
    for (const [, ask] of questions) expect(ask).toThrow(expect.objectContaining({ name: 'ClusterStoppedError' }))
  })

  it('item 10: converged() of a group never joined throws GroupNotJoinedError at once', async () => {
    const a = await createCluster({ ...FAST, groups: ['g'] })
    clusters.push(a)
    await expect(a.converged('never-joined')).rejects.toMatchObject({ name: 'GroupNotJoinedError', code: 'ERR_GROUP_NOT_JOINED' })
  })

  it('item 11: joinGroup(g) on a joined group keeps its weight and metadata', async () => {
    const a = await createCluster({ ...FAST, groups: [{ name: 'g', weight: 3, metadata: { zone: 'eu' } }] })
    clusters.push(a)
    await a.joinGroup('g')
    expect(a.members('g')).toMatchObject([{ id: a.id, weight: 3, metadata: { zone: 'eu' } }])
  })

  it('item 12: listeners added right after await createCluster(...) get the initial member:join and ring:change', async () => {
    const a = await createCluster({ ...FAST, groups: ['g'] })
    clusters.push(a)
    const seen: string[] = []
    a.addEventListener('member:join', ({ detail }) => seen.push(`join:${detail.group}:${detail.id === a.id ? 'self' : 'other'}`))
    a.addEventListener('ring:change', ({ detail }) => seen.push(`ring:${detail.group}:${detail.members.length}`))
    await waitFor(() => seen.length >= 2, { timeoutMs: 3000, what: 'the initial events' })
    expect(seen).toEqual(['join:g:self', 'ring:g:1'])
  })

  it('item 13 and 14: a metadata-only change of a peer fires member:update, then group:converged again', async () => {
    clusters = await startClusters(2, () => ({ groups: ['g'] }))
    const [a, b] = clusters as [Cluster, Cluster]
    await waitForAgreement(clusters, 'g', [a.id, b.id])
    const seen: string[] = []
    a.addEventListener('member:update', ({ detail }) => seen.push(`update:${detail.id === b.id ? 'b' : '?'}:${detail.metadata.zone}`))
    a.addEventListener('group:converged', () => seen.push('converged'))
    await b.joinGroup('g', { metadata: { zone: 'eu' } })
    await waitFor(() => seen.includes('converged'), { timeoutMs: 5000, what: 'group:converged after the update' })
    expect(seen).toEqual(['update:b:eu', 'converged'])
  })
})
