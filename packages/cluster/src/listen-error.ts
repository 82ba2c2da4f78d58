import { ListenAddressError } from './errors.js'

/** One failed address per line of libp2p's message: `  /ip4/127.0.0.1/tcp/4001: Error: listen EADDRINUSE: ...`. */
const FAILED_ADDRESS_LINE = /^\s+(\/\S+): (?:\w*Error: )?(.*)$/m

/**
 * Turns libp2p's `UnsupportedListenAddressesError` (whose advice names a libp2p setting that is not
 * an option of ours) into a `ListenAddressError` naming the address and why it failed; other
 * errors are returned as they are.
 */
export function toListenAddressError (err: unknown): unknown {
  if ((err as Error | undefined)?.name !== 'UnsupportedListenAddressesError') return err
  const match = FAILED_ADDRESS_LINE.exec((err as Error).message)
  const address = match?.[1] ?? 'a listen address'
  const reason = match?.[2] ?? 'unsupported by the transport'
  return new ListenAddressError(address, `Cannot listen on ${address}: ${reason}; free the port or change the listen option`, { cause: err })
}
