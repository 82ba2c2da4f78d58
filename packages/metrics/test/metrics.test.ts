import { createServer } from 'node:http'
import { createCluster, heartbeatAuthor, presets } from '@gossip-ring/cluster'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'
import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { listenOn, registerClusterMetrics, serveMetrics } from '../src/index.js'
import type { MetricsServer } from '../src/index.js'
import { parseExposition, scrape, scrapeUntil } from './scrape.js'

const G = 'group="pollers"'

/** Resolves once node `at` has received a heartbeat from each of `from` (from now on). */
async function heardFrom (net: TestNetwork, at: number, from: number[]): Promise<void> {
  const pubsub = net.cluster(at).libp2p.services.pubsub
  const waiting = new Set(from.map(node => net.id(node)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { finish(); reject(new Error(`no heartbeat from ${[...waiting].join(', ')}`)) }, 10_000)
    const onMessage = (evt: CustomEvent<{ data: Uint8Array }>): void => {
      const author = heartbeatAuthor(evt.detail.data)
      if (author !== undefined) waiting.delete(author)
      if (waiting.size === 0) { finish(); resolve() }
    }
    const finish = (): void => { clearTimeout(timer); pubsub.removeEventListener('message', onMessage) }
    pubsub.addEventListener('message', onMessage)
  })
}

describe('cluster metrics in an application registry (3 in-process nodes)', () => {
  let net: TestNetwork | undefined
  afterEach(async () => { await net?.stop(); net = undefined })

  it('exposes members, convergence, traffic and the removal delay of a graceful stop and a crash', async () => {
    net = await createTestNetwork({ nodes: 3, groups: ['pollers'] })
    await net.converged('pollers')
    const registry = new Registry()
    registerClusterMetrics(net.cluster(0), { registry })
    await heardFrom(net, 0, [1, 2])

    const first = await scrapeUntil(registry, s => s.get(`gossip_ring_heartbeats_received_total`)! > 0 && s.get(`gossip_ring_heartbeats_sent_total`)! > 0, 'heartbeat traffic')
    expect(first.get(`gossip_ring_members{${G}}`)).toBe(3)
    expect(first.get(`gossip_ring_suspects{${G}}`)).toBe(0)
    expect(first.get(`gossip_ring_group_converged{${G}}`)).toBe(1)
    expect(first.get(`gossip_ring_heartbeats_dropped_total{reason="malformed"}`)).toBe(0)
    expect(first.get(`gossip_ring_heartbeat_publish_failures_total{reason="error"}`)).toBe(0)
    expect(first.get('gossip_ring_dials_total')).toBeTypeOf('number')
    expect(first.get('gossip_ring_redials_total')).toBe(0)
    expect(first.get('gossip_ring_heartbeat_signature_checks_total')).toBeTypeOf('number')
    expect(first.get('gossip_ring_incompatible_peers_total')).toBe(0)
    expect(first.get('gossip_ring_unreachable_peers_total')).toBe(0)
    expect(first.get('gossip_ring_clock_skewed_peers_total')).toBe(0)
    expect(first.get('gossip_ring_policy_mismatches_total')).toBe(0)
    expect(first.get('gossip_ring_lookalike_groups_total')).toBe(0)
    expect(first.get('gossip_ring_silences_total')).toBe(0)
    expect(first.get('gossip_ring_watchers')).toBe(0)
    expect(first.get(`gossip_ring_seconds_since_view_change{${G}}`)).toBeGreaterThanOrEqual(0)
    const stats = net.cluster(0).stats
    expect(first.get('gossip_ring_heartbeats_sent_total')).toBeLessThanOrEqual(stats.published)

    // a graceful stop: removed as its last heartbeat (the goodbye) arrives
    await net.stop(1)
    const afterStop = await scrapeUntil(registry, s => s.get(`gossip_ring_members{${G}}`) === 2, 'two members')
    expect(afterStop.get('gossip_ring_member_removal_delay_seconds_count{reason="left"}')).toBe(1)
    expect(afterStop.get('gossip_ring_member_removal_delay_seconds_sum{reason="left"}')).toBe(0)
    expect(afterStop.get(`gossip_ring_seconds_since_view_change{${G}}`)).toBeLessThan(first.get(`gossip_ring_seconds_since_view_change{${G}}`)! + 5)

    // a crash: removed memberTimeoutMs (1 s here) after its last heartbeat, give or take an interval
    await net.crash(2)
    const afterCrash = await scrapeUntil(registry, s => s.get(`gossip_ring_members{${G}}`) === 1, 'one member')
    expect(afterCrash.get('gossip_ring_member_removal_delay_seconds_count{reason="timeout"}')).toBe(1)
    const delay = afterCrash.get('gossip_ring_member_removal_delay_seconds_sum{reason="timeout"}')!
    expect(delay).toBeGreaterThanOrEqual(0.8)
    expect(delay).toBeLessThan(3)
    expect(afterCrash.get('gossip_ring_member_removal_delay_seconds_bucket{le="0.5",reason="timeout"}')).toBe(0)
    expect(afterCrash.get('gossip_ring_member_removal_delay_seconds_bucket{le="+Inf",reason="timeout"}')).toBe(1)
  })

  it('counts a bootstrap peer not reached (here: nothing listens at its address)', async () => {
    const gone = await createCluster({ ...presets.local, heartbeatIntervalMs: 200 })
    const addrs = gone.multiaddrs
    await gone.stop()
    const alone = await createCluster({ ...presets.local, heartbeatIntervalMs: 200, groups: ['pollers'], bootstrap: addrs })
    try {
      const registry = new Registry()
      registerClusterMetrics(alone, { registry })
      await scrapeUntil(registry, s => s.get('gossip_ring_unreachable_peers_total') === 1, 'the unreachable bootstrap peer counted')
    } finally {
      await alone.stop()
    }
  })

  it('refuses a second cluster under the same names, accepts it under another prefix, and unregisters', async () => {
    net = await createTestNetwork({ nodes: 2, groups: ['pollers'] })
    const registry = new Registry()
    const metrics = registerClusterMetrics(net.cluster(0), { registry })
    expect(() => registerClusterMetrics(net!.cluster(1), { registry })).toThrow(expect.objectContaining({ name: 'MetricNameTakenError', code: 'ERR_METRIC_NAME_TAKEN' }))
    registerClusterMetrics(net.cluster(1), { registry, prefix: 'node1_' })
    await net.converged('pollers')
    const samples = await scrape(registry)
    expect(samples.get(`gossip_ring_members{${G}}`)).toBe(2)
    expect(samples.get(`node1_members{${G}}`)).toBe(2)
    metrics.unregister()
    metrics.unregister()
    const after = await scrape(registry)
    expect([...after.keys()].some(key => key.startsWith('gossip_ring_'))).toBe(false)
    expect(after.get(`node1_members{${G}}`)).toBe(2)

    // a stopped cluster still scrapes: its counters stay, its gauges have no samples
    await net.stop(1)
    const stopped = await scrape(registry)
    expect(stopped.has(`node1_members{${G}}`)).toBe(false)
    expect(stopped.get('node1_heartbeats_sent_total')).toBeGreaterThan(0)
  })
})

