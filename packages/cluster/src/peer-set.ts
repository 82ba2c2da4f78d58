import { createRing } from '@gossip-ring/ring'
import type { HashRing } from '@gossip-ring/ring'

/**
 * The `count` peers among `candidates` (ids; `selfId` is skipped) that `selfId` prefers to be
 * connected to: the closest to `selfId` on a rendezvous ring of the candidates (`HashRing.closest`),
 * by a score symmetric in the pair, so that the agent `selfId` ranks high ranks `selfId` high too.
 * Every agent that knows the same candidates computes the same choice for `selfId`, and the agents'
 * choices together form a random graph in which each agent has at least `count` neighbours (those
 * it picked) and, because most picks are mutual, few more: about 4 on average for 3 picks at 50
 * agents, where independent picks (each agent's own rendezvous order) gave about 6. Each
 * connection costs both ends CPU to set up (about 10 ms) and to keep, so fewer of them let a fleet
 * wire itself sooner. All candidates when there are at most `count`. Pure.
 */
export function preferredPeers (selfId: string, candidates: Iterable<string>, count: number): Set<string> {
  return preferredOn(ringOf(candidates), selfId, count)
}

/** The rendezvous ring of distinct `ids`, all of weight 1. */
function ringOf (ids: Iterable<string>): HashRing {
  return createRing([...new Set(ids)].map(id => ({ id })))
}

/**
 * `preferredPeers(chooser, ring's members, count)` read off `ring`, whether or not `chooser` is on
 * it: a member's score for the chooser depends on the two of them alone, so one ring answers for
 * every chooser.
 */
function preferredOn (ring: HashRing, chooser: string, count: number): Set<string> {
  return new Set(ring.closest(chooser, count))
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
  /** The ring of the known peers and us, from which every other agent's picks are read. */
  #everyone: HashRing | undefined
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
    this.#everyone = undefined
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
      this.#everyone ??= ringOf([...this.#known, this.#selfId])
      picked = preferredOn(this.#everyone, id, this.#size).has(this.#selfId)
      this.#theirs.set(id, picked)
    }
    return picked
  }
}
