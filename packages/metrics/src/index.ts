/**
 * @packageDocumentation
 *
 * `@gossip-ring/metrics`: Prometheus metrics of a gossip-ring cluster through `prom-client`, so that
 * `@gossip-ring/cluster` itself stays free of it. Two ways in: add the metrics to the application's
 * own registry, or serve them on a port (loopback by default).
 *
 * @example
 * ```ts
 * import { register } from 'prom-client'
 * import { registerClusterMetrics, serveMetrics } from '@gossip-ring/metrics'
 *
 * registerClusterMetrics(cluster, { registry: register })          // your app already serves /metrics
 * const server = await serveMetrics(cluster, { port: 9464 })        // or: http://127.0.0.1:9464/metrics
 * await server.close()
 * ```
 */
export { registerClusterMetrics } from './cluster-metrics.js'
export type { ClusterMetrics, ClusterMetricsInit } from './cluster-metrics.js'
export { MetricNameTakenError } from './errors.js'
export { closeServer, listenOn } from './listen.js'
export { serveMetrics } from './serve.js'
export type { MetricsServer, MetricsServerInit } from './serve.js'
