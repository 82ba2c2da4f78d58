import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/errors.js'
import { FaultRules } from '../src/faults.js'
import { seededRandom } from '../src/random.js'

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const seqA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(seqA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA)
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true)
  })
})

describe('FaultRules', () => {
  it('decides nothing when empty', () => {
    const rules = new FaultRules(seededRandom(1))
    expect(rules.isEmpty).toBe(true)
    expect(rules.decide(0, 1)).toEqual({ drop: false, delayMs: 0 })
  })

  it('drops about the given fraction, only for matching author and receiver, reproducibly', () => {
    const run = (): boolean[] => {
      const rules = new FaultRules(seededRandom(7))
      rules.addLoss({ from: 0, to: [1, 2], rate: 0.3 })
      return Array.from({ length: 2000 }, () => rules.decide(0, 1).drop)
    }
    const drops = run()
    const rate = drops.filter(Boolean).length / drops.length
    expect(rate).toBeGreaterThan(0.25)
    expect(rate).toBeLessThan(0.35)
    expect(run()).toEqual(drops)
    const rules = new FaultRules(seededRandom(7))
    rules.addLoss({ from: 0, to: 1, rate: 1 })
    expect(rules.decide(1, 0).drop).toBe(false)
    expect(rules.decide(0, 2).drop).toBe(false)
    expect(rules.decide(0, 1).drop).toBe(true)
  })

  it('applies a rule with no from/to to every pair', () => {
    const rules = new FaultRules(seededRandom(1))
    rules.addLoss({ rate: 1 })
    rules.addDelay({ ms: 50 })
    expect(rules.decide(3, 9)).toEqual({ drop: true, delayMs: 50 })
  })

  it('adds up delays of matching rules and is directional', () => {
    const rules = new FaultRules(seededRandom(1))
    rules.addDelay({ from: 0, to: 1, ms: 100 })
    rules.addDelay({ to: 1, ms: 20 })
    expect(rules.decide(0, 1).delayMs).toBe(120)
    expect(rules.decide(2, 1).delayMs).toBe(20)
    expect(rules.decide(1, 0).delayMs).toBe(0)
  })

  it('clears every rule', () => {
    const rules = new FaultRules(seededRandom(1))
    rules.addLoss({ rate: 1 })
    rules.addDelay({ ms: 5 })
    rules.clear()
    expect(rules.isEmpty).toBe(true)
    expect(rules.decide(0, 1)).toEqual({ drop: false, delayMs: 0 })
  })

  it('rejects bad rates, delays and selectors with InvalidOptionError', () => {
    const rules = new FaultRules(seededRandom(1))
    expect(() => { rules.addLoss({ rate: 1.5 }) }).toThrow(InvalidOptionError)
    expect(() => { rules.addLoss({ rate: Number.NaN }) }).toThrow(InvalidOptionError)
    expect(() => { rules.addDelay({ ms: -1 }) }).toThrow(InvalidOptionError)
    expect(() => { rules.addDelay({ ms: Infinity }) }).toThrow(InvalidOptionError)
    expect(() => { rules.addLoss({ from: [-1], rate: 0.5 }) }).toThrow('from must hold node indices')
    expect(rules.isEmpty).toBe(true)
  })
})
