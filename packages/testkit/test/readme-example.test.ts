import { afterEach, expect, it } from 'vitest'
import { createTestNetwork } from '@gossip-ring/testkit'
import type { TestNetwork } from '@gossip-ring/testkit'

const feeds = Array.from({ length: 100 }, (_, i) => `feed-${i}`)
let net: TestNetwork | undefined
afterEach(async () => { await net?.stop() })

it('re-splits all feeds on each side of a 2|3 split, and agrees again after heal', async () => {
  net = await createTestNetwork({ nodes: 5, groups: ['pollers'] })
  await net.converged('pollers')
  net.assertAgreement('pollers', feeds)

  await net.partition([[0, 1], [2, 3, 4]])
  await net.converged('pollers')                     // each side dropped the other one
  net.assertEachSideOwnsAll('pollers', feeds)        // and re-split all 100 feeds
  expect(net.cluster(0).members('pollers')).toHaveLength(2)
  expect(net.cluster(4).members('pollers')).toHaveLength(3)

  await net.heal()
  await net.converged('pollers')
  net.assertAgreement('pollers', feeds)              // one owner per feed again
})
