import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { PeerGuard } from '../src/peer-guard.js'
import type { MultiaddrConnection, PeerId } from '@libp2p/interface'

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}
const conn = {} as unknown as MultiaddrConnection

describe('PeerGuard', () => {
  it('refuses peers outside the allow-list at dial and after the handshake, both directions', async () => {
    const [member, stranger] = [await peer(), await peer()]
    const gater = new PeerGuard({ allowedPeers: new Set([member.toString()]) }).gater()
    expect(await gater.denyDialPeer?.(member)).toBe(false)
    expect(await gater.denyDialPeer?.(stranger)).toBe(true)
    expect(await gater.denyInboundEncryptedConnection?.(stranger, conn)).toBe(true)
    expect(await gater.denyOutboundEncryptedConnection?.(stranger, conn)).toBe(true)
  })

  it('composes with a user gater: either one refusing refuses; other user hooks are kept', async () => {
    const [a, b] = [await peer(), await peer()]
    const denyInboundConnection = (): boolean => true
    const gater = new PeerGuard().gater({ denyDialPeer: async p => p.equals(b), denyInboundConnection })
    expect(await gater.denyDialPeer?.(a)).toBe(false)
    expect(await gater.denyDialPeer?.(b)).toBe(true)
    expect(gater.denyInboundConnection).toBe(denyInboundConnection)
  })

  it('bans a peer for a while', async () => {
    let nowMs = 0
    const guard = new PeerGuard({ now: () => nowMs })
    const abuser = await peer()
    guard.ban(abuser.toString(), 1000)
    expect(await guard.gater().denyDialPeer?.(abuser)).toBe(true)
    nowMs = 1001
    expect(await guard.gater().denyDialPeer?.(abuser)).toBe(false)
  })
})
