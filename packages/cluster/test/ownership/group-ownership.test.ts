import { ManualClock } from '@gossip-ring/membership'
import { createRing } from '@gossip-ring/ring'
import { describe, expect, it } from 'vitest'
import { GroupOwnership } from '../../src/ownership/group-ownership.js'
import { OWNS_NOTHING } from '../../src/ownership/handoff.js'
import { resolveOwnershipPolicy } from '../../src/ownership/policy.js'
import type { OwnershipInit } from '../../src/ownership/policy.js'

const TIMINGS = { heartbeatIntervalMs: 200, suspectAfterMs: 600, memberTimeoutMs: 1000 }
const keys = Array.from({ length: 300 }, (_, i) => `k${i}`)
const ring = (...ids: string[]): ReturnType<typeof createRing> => createRing(ids.map((id) => ({ id })))

function setup (selfId: string, init: OwnershipInit = {}, minMembers = 1): { g: GroupOwnership, clock: ManualClock, ringChanges: () => number, mine: () => string[] } {
  const clock = new ManualClock()
  let ringChanges = 0
  const g = new GroupOwnership({ clock, selfId, changed: (ringChanged) => { if (ringChanged) ringChanges++ }, minMembers: () => minMembers }, resolveOwnershipPolicy(init, TIMINGS))
  return { g, clock, ringChanges: () => ringChanges, mine: () => keys.filter((k) => g.isMine(k)) }
}

/** A member `self` that has been in the group `ids` long enough: caught up, everyone advertising that ring. */
function established (self: string, ids: string[], init: OwnershipInit = {}): ReturnType<typeof setup> {
  const s = setup(self, init)
  s.g.setView(ring(...ids))
  s.clock.advance(init.settleMs ?? 0)
  for (const id of ids) if (id !== self) s.g.heard(id, ring(...ids).digest, ring(...ids).digest, 1)
  s.g.converged()
  expect(s.mine()).toEqual(keys.filter((k) => ring(...ids).owner(k) === self))
  return s
}

describe('safe handoff (GroupOwnership, manual clock)', () => {
  it('a newcomer takes nothing before it caught up, then a key once the member next in line has seen it', () => {
    const { g, mine } = setup('n')
    g.setView(ring('n'))
    expect(mine()).toEqual([])
    expect(g.advert.digest).toBe(OWNS_NOTHING)
    const full = ring('a', 'b', 'n')
    g.setView(full)
    g.heard('a', ring('a', 'b').digest, ring('a', 'b').digest, 1)
    g.heard('b', ring('a', 'b').digest, ring('a', 'b').digest, 1)
    expect(mine()).toEqual([])
    g.heard('a', full.digest, full.digest, 2)       // a sees our view: caught up, and a has seen us
    const ours = keys.filter((k) => full.owner(k) === 'n')
    expect(mine()).toEqual(ours.filter((k) => full.owners(k, 2)[1] === 'a'))
    g.heard('b', full.digest, full.digest, 2)
    expect(mine()).toEqual(ours)
    expect(g.advert).toEqual({ epoch: 2 })
  })

  it('alone, a newcomer owns everything once the membership reports the group converged (after its settle window), not only after its patience', () => {
    const { g, clock, mine } = setup('n')
    g.setView(ring('n'))
    clock.advance(TIMINGS.suspectAfterMs)   // the membership's settle window for a lone member
    expect(mine()).toEqual([])              // patience (memberTimeoutMs) is not over yet
    g.converged()
    expect(mine()).toEqual(keys)
  })

  it('minMembers: a view with fewer members owns nothing, not even once its patience is over; it owns once they are seen', () => {
    // before, `--min-members 3` kept a lone agent from converging, but after memberTimeoutMs it owned every key
    const { g, clock, mine } = setup('n', {}, 3)
    g.setView(ring('n'))
    g.converged()
    clock.advance(TIMINGS.memberTimeoutMs * 3)
    expect(mine()).toEqual([])
    expect(g.advert.digest).toBe(OWNS_NOTHING)
    const full = ring('a', 'b', 'n')
    g.setView(full)
    g.heard('a', full.digest, full.digest, 2)
    g.heard('b', full.digest, full.digest, 2)
    expect(mine()).toEqual(keys.filter((k) => full.owner(k) === 'n'))
  })

  it('a newcomer with a partial view does not catch up from a member that sees more', () => {
    const { g, mine } = setup('n')
    g.setView(ring('a', 'n'))
    g.heard('a', ring('a', 'b', 'n').digest, ring('a', 'b', 'n').digest, 2)
    expect(mine()).toEqual([])
    expect(g.state.caughtUp).toBe(false)
  })

  it('the previous owner releases at once on a join, and keeps the rest without waiting for the newcomer', () => {
    const { g, mine } = established('a', ['a', 'b'])
    const withN = ring('a', 'b', 'n')
    g.setView(withN)
    expect(mine()).toEqual(keys.filter((k) => withN.owner(k) === 'a'))
  })

  it('a graceful leave: the heir takes the leaver\'s keys at once (the next in line saw us long ago)', () => {
    const { g, mine } = established('a', ['a', 'b', 'c'])
    g.left('c', true)
    g.setView(ring('a', 'b'))
    expect(mine()).toEqual(keys.filter((k) => ring('a', 'b').owner(k) === 'a'))
  })

  it('a lone member takes everything after memberTimeoutMs with nobody to take over from', () => {
    const { g, clock, mine } = setup('n')
    g.setView(ring('n'))
    clock.advance(999)
    expect(mine()).toEqual([])
    clock.advance(1)
    expect(mine()).toEqual(keys)
  })

  it('handoff: false takes at once (today\'s behaviour)', () => {
    const { g, mine } = setup('n', { handoff: false })
    g.setView(ring('n'))
    expect(mine()).toEqual(keys)
  })
})

