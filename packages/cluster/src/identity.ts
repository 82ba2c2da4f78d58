import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { IdentityFileError } from './errors.js'

/**
 * Loads the node's private key from `file` (protobuf-encoded, as libp2p writes keys), or generates an
 * Ed25519 key and writes it there with mode 0600 when the file does not exist, so a restarted agent
 * keeps its peer id (and so its place on every ring).
 *
 * @throws {IdentityFileError} when the file is unreadable, not a private key, or cannot be written
 */
export async function loadOrCreateIdentity (file: string): Promise<PrivateKey> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new IdentityFileError(`Cannot read identity file ${file}: ${(err as Error).message}`)
    }
    return createIdentity(file)
  }
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityFileError(`Identity file ${file} is not a protobuf private key: ${(err as Error).message}`)
  }
}

/** Generates an Ed25519 key and writes it to a new file (never overwriting one that appeared meanwhile). */
async function createIdentity (file: string): Promise<PrivateKey> {
  const key = await generateKeyPair('Ed25519')
  return await writeKey(file, key) === 'exists' ? loadOrCreateIdentity(file) : key
}

/** Writes `key` to `file` (mode 0600, creating its folder), unless the file exists. */
async function writeKey (file: string, key: PrivateKey): Promise<'written' | 'exists'> {
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    return 'written'
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists'
    throw new IdentityFileError(`Cannot write identity file ${file}: ${(err as Error).message}`)
  }
}

/**
 * Writes a new identity (an Ed25519 private key, protobuf, mode 0600) to `file`, for
 * `identityFile` or `gossip-ring node --identity`, and returns its peer id (the member id).
 *
 * @throws {IdentityFileError} when `file` already exists (it is never overwritten) or cannot be written
 */
export async function writeNewIdentity (file: string): Promise<string> {
  const key = await generateKeyPair('Ed25519')
  if (await writeKey(file, key) === 'exists') throw new IdentityFileError(`Identity file ${file} exists already; it is never overwritten`)
  return peerIdFromPrivateKey(key).toString()
}
