/**
 * Child process of the "fails cleanly" tests: runs one failing `createCluster` scenario (argv[2]),
 * prints `{ name, code, message }` of the error as one JSON line, and must then exit by itself:
 * no process.exit here, so anything left running (a TCP server, a timer) keeps it alive.
 */
import { createServer } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { createCluster, presets } from '../../src/index.js'
import { encodeHeartbeat } from '../../src/wire/codec.js'

const scenario = process.argv[2]

async function run (): Promise<void> {
  if (scenario === 'bad-bootstrap-peer-id') {
    await createCluster({ ...presets.local, groups: ['g'], bootstrap: ['/ip4/127.0.0.1/tcp/1/p2p/not-a-peer-id'] })
  } else if (scenario === 'listen-in-use') {
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    try {
      await createCluster({ ...presets.local, groups: ['g'], listen: ['/ip4/127.0.0.1/tcp/0', `/ip4/127.0.0.1/tcp/${port}`] })
    } finally {
      server.close()
    }
  } else if (scenario === 'fails-after-start') {
    // initial groups that fit a heartbeat without addresses (the up-front check) but not with the
    // node's address: only Cluster.start() can tell, after the node is listening
    await createCluster({ ...presets.local, groups: [{ name: 'g', metadata: metadataFittingOnlyWithoutAddresses() }] })
  } else {
    throw new Error(`unknown scenario ${scenario}`)
  }
}

/** Metadata whose heartbeat fits without addresses and overflows with one loopback TCP address. */
function metadataFittingOnlyWithoutAddresses (): Record<string, string> {
  const fits = (metadata: Record<string, string>, addrs: string[]): boolean => {
    try {
      encodeHeartbeat({ bootId: crypto.randomUUID(), seq: Number.MAX_SAFE_INTEGER, sentAtMs: Date.now(), leaving: false, groups: [{ name: 'g', weight: 1, metadata }], digests: { g: '0'.repeat(16) }, addrs: addrs.map(addr => multiaddr(addr)) })
      return true
    } catch {
      return false
    }
  }
  const metadata: Record<string, string> = {}
  for (let i = 0; fits(metadata, []); i++) metadata[`k${i}`] = 'x'.repeat(1000)
  const last = `k${Object.keys(metadata).length - 1}`
  while (!fits(metadata, [])) metadata[last] = (metadata[last] as string).slice(1)
  if (fits(metadata, ['/ip4/127.0.0.1/tcp/65535'])) throw new Error('could not build metadata that only fits without addresses')
  return metadata
}

run().then(
  () => { console.log(JSON.stringify({ name: 'none' })) },
  (err: Error & { code?: string, address?: string }) => { console.log(JSON.stringify({ name: err.name, code: err.code, address: err.address, message: err.message })) }
)
