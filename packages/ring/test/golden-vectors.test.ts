import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createRing, membersDigest } from '../src/index.js'
import { GOLDEN_PATH, type GoldenCase } from './golden-vectors.js'

const { cases } = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as { cases: GoldenCase[] }

describe('golden vectors (a mismatch is a protocol break)', () => {
  it('covers weighted members, non-ASCII and emoji keys', () => {
    expect(cases.some((c) => c.members.some((m) => m.weight !== undefined && m.weight !== 1))).toBe(true)
    expect(cases[0]!.keys.some((k) => k.key.includes('🔑'))).toBe(true)
  })

  describe.each(cases)('$name', (golden) => {
    it('has the committed digest, in any member order', () => {
      expect(createRing(golden.members).digest).toBe(golden.digest)
      expect(membersDigest([...golden.members].reverse())).toBe(golden.digest)
    })

    it('gives every key its committed owner and preference list', () => {
      const ring = createRing([...golden.members].reverse())
      for (const { key, owner, owners3 } of golden.keys) {
        expect({ key, owner: ring.owner(key), owners3: ring.owners(key, 3) }).toEqual({ key, owner, owners3 })
      }
    })
  })
})
