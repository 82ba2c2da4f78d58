import { describe, expect, it } from 'vitest'
import type { PeerId } from '@libp2p/interface'
import { partitionGater } from '../src/gater.js'
import { Reachability } from '../src/reachability.js'

const peer = (id: string): PeerId => ({ toString: () => id }) as unknown as PeerId

describe('partitionGater', () => {
  const ids = new Map([['A', 0], ['B', 1], ['C', 2]])
  const nodeOf = (id: string): number | undefined => ids.get(id)

  it('allows every peer while healed, denies peers across a cut in every hook, and follows heal()', () => {
    const reach = new Reachability()
    const gater = partitionGater(0, reach, nodeOf)
    const hooks = [gater.denyDialPeer, gater.denyOutboundConnection, gater.denyInboundEncryptedConnection,
      gater.denyOutboundEncryptedConnection, gater.denyInboundUpgradedConnection, gater.denyOutboundUpgradedConnection]
    const denied = (id: string): boolean[] => hooks.map((hook) => hook?.(peer(id), undefined as never) as boolean)
    expect(denied('B')).toEqual([false, false, false, false, false, false])
    reach.split([[0, 1], [2]], 3)
    expect(denied('B')).toEqual([false, false, false, false, false, false])
    expect(denied('C')).toEqual([true, true, true, true, true, true])
    reach.heal()
    expect(denied('C')).toEqual([false, false, false, false, false, false])
  })

  it('lets peers the network does not know through', () => {
    const reach = new Reachability()
    reach.isolate(0)
    const gater = partitionGater(0, reach, nodeOf)
    expect(gater.denyDialPeer?.(peer('stranger'))).toBe(false)
    expect(gater.denyDialPeer?.(peer('B'))).toBe(true)
  })
})
