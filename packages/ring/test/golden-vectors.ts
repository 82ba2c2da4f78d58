/**
 * The golden vectors: member sets and keys whose owners, preference lists and digests every version
 * of @gossip-ring/ring must reproduce (agents of different versions must agree on every owner).
 * `golden-vectors.json` was generated ONCE from these inputs by `pnpm tsx packages/ring/test/golden-vectors.ts`
 * and is committed; golden-vectors.test.ts checks the code against it. A change to that file is a
 * protocol break: never regenerate it to make a test pass.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createRing, type RingMember } from '../src/index.js'

export interface GoldenCase {
  name: string
  members: RingMember[]
  digest: string
  keys: Array<{ key: string, owner: string | undefined, owners3: string[] }>
}

export const GOLDEN_PATH = fileURLToPath(new URL('./golden-vectors.json', import.meta.url))

const PEERS = [
  '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp',
  '12D3KooWGzBzPu7n1wHTo3ZnPvJp8bvq7RyUdn7CmsRr4cF9qRws',
  '12D3KooWHoYaAb6t3Vq3Ro6rVJ5s5eqTcUb3BTFc4WyvFN6mFA1R',
  '12D3KooWKxQb2wZkQAbHZb9Ahq2n5dGuvJq8aWXBw6XnDd1FbqQp',
  '12D3KooWNbVBmDTtjYvQL2YP7SxdHrU4y5y1U1z2mjN3WjjBpu1M',
  '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
]

const KEYS = [
  '', 'a', 'resource_0', 'resource_1', 'resource_42', 'resource_999999', 'tenant/acme/job/17',
  'ключ', 'clé-été', '鍵の名前', '🔑', 'emoji 🚀🔥 key', 'lone \ud800 surrogate', 'x'.repeat(100)
]

const CASES: Array<{ name: string, members: RingMember[] }> = [
  { name: 'single member', members: [{ id: PEERS[0]! }] },
  { name: 'six peers, equal weights', members: PEERS.map((id) => ({ id })) },
  { name: 'six peers, weighted', members: PEERS.map((id, i) => ({ id, weight: [1, 2, 0.5, 3.25, 1, 10][i]! })) },
  { name: 'all weights 2 (same owners as equal weights, other digest)', members: PEERS.map((id) => ({ id, weight: 2 })) },
  { name: 'non-ASCII ids', members: [{ id: 'nœud-1' }, { id: 'ノード2' }, { id: '🛰️-3', weight: 1.5 }, { id: 'node-4' }] }
]

/** Computes the vectors from the current code (the test compares this with the committed file). */
export function computeGoldenVectors (): GoldenCase[] {
  return CASES.map(({ name, members }) => {
    const ring = createRing(members)
    return {
      name,
      members,
      digest: ring.digest,
      keys: KEYS.map((key) => ({ key, owner: ring.owner(key), owners3: ring.owners(key, 3) }))
    }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GOLDEN_PATH, JSON.stringify({ cases: computeGoldenVectors() }, null, 2) + '\n')
}
