import { writeNewIdentity, writeNewNetworkKey } from '@gossip-ring/cluster'
import { writeJsonLine } from '../io.js'
import type { CliIo } from '../io.js'

/** The flags of `gossip-ring keygen`. */
export interface KeygenFlags {
  /** Write a network key (for `--network-key`) instead of an identity. */
  network?: boolean
  /** Print one JSON line instead of a sentence. */
  json?: boolean
}

/**
 * `gossip-ring keygen FILE`: writes a new identity (Ed25519 private key, mode 0600) for `node
 * --identity FILE` and prints its peer id; with `--network`, a new network key (PSK v1, mode 0600)
 * for `--network-key FILE` on every agent of a cluster. Never overwrites a file.
 *
 * @throws {IdentityFileError} when the identity file exists or cannot be written
 * @throws {NetworkKeyFileError} when the network key file exists or cannot be written
 */
export async function runKeygen (file: string, flags: KeygenFlags, io: CliIo): Promise<void> {
  if (flags.network === true) {
    await writeNewNetworkKey(file)
    if (flags.json === true) writeJsonLine(io, { event: 'keygen', kind: 'network-key', file })
    else io.stdout.write(`wrote network key ${file} (keep it private): give every agent of the cluster a copy, each runs with --network-key ${file}\n`)
    return
  }
  const id = await writeNewIdentity(file)
  if (flags.json === true) writeJsonLine(io, { event: 'keygen', file, id })
  else io.stdout.write(`wrote ${file} (keep it private); peer id: ${id}\n`)
}
