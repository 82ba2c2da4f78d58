import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EARLY_BEAT_FULL_GAP_PEERS, earlyBeatGapMs, HeartbeatLoop } from '../src/heartbeat-loop.js'

describe('earlyBeatGapMs', () => {
  it.each([
    [0, 250], [2, 250], [8, 250], [16, 500], [24, 750], [EARLY_BEAT_FULL_GAP_PEERS, 1000], [49, 1000], [1000, 1000]
  ])('with %d known peers, early beats are at least %d ms apart (1 s interval)', (peers, expected) => {
    expect(earlyBeatGapMs(1000, peers)).toBe(expected)
  })
})

describe('HeartbeatLoop early beats', () => {
  const INTERVAL_MS = 1000
  let beats: number[] = []
  let loop: HeartbeatLoop | undefined
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    beats = []
  })
  afterEach(() => {
    loop?.stop()
    vi.useRealTimers()
  })

  function startLoop (peers: () => number): HeartbeatLoop {
    loop = new HeartbeatLoop(async () => { beats.push(performance.now()) }, {
      intervalMs: INTERVAL_MS, jitter: 0, minGapMs: () => earlyBeatGapMs(INTERVAL_MS, peers())
    })
    loop.start()
    return loop
  }

  it('a small fleet announces a view change a quarter interval after the last beat', () => {
    const started = startLoop(() => 3)
    vi.advanceTimersByTime(100)
    started.beatSoon()
    vi.advanceTimersByTime(200)
    expect(beats).toEqual([0, 250])
  })

  it('a large fleet waits for the regular beat: a burst of view changes costs no extra heartbeat', () => {
    let peers = 3
    const started = startLoop(() => peers)
    peers = 49   // the fleet grew while starting
    for (let t = 100; t < 3000; t += 100) {
      vi.advanceTimersByTime(100)
      started.beatSoon()
    }
    // one beat per interval, as without any view change (a quarter-interval gap gave 4 per interval)
    expect(beats).toEqual([0, 1000, 2000])
  })

  it('an early beat asked with a shorter gap is not held back by a pending one asked with a longer gap', () => {
    const started = startLoop(() => 49)
    vi.advanceTimersByTime(100)
    started.beatSoon() // a view change in a large fleet: due with the regular beat, at 1000
    vi.advanceTimersByTime(100)
    started.beatSoon(250) // someone shares our view (the agreement beat): due at 250
    vi.advanceTimersByTime(100)
    started.beatSoon() // a later, longer request does not push it back
    vi.advanceTimersByTime(1000)
    expect(beats).toEqual([0, 250, 1250]) // then the regular beat, one interval after the early one
  })
})

describe('HeartbeatLoop silence', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('tells each beat how long we were silent: about an interval normally, the whole pause after one', () => {
    const silences: number[] = []
    const loop = new HeartbeatLoop(async () => {}, { intervalMs: 1000, jitter: 0, beforeBeat: (ms) => { silences.push(ms) } })
    expect(loop.sinceLastBeatMs()).toBe(0)
    loop.start()
    vi.advanceTimersByTime(2000)
    expect(silences).toEqual([0, 1000, 1000])
    // a paused process: time passes, no timer runs; the question before the beat sees the pause too
    vi.setSystemTime(Date.now() + 6000)
    vi.spyOn(performance, 'now').mockReturnValue(performance.now() + 6000)
    expect(loop.sinceLastBeatMs()).toBe(6000)
    vi.mocked(performance.now).mockRestore()
    loop.stop()
    expect(loop.sinceLastBeatMs()).toBe(0)
  })

  it('counts a suspend of the machine, which the monotonic clock does not: the wall clock moved on', () => {
    const silences: number[] = []
    const loop = new HeartbeatLoop(async () => {}, { intervalMs: 1000, jitter: 0, beforeBeat: (ms) => { silences.push(ms) } })
    loop.start()
    vi.advanceTimersByTime(1000)
    // an hour of suspend: performance.now() stood still, Date.now() did not
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000)
    expect(loop.sinceLastBeatMs()).toBeGreaterThanOrEqual(3_600_000)
    void loop.beatNow()
    expect(silences.at(-1)).toBeGreaterThanOrEqual(3_600_000)
    vi.mocked(Date.now).mockRestore()
    loop.stop()
  })
})
