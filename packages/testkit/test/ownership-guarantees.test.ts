import { afterEach, describe, expect, it } from 'vitest'
import { createTestNetwork } from '../src/index.js'
import type { TestNetwork } from '../src/index.js'

/**
 * The ownership guarantees on real clusters (testkit: 200 ms heartbeats, members suspect after
 * 600 ms, time out after 1 s), measured by the ownership history checker.
 */
const G = 'g'
const resources = Array.from({ length: 300 }, (_, i) => `r${i}`)
/** A gap shorter than memberTimeoutMs shows the handoff completed by acknowledgement, not by its timeout fallback. */
const HANDOFF_MAX_GAP_MS = 1000

let net: TestNetwork | undefined
afterEach(async () => { await net?.stop() })

/** Waits until every resource has exactly one owner among the running nodes (each keeps its claims from events). */
async function oneOwnerEach (n: TestNetwork): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const counts = new Map<string, number>()
    for (const s of n.assignments(G, resources)) for (const r of s.claims) counts.set(r, (counts.get(r) ?? 0) + 1)
    if (resources.every((r) => counts.get(r) === 1)) return
    if (Date.now() > deadline) throw new Error('resources never got exactly one owner each')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Asking who owns a key gives the answer `isMine` gives: no running node names itself as a key's
 * owner (`owner`, `owners`, `ownership`, `explainOwner`) unless it owns the key, so "the owner is me"
 * never makes two owners where `extractMySubset` would not.
 */
function expectOwnerAnswersMatchIsMine (n: TestNetwork): void {
  for (const node of n.running()) {
    const c = n.cluster(node)
    const namedSelf = (r: string): boolean[] => [c.owner(G, r) === c.id, c.owners(G, r, 1)[0] === c.id, c.ownership(G, r).owner === c.id, c.explainOwner(G, r).owner === c.id]
    const wrong = resources.filter((r) => namedSelf(r).some((named) => named !== c.isMine(G, r)))
    expect(wrong, `node ${node} names itself owner of keys it does not own, or not of keys it owns`).toEqual([])
  }
}

describe('safe handoff', () => {
  it('join and graceful leave: never two owners, and no key waits for the handoff timeout', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [G] })
    await net.converged(G)
    await oneOwnerEach(net)
    const recorder = net.recordOwnership(G, resources)
    recorder.mark('join')
    const joined = await net.add()
    await net.converged(G)
    await oneOwnerEach(net)
    recorder.mark('leave')
    await net.stop(joined)
    await net.converged(G)
    await oneOwnerEach(net)
    recorder.assertNoDoubleOwnership()
    recorder.assertCoverage({ maxGapMs: HANDOFF_MAX_GAP_MS, sinceMark: 'join' })
    expect(recorder.report().phases.find((p) => p.label === 'join')?.keysMoved).toBeGreaterThan(0)
  })

  it('without it (handoff: false) the newcomer and the previous owners both own the moved keys', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [{ name: G, handoff: false }] })
    await net.converged(G)
    const recorder = net.recordOwnership(G, resources)
    await net.add()
    await net.converged(G)
    await oneOwnerEach(net)
    expect(() => { recorder.assertNoDoubleOwnership() }).toThrow(/had several owners/)
  })
})

