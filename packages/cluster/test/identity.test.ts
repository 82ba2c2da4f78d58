import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity } from '../src/identity.js'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gossip-ring-identity-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** Rejects if `promise` has not settled within `ms` (the old code looped forever). */
async function within<T> (promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`not settled within ${ms} ms`)) }, ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function keyFile (name: string, mode = 0o600, corrupt?: (bytes: Uint8Array) => void): Promise<string> {
  const bytes = privateKeyToProtobuf(await generateKeyPair('Ed25519'))
  corrupt?.(bytes)
  const file = join(dir, name)
  await writeFile(file, bytes, { mode })
  await chmod(file, mode)
  return file
}

describe('item 4: identity-file faults', () => {
  it('item 4: a dangling symlink as identityFile throws IdentityFileError at once instead of looping', async () => {
    const link = join(dir, 'dangling.key')
    await symlink(join(dir, 'missing', 'target.key'), link)
    await expect(within(loadOrCreateIdentity(link))).rejects.toMatchObject({ name: 'IdentityFileError', message: expect.stringMatching(/symbolic link to a missing file/) })
  })

  it.each([6, 20, 40, 67])('item 4: a key with one flipped bit (byte %i) is refused: its public key does not match', async (byte) => {
    const file = await keyFile(`flipped-${byte}.key`, 0o600, bytes => { bytes[byte]! ^= 1 })
    await expect(loadOrCreateIdentity(file)).rejects.toMatchObject({ name: 'IdentityFileError', message: expect.stringMatching(/public key does not match/) })
  })

  it.runIf(process.platform !== 'win32').each([0o666, 0o620, 0o602])('item 4: a key file others can write (mode %o) is refused with the chmod fix', async (mode) => {
    const file = await keyFile(`writable-${mode.toString(8)}.key`, mode)
    await expect(loadOrCreateIdentity(file)).rejects.toMatchObject({ name: 'IdentityFileError', message: expect.stringMatching(/writable by others.*chmod 600/) })
  })

  it('item 4: a sound 0600 key loads, and a new one is created 0600 and loads back with the same id', async () => {
    const file = await keyFile('sound.key')
    const key = await loadOrCreateIdentity(file)
    expect(privateKeyToProtobuf(key)).toEqual(new Uint8Array(await readFile(file)))
    const created = await loadOrCreateIdentity(join(dir, 'new', 'id.key'))
    expect((await loadOrCreateIdentity(join(dir, 'new', 'id.key'))).publicKey.equals(created.publicKey)).toBe(true)
  })
})
