/**
 * One measurement of `bench/connection-cost.bench.ts`, in its own process: two clusters of a
 * checkout (`--checkout DIR`, its `packages/cluster` sources and its own libp2p) on loopback TCP,
 * mDNS off, in this process; `--cycles` times: the first dials the second, both wait until each sees
 * the other subscribed to the cluster topic in gossipsub, the first hangs up, both wait until the
 * connection is gone on both sides. Prints one JSON line: the process CPU (both sides together) and
 * the wall time per connection, after `--warm-up` unmeasured cycles.
 *
 *   node --conditions=@gossip-ring/source --import tsx bench/connection-cost-worker.ts --checkout DIR
 *     [--cycles 60] [--warm-up 10] [--cpu-profile DIR]
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Cluster, ClusterInit } from '@gossip-ring/cluster'
import { startCpuProfile } from './cpu-profile.js'
import { RESULT_PREFIX } from './connection-cost.js'
import type { ConnectionCost } from './connection-cost.js'

/** The longest one phase of a cycle (connect, or disconnect) may take before the worker gives up. */
const PHASE_TIMEOUT_MS = 10_000

interface ClusterModule {
  createCluster: (init: ClusterInit) => Promise<Cluster>
  presets: { local: Readonly<ClusterInit> }
}

function option (argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

/**
 * Resolves when `condition()` holds, re-checked on every event of `events` on each target (and every
 * few ms in case a change has no event), or rejects after {@link PHASE_TIMEOUT_MS}.
 */
async function until (what: string, condition: () => boolean, targets: EventTarget[], events: string[]): Promise<void> {
  if (condition()) return
  await new Promise<void>((resolvePromise, reject) => {
    const check = (): void => {
      if (!condition()) return
      done()
      resolvePromise()
    }
    const poll = setInterval(check, 5)
    const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${what}`)) }, PHASE_TIMEOUT_MS)
    const done = (): void => {
      clearInterval(poll)
      clearTimeout(timer)
      for (const target of targets) for (const event of events) target.removeEventListener(event, check)
    }
    for (const target of targets) for (const event of events) target.addEventListener(event, check)
  })
}

async function main (): Promise<void> {
  const argv = process.argv.slice(2)
  const checkout = resolve(option(argv, '--checkout') ?? '.')
  const cycles = Number(option(argv, '--cycles') ?? 60)
  const warmUp = Number(option(argv, '--warm-up') ?? 10)
  const profileDir = option(argv, '--cpu-profile')
  if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(warmUp) || warmUp < 0) throw new Error('usage: --checkout DIR --cycles <int >= 1> --warm-up <int >= 0> [--cpu-profile DIR]')
  const { createCluster, presets } = await import(pathToFileURL(resolve(checkout, 'packages/cluster/src/index.ts')).href) as ClusterModule
  // the clusters redial members they lost (a heal); here only the bench's own dial may connect
  let dialing = false
  const a = await createCluster({ ...presets.local, groups: ['bench'], connectionGater: { denyDialPeer: () => !dialing } })
  const b = await createCluster({ ...presets.local, groups: ['bench'], connectionGater: { denyDialPeer: () => true } })
  try {
    const address = b.libp2p.getMultiaddrs()[0]
    if (address === undefined) throw new Error('the second cluster listens on no address')
    const subscribers = (c: Cluster): number => c.libp2p.services.pubsub.getSubscribers(c.topic).length
    const targets = [a.libp2p, b.libp2p, a.libp2p.services.pubsub, b.libp2p.services.pubsub]
    const cycle = async (): Promise<void> => {
      dialing = true
      await a.libp2p.dial(address).finally(() => { dialing = false })
      await until('both sides subscribed', () => subscribers(a) > 0 && subscribers(b) > 0, targets, ['subscription-change'])
      await a.libp2p.hangUp(b.libp2p.peerId)
      await until('both sides disconnected', () => a.libp2p.getConnections().length === 0 && b.libp2p.getConnections().length === 0 && subscribers(a) === 0 && subscribers(b) === 0, targets, ['peer:disconnect', 'connection:close'])
    }
    for (let i = 0; i < warmUp; i++) await cycle()
    const profile = profileDir === undefined ? undefined : await startCpuProfile(profileDir, `connection-cost-${Date.now()}.cpuprofile`)
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    for (let i = 0; i < cycles; i++) await cycle()
    const cpu = process.cpuUsage(cpu0)
    const wall = performance.now() - wall0
    if (profile !== undefined) console.error(`CPU profile: ${await profile.stop()}`)
    const result: ConnectionCost = { cpuMsPerConnection: (cpu.user + cpu.system) / 1000 / cycles, wallMsPerConnection: wall / cycles }
    console.log(RESULT_PREFIX + JSON.stringify(result))
  } finally {
    await Promise.all([a.stop({ goodbye: false }), b.stop({ goodbye: false })])
  }
}

await main()