describe('partition policy', () => {
  it('own-nothing: never two owners across a 2|3 partition and its heal; the minority owns nothing meanwhile', async () => {
    net = await createTestNetwork({ nodes: 5, groups: [{ name: G, quorum: 'majority', onMinority: 'own-nothing' }] })
    await net.converged(G)
    await oneOwnerEach(net)
    const recorder = net.recordOwnership(G, resources)
    await net.partition([[0, 1], [2, 3, 4]])
    await net.converged(G)
    await oneOwnerEach(net)
    expect(net.cluster(0).extractMySubset(G, resources)).toEqual([])
    expect(net.cluster(0).explainOwner(G, 'r1')).toMatchObject({ mode: 'minority-own-nothing', viewSize: 2, quorumRequired: 3 })
    expectOwnerAnswersMatchIsMine(net)
    expect(resources.map((r) => net?.cluster(0).owner(G, r))).toEqual(resources.map(() => undefined))   // the minority can vouch for nobody
    await net.heal()
    await net.converged(G)
    await oneOwnerEach(net)
    recorder.assertNoDoubleOwnership()
  })

  it('keep-last: the minority keeps its share until the majority takes it over, never two owners', async () => {
    net = await createTestNetwork({ nodes: 5, groups: [{ name: G, quorum: 'majority', onMinority: 'keep-last' }] })
    await net.converged(G)
    await oneOwnerEach(net)
    const share = net.cluster(0).extractMySubset(G, resources)
    const recorder = net.recordOwnership(G, resources)
    await net.partition([[0, 1], [2, 3, 4]])
    const n0 = net.cluster(0)
    const deadline = Date.now() + 10_000
    while (n0.explainOwner(G, 'r0').mode !== 'minority-keep-last') {   // lost the quorum: keeps its last share
      if (Date.now() > deadline) throw new Error(`n0 never lost the quorum: ${n0.explainOwner(G, 'r0').mode}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(n0.extractMySubset(G, resources)).toEqual(share)
    expectOwnerAnswersMatchIsMine(net)
    await net.converged(G)
    await oneOwnerEach(net)
    expect(net.cluster(0).extractMySubset(G, resources)).toEqual([])
    // keep-last is bounded by timers on both sides (our suspicion, their timeout); a loaded event
    // loop delays ours, so this test allows one heartbeat interval (the benchmark measures 0)
    recorder.assertNoDoubleOwnership({ graceMs: 200 })
  })

  it('own-all (default): each side owns everything, so a 2|3 partition double-owns every resource', async () => {
    net = await createTestNetwork({ nodes: 5, groups: [{ name: G, quorum: 'majority' }] })
    await net.converged(G)
    const recorder = net.recordOwnership(G, resources)
    await net.partition([[0, 1], [2, 3, 4]])
    await net.converged(G)
    net.assertEachSideOwnsAll(G, resources)
    // count resources, not incidents: a resource whose owners changed during the split (one side's
    // handoff, or a loaded machine's late heartbeat) has several incidents, and that is not the claim
    const doubleOwned = new Set(recorder.doubleOwnership().map((incident) => incident.resource))
    expect(doubleOwned.size).toBe(resources.length)
  })
})

describe('settling', () => {
  it('settleMs: a member cut off and back within it moves no key; without it, its share moves twice', async () => {
    for (const [settleMs, expectMoves] of [[5000, false], [0, true]] as const) {
      net = await createTestNetwork({ nodes: 3, groups: [{ name: G, settleMs }] })
      await net.converged(G)
      await oneOwnerEach(net)
      const recorder = net.recordOwnership(G, resources)
      await net.isolate(2)
      await net.converged(G)                      // the others dropped it (their view, not yet their ring)
      await net.heal()
      await net.converged(G)
      await oneOwnerEach(net)
      const moved = recorder.report().total.keysMoved
      if (expectMoves) expect(moved).toBeGreaterThan(0)
      else expect(moved).toBe(0)
      await net.stop()
    }
  })
})

describe('fencing epochs', () => {
  it('a key moved by a join gets the same, larger epoch on every member', async () => {
    net = await createTestNetwork({ nodes: 3, groups: [G] })
    await net.converged(G)
    await oneOwnerEach(net)
    const n = net
    const before = new Map(resources.map((r) => [r, n.cluster(0).ownership(G, r)]))
    const joined = await n.add()
    await n.converged(G)
    await oneOwnerEach(n)
    const moved = resources.filter((r) => n.cluster(joined).ownership(G, r).owner === n.id(joined))
    expect(moved.length).toBeGreaterThan(0)
    // members that went through the same change agree on its epoch once they heard each other
    const agreed = (): boolean => moved.every((r) => new Set(n.running().map((i) => JSON.stringify(n.cluster(i).ownership(G, r)))).size === 1)
    const deadline = Date.now() + 10_000
    while (!agreed()) {
      if (Date.now() > deadline) throw new Error(`epochs of moved keys did not agree: ${JSON.stringify(n.running().map((i) => n.cluster(i).ownership(G, moved[0] as string)))}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    for (const r of moved) expect(n.cluster(joined).ownership(G, r).epoch).toBeGreaterThan(before.get(r)?.epoch ?? Infinity)
    const explained = n.cluster(joined).explainOwner(G, moved[0] as string)
    expect(explained).toMatchObject({ owner: n.id(joined), mine: true, converged: true, mode: 'normal' })
    expect(explained.members[0]?.id).toBe(n.id(joined))
    expect(explained.members).toHaveLength(4)
  })
})
