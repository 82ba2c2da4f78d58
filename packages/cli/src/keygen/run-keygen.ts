import { writeNewIdentity } from '@gossip-ring/cluster'
import { writeJsonLine } from '../io.js'
import type { CliIo } from '../io.js'

/**
 * `gossip-ring keygen FILE`: writes a new identity (Ed25519 private key, mode 0600) for `node
 * --identity FILE` and prints its peer id. Never overwrites a file.
 *
 * @throws {IdentityFileError} when the file exists or cannot be written
 */
export async function runKeygen (file: string, flags: { json?: boolean }, io: CliIo): Promise<void> {
  const id = await writeNewIdentity(file)
  if (flags.json === true) writeJsonLine(io, { event: 'keygen', file, id })
  else io.stdout.write(`wrote ${file} (keep it private); peer id: ${id}\n`)
}
