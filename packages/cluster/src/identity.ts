import { lstat, readFile, stat } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { IdentityFileError } from './errors.js'
import { writeNewPrivateFile } from './private-file.js'

/** Permission bits that let others than the owner write the file (group or world writable). */
const WRITABLE_BY_OTHERS = 0o022

/**
 * Loads the node's private key from `file` (protobuf-encoded, as libp2p writes keys), or generates an
 * Ed25519 key and writes it there with mode 0600 when the file does not exist, so a restarted agent
 * keeps its peer id (and so its place on every ring). A loaded key must be one others cannot write
 * (on POSIX systems) and must sign what its own public key verifies (no corrupted half).
 *
 * @throws {IdentityFileError} when the file is unreadable, a dangling symlink, writable by others,
 * not a private key, not an Ed25519 key, a key whose public half does not match, or cannot be written
 */
export async function loadOrCreateIdentity (file: string): Promise<PrivateKey> {
  const key = await loadIdentity(file)
  if (key !== undefined) return key
  try {
    return await createIdentity(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new IdentityFileError(`Cannot write identity file ${file}: ${(err as Error).message}`)
  }
  // created by someone else meanwhile: load it once (no retry loop)
  const created = await loadIdentity(file)
  if (created !== undefined) return created
  const link = await lstat(file).catch(() => undefined)
  throw new IdentityFileError(link?.isSymbolicLink() === true
    ? `Identity file ${file} is a symbolic link to a missing file: remove the link or point it at a key file`
    : `Identity file ${file} exists but cannot be read`)
}

/** The key in `file`, or undefined when there is no such file. */
async function loadIdentity (file: string): Promise<PrivateKey | undefined> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new IdentityFileError(`Cannot read identity file ${file}: ${(err as Error).message}`)
  }
  await requireNotWritableByOthers(file)
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityFileError(`Identity file ${file} is not a protobuf private key: ${(err as Error).message}`)
  }
  if (key.type !== 'Ed25519') throw new IdentityFileError(`Identity file ${file} holds a ${key.type} key; gossip-ring signs heartbeats with Ed25519 keys (delete it to get a new id)`)
  await requireMatchingPublicKey(file, key)
  return key
}

/** Refuses a key file that others can write: whoever can replace it can take this agent's identity. */
async function requireNotWritableByOthers (file: string): Promise<void> {
  if (process.platform === 'win32') return
  const { mode } = await stat(file)
  if ((mode & WRITABLE_BY_OTHERS) !== 0) {
    throw new IdentityFileError(`Identity file ${file} is writable by others (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${JSON.stringify(file)}`)
  }
}

/** A corrupted key (e.g. one flipped bit) may still decode: it must verify its own signature. */
async function requireMatchingPublicKey (file: string, key: PrivateKey): Promise<void> {
  const probe = new TextEncoder().encode(`gossip-ring identity check ${file}`)
  let valid = false
  try {
    valid = await key.publicKey.verify(probe, await key.sign(probe))
  } catch {
    valid = false
  }
  if (!valid) throw new IdentityFileError(`Identity file ${file} is corrupt: its public key does not match its private key; restore it from a backup or delete it to get a new id`)
}

/** Generates an Ed25519 key and writes it to a new file (never overwriting one that appeared meanwhile: throws EEXIST). */
async function createIdentity (file: string): Promise<PrivateKey> {
  const key = await generateKeyPair('Ed25519')
  await writeNewPrivateFile(file, privateKeyToProtobuf(key))
  return key
}

/**
 * Writes a new identity (an Ed25519 private key, protobuf, mode 0600) to `file`, for
 * `identityFile` or `gossip-ring node --identity`, and returns its peer id (the member id).
 *
 * @throws {IdentityFileError} when `file` already exists (it is never overwritten) or cannot be written
 */
export async function writeNewIdentity (file: string): Promise<string> {
  try {
    return peerIdFromPrivateKey(await createIdentity(file)).toString()
  } catch (err) {
    throw new IdentityFileError((err as NodeJS.ErrnoException).code === 'EEXIST'
      ? `Identity file ${file} exists already; it is never overwritten`
      : `Cannot write identity file ${file}: ${(err as Error).message}`)
  }
}
