import type { ConnectionGater, PeerId } from '@libp2p/interface'

/** Who may connect: the allow-list (if any) and the peers banned for a while (abusers). */
export interface PeerGuardInit {
  /** Peer ids allowed to connect and to sign heartbeats; undefined lets everyone in. */
  allowedPeers?: ReadonlySet<string>
  /** Milliseconds clock for ban expiry. @default performance.now */
  now?: () => number
}

/**
 * The connection policy of a cluster node: refuses peers outside the allow-list and peers banned
 * for abuse (until the ban ends), at dial time and after the encrypted handshake (the first point
 * where an inbound peer's id is known). `gater(user)` composes with a user-supplied gater: a
 * connection goes through only if both let it.
 */
export class PeerGuard {
  readonly #allowed: ReadonlySet<string> | undefined
  readonly #bannedUntilMs = new Map<string, number>()
  readonly #now: () => number

  constructor (init: PeerGuardInit = {}) {
    this.#allowed = init.allowedPeers
    this.#now = init.now ?? (() => performance.now())
  }

  /** True when `id` is on the allow-list, or there is none. */
  isAllowed (id: string): boolean {
    return this.#allowed === undefined || this.#allowed.has(id)
  }

  /** Refuses connections with `id` for `durationMs`. */
  ban (id: string, durationMs: number): void {
    this.#bannedUntilMs.set(id, this.#now() + durationMs)
  }

  /** True while `id` is banned; forgets ended bans. */
  isBanned (id: string): boolean {
    const until = this.#bannedUntilMs.get(id)
    if (until === undefined) return false
    if (until > this.#now()) return true
    this.#bannedUntilMs.delete(id)
    return false
  }

  /** True when connections with `id` are refused (not allowed, or banned). */
  refuses (id: string): boolean {
    return !this.isAllowed(id) || this.isBanned(id)
  }

  /** A connection gater applying this guard, then `user`'s own gater (either may refuse). */
  gater (user: ConnectionGater = {}): ConnectionGater {
    const refuses = (peer: PeerId): boolean => this.refuses(peer.toString())
    return {
      ...user,
      denyDialPeer: async peer => refuses(peer) || await (user.denyDialPeer?.(peer) ?? false),
      denyInboundEncryptedConnection: async (peer, conn) => refuses(peer) || await (user.denyInboundEncryptedConnection?.(peer, conn) ?? false),
      denyOutboundEncryptedConnection: async (peer, conn) => refuses(peer) || await (user.denyOutboundEncryptedConnection?.(peer, conn) ?? false)
    }
  }
}
