/**
 * Child process of the "fails cleanly" tests: runs one failing `createCluster` scenario (argv[2]),
 * prints `{ name, code, message }` of the error as one JSON line, and must then exit by itself:
 * no process.exit here, so anything left running (a TCP server, a timer) keeps it alive.
 */
import { createServer } from 'node:net'
import { createCluster, presets } from '../../src/index.js'

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
  } else {
    throw new Error(`unknown scenario ${scenario}`)
  }
}

run().then(
  () => { console.log(JSON.stringify({ name: 'none' })) },
  (err: Error & { code?: string, address?: string }) => { console.log(JSON.stringify({ name: err.name, code: err.code, address: err.address, message: err.message })) }
)
