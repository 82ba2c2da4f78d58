import { describe, expect, it } from 'vitest'
import { looksAlike } from '../src/lookalike-names.js'

describe('looksAlike', () => {
  it.each([
    ['workers', 'Workers'], ['workers', 'WORKERS'], ['work-ers', 'work_ers'], ['shard-1', 'shard1'], ['prod ', 'prod'],
    ['orders', 'oders'], ['orders', 'order'], ['orders', 'ordres'], ['ingest', 'ingets'], ['prod', 'prd'], ['node', 'nodes']
  ])('%j and %j look alike (case, separators, a letter left out or added, two neighbours swapped)', (a, b) => {
    expect(looksAlike(a, b)).toBe(true)
    expect(looksAlike(b, a)).toBe(true)
  })

  it.each([
    ['shard-1', 'shard-2'], ['shard1', 'shard10'], ['shard12', 'shard21'], ['worker-a', 'worker-b'], ['eu-west', 'eu-east'],
    ['ab', 'abc'], ['eu', 'eus'], ['g', 'G2'], ['orders', 'orders-v2'], ['blue', 'green'], ['prod', 'staging']
  ])('%j and %j do not (a digit, a replaced letter, short names, more than one edit)', (a, b) => {
    expect(looksAlike(a, b)).toBe(false)
    expect(looksAlike(b, a)).toBe(false)
  })

  it('a name does not look like a typo of itself', () => {
    expect(looksAlike('workers', 'workers')).toBe(false)
  })
})
