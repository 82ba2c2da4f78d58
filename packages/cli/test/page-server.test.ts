import { request } from 'node:http'
import { createCluster, presets } from '@gossip-ring/cluster'
import { afterEach, describe, expect, it } from 'vitest'
import { servePage } from '../src/watch/page-server.js'
import type { PageServer } from '../src/watch/page-server.js'
import { WatchModel } from '../src/watch/watch-model.js'
import type { Cluster } from '@gossip-ring/cluster'

/** GET `path` from `url`'s server, with `host` as the Host header; resolves with the status code. */
async function statusOf (url: string, path: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host } }, res => { res.resume(); resolve(res.statusCode ?? 0) })
    req.on('error', reject)
    req.end()
  })
}

describe('the ring page server', () => {
  let cluster: Cluster | undefined
  let page: PageServer | undefined
  afterEach(async () => { await page?.close(); await cluster?.stop() })

  it('answers only requests addressed to it by an IP address, localhost or this host\'s name (a DNS-rebinding page cannot read /state)', async () => {
    // before, a page of attacker.example whose name was rebound to 127.0.0.1 read the cluster's state
    cluster = await createCluster({ ...presets.local, watcher: true })
    page = await servePage(new WatchModel(cluster), { port: 0 })
    const { port } = new URL(page.url)
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect(await statusOf(page.url, '/state', host), host).toBe(200)
    }
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`]) {
      expect(await statusOf(page.url, '/state', host), host).toBe(403)
      expect(await statusOf(page.url, '/events', host), host).toBe(403)
    }
  })
})
