import { createServer } from 'node:http'
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { Cluster } from '@gossip-ring/cluster'
import { registerClusterMetrics } from './cluster-metrics.js'
import { closeServer, listenOn } from './listen.js'
import type { ClusterMetricsInit } from './cluster-metrics.js'

/** Options of {@link serveMetrics}. */
export interface MetricsServerInit extends Omit<ClusterMetricsInit, 'registry'> {
  /** TCP port; 0 picks a free one (see `url`). */
  port: number
  /** Address to listen on. Loopback by default: metrics tell who is in the cluster; expose them on purpose. @default '127.0.0.1' */
  host?: string
  /** Also export prom-client's process metrics (CPU, memory, event loop lag, GC). @default true */
  processMetrics?: boolean
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Where to scrape: `http://host:port/metrics`. */
  readonly url: string
  /** The registry it serves. */
  readonly registry: Registry
  /** Stops serving and unregisters the cluster's metrics; idempotent. */
  close(): Promise<void>
}

/**
 * Serves the metrics of `cluster` in the Prometheus text format on `GET /metrics` (404 elsewhere,
 * 405 for methods other than GET and HEAD), from a registry of its own.
 *
 * @throws {ListenAddressError} (from `@gossip-ring/cluster`) when it cannot listen on `host`:`port`
 */
export async function serveMetrics (cluster: Cluster, init: MetricsServerInit): Promise<MetricsServer> {
  const registry = new Registry()
  if (init.processMetrics ?? true) collectDefaultMetrics({ register: registry })
  const metrics = registerClusterMetrics(cluster, { ...init, registry })
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: scrape /metrics\n')
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n')
    } else {
      registry.metrics().then(text => {
        res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text)
      }, (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`Cannot collect metrics: ${String(err)}\n`)
      })
    }
  })
  let base: string
  try {
    base = await listenOn(server, init.host ?? '127.0.0.1', init.port)
  } catch (err) {
    metrics.unregister()
    throw err
  }
  return {
    url: `${base}/metrics`,
    registry,
    close: async () => {
      metrics.unregister()
      await closeServer(server)
    }
  }
}
