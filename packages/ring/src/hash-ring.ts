import { digestOfSortedEntries } from './digest.js'
import { InvalidReplicaCountError } from './errors.js'
import { compareIds, toEntry, toSortedEntries, type RingEntry, type RingMember } from './members.js'
import { keyOfResult, keyText } from './key.js'
import type { RingKey } from './key.js'
import { finishScore, hashKey, memberSeeds, rankScore, rankToRaw, spread, weightedScore } from './score.js'

/** The per-member arrays a ring scores with, all in id order; seeds are stored spread (see score.ts). */
interface RingTables {
  readonly entries: readonly RingEntry[]
  readonly scoreSeeds: Int32Array
  readonly tieSeeds: Int32Array
}

/** A member and its rendezvous score for one key (see {@link HashRing.scores}). */
export interface MemberScore {
  /** The member id. */
  id: string
  /** Its weight in the ring. */
  weight: number
  /** Its weighted score for the key, `weight / -ln(u)`: the highest owns the key. */
  score: number
}

/** @throws InvalidReplicaCountError when `n` is not an integer >= 1 */
function requireReplicaCount (n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidReplicaCountError(`replica count must be an integer >= 1, got ${String(n)}`)
  }
}

/** Calls the private constructor; assigned in the class's static block. */
let buildRing!: (tables: RingTables) => HashRing

/**
 * An immutable rendezvous-hashing ring over a set of members. Build it with {@link createRing};
 * derive the next one with {@link HashRing.withMember} / {@link HashRing.withoutMember}.
 */
export class HashRing {
  /** Members sorted by id (code-unit order). */
  readonly members: readonly RingEntry[]
  /** Number of members. */
  readonly size: number
  readonly #scoreSeeds: Int32Array
  readonly #tieSeeds: Int32Array
  readonly #weights: Float64Array
  readonly #totalWeight: number
  readonly #indexById: Map<string, number>
  /** Members grouped by distinct weight: within one weight the raw score alone ranks members. */
  readonly #weightClassOf: Int32Array
  readonly #classBest: Int32Array
  readonly #classBestRaw: Float64Array
  #digest: string | undefined
  #rawScratch: Float64Array | undefined

