/** How the relay policy is tuned. */
export interface RelayPolicyInit {
  /** How long member `id` may go unheard straight from itself before it counts as unheard (about 1.5 of the intervals it is judged by). */
  unheardAfterMs: (id: string) => number
  /** How long a member's request stands without a newer heartbeat from it (our member timeout now). */
  requestTtlMs: () => number
  /** Most ids one heartbeat lists; beyond, it says "relay everything" instead. */
  maxListed: number
}

/** What one heartbeat asks of the others: the members its sender does not hear directly. */
export interface RelayRequest {
  /** Member ids (at most `maxListed`; none when `more`). */
  unheard: string[]
  /** More members are unheard than a heartbeat lists: relay every heartbeat for this sender. */
  more: boolean
}

interface StandingRequest extends RelayRequest {
  atMs: number
}

/**
 * Decides which heartbeats a node forwards to its gossipsub mesh. Every author flood-publishes to
 * all its peers, so in a fully connected fleet each heartbeat already reaches every node straight
 * from its author and forwarding only adds copies. Each node therefore lists in its heartbeats the
 * members it has not heard straight from their author lately (or has no connection to), and a
 * heartbeat is forwarded (mesh and IHAVE gossip, as gossipsub always did) only when some member
 * asked for its author, or while our own view is not settled (a member joining or leaving, whose
 * peers may not know each other yet). Pure: times are given.
 */
export class RelayPolicy {
  readonly #init: RelayPolicyInit
  /** Author id -> when a heartbeat of it last arrived straight from it. */
  readonly #lastDirectMs = new Map<string, number>()
  /** Member id -> what its latest heartbeat asked for. */
  readonly #requests = new Map<string, StandingRequest>()
  /** Sender id -> when we last noted a heartbeat of it. */
  readonly #lastNotedMs = new Map<string, number>()
  #everythingUntilMs = Number.NEGATIVE_INFINITY

  constructor (init: RelayPolicyInit) {
    this.#init = init
  }

  /** A heartbeat of `author` arrived straight from it (the relayer is the author). */
  heardDirectly (author: string, nowMs: number): void {
    this.#lastDirectMs.set(author, nowMs)
  }

  /** Did we note a heartbeat of `id` within the request lifetime? */
  recentlyHeard (id: string, nowMs: number): boolean {
    const lastMs = this.#lastNotedMs.get(id)
    return lastMs !== undefined && nowMs - lastMs <= this.#init.requestTtlMs()
  }

  /** Forward every heartbeat for the next `ms` (a newcomer must hear every member once). */
  relayEverythingFor (ms: number, nowMs: number): void {
    this.#everythingUntilMs = Math.max(this.#everythingUntilMs, nowMs + ms)
  }

  /** The latest heartbeat of `from` asked for `request` (replacing what it asked before). */
  noteRequest (from: string, request: RelayRequest, nowMs: number): void {
    this.#lastNotedMs.set(from, nowMs)
    if (request.unheard.length === 0 && !request.more) this.#requests.delete(from)
    else this.#requests.set(from, { unheard: request.more ? [] : request.unheard.slice(0, this.#init.maxListed), more: request.more, atMs: nowMs })
  }

  /**
   * What our next heartbeat asks for: the `members` (other than us) we have no connection to, or
   * have not heard straight from for `unheardAfterMs` (more than `maxListed` of them: "more", none
   * listed). Also forgets direct-arrival times of
   * authors that are no longer members and requests past their time, so memory follows the member list.
   */
  ourRequest (members: ReadonlySet<string>, isConnected: (id: string) => boolean, nowMs: number): RelayRequest {
    for (const id of this.#lastDirectMs.keys()) {
      if (!members.has(id)) this.#lastDirectMs.delete(id)
    }
    const ttlMs = this.#init.requestTtlMs()
    for (const [from, request] of this.#requests) {
      if (nowMs - request.atMs > ttlMs) this.#requests.delete(from)
    }
    for (const [id, lastMs] of this.#lastNotedMs) {
      if (nowMs - lastMs > ttlMs) this.#lastNotedMs.delete(id)
    }
    const unheard: string[] = []
    for (const id of members) {
      const lastMs = this.#lastDirectMs.get(id)
      if (isConnected(id) && lastMs !== undefined && nowMs - lastMs < this.#init.unheardAfterMs(id)) continue
      if (unheard.length === this.#init.maxListed) return { unheard: [], more: true }
      unheard.push(id)
    }
    return { unheard, more: false }
  }

  /** Should a heartbeat of `author` be forwarded? Always while our view is not `settled`. */
  shouldRelay (author: string, settled: boolean, nowMs: number): boolean {
    if (!settled || nowMs < this.#everythingUntilMs) return true
    const ttlMs = this.#init.requestTtlMs()
    for (const request of this.#requests.values()) {
      if (nowMs - request.atMs <= ttlMs && (request.more || request.unheard.includes(author))) return true
    }
    return false
  }

  /** Members whose request stands (for stats and tests). */
  get requesters (): number {
    return this.#requests.size
  }
}
