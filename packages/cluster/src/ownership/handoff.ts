import type { HashRing, RingKey } from '@gossip-ring/ring'

/** The owning digest a member advertises while it owns nothing (short on the wire: one per group). */
export const OWNS_NOTHING = '-'

/** How many of our own ring digests we remember to recognise a member's acknowledgement. */
const REMEMBERED_DIGESTS = 64

/**
 * What safe handoff knows: the digests of the rings we had that include us, and the digest of the
 * ring each member owns by (from its heartbeats). A member that owns by one of our rings with us in
 * it has seen us, so it has released every key we outrank it for.
 */
export class HandoffAcks {
  readonly #withSelf = new Set<string>()
  readonly #owningDigest = new Map<string, string>()

  /** We had `ring`; remembered when it includes `selfId`. */
  noteOwnRing (ring: HashRing, selfId: string): void {
    if (!ring.has(selfId) || this.#withSelf.has(ring.digest)) return
    this.#withSelf.add(ring.digest)
    if (this.#withSelf.size > REMEMBERED_DIGESTS) this.#withSelf.delete(this.#withSelf.values().next().value as string)
  }

  /** `id` owns by the ring with `digest` now; returns whether its acknowledgement changed. */
  heard (id: string, digest: string): boolean {
    const before = this.acked(id)
    this.#owningDigest.set(id, digest)
    return before !== this.acked(id)
  }

  /** Forgets a member that left the view. */
  forget (id: string): void {
    this.#owningDigest.delete(id)
  }

  /** Whether `id` owns by a ring that includes us, or owns nothing ({@link OWNS_NOTHING}). */
  acked (id: string): boolean {
    const digest = this.#owningDigest.get(id)
    return digest !== undefined && (digest === OWNS_NOTHING || this.#withSelf.has(digest))
  }

  /**
   * Whether we may take `key`, which `ring` gives us: the member next in its preference list (the one
   * that owns it when we are not counted: the owner before we joined, or its heir) has seen us.
   */
  mayTake (ring: HashRing, key: RingKey): boolean {
    const next = ring.owners(key, 2)[1]
    return next === undefined || this.acked(next)
  }
}
