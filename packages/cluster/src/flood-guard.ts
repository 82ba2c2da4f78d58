import { TokenBuckets } from './token-buckets.js'

/** Budgets of the flood guard. */
export interface FloodGuardInit {
  /** Our heartbeat interval (ms); budgets are per interval (see `retune` and `advertisedIntervalMs`). */
  heartbeatIntervalMs: number
  /**
   * The heartbeat interval `signer` advertised in its last accepted heartbeat, if any: a signer
   * heartbeating faster than us gets the budget of its own interval, at most
   * {@link MAX_BUDGET_SPEEDUP} times ours (see {@link signerBudgetIntervalMs}).
   *
   * @default none: every signer's budget is per our interval
   */
  advertisedIntervalMs?: (signer: string) => number | undefined
  /** Heartbeats a signer may send per interval on average (honest agents send 1, plus a few early beats on changes). */
  heartbeatsPerInterval: number
  /** Heartbeats a signer may send in a burst above that rate. */
  burst: number
  /** Distinct signers one connected peer may relay per window (a forwarding mesh peer relays about one per member). */
  maxSignersPerPeer: number
  /** The window of `maxSignersPerPeer`. */
  windowMs: number
}

/** How many times faster than ours a signer's advertised interval can make its budget. */
export const MAX_BUDGET_SPEEDUP = 8

/**
 * The interval a signer's budget is per: ours, or the one it advertises when that is shorter (an
 * agent of `presets.local`, 200 ms, among agents at 1 s; or a fleet on `heartbeatIntervalMs:
 * 'auto'` where we picked a longer interval than it did), but never shorter than ours divided by
 * {@link MAX_BUDGET_SPEEDUP}: advertising a tiny interval buys a flooder at most that factor. Pure.
 */
export function signerBudgetIntervalMs (ownMs: number, advertisedMs: number | undefined): number {
  if (advertisedMs === undefined || !(advertisedMs < ownMs)) return ownMs
  return Math.max(advertisedMs, ownMs / MAX_BUDGET_SPEEDUP)
}

/**
 * Cheap checks that run before a heartbeat is decoded: a cap on the distinct signers relayed by one
 * peer in a window (so one connection cannot carry thousands of fresh identities), a token bucket
 * per signer (a few heartbeats per interval; the rest are refused), charged only once the heartbeat
 * is known to be the signer's, and a bucket of the same size per relayer for relayed copies with a
 * bad signature that it is excused for (see `excuseFault`). Memory is bounded by the caps:
 * buckets idle long enough to be full again are pruned, and the per-peer signer sets are reset every window.
 */
export class FloodGuard {
  readonly #init: FloodGuardInit
  #intervalMs: number
  readonly #buckets: TokenBuckets
  readonly #excuses: TokenBuckets
  readonly #signersByPeer = new Map<string, Set<string>>()
  /** The distinct signers whose heartbeats we forwarded this window. */
  readonly #forwarded = new Set<string>()
  #windowStartMs = Number.NEGATIVE_INFINITY

  constructor (init: FloodGuardInit) {
    this.#init = init
    this.#intervalMs = init.heartbeatIntervalMs
    this.#buckets = new TokenBuckets(init.burst)
    this.#excuses = new TokenBuckets(init.burst)
  }

  /** Our heartbeat interval changed (`heartbeatIntervalMs: 'auto'`): budgets follow from now on. */
  retune (heartbeatIntervalMs: number): void {
    this.#intervalMs = heartbeatIntervalMs
  }

  /** True when `peer` may relay a message of `signer` at `nowMs`: it is a signer it relayed this window, or it is under `maxSignersPerPeer`. */
  admit (peer: string, signer: string, nowMs: number): boolean {
    if (nowMs - this.#windowStartMs >= this.#init.windowMs) this.#newWindow(nowMs)
    let signers = this.#signersByPeer.get(peer)
    if (signers === undefined) {
      signers = new Set()
      this.#signersByPeer.set(peer, signers)
    }
    if (signers.has(signer)) return true
    if (signers.size >= this.#init.maxSignersPerPeer) return false
    signers.add(signer)
    return true
  }

  /**
   * True when we may forward a heartbeat of `signer` at `nowMs`: a signer we forwarded this window,
   * or fewer than half of `maxSignersPerPeer` so far. A receiver counts what we relay in its own
   * windows of the same length, each spanning at most two of ours: so it never counts more than its
   * cap from us, and never takes us for a carrier of fresh identities.
   */
  admitForward (signer: string, nowMs: number): boolean {
    if (nowMs - this.#windowStartMs >= this.#init.windowMs) this.#newWindow(nowMs)
    if (this.#forwarded.has(signer)) return true
    if (this.#forwarded.size >= Math.floor(this.#init.maxSignersPerPeer / 2)) return false
    this.#forwarded.add(signer)
    return true
  }

  /** Charges one heartbeat (known to be the signer's) to `signer`'s budget; false when it has none left. */
  charge (signer: string, nowMs: number): boolean {
    const intervalMs = signerBudgetIntervalMs(this.#intervalMs, this.#init.advertisedIntervalMs?.(signer))
    return this.#buckets.take(signer, nowMs, this.#init.heartbeatsPerInterval / intervalMs)
  }

  /**
   * Charges one fault to `peer`: a relayed copy with a bad signature, or a frame gossipsub could not
   * read. False when it made more of them than one signer's budget explains (a forger or a flooder,
   * not an honest relayer of a badly signing author, nor an agent that sent one bad frame).
   */
  excuseFault (peer: string, nowMs: number): boolean {
    return this.#excuses.take(peer, nowMs, this.#ratePerMs())
  }

  /** The refill rate at our interval: the slowest any bucket has. */
  #ratePerMs (): number {
    return this.#init.heartbeatsPerInterval / this.#intervalMs
  }

  /** Starts a new signer-count window and forgets buckets that have refilled (their signers or relayers were quiet). */
  #newWindow (nowMs: number): void {
    this.#windowStartMs = nowMs
    this.#signersByPeer.clear()
    this.#forwarded.clear()
    // buckets refill at our rate or faster: one idle this long is full
    const refillMs = this.#init.burst / this.#ratePerMs()
    this.#buckets.forgetIdle(nowMs, refillMs)
    this.#excuses.forgetIdle(nowMs, refillMs)
  }
}
