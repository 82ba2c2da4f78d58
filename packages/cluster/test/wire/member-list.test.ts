import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import type { PeerId } from '@libp2p/interface'
import { decodeMemberList, decodeMemberListHeader, encodeMemberList, MAX_LISTED_MEMBERS, MEMBER_LIST_VERSION } from '../../src/wire/member-list.js'

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

describe('member list (the member exchange on the wire)', () => {
  it('round-trips ids and addresses, announces the count first, and leaves ourselves out', async () => {
    const [a, b, self] = await Promise.all([peer(), peer(), peer()])
    const frames = encodeMemberList([
      { peerId: a, addr: multiaddr('/ip4/10.0.0.1/tcp/4001') },
      { peerId: b, addr: multiaddr(`/ip4/10.0.0.2/tcp/4002/p2p/${b.toString()}`) },
      { peerId: self, addr: multiaddr('/ip4/10.0.0.3/tcp/4003') }
    ])
    expect(decodeMemberListHeader(frames[0] as Uint8Array)).toBe(3)
    const members = decodeMemberList(frames.slice(1), self.toString())
    expect(members).not.toBeTypeOf('string')
    expect((members as Array<{ peerId: PeerId }>).map(m => m.peerId.toString())).toEqual([a.toString(), b.toString()])
    expect((members as Array<{ addr: unknown }>).map(m => String(m.addr))).toEqual(['/ip4/10.0.0.1/tcp/4001', '/ip4/10.0.0.2/tcp/4002'])
  })

  it('writes at most MAX_LISTED_MEMBERS', async () => {
    const many = await Promise.all(Array.from({ length: MAX_LISTED_MEMBERS + 3 }, async () => ({ peerId: await peer(), addr: multiaddr('/ip4/10.0.0.1/tcp/1') })))
    const frames = encodeMemberList(many)
    expect(frames).toHaveLength(MAX_LISTED_MEMBERS + 1)
    expect(decodeMemberListHeader(frames[0] as Uint8Array)).toBe(MAX_LISTED_MEMBERS)
  })

  it('refuses a whole list with an unknown version, too many members or a bad address: no dial at all', async () => {
    const a = await peer()
    expect(decodeMemberListHeader(Uint8Array.of(MEMBER_LIST_VERSION + 1, 1))).toBe('unknown-version')
    expect(decodeMemberListHeader(Uint8Array.of(MEMBER_LIST_VERSION))).toBe('unknown-version')
    expect(decodeMemberListHeader(Uint8Array.of(MEMBER_LIST_VERSION, MAX_LISTED_MEMBERS + 1))).toBe('too-many')
    const good = multiaddr(`/ip4/10.0.0.1/tcp/1/p2p/${a.toString()}`).bytes
    expect(decodeMemberList(Array.from({ length: MAX_LISTED_MEMBERS + 1 }, () => good), 'self')).toBe('too-many')
    expect(decodeMemberList([good, multiaddr('/ip4/10.0.0.1/tcp/1').bytes], 'self')).toBe('bad-address')   // no peer id
    expect(decodeMemberList([good, Uint8Array.of(0xff, 0xff, 0xff)], 'self')).toBe('bad-address')   // not a multiaddr
    expect(decodeMemberList([new Uint8Array(300)], 'self')).toBe('bad-address')   // longer than an advertised address may be
  })
})
