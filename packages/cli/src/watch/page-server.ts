import { createServer } from 'node:http'
import { isIP } from 'node:net'
import { hostname } from 'node:os'
import { closeServer, listenOn } from '@gossip-ring/metrics'
import type { ServerResponse } from 'node:http'
import { RING_PAGE_HTML } from '../web/ring-page.js'
import type { WatchModel } from './watch-model.js'

/** Options of {@link servePage}. */
export interface PageServerInit {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Address to listen on. The page shows who is in the cluster: loopback unless you mean it. @default '127.0.0.1' */
  host?: string
  /** Milliseconds between keep-alive comments on idle event streams (proxies close silent ones). @default 15000 */
  keepAliveMs?: number
}

/** The running page server. */
export interface PageServer {
  /** The page: `http://host:port/`. */
  readonly url: string
  /** Closes the event streams and the server; idempotent. */
  close(): Promise<void>
}

/**
 * Serves the live ring page: `GET /` the page, `GET /events` server-sent events (one `state` event
 * with the whole {@link WatchState} at once and after every change, coalesced per tick), `GET
 * /state` the state as JSON. Anything else is 404; a request whose Host header is not an IP address,
 * `localhost`, this host's name or the listen address is 403 (DNS rebinding).
 *
 * @throws {ListenAddressError} when it cannot listen on `host`:`port`
 */
export async function servePage (model: WatchModel, init: PageServerInit): Promise<PageServer> {
  const streams = new Set<ServerResponse>()
  let pending = false
  const push = (): void => {
    if (pending) return
    pending = true
    setImmediate(() => {
      pending = false
      const data = `event: state\ndata: ${JSON.stringify(model.state())}\n\n`
      for (const res of streams) res.write(data)
    })
  }
  const unsubscribe = model.onChange(push)
  const keepAlive = setInterval(() => { for (const res of streams) res.write(': keep-alive\n\n') }, init.keepAliveMs ?? 15_000)
  keepAlive.unref()

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (!addressedToUs(req.headers.host, init.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: open the page by this host\'s IP address, localhost or its host name\n')
    } else if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('Method not allowed\n')
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(RING_PAGE_HTML)
    } else if (path === '/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(model.state()))
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(`retry: 1000\nevent: state\ndata: ${JSON.stringify(model.state())}\n\n`)
      streams.add(res)
      req.once('close', () => { streams.delete(res) })
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n')
    }
  })
  const cleanUp = (): void => {
    unsubscribe()
    clearInterval(keepAlive)
  }
  let base: string
  try {
    base = await listenOn(server, init.host ?? '127.0.0.1', init.port)
  } catch (err) {
    cleanUp()
    throw err
  }
  return {
    url: `${base}/`,
    close: async () => {
      cleanUp()
      for (const res of streams) res.end()
      streams.clear()
      await closeServer(server)
    }
  }
}

/**
 * Whether a request's Host header names this server: an IP address, `localhost`, this machine's
 * host name, or the address we listen on. A web page of another site whose name an attacker
 * points at 127.0.0.1 (DNS rebinding) sends its own name, so it cannot read who is in the cluster.
 */
function addressedToUs (hostHeader: string | undefined, listenHost: string | undefined): boolean {
  if (hostHeader === undefined) return false
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase()
  return isIP(name) !== 0 || name === 'localhost' || name === hostname().toLowerCase() || name === listenHost?.toLowerCase()
}
