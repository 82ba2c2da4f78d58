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

  it.each([
    ['café-jobs'.normalize('NFC'), 'café-jobs'.normalize('NFD'), 'NFC and NFD (a name typed on macOS)'],
    ['pollers', 'ｐｏｌｌｅｒｓ', 'full-width letters'],
    ['shard-1', 'shard-１', 'a full-width digit'],
    ['pollers', 'p\u043ellers', 'a Cyrillic о'],
    ['orders', '\u043erd\u0435rs', 'Cyrillic о and е'],
    ['Batch', '\u0412atch', 'a Cyrillic capital В'],
    ['pollers', 'p\u03bfllers', 'a Greek ο'],
    ['caféjobs'.normalize('NFC'), 'cafe\u0301-jobs', 'NFD and a separator'],
    ['Straße', 'STRASSE', 'full case folding (ß in upper case is SS)']
  ])('%j and %j look alike: %s (Unicode forms and letters that look Latin are folded)', (a, b) => {
    expect(looksAlike(a, b)).toBe(true)
    expect(looksAlike(b, a)).toBe(true)
  })

  it('folding lookalike letters does not make neighbours on purpose alike: shard-1 / shard-２, worker-a / worker-ь', () => {
    expect(looksAlike('shard-1', 'shard-２')).toBe(false)
    expect(looksAlike('worker-a', 'worker-\u044c')).toBe(false)
  })

  it('a name does not look like a typo of itself', () => {
    expect(looksAlike('workers', 'workers')).toBe(false)
  })
})
