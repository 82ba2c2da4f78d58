import { describe, expect, it } from 'vitest'
import { LookalikeGroupWatch } from '../src/lookalike-group-watch.js'
import type { LookalikeGroup } from '../src/lookalike-group-watch.js'

const OURS = ['workers']
const joined = (group: string): boolean => OURS.includes(group)

/** Names a typo away from `workers`: each letter case flipped in turn, and one letter added at each place. */
function lookalikes (): string[] {
  const names = new Set<string>()
  for (let mask = 1; mask < 128; mask++) names.add([...'workers'].map((c, i) => (mask & (1 << i)) !== 0 ? c.toUpperCase() : c).join(''))
  for (let at = 0; at <= 7; at++) for (const letter of 'abcdefghijklmnopqrstuvwxyz') names.add(`workers`.slice(0, at) + letter + 'workers'.slice(at))
  return [...names]
}

describe('LookalikeGroupWatch', () => {
  it('reports each pair of names once, whoever advertises it and however often', () => {
    const reports: LookalikeGroup[] = []
    const watch = new LookalikeGroupWatch(report => { reports.push(report) })
    for (const from of ['a', 'b', 'a']) watch.check(from, [{ name: 'workers' }, { name: 'Workers' }, { name: 'other' }], joined, () => OURS)
    expect(reports).toEqual([{ group: 'workers', lookalike: 'Workers', id: 'a' }])
  })

  it('a stranger advertising endless lookalike names gets a bounded number of reports (no log flood), and none again', () => {
    const names = lookalikes()
    expect(names.length).toBeGreaterThan(300)
    let reports = 0
    const watch = new LookalikeGroupWatch(() => { reports++ })
    for (let round = 0; round < 2; round++) {
      for (const name of names) watch.check('stranger', [{ name }], joined, () => OURS)
    }
    expect(reports).toBe(256)
  })
})
