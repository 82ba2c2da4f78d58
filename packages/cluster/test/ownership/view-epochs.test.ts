import { createRing } from '@gossip-ring/ring'
import { describe, expect, it } from 'vitest'
import { ViewEpochs } from '../../src/ownership/view-epochs.js'

const ring = (...ids: string[]): ReturnType<typeof createRing> => createRing(ids.map((id) => ({ id })))
const keys = Array.from({ length: 200 }, (_, i) => `k${i}`)

describe('ViewEpochs (fencing epochs)', () => {
  it('gives the same epochs to two members that saw the same history, and the epoch of a key grows only when its owner changes', () => {
    const a = new ViewEpochs()
    const b = new ViewEpochs()
    for (const epochs of [a, b]) {
      epochs.apply(ring('a', 'b', 'c'))
      epochs.apply(ring('a', 'b', 'c', 'd'))
    }
    for (const key of keys) expect(a.keyEpoch(key)).toBe(b.keyEpoch(key))
    const abcd = ring('a', 'b', 'c', 'd')
    const abc = ring('a', 'b', 'c')
    for (const key of keys) expect(a.keyEpoch(key)).toBe(abcd.owner(key) === abc.owner(key) ? 1 : 2)
  })

  it('gives a key a larger epoch than any its previous owner advertised before we heard it', () => {
    const old = new ViewEpochs()
    for (let i = 0; i < 5; i++) old.apply(ring('a', 'b', `x${i}`))
    const newcomer = new ViewEpochs()
    newcomer.apply(ring('n'))
    newcomer.heard(ring('a', 'b', 'x4').digest, old.epoch)
    newcomer.apply(ring('a', 'b', 'x4', 'n'))
    const moved = keys.filter((key) => ring('a', 'b', 'x4', 'n').owner(key) === 'n')
    for (const key of moved) expect(newcomer.keyEpoch(key)).toBeGreaterThan(old.keyEpoch(key))
  })

  it('adopts a larger epoch advertised for our own ring, so members agree once they heard each other', () => {
    const a = new ViewEpochs()
    a.apply(ring('a'))
    a.apply(ring('a', 'b'))
    expect(a.epoch).toBe(2)
    expect(a.heard(ring('a', 'b').digest, 7)).toBe(true)
    expect(a.epoch).toBe(7)
    expect(a.heard(ring('a', 'b').digest, 3)).toBe(false)
    expect(a.heard(ring('z').digest, 9)).toBe(false)
    expect(a.epoch).toBe(7)
    a.apply(ring('a', 'b', 'c'))
    expect(a.epoch).toBe(10)
  })

  it('restarts the history on rebase (caught up with the group): keys get the current epoch', () => {
    const n = new ViewEpochs()
    n.apply(ring('n'))
    n.apply(ring('a', 'n'))
    const key = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].find((k) => ring('a', 'n').owner(k) === 'n') as string
    expect(n.keyEpoch(key)).toBe(1)
    n.rebase()
    expect(n.keyEpoch(key)).toBe(2)
  })

  it('never passes 2^53 - 1 (the wire limit), whatever a member advertises', () => {
    const e = new ViewEpochs()
    e.heard(ring('z').digest, Number.MAX_SAFE_INTEGER)
    e.apply(ring('a'))
    e.apply(ring('a', 'b'))
    expect(e.epoch).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('is 0 before any ring', () => {
    expect(new ViewEpochs().keyEpoch('k')).toBe(0)
  })
})