describe('partition policy (GroupOwnership, manual clock)', () => {
  it('own-nothing: owns nothing once the others are suspect (before the majority times us out), and again when they are back', () => {
    const { g, mine } = established('a', ['a', 'b', 'c'], { quorum: 'majority', onMinority: 'own-nothing' })
    const share = mine()
    g.suspect('b', true)
    expect(mine()).toEqual(share)                  // 2 of 3 alive: still the majority
    g.suspect('c', true)
    expect(mine()).toEqual([])
    expect(g.advert.digest).toBe(OWNS_NOTHING)
    expect(g.state).toMatchObject({ mode: 'minority-own-nothing', quorumRequired: 2, viewSize: 3 })
    g.setView(ring('a'))                           // they time out: still nothing (3 remembered)
    expect(mine()).toEqual([])
  })

  it('keep-last: keeps the last share (not more) for keepLastMs = memberTimeoutMs - suspectAfterMs - heartbeatIntervalMs, then nothing', () => {
    const { g, clock, mine } = established('a', ['a', 'b', 'c'], { quorum: 'majority', onMinority: 'keep-last' })
    const share = mine()
    g.suspect('b', true)
    g.suspect('c', true)
    clock.advance(199)
    g.setView(ring('a'))
    expect(mine()).toEqual(share)
    expect(g.advert.digest).toBe(ring('a', 'b', 'c').digest)
    clock.advance(1)
    expect(mine()).toEqual([])
  })

  it('own-all (default): the minority re-splits everything among those it sees', () => {
    const { g, mine } = established('a', ['a', 'b', 'c'], { quorum: 'majority' })
    g.suspect('b', true)
    g.suspect('c', true)
    g.setView(ring('a'))
    expect(mine()).toEqual(keys)
    expect(g.state.mode).toBe('minority-own-all')
  })

  it('a fixed quorum count', () => {
    const { g, mine } = established('a', ['a', 'b', 'c'], { quorum: 3, onMinority: 'own-nothing' })
    g.setView(ring('a', 'b'))
    expect(mine()).toEqual([])
  })
})

describe('settling (GroupOwnership, manual clock)', () => {
  it('applies a view only once it has been stable settleMs: a member flapping faster moves no key', () => {
    const { g, clock, mine, ringChanges } = established('a', ['a', 'b', 'c'], { settleMs: 3000 })
    const share = mine()
    const before = ringChanges()
    for (let i = 0; i < 5; i++) {
      g.setView(ring('a', 'b'))
      clock.advance(1000)
      g.setView(ring('a', 'b', 'c'))
      clock.advance(1000)
      expect(mine()).toEqual(share)
    }
    expect(ringChanges()).toBe(before)
    g.setView(ring('a', 'b'))
    clock.advance(2999)
    expect(g.ring.digest).toBe(ring('a', 'b', 'c').digest)
    clock.advance(1)
    expect(g.ring.digest).toBe(ring('a', 'b').digest)
    expect(ringChanges()).toBe(before + 1)
    expect(mine()).toEqual(keys.filter((k) => ring('a', 'b').owner(k) === 'a'))
  })
})