describe('serveMetrics', () => {
  let net: TestNetwork | undefined
  let server: MetricsServer | undefined
  afterEach(async () => { await server?.close(); await net?.stop(); server = undefined; net = undefined })

  it('serves the Prometheus text on loopback at /metrics, with process metrics', async () => {
    net = await createTestNetwork({ nodes: 2, groups: ['pollers'] })
    await net.converged('pollers')
    server = await serveMetrics(net.cluster(0), { port: 0 })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const res = await fetch(server.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const text = await res.text()
    expect(text).toContain('# TYPE gossip_ring_member_removal_delay_seconds histogram')
    const samples = parseExposition(text)
    expect(samples.get(`gossip_ring_members{${G}}`)).toBe(2)
    expect(samples.has('process_cpu_user_seconds_total')).toBe(true)
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404)
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405)
    await server.close()
    await server.close()
    await expect(fetch(server.url)).rejects.toThrow()
  })

  it('refuses a port in use with ListenAddressError, leaving nothing registered', async () => {
    net = await createTestNetwork({ nodes: 1, groups: ['pollers'] })
    const blocker = createServer()
    const taken = Number(new URL(await listenOn(blocker, '127.0.0.1', 0)).port)
    try {
      await expect(serveMetrics(net.cluster(0), { port: taken })).rejects.toMatchObject({ name: 'ListenAddressError', code: 'ERR_LISTEN_ADDRESS', address: `127.0.0.1:${taken}` })
      server = await serveMetrics(net.cluster(0), { port: 0 })   // the failed attempt left no metrics behind
      expect(server.url).toContain('127.0.0.1')
    } finally {
      blocker.close()
    }
  })
})
