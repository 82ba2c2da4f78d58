import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes `bytes` to a new file only its owner can read and write (mode 0600), creating its folder;
 * never overwrites a file, even one that appeared meanwhile (rejects with the `EEXIST` error).
 */
export async function writeNewPrivateFile (file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, bytes, { mode: 0o600, flag: 'wx' })
}
