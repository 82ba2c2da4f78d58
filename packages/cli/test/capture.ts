import { PassThrough } from 'node:stream'
import type { CliIo } from '../src/io.js'

/** A CliIo whose output is collected, with an abort controller for long-running commands. */
export function capture (): { io: CliIo, out: () => string, err: () => string, stop: AbortController } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
  stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  const stop = new AbortController()
  return { io: { stdout, stderr, signal: stop.signal }, out: () => out, err: () => err, stop }
}