  private constructor (tables: RingTables) {
    this.members = Object.freeze(tables.entries.slice())
    this.size = tables.entries.length
    this.#scoreSeeds = tables.scoreSeeds
    this.#tieSeeds = tables.tieSeeds
    this.#weights = Float64Array.from(tables.entries, (entry) => entry.weight)
    this.#totalWeight = this.#weights.reduce((sum, weight) => sum + weight, 0)
    this.#indexById = new Map(tables.entries.map((entry, index) => [entry.id, index]))
    const classByWeight = new Map<number, number>()
    this.#weightClassOf = Int32Array.from(this.#weights, (weight) => {
      const known = classByWeight.get(weight)
      if (known !== undefined) return known
      classByWeight.set(weight, classByWeight.size)
      return classByWeight.size - 1
    })
    this.#classBest = new Int32Array(classByWeight.size)
    this.#classBestRaw = new Float64Array(classByWeight.size)
  }

  static {
    buildRing = (tables) => new HashRing(tables)
  }

  /** Order-independent digest of the members (ids and weights): 16 lowercase hex chars, == membersDigest(members). */
  get digest (): string {
    this.#digest ??= digestOfSortedEntries(this.members)
    return this.#digest
  }

  /** True when `id` is a member. */
  has (id: string): boolean {
    return this.#indexById.has(id)
  }

  /**
   * The member that owns `key`; undefined only when the ring is empty.
   * @throws InvalidKeyError when `key` is not a string, a finite number or a bigint
   */
  owner (key: RingKey): string | undefined {
    return this.members[this.#ownerIndex(hashKey(keyText(key)))]?.id
  }

  /**
   * The preference list of `key`: `min(n, size)` distinct member ids, best first; `[0]` is `owner(key)`.
   * @throws InvalidReplicaCountError when n is not an integer >= 1
   * @throws InvalidKeyError when `key` is not a string, a finite number or a bigint
   */
  owners (key: RingKey, n: number): string[] {
    requireReplicaCount(n)
    return this.#best(spread(hashKey(keyText(key))), Math.min(n, this.size), -1)
  }

  /**
   * The `min(n, others)` members other than `memberId` that rank highest for it, best first, by a
   * score symmetric in the pair: `memberId`'s own seed takes the place of a key's hash, so `a`
   * scores `b` exactly as `b` scores `a` (weights aside). `memberId` need not be a member. When
   * every agent takes its `closest(self, k)` as its neighbours, the picks are mostly mutual: at 50
   * agents and k = 3, about 4 neighbours each instead of about 6 for `owners(self, k)`, whose picks
   * are independent.
   * @throws InvalidMemberIdError when `memberId` is not a non-empty string
   * @throws InvalidReplicaCountError when n is not an integer >= 1
   */
  closest (memberId: string, n: number): string[] {
    const { id } = toEntry({ id: memberId })
    requireReplicaCount(n)
    const index = this.#indexById.get(id)
    const spreadKey = index === undefined ? spread(memberSeeds(id)[0]) : this.#scoreSeeds[index]!
    return this.#best(spreadKey, Math.min(n, this.size - (index === undefined ? 0 : 1)), index ?? -1)
  }

  /** The ids of the `count` members (all but index `skip`) that rank highest for `spreadKey`, best first. */
  #best (spreadKey: number, count: number, skip: number): string[] {
    if (count <= 0) return []
    const raw = (this.#rawScratch ??= new Float64Array(this.size))
    for (let i = 0; i < this.size; i++) raw[i] = finishScore(spreadKey ^ this.#scoreSeeds[i]!)
    const outranks = (a: number, b: number): boolean => this.#outranks(spreadKey, a, raw[a]!, b, raw[b]!)
    const top = new Int32Array(count)
    let length = 0
    for (let i = 0; i < this.size; i++) {
      if (i === skip || (length === count && !outranks(i, top[count - 1]!))) continue
      let position = length === count ? count - 1 : length++
      for (; position > 0 && outranks(i, top[position - 1]!); position--) top[position] = top[position - 1]!
      top[position] = i
    }
    return Array.from(top, (index) => this.members[index]!.id)
  }

  /**
   * Every member with its weighted rendezvous score for `key` (`weight / -ln(u)`, u the member's
   * hash of the key in (0, 1)), best first: the order of `owners(key, size)`. For explaining an
   * owner; lookups use faster integer comparisons.
   * @throws InvalidKeyError when `key` is not a string, a finite number or a bigint
   */
  scores (key: RingKey): MemberScore[] {
    if (this.size === 0) return []
    const spreadKey = spread(hashKey(keyText(key)))
    return this.owners(key, this.size).map((id) => {
      const index = this.#indexById.get(id) as number
      const weight = this.#weights[index]!
      return { id, weight, score: weightedScore(finishScore(spreadKey ^ this.#scoreSeeds[index]!), weight) }
    })
  }

  /**
   * True when `memberId` owns `key` (false for a non-member); cheaper than `owner(key) === memberId`.
   * @throws InvalidKeyError when `key` is not a string, a finite number or a bigint
   */
  isOwner (key: RingKey, memberId: string): boolean {
    const hash = hashKey(keyText(key))
    const target = this.#indexById.get(memberId)
    return target !== undefined && this.#isOwnedBy(hash, target)
  }

  /**
   * The items whose key `memberId` owns, in input order; [] for a non-member.
   * @param keyOf maps an item to its key (a string); without it each item must be a key itself (see {@link RingKey})
   * @throws InvalidKeyError when an item is not a key and no `keyOf` is given, or `keyOf` returns a non-string
   */
  extractSubset<T>(items: Iterable<T>, memberId: string, keyOf?: (item: T) => string): T[] {
    const target = this.#indexById.get(memberId)
    const subset: T[] = []
    if (target === undefined) return subset
    for (const item of items) {
      const key = keyOf === undefined ? keyText(item) : keyOfResult(keyOf(item))
      if (this.#isOwnedBy(hashKey(key), target)) subset.push(item)
    }
    return subset
  }

  /** The expected fraction of the key space `memberId` owns: its weight over the total; 0 for a non-member. */
  shareOf (memberId: string): number {
    const index = this.#indexById.get(memberId)
    return index === undefined ? 0 : this.#weights[index]! / this.#totalWeight
  }

  /** The ring after `member` joins, or after its weight changes if its id is already a member. O(n), no rehash of others. */
  withMember (member: RingMember): HashRing {
    const entry = toEntry(member)
    const index = this.#indexById.get(entry.id)
    if (index !== undefined) {
      if (this.#weights[index] === entry.weight) return this
      const entries = this.members.slice()
      entries[index] = entry
      return buildRing({ entries, scoreSeeds: this.#scoreSeeds, tieSeeds: this.#tieSeeds })
    }
    const at = insertionPoint(this.members, entry.id)
    const [scoreSeed, tieSeed] = memberSeeds(entry.id)
    const entries = this.members.slice()
    entries.splice(at, 0, entry)
    return buildRing({
      entries,
      scoreSeeds: insertAt(this.#scoreSeeds, at, spread(scoreSeed)),
      tieSeeds: insertAt(this.#tieSeeds, at, spread(tieSeed))
    })
  }

  /** The ring after member `id` leaves; this same ring when `id` is not a member. O(n). */
  withoutMember (id: string): HashRing {
    const index = this.#indexById.get(id)
    if (index === undefined) return this
    const entries = this.members.slice()
    entries.splice(index, 1)
    return buildRing({ entries, scoreSeeds: removeAt(this.#scoreSeeds, index), tieSeeds: removeAt(this.#tieSeeds, index) })
  }

  /**
   * Index of the owner, -1 on an empty ring. One pass of raw scores keeps the best member of each
   * weight class (raw order is weighted order within a class); only those few meet the logarithm.
   */
  #ownerIndex (keyHash: number): number {
    if (this.size === 0) return -1
    const spreadKey = spread(keyHash)
    const seeds = this.#scoreSeeds
    const classBest = this.#classBest
    if (classBest.length === 1) {
      let best = 0
      let bestRank = rankScore(spreadKey ^ seeds[0]!)
      for (let i = 1; i < this.size; i++) {
        const rank = rankScore(spreadKey ^ seeds[i]!)
        if (rank > bestRank || (rank === bestRank && this.#outranks(spreadKey, i, rankToRaw(rank), best, rankToRaw(bestRank)))) {
          best = i
          bestRank = rank
        }
      }
      return best
    }
    const classOf = this.#weightClassOf
    const classBestRaw = this.#classBestRaw
    classBest.fill(-1)
    for (let i = 0; i < this.size; i++) {
      const raw = finishScore(spreadKey ^ seeds[i]!)
      const weightClass = classOf[i]!
      const leader = classBest[weightClass]!
      const leaderRaw = classBestRaw[weightClass]!
      if (leader < 0 || raw > leaderRaw || (raw === leaderRaw && this.#outranks(spreadKey, i, raw, leader, leaderRaw))) {
        classBest[weightClass] = i
        classBestRaw[weightClass] = raw
      }
    }
    let best = classBest[0]!
    for (let weightClass = 1; weightClass < classBest.length; weightClass++) {
      const leader = classBest[weightClass]!
      if (this.#outranks(spreadKey, leader, classBestRaw[weightClass]!, best, classBestRaw[this.#weightClassOf[best]!]!)) best = leader
    }
    return best
  }

  /** True when `target` owns the key; with equal weights it stops at the first member that outranks it. */
  #isOwnedBy (keyHash: number, target: number): boolean {
    if (this.#classBest.length > 1) return this.#ownerIndex(keyHash) === target
    const spreadKey = spread(keyHash)
    const seeds = this.#scoreSeeds
    const targetRank = rankScore(spreadKey ^ seeds[target]!)
    for (let i = 0; i < this.size; i++) {
      const rank = rankScore(spreadKey ^ seeds[i]!)
      if (rank > targetRank || (rank === targetRank && i !== target && this.#outranks(spreadKey, i, rankToRaw(rank), target, rankToRaw(targetRank)))) return false
    }
    return true
  }

  /**
   * The one order of members for a key: higher weighted score, then higher raw score, then higher
   * tie score, then lower index (id order). Depends only on the two members, never on the others:
   * that is what makes joins and leaves move only the keys of the member that changed.
   */
  #outranks (spreadKey: number, a: number, rawA: number, b: number, rawB: number): boolean {
    const weightA = this.#weights[a]!
    const weightB = this.#weights[b]!
    if (weightA !== weightB) {
      const weightedA = weightedScore(rawA, weightA)
      const weightedB = weightedScore(rawB, weightB)
      if (weightedA !== weightedB) return weightedA > weightedB
    }
    if (rawA !== rawB) return rawA > rawB
    const tieA = finishScore(spreadKey ^ this.#tieSeeds[a]!)
    const tieB = finishScore(spreadKey ^ this.#tieSeeds[b]!)
    return tieA !== tieB ? tieA > tieB : a < b
  }
}

/**
 * Builds a ring from a set of members; the same set gives the same ring whatever the order.
 *
 * @example
 * ```ts
 * const ring = createRing([{ id: 'agent-a' }, { id: 'agent-b', weight: 2 }])
 * const mine = ring.extractSubset(resources, 'agent-a')   // agent-a's third of the resources
 * ```
 *
 * @throws InvalidMemberIdError, DuplicateMemberError, InvalidWeightError on bad members
 */
export function createRing (members: Iterable<RingMember>): HashRing {
  const entries = toSortedEntries(members)
  const scoreSeeds = new Int32Array(entries.length)
  const tieSeeds = new Int32Array(entries.length)
  entries.forEach((entry, index) => {
    const [scoreSeed, tieSeed] = memberSeeds(entry.id)
    scoreSeeds[index] = spread(scoreSeed)
    tieSeeds[index] = spread(tieSeed)
  })
  return buildRing({ entries, scoreSeeds, tieSeeds })
}

/** Where `id` goes in id-sorted entries (binary search). */
function insertionPoint (entries: readonly RingEntry[], id: string): number {
  let low = 0
  let high = entries.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareIds(entries[middle]!.id, id) < 0) low = middle + 1
    else high = middle
  }
  return low
}

function insertAt (values: Int32Array, index: number, value: number): Int32Array {
  const result = new Int32Array(values.length + 1)
  result.set(values.subarray(0, index))
  result[index] = value
  result.set(values.subarray(index), index + 1)
  return result
}

function removeAt (values: Int32Array, index: number): Int32Array {
  const result = new Int32Array(values.length - 1)
  result.set(values.subarray(0, index))
  result.set(values.subarray(index + 1), index)
  return result
}
