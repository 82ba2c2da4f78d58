import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { formatLogLine } from '../../src/logging/format.js'

const PEER = '12D3KooWGRUVh7pbHddHBj4wuyJkVV2KmPjqVAQHqWqnnCp2Z6Hf'

describe('formatLogLine', () => {
  it.each([
    ['%s and %d', ['text', 42], 'text and 42'],
    ['%i / %f', [3.9, 1.5], '3 / 1.5'],
    ['%j', [{ a: 1 }], '{"a":1}'],
    ['%o', [{ a: 1 }], '{ a: 1 }'],
    ['%O', [{ a: [1, 2] }], '{ a: [ 1, 2 ] }'],
    ['100%% done', [], '100% done'],
    ['%s then %s', ['one'], 'one then %s'],
    ['%s', ['one', 'two %s', 3], 'one two %s 3'],
    ['%x %s', ['a'], '%x a'],
    ['no directives', [], 'no directives']
  ])('formats %j like node:util', (template, args, expected) => {
    expect(formatLogLine(template, args)).toBe(expected)
  })

  it('formats libp2p directives: %p peer id, %a multiaddr', () => {
    const addr = multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`)
    expect(formatLogLine('dialled %p at %a (%d)', [peerIdFromString(PEER), addr, 2])).toBe(`dialled ${PEER} at ${addr.toString()} (2)`)
  })

  it('formats %e as the error with its stack, without reading % in it as a directive', () => {
    const line = formatLogLine('failed: %e (%s)', [new Error('50% off %s'), 'after'])
    expect(line).toMatch(/^failed: Error: 50% off %s\n\s+at /)
    expect(line.endsWith(' (after)')).toBe(true)
  })

  it('formats %e of an AggregateError with its inner errors', () => {
    const line = formatLogLine('%e', [new AggregateError([new Error('first'), new TypeError('second')], 'all dials failed')])
    expect(line).toContain('AggregateError: all dials failed')
    expect(line).toContain('Error: first')
    expect(line).toContain('TypeError: second')
  })

  it('formats a non-string template like console does', () => {
    expect(formatLogLine({ a: 1 }, ['x'])).toBe('{ a: 1 } x')
  })
})
