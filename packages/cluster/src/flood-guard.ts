/** Budgets of the flood guard. */
export interface FloodGuardInit {
  /** Heartbeat interval; budgets are per interval. */
  heartbeatIntervalMs: number
  /** Heartbeats a signer may send per interval on average (honest agents send 1, plus a few early beats on changes). */
  heartbeatsPerInterval: number
  /** Heartbeats a signer may send in a burst above that rate. */
  burst: number
  /** Distinct signers one connected peer may relay per window (a forwarding mesh peer relays about one per member). */
  maxSignersPerPeer: number
  /** The window of `maxSignersPerPeer`. */
  windowMs: number
}

/** Why the guard refused a message. */
export type FloodVerdict = 'ok' | 'over-budget' | 'too-many-signers'

interface Bucket {
  tokens: number
  atMs: number
}

/**
 * Cheap checks that run before a heartbeat is decoded: a token bucket per signer (a few heartbeats
 * per interval; the rest are refused), and a cap on the distinct signers relayed by one peer in a
 * window (so one connection cannot carry thousands of fresh identities). Memory is bounded by the
 * caps: buckets of signers idle long enough to be full again are pruned, and the per-peer signer
 * sets are reset every window.
 */
export class FloodGuard {
  readonly #init: FloodGuardInit
  readonly #buckets = new Map<string, Bucket>()
  readonly #signersByPeer = new Map<string, Set<string>>()
  #windowStartMs = Number.NEGATIVE_INFINITY

  constructor (init: FloodGuardInit) {
    this.#init = init
  }

  /** Checks one message signed by `signer` and relayed by `peer` at `nowMs`, and charges it if allowed. */
  check (peer: string, signer: string, nowMs: number): FloodVerdict {
    if (nowMs - this.#windowStartMs >= this.#init.windowMs) this.#newWindow(nowMs)
    let signers = this.#signersByPeer.get(peer)
    if (signers === undefined) {
      signers = new Set()
      this.#signersByPeer.set(peer, signers)
    }
    if (!signers.has(signer)) {
      if (signers.size >= this.#init.maxSignersPerPeer) return 'too-many-signers'
      signers.add(signer)
    }
    return this.#take(signer, nowMs) ? 'ok' : 'over-budget'
  }

  #take (signer: string, nowMs: number): boolean {
    const { burst } = this.#init
    const bucket = this.#buckets.get(signer) ?? { tokens: burst, atMs: nowMs }
    bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.atMs) * this.#ratePerMs())
    bucket.atMs = nowMs
    this.#buckets.set(signer, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  #ratePerMs (): number {
    return this.#init.heartbeatsPerInterval / this.#init.heartbeatIntervalMs
  }

  /** Starts a new signer-count window and forgets buckets that have refilled (their signers were quiet). */
  #newWindow (nowMs: number): void {
    this.#windowStartMs = nowMs
    this.#signersByPeer.clear()
    const refillMs = this.#init.burst / this.#ratePerMs()
    for (const [signer, bucket] of this.#buckets) {
      if (nowMs - bucket.atMs >= refillMs) this.#buckets.delete(signer)
    }
  }
}
