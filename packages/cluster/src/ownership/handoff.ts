import type { HashRing, RingKey } from '@gossip-ring/ring'

/** The owning digest a member advertises while it owns nothing (short on the wire: one per group). */
export const OWNS_NOTHING = '-'

/** How many of our own rings we remember to read the members' acknowledgements by. */
const REMEMBERED_RINGS = 64

/**
 * What safe handoff knows: the rings we had (the last {@link REMEMBERED_RINGS}), and the digest of
 * the ring each member owns by (from its heartbeats). A member that owns by one of our rings owns
 * exactly the keys that ring gives it, so we can tell, key by key, whether it still holds one.
 */
export class HandoffAcks {
  readonly #selfId: string
  readonly #rings = new Map<string, HashRing>()
  readonly #owningDigest = new Map<string, string>()
  /** The view digest each member advertised with it: the ring one that owns nothing will own by once it caught up. */
  readonly #viewDigest = new Map<string, string>()

  constructor (selfId: string) {
    this.#selfId = selfId
  }

  /** We had `ring`. */
  noteOwnRing (ring: HashRing): void {
    if (this.#rings.has(ring.digest)) return
    this.#rings.set(ring.digest, ring)
    if (this.#rings.size > REMEMBERED_RINGS) this.#rings.delete(this.#rings.keys().next().value as string)
  }

  /** `id` owns by the ring with `digest` now, and sees the view with `viewDigest`; returns whether what it owns by changed (what we may take may have). */
  heard (id: string, digest: string, viewDigest: string): boolean {
    const before = this.#owningDigest.get(id)
    this.#owningDigest.set(id, digest)
    this.#viewDigest.set(id, viewDigest)
    return before !== digest
  }

  /** Forgets a member that left the view. */
  forget (id: string): void {
    this.#owningDigest.delete(id)
    this.#viewDigest.delete(id)
  }

  /** Whether every other member of `ring` owns by it: then nobody holds a key it gives us. */
  allOwnBy (ring: HashRing): boolean {
    return ring.members.every(({ id }) => id === this.#selfId || this.#owningDigest.get(id) === ring.digest)
  }

  /**
   * Whether we may take `key`, which `ring` gives us: no other member of it may still hold the key.
   * Each owns by one of our rings that gives the key to another member (a member gone from our view
   * is not waited for). A member whose ring we never had may hold it. One that said it owns nothing ({@link OWNS_NOTHING})
   * counts as owning by the view it advertised: a newcomer catching up starts owning by it without a
   * word until its next heartbeat (counting it as owning nothing let a member raising its weight take
   * keys such a newcomer took at the same time). Every member counts, not only the next in the key's preference list: two members
   * joining together made the next in line the other newcomer (owning nothing yet) while the key's
   * holder, third in line, still owned by its old ring; and a member raising its weight took keys
   * from an owner whose ring had it at the old weight, which had seen it but not released them
   * (both: two owners until the holder heard). Safe handoff's patience bounds the wait.
   */
  mayTake (ring: HashRing, key: RingKey): boolean {
    const ownerIn = new Map<string, string | undefined>()
    for (const member of ring.members) {
      if (member.id === this.#selfId) continue
      const owning = this.#owningDigest.get(member.id)
      // gone from our view (timed out, or left while our ring settles): what it may still hold is the partition policy's business
      if (owning === undefined) continue
      const digest = owning === OWNS_NOTHING ? this.#viewDigest.get(member.id) : owning
      const theirs = digest === undefined ? undefined : this.#rings.get(digest)
      if (theirs === undefined || digest === undefined) return false
      if (!ownerIn.has(digest)) ownerIn.set(digest, theirs.owner(key))
      if (ownerIn.get(digest) === member.id) return false
    }
    return true
  }
}
