import { describe, expect, it } from 'vitest'
import { PolicyWatch } from '../src/policy-watch.js'

const G = [{ name: 'g' }]
const OURS = 0xabc

function watch (): { reports: string[], w: PolicyWatch } {
  const reports: string[] = []
  return { reports, w: new PolicyWatch((group, id) => { reports.push(`${group}/${id}`) }) }
}

describe('PolicyWatch', () => {
  it('reports a member once while it differs, again after it agreed in between', () => {
    const { reports, w } = watch()
    for (let i = 0; i < 3; i++) w.check('a', G, { g: { epoch: 1, policy: 0xdef } }, () => OURS)
    expect(reports).toEqual(['g/a'])
    w.check('a', G, { g: { epoch: 1, policy: OURS } }, () => OURS)
    w.check('a', G, { g: { epoch: 1, policy: 0xdef } }, () => OURS)
    expect(reports).toEqual(['g/a', 'g/a'])
  })

  it('compares nothing for a group we are not in, or a member that advertises no fingerprint', () => {
    const { reports, w } = watch()
    w.check('a', G, { g: { epoch: 1, policy: 0xdef } }, () => undefined)
    w.check('b', G, { g: { epoch: 1 } }, () => OURS)
    expect(reports).toEqual([])
  })

  it('remembers at most 1024 reported pairs: beyond, the oldest is forgotten (and would be reported again)', () => {
    const { reports, w } = watch()
    for (let i = 0; i <= 1024; i++) w.check(`m${i}`, G, { g: { epoch: 1, policy: 0xdef } }, () => OURS)
    w.check('m1', G, { g: { epoch: 1, policy: 0xdef } }, () => OURS)
    w.check('m0', G, { g: { epoch: 1, policy: 0xdef } }, () => OURS)
    expect(reports).toHaveLength(1026)
    expect(reports.at(-1)).toBe('g/m0')
  })
})
