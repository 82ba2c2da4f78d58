import { peerIdFromString } from '@libp2p/peer-id'
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { WIRE_LIMITS } from './limits.js'

/**
 * The member list a bootstrap peer gives a newcomer (the member exchange, see
 * `member-exchange.ts`): a few members it admitted, one address each, so the newcomer can dial
 * them before their heartbeats reach it. On the wire: length-prefixed frames, the first one two
 * bytes (the version, the number of members), then one frame per member, the bytes of a
 * multiaddr ending in `/p2p/<id>`.
 */
export const MEMBER_LIST_VERSION = 1

/** Members in one list: enough to leave the bootstrap peer's star at once, few enough to bound the dials a list can cause. */
export const MAX_LISTED_MEMBERS = 8

/** One listed member. */
export interface ListedMember {
  peerId: PeerId
  addr: Multiaddr
}

/** Why a member list was refused. */
export type MemberListProblem = 'unknown-version' | 'too-many' | 'bad-address'

/** The frames of a list of `members` (at most `MAX_LISTED_MEMBERS` are written). */
export function encodeMemberList (members: readonly ListedMember[]): Uint8Array[] {
  const listed = members.slice(0, MAX_LISTED_MEMBERS)
  return [
    Uint8Array.of(MEMBER_LIST_VERSION, listed.length),
    ...listed.map(({ peerId, addr }) => addr.decapsulateCode(CODE_P2P).encapsulate(`/p2p/${peerId.toString()}`).bytes)
  ]
}

/** The number of member frames announced by the first frame, or the problem with it. */
export function decodeMemberListHeader (header: Uint8Array): number | MemberListProblem {
  if (header.length !== 2 || header[0] !== MEMBER_LIST_VERSION) return 'unknown-version'
  const count = header[1] as number
  return count > MAX_LISTED_MEMBERS ? 'too-many' : count
}

/**
 * Reads the member frames of a list (after its header); a list with a problem is refused whole (the answer says
 * which), so a malformed one causes no dial at all. Members equal to `selfId` are left out.
 */
export function decodeMemberList (entries: readonly Uint8Array[], selfId: string): ListedMember[] | MemberListProblem {
  if (entries.length > MAX_LISTED_MEMBERS) return 'too-many'
  const members: ListedMember[] = []
  for (const bytes of entries) {
    if (bytes.length > WIRE_LIMITS.maxAddrBytes) return 'bad-address'
    let addr: Multiaddr
    let peerId: PeerId
    try {
      addr = multiaddr(bytes)
      const id = addr.getComponents().filter(component => component.code === CODE_P2P).pop()?.value
      if (id === undefined) return 'bad-address'
      peerId = peerIdFromString(id)
    } catch {
      return 'bad-address'
    }
    if (peerId.toString() !== selfId) members.push({ peerId, addr: addr.decapsulateCode(CODE_P2P) })
  }
  return members
}
