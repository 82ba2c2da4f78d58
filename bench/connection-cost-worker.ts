/**
 * One checkout's process of `bench/connection-cost.bench.ts` (forked, IPC): two clusters of the
 * checkout given as the first argument (its `packages/cluster` sources and its own libp2p) on
 * loopback TCP, mDNS off, in this process. For each `run` request, that many times: the first dials
 * the second, both wait until each sees the other subscribed to the cluster topic in gossipsub, the
 * first hangs up, both wait until the connection is gone on both sides; a measured run replies with
 * the process CPU (both ends together) and wall time per connection. A second argument, a directory,
 * gets a V8 CPU profile of the measured runs. Exits on `stop` or when the parent goes away.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Cluster, ClusterInit } from '@gossip-ring/cluster'
import { startCpuProfile } from './cpu-profile.js'
import type { RunningProfile } from './cpu-profile.js'
import type { WorkerReply, WorkerRequest } from './connection-cost.js'

/** The longest one phase of a cycle (connect, or disconnect) may take before the worker gives up. */
const PHASE_TIMEOUT_MS = 10_000

interface ClusterModule {
  createCluster: (init: ClusterInit) => Promise<Cluster>
  presets: { local: Readonly<ClusterInit> }
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

async function send (reply: WorkerReply): Promise<void> {
  if (process.send === undefined) throw new Error('not forked with an IPC channel')
  await new Promise<void>((resolvePromise) => { process.send?.(reply, undefined, {}, () => { resolvePromise() }) })
}

async function main (): Promise<void> {
  const [checkout = '.', profileDir] = process.argv.slice(2)
  const { createCluster, presets } = await import(pathToFileURL(resolve(checkout, 'packages/cluster/src/index.ts')).href) as ClusterModule
  // the clusters redial members they lost (a heal); here only the bench's own dial may connect
  let dialing = false
  const a = await createCluster({ ...presets.local, groups: ['bench'], connectionGater: { denyDialPeer: () => !dialing } })
  const b = await createCluster({ ...presets.local, groups: ['bench'], connectionGater: { denyDialPeer: () => true } })
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
  let profile: RunningProfile | undefined
  let stopped: Promise<void> | undefined
  const stop = async (): Promise<void> => {
    stopped ??= (async () => {
      const cpuProfile = await profile?.stop()
      await Promise.all([a.stop({ goodbye: false }), b.stop({ goodbye: false })])
      if (process.connected) {
        await send({ type: 'stopped', ...(cpuProfile !== undefined ? { cpuProfile } : {}) })
        process.disconnect()
      }
    })()
    return stopped
  }
  // one request at a time, in order
  let queue = Promise.resolve()
  process.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'stop') return stop()
      if (request.measure && profileDir !== undefined) profile ??= await startCpuProfile(profileDir, `connection-cost-${process.pid}.cpuprofile`)
      const cpu0 = process.cpuUsage()
      const thread0 = process.threadCpuUsage()
      const wall0 = performance.now()
      for (let i = 0; i < request.connections; i++) await cycle()
      const cpu = process.cpuUsage(cpu0)
      const thread = process.threadCpuUsage(thread0)
      const wall = performance.now() - wall0
      await send(request.measure ? { type: 'ran', cost: { cpuMsPerConnection: (cpu.user + cpu.system) / 1000 / request.connections, mainThreadCpuMsPerConnection: (thread.user + thread.system) / 1000 / request.connections, wallMsPerConnection: wall / request.connections } } : { type: 'ready' })
    }).catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
  })
  process.on('disconnect', () => { void stop().finally(() => process.exit(0)) })
  await send({ type: 'ready' })
}

await main()
