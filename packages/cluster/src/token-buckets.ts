/** One key's bucket: tokens left, as of `atMs`. */
interface Bucket {
  tokens: number
  atMs: number
}

/**
 * Token buckets by key, all of one size: a key may take `burst` tokens at once, then as many as its
 * bucket refills at the rate each `take` names. A key never seen starts full. Memory follows the
 * keys taken from; `forgetIdle` drops the buckets that are full again.
 */
export class TokenBuckets {
  readonly #burst: number
  readonly #buckets = new Map<string, Bucket>()

  constructor (burst: number) {
    this.#burst = burst
  }

  /** Takes one token from `id`'s bucket, refilled at `ratePerMs` up to `nowMs`; false when it had none. */
  take (id: string, nowMs: number, ratePerMs: number): boolean {
    const bucket = this.#buckets.get(id) ?? { tokens: this.#burst, atMs: nowMs }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (nowMs - bucket.atMs) * ratePerMs)
    bucket.atMs = nowMs
    this.#buckets.set(id, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Forgets every bucket untouched for `idleMs` or more (long enough to be full again: as if never seen). */
  forgetIdle (nowMs: number, idleMs: number): void {
    for (const [id, bucket] of this.#buckets) {
      if (nowMs - bucket.atMs >= idleMs) this.#buckets.delete(id)
    }
  }

  /** How many keys have a bucket. */
  get size (): number {
    return this.#buckets.size
  }
}
