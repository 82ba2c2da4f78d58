import { describe, expect, it } from 'vitest'
import { ClockSkewWatch } from '../src/clock-skew-watch.js'
import type { ClockSkew } from '../src/clock-skew-watch.js'

const NOW = 1_700_000_000_000
const AHEAD = 180_000

function watch (init: { maxTracked?: number } = {}): { skews: ClockSkew[], w: ClockSkewWatch } {
  const skews: ClockSkew[] = []
  return { skews, w: new ClockSkewWatch({ maxClockSkewMs: 60_000, onSkew: skew => { skews.push(skew) }, ...init }) }
}

describe('ClockSkewWatch', () => {
  it('reports a steady stream at one offset after three heartbeats, once, with the offset', () => {
    const { skews, w } = watch()
    for (let seq = 1; seq <= 10; seq++) w.refused('a', 'boot', seq, NOW + seq * 1000 + AHEAD + (seq % 2) * 300, NOW + seq * 1000)
    expect(skews).toEqual([{ id: 'a', offsetMs: AHEAD + 300, maxClockSkewMs: 60_000 }])
  })

  it('does not report a replay: one captured heartbeat again and again, or old ones growing older', () => {
    const { skews, w } = watch()
    for (let i = 0; i < 10; i++) w.refused('a', 'boot', 7, NOW - 200_000, NOW + i * 1000)   // same seq
    for (let seq = 1; seq <= 10; seq++) w.refused('b', 'boot', seq, NOW - 200_000 + seq, NOW + seq * 10_000)   // offsets drift 10 s apart
    expect(skews).toEqual([])
  })

  it('starts over on another incarnation and on a heartbeat without a timestamp is silent', () => {
    const { skews, w } = watch()
    w.refused('a', 'boot-1', 1, NOW + AHEAD, NOW)
    w.refused('a', 'boot-1', 2, NOW + AHEAD, NOW)
    w.refused('a', 'boot-2', 3, NOW + AHEAD, NOW)
    w.refused('a', 'boot-2', 4, undefined, NOW)
    expect(skews).toEqual([])
    w.refused('a', 'boot-2', 5, NOW + AHEAD, NOW)
    w.refused('a', 'boot-2', 6, NOW + AHEAD, NOW)
    expect(skews).toHaveLength(1)
  })

  it('reports again only after a heartbeat of the agent was admitted in between', () => {
    const { skews, w } = watch()
    const stream = (from: number): void => { for (let seq = from; seq < from + 3; seq++) w.refused('a', 'boot', seq, NOW - AHEAD, NOW) }
    stream(1)
    stream(10)
    expect(skews).toHaveLength(1)
    w.admitted('a')
    stream(20)
    expect(skews).toHaveLength(2)
  })

  it('follows at most maxTracked senders: a flood of fresh ids forgets the oldest', () => {
    const { skews, w } = watch({ maxTracked: 2 })
    w.refused('a', 'boot', 1, NOW + AHEAD, NOW)
    w.refused('b', 'boot', 1, NOW + AHEAD, NOW)
    w.refused('c', 'boot', 1, NOW + AHEAD, NOW)   // forgets a
    w.refused('a', 'boot', 2, NOW + AHEAD, NOW)
    w.refused('a', 'boot', 3, NOW + AHEAD, NOW)
    expect(skews).toEqual([])   // a's run started over at seq 2
  })
})