describe('fencing epochs through GroupOwnership', () => {
  it('members that saw the same history give every key the same epoch, and agree after hearing each other', () => {
    const a = established('a', ['a', 'b'])
    const b = established('b', ['a', 'b'])
    for (const s of [a, b]) s.g.setView(ring('a', 'b', 'c'))
    for (const key of keys) expect(a.g.ownership(key)).toEqual(b.g.ownership(key))
    a.g.heard('b', ring('a', 'b', 'c').digest, ring('a', 'b', 'c').digest, 9)
    expect(a.g.advert.epoch).toBe(9)
  })
})

describe('silenced: our process was paused longer than the others wait for us', () => {
  it('owns nothing and advertises so at once, whatever the mode; takes its share back once the group converged again and the next in line owns by a ring with us', () => {
    const { g, mine } = established('c', ['a', 'b', 'c'])
    const all = ring('a', 'b', 'c')
    g.silenced()
    expect(mine()).toEqual([])
    expect(g.advert.digest).toBe(OWNS_NOTHING)
    // a heartbeat queued while we were paused, from before a dropped us, catches nothing up
    g.heard('a', all.digest, all.digest, 1)
    expect(mine()).toEqual([])
    // a and b dropped us: their latest heartbeats own by a ring without us
    g.heard('a', ring('a', 'b').digest, ring('a', 'b').digest, 2)
    g.heard('b', ring('a', 'b').digest, ring('a', 'b').digest, 2)
    g.converged()
    expect(mine()).toEqual([])
    // they heard us again and own by the ring with us: each key comes back as its next in line shows it
    g.heard('a', all.digest, all.digest, 3)
    g.heard('b', all.digest, all.digest, 3)
    expect(mine()).toEqual(keys.filter((k) => all.owner(k) === 'c'))
    // fencing: our keys' epoch is above the one a and b held them at while we were gone (2)
    for (const key of mine()) expect(g.ownership(key).epoch).toBeGreaterThan(2)
  })

  it('with safe handoff off too: nothing until the group converged again', () => {
    const { g, mine } = established('c', ['a', 'b', 'c'], { handoff: false })
    g.silenced()
    expect(mine()).toEqual([])
    g.converged()
    expect(mine()).toEqual(keys.filter((k) => ring('a', 'b', 'c').owner(k) === 'c'))
  })

  it('alone on the minority side with keep-last, what is due by now applies at once: the last share is over after keepLastMs, however late our timer', () => {
    const clock = new ManualClock()
    let lagMs = 0
    const lagging = { now: () => clock.now() + lagMs, setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, ms), clearTimeout: (handle: unknown) => { clock.clearTimeout(handle) } }
    const policy = resolveOwnershipPolicy({ quorum: 'majority', onMinority: 'keep-last' }, TIMINGS)
    const g = new GroupOwnership({ clock: lagging, selfId: 'c', changed: () => {} }, policy)
    const all = ring('a', 'b', 'c')
    g.setView(all)
    for (const id of ['a', 'b']) g.heard(id, all.digest, all.digest, 1)
    g.converged()
    g.setView(ring('c'))
    expect(keys.filter((k) => g.isMine(k))).toEqual(keys.filter((k) => all.owner(k) === 'c'))
    lagMs = policy.keepLastMs + TIMINGS.memberTimeoutMs // paused: the keep-last timer has not run
    g.silenced()
    expect(keys.filter((k) => g.isMine(k))).toEqual([])
    expect(g.state.mode).toBe('minority-own-nothing')
  })

  it('alone in the view (own-all), nobody we know can have taken our keys: nothing changes', () => {
    const { g, clock, mine } = setup('n')
    g.setView(ring('n'))
    clock.advance(TIMINGS.suspectAfterMs)
    g.converged()
    g.silenced()
    expect(mine()).toEqual(keys)
  })

  it('after the patience (memberTimeoutMs) without the group converging, it catches up as a newcomer does', () => {
    const { g, clock, mine } = established('c', ['a', 'b', 'c'])
    g.silenced()
    clock.advance(TIMINGS.memberTimeoutMs)
    expect(mine()).toEqual(keys.filter((k) => ring('a', 'b', 'c').owner(k) === 'c'))
  })
})
