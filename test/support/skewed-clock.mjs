// Preloaded (`node --import`) into an agent process to simulate a host whose wall clock is off:
// Date.now() and new Date() run GOSSIP_RING_TEST_CLOCK_OFFSET_MS ahead (negative: behind).
// Monotonic time (performance.now) is untouched, as on a real host with a wrong clock.
const offsetMs = Number(process.env.GOSSIP_RING_TEST_CLOCK_OFFSET_MS ?? '0')
if (!Number.isFinite(offsetMs)) throw new Error('GOSSIP_RING_TEST_CLOCK_OFFSET_MS must be a number of milliseconds')
const realNow = Date.now
Date.now = () => realNow() + offsetMs
