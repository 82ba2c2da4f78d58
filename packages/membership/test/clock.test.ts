import { describe, expect, it } from 'vitest'
import { InvalidOptionError, ManualClock } from '../src/index.js'

describe('ManualClock', () => {
  it('fires due timers in time order, then ties in scheduling order, each at its due time', () => {
    const clock = new ManualClock(100)
    const fired: Array<[string, number]> = []
    clock.setTimeout(() => fired.push(['late', clock.now()]), 30)
    clock.setTimeout(() => fired.push(['early', clock.now()]), 10)
    clock.setTimeout(() => fired.push(['tie', clock.now()]), 30)
    clock.setTimeout(() => fired.push(['outside', clock.now()]), 51)
    clock.advance(50)
    expect(fired).toEqual([['early', 110], ['late', 130], ['tie', 130]])
    expect(clock.now()).toBe(150)
    expect(clock.pendingTimers).toBe(1)
  })

  it('fires timers scheduled by callbacks when they fall within the window', () => {
    const clock = new ManualClock()
    const fired: number[] = []
    clock.setTimeout(() => {
      fired.push(clock.now())
      clock.setTimeout(() => fired.push(clock.now()), 5)
      clock.setTimeout(() => fired.push(clock.now()), 500)
    }, 10)
    clock.advance(20)
    expect(fired).toEqual([10, 15])
    clock.advance(490)
    expect(fired).toEqual([10, 15, 510])
  })

  it('does not fire cleared timers, and treats negative delays as 0', () => {
    const clock = new ManualClock()
    const fired: string[] = []
    const handle = clock.setTimeout(() => fired.push('cleared'), 1)
    clock.setTimeout(() => fired.push('negative'), -10)
    clock.clearTimeout(handle)
    clock.clearTimeout('unknown handle')
    clock.advance(0)
    expect(fired).toEqual(['negative'])
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects advance(%d) and advanceBlocked(%d)', (ms) => {
    expect(() => new ManualClock().advance(ms)).toThrow(InvalidOptionError)
    expect(() => new ManualClock().advanceBlocked(ms)).toThrow(InvalidOptionError)
  })

  it('advanceBlocked fires due timers late, at the end, in time order; timers they schedule wait for the next advance', () => {
    const clock = new ManualClock()
    const fired: Array<[string, number]> = []
    clock.setTimeout(() => fired.push(['second', clock.now()]), 30)
    const cleared = clock.setTimeout(() => fired.push(['cleared', clock.now()]), 40)
    clock.setTimeout(() => {
      fired.push(['first', clock.now()])
      clock.clearTimeout(cleared)
      clock.setTimeout(() => fired.push(['next turn', clock.now()]), 0)
    }, 10)
    clock.setTimeout(() => fired.push(['outside', clock.now()]), 200)
    clock.advanceBlocked(100)
    expect(fired).toEqual([['first', 100], ['second', 100]])
    expect(clock.now()).toBe(100)
    clock.advance(0)
    expect(fired).toEqual([['first', 100], ['second', 100], ['next turn', 100]])
    expect(clock.pendingTimers).toBe(1)
  })
})
