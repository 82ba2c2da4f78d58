import type { HashRing, RingKey } from '@gossip-ring/ring'

/** One ring we owned by, with its fencing epoch. */
interface EpochEntry {
  epoch: number
  readonly ring: HashRing
}

/** How many rings a group remembers for key epochs. */
export const EPOCH_HISTORY_LENGTH = 64

/**
 * Fencing epochs of one group. The rule (see the cluster README, "Fencing epochs"):
 * - each ring we own by gets an epoch: `max(our last epoch, the largest epoch heard from any member) + 1`;
 * - when a member advertises a larger epoch for the very ring we own by, we adopt it, so members that
 *   went through the same change agree on its epoch once they have heard each other;
 * - the epoch of a key is the epoch of the ring where its current owner got it: the oldest of the
 *   newest run of remembered rings that give it the same owner. Our history restarts when we take
 *   a ring after hearing a larger epoch than ours (others saw rings we did not), and when we catch
 *   up with the group after joining: then keys get the new epoch even if their owner is the same.
 * Epochs only grow, and a ring that gives a key a new owner always gets a larger epoch than any its
 * previous owner advertised before we heard it, so a store that keeps the largest epoch per key and
 * refuses smaller ones refuses the stale owner.
 */
export class ViewEpochs {
  readonly #history: EpochEntry[] = []
  #maxHeard = 0

  /** The epoch of the ring we own by now; 0 before any. */
  get epoch (): number {
    return this.#history.at(-1)?.epoch ?? 0
  }

  /** We own by `ring` from now on: a new epoch when its digest differs from the current one's. */
  apply (ring: HashRing): void {
    const current = this.#history.at(-1)
    if (current?.ring.digest === ring.digest) return
    // others went through rings we did not see: our older rings are not comparable with theirs
    if (this.#maxHeard > this.epoch) this.#history.length = 0
    // capped where the wire stops: a member advertising 2^53 - 1 must not make our heartbeats undecodable
    this.#history.push({ epoch: Math.min(Number.MAX_SAFE_INTEGER, Math.max(this.epoch, this.#maxHeard) + 1), ring })
    if (this.#history.length > EPOCH_HISTORY_LENGTH) this.#history.shift()
  }

  /** A member advertised `epoch` (any heartbeat, even a stale one): our next ring's epoch will be larger. */
  noteHeard (epoch: number): void {
    this.#maxHeard = Math.max(this.#maxHeard, epoch)
  }

  /** A member owns by the ring with `digest` at `epoch`; returns true when we adopted a larger epoch for our own ring. */
  heard (digest: string | undefined, epoch: number): boolean {
    this.#maxHeard = Math.max(this.#maxHeard, epoch)
    const current = this.#history.at(-1)
    if (current === undefined || digest !== current.ring.digest || epoch <= current.epoch) return false
    current.epoch = epoch
    return true
  }

  /** Forgets every ring but the current one (we have just caught up with the group: older rings were ours alone). */
  rebase (): void {
    this.#history.splice(0, this.#history.length - 1)
  }

  /** The epoch at which the current owner of `key` got it; 0 before any ring. */
  keyEpoch (key: RingKey): number {
    const history = this.#history
    let index = history.length - 1
    if (index < 0) return 0
    const owner = history[index]?.ring.owner(key)
    while (index > 0 && history[index - 1]?.ring.owner(key) === owner) index--
    return history[index]?.epoch ?? 0
  }
}
