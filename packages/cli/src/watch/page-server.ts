import { createServer } from 'node:http'
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
 * /state` the state as JSON. Anything else is 404.
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
    if (req.method !== 'GET') {
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
