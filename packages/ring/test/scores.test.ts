import { describe, expect, it } from 'vitest'
import { createRing } from '../src/index.js'

describe('ring.scores (explain)', () => {
  const ring = createRing([{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'c' }, { id: 'd', weight: 0.5 }])

  it('lists every member best first, in the order of owners(), with decreasing scores', () => {
    for (const key of ['k1', 'k2', 'feed-7', '']) {
      const scores = ring.scores(key)
      expect(scores.map((s) => s.id)).toEqual(ring.owners(key, ring.size))
      expect(scores[0]?.id).toBe(ring.owner(key))
      for (let i = 1; i < scores.length; i++) expect(scores[i - 1]!.score).toBeGreaterThanOrEqual(scores[i]!.score)
      expect(scores.find((s) => s.id === 'b')?.weight).toBe(2)
    }
  })

  it('is empty for the empty ring', () => {
    expect(createRing([]).scores('k')).toEqual([])
  })
})
