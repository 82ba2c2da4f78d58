import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { ListenAddressError } from '@gossip-ring/cluster'

/**
 * Starts `server` on `host`:`port` and resolves with the base URL (`http://host:port`), the real
 * port filled in when `port` is 0.
 *
 * @throws {ListenAddressError} when it cannot listen there (port taken, address not on this host, no permission); `address` is `host:port`
 */
export async function listenOn (server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => { reject(new ListenAddressError(`${host}:${port}`, `Cannot listen on ${host}:${port}: ${err.message}`, { cause: err })) }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.removeListener('error', onError)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${shownHost}:${address.port}`
}

/** Closes `server` and every open connection (long-lived event streams too); idempotent. */
export async function closeServer (server: Server): Promise<void> {
  if (!server.listening) return
  await new Promise<void>(resolve => {
    server.close(() => { resolve() })
    server.closeAllConnections()
  })
}
