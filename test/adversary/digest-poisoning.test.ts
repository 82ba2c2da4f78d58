/**
 * Probe: "one member advertising a digest nobody has: no honest node ever converges". The rule: a
 * member whose digest has differed from ours for memberTimeoutMs while all others agree with us is
 * left out of the convergence check, and `group:odd-member` names it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Rogue, rawHeartbeat } from './rogue.js'
import { Fleet, memberIds, waitFor, waitForAgreement } from './support.js'
import type { Cluster } from '@gossip-ring/cluster'

describe('digest poisoning', () => {
  const fleet = new Fleet()
  let rogue: Rogue | undefined
  let timer: ReturnType<typeof setInterval> | undefined
  afterEach(async () => { clearInterval(timer); await rogue?.stop(); rogue = undefined; await fleet.stopAll() })

  it('honest nodes converge despite a member advertising a digest nobody has, and name it', async () => {
    const a = await fleet.start({ groups: ['g'] })
    const b = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    const c = await fleet.start({ groups: ['g'], bootstrap: a.multiaddrs })
    const honest = [a, b, c]
    await waitForAgreement(honest, 'g', honest)
    const r = rogue = await Rogue.start({ bootstrap: honest.flatMap(node => node.multiaddrs) })
    await waitFor(() => r.hasTopicPeers(3), { what: 'the rogue to see the honest nodes' })
    const odd = new Map<Cluster, string[]>(honest.map(node => [node, []]))
    for (const node of honest) node.addEventListener('group:odd-member', evt => { odd.get(node)?.push(evt.detail.id) })
    let seq = 0
    const poison = (): void => { void r.send(rawHeartbeat('rogue-boot', ++seq, [], { groups: [{ name: 'g', weight: 1, metadata: new Map(), digest: 'ffffffffffffffff', epoch: 0n, owningDigest: '', policy: 0 }] })).catch(() => {}) }
    poison()
    timer = setInterval(poison, 200)
    await waitFor(() => honest.every(node => memberIds(node, 'g').includes(r.id)), { what: 'the honest nodes to admit the poisoner' })
    expect(honest.some(node => node.isConverged('g'))).toBe(false)
    await waitFor(() => honest.every(node => node.isConverged('g')), { what: 'every honest node to converge without the odd member' })
    expect(honest.every(node => memberIds(node, 'g').includes(r.id))).toBe(true)
    expect(honest.map(node => odd.get(node))).toEqual(honest.map(() => [r.id]))
  })
})
