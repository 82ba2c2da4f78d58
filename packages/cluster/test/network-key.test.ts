import { describe, expect, it } from 'vitest'
import { createCluster, generateNetworkKey, parseNetworkKey } from '../src/index.js'
import { FAST } from './support/clusters.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const HEX = 'ab'.repeat(32)

describe('network key (PSK v1)', () => {
  it('generates distinct PSK v1 key files that parse back to the same bytes', () => {
    const a = generateNetworkKey()
    const b = generateNetworkKey()
    expect(new TextDecoder().decode(a)).toMatch(/^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    expect(a).not.toEqual(b)
    expect(parseNetworkKey(a)).toEqual(a)
  })

  it('accepts a trailing newline and CRLF line ends', () => {
    expect(() => parseNetworkKey(text(`/key/swarm/psk/1.0.0/\r\n/base16/\r\n${HEX}\r\n`))).not.toThrow()
  })

  it.each([
    ['not bytes', 'a string'],
    ['an empty file', text('')],
    ['a wrong first line', text(`/key/swarm/psk/2.0.0/\n/base16/\n${HEX}`)],
    ['another encoding', text(`/key/swarm/psk/1.0.0/\n/base64/\n${HEX}`)],
    ['a short key', text(`/key/swarm/psk/1.0.0/\n/base16/\n${HEX.slice(2)}`)],
    ['non-hex digits', text(`/key/swarm/psk/1.0.0/\n/base16/\n${'zz'.repeat(32)}`)],
    ['extra lines', text(`/key/swarm/psk/1.0.0/\n/base16/\n${HEX}\nmore`)]
  ])('refuses %s with InvalidNetworkKeyError', (_, bytes) => {
    expect(() => parseNetworkKey(bytes)).toThrow(expect.objectContaining({ name: 'InvalidNetworkKeyError', code: 'ERR_INVALID_NETWORK_KEY' }))
  })

  it('createCluster refuses a malformed key before starting anything', async () => {
    await expect(createCluster({ ...FAST, networkKey: text('nope') })).rejects.toMatchObject({ name: 'InvalidNetworkKeyError' })
  })
})
