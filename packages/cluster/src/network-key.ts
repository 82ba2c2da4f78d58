import { generateKey } from '@libp2p/pnet'
import { InvalidNetworkKeyError, NetworkKeyFileError } from './errors.js'
import { writeNewPrivateFile } from './private-file.js'

/** First two lines of a libp2p PSK v1 key file (go-ipfs / kubo `swarm.key` format). */
const PSK_V1_HEADER = ['/key/swarm/psk/1.0.0/', '/base16/'] as const

/** Bytes of a PSK v1 key file as `generateNetworkKey()` writes it: two header lines and 64 hex digits. */
const PSK_V1_FILE_BYTES = 95

/**
 * A new random pre-shared network key, as the bytes of a libp2p PSK v1 key file
 * (`/key/swarm/psk/1.0.0/`, `/base16/`, 64 hex digits). Write it to a file (mode 0600) and give every
 * agent of the cluster the same bytes as `networkKey`.
 */
export function generateNetworkKey (): Uint8Array {
  const bytes = new Uint8Array(PSK_V1_FILE_BYTES)
  generateKey(bytes)
  return bytes
}

/**
 * Writes a new random network key (see {@link generateNetworkKey}) to `file`, mode 0600, for
 * `networkKey` or `gossip-ring node --network-key`: give every agent of the cluster a copy.
 *
 * @throws {NetworkKeyFileError} when `file` already exists (it is never overwritten) or cannot be written
 */
export async function writeNewNetworkKey (file: string): Promise<void> {
  try {
    await writeNewPrivateFile(file, generateNetworkKey())
  } catch (err) {
    throw new NetworkKeyFileError((err as NodeJS.ErrnoException).code === 'EEXIST'
      ? `Network key file ${file} exists already; it is never overwritten`
      : `Cannot write network key file ${file}: ${(err as Error).message}`)
  }
}

/**
 * Checks that `bytes` are a PSK v1 key file (what `generateNetworkKey()` and kubo's `swarm.key`
 * tools write; a trailing newline or CRLF line ends are fine) and returns a copy.
 *
 * @throws {InvalidNetworkKeyError} saying which part is wrong
 */
export function parseNetworkKey (bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidNetworkKeyError(`networkKey must be the bytes of a key file (Uint8Array), got ${typeof bytes}`)
  const lines = new TextDecoder('utf-8', { fatal: false }).decode(bytes).split(/\r?\n/)
  if (lines[0] !== PSK_V1_HEADER[0]) throw new InvalidNetworkKeyError(`networkKey must start with the line ${PSK_V1_HEADER[0]}`)
  if (lines[1] !== PSK_V1_HEADER[1]) throw new InvalidNetworkKeyError(`networkKey's second line must be ${PSK_V1_HEADER[1]} (the only encoding supported)`)
  if (!/^[0-9a-fA-F]{64}$/.test(lines[2] ?? '')) throw new InvalidNetworkKeyError('networkKey\'s third line must be 64 hex digits (a 32-byte key)')
  if (lines.slice(3).some(line => line.trim() !== '')) throw new InvalidNetworkKeyError('networkKey has extra content after the key line')
  return Uint8Array.from(bytes)
}
