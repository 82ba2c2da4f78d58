import { createRing } from '@gossip-ring/ring'

/**
 * The `count` peers among `candidates` (ids; `selfId` is skipped) that `selfId` prefers to be
 * connected to: the highest-ranked for the key `selfId` on a rendezvous ring of the candidates.
 * Every agent that knows the same candidates computes the same choice for `selfId`, and each agent's
 * choice is an independent random pick, so the agents' choices together form a random graph in
 * which each agent has at least `count` neighbours (those it picked) and on average about twice
 * that (plus those that picked it). All candidates when there are at most `count`. Pure.
 */
export function preferredPeers (selfId: string, candidates: Iterable<string>, count: number): Set<string> {
  const others = [...new Set(candidates)].filter(id => id !== selfId)
  if (others.length <= count) return new Set(others)
  return new Set(createRing(others.map(id => ({ id }))).owners(selfId, count))
}

/**
 * Which of the peers we know we keep connections to, when each agent connects to a bounded number
 * of others (`ClusterInit.peerSetSize`). We pick `size` of all the peers we know, and `size` of
 * those that answer (so that an unreachable pick is replaced while it is redialled); a peer picked
 * by us or, as far as we can tell from what we know, picking us is a neighbour. The choices are
 * cached until {@link changed} is called.
 */
export class PeerSet {
  readonly #selfId: string
  readonly #size: number
  #known: readonly string[] = []
  #answering: readonly string[] = []
  #ours: ReadonlySet<string> | undefined
  readonly #theirs = new Map<string, boolean>()

  /** @param size peers each agent picks (at least 1) */
  constructor (selfId: string, size: number) {
    this.#selfId = selfId
    this.#size = size
  }

  /** The peers we know (`known`), and of those the ones that did not fail to answer lately (`answering`): every choice is made anew. */
  changed (known: readonly string[], answering: readonly string[]): void {
    this.#known = known
    this.#answering = answering
    this.#ours = undefined
    this.#theirs.clear()
  }

  /** Do we pick `id` (of all we know, or of those that answer)? */
  picks (id: string): boolean {
    this.#ours ??= new Set([...preferredPeers(this.#selfId, this.#known, this.#size), ...preferredPeers(this.#selfId, this.#answering, this.#size)])
    return this.#ours.has(id)
  }

  /** Would `id` pick us, if it knew what we know? */
  pickedBy (id: string): boolean {
    let picked = this.#theirs.get(id)
    if (picked === undefined) {
      picked = preferredPeers(id, [...this.#known, this.#selfId], this.#size).has(this.#selfId)
      this.#theirs.set(id, picked)
    }
    return picked
  }
}
