import type { Clock, MembershipTable } from '@gossip-ring/membership'
import type { HashRing } from '@gossip-ring/ring'
import type { DecodedHeartbeat, OwningAdvert } from '../wire/codec.js'
import { GroupOwnership } from './group-ownership.js'
import { resolveOwnershipPolicy } from './policy.js'
import type { OwnershipInit, OwnershipPolicy, OwnershipTimings } from './policy.js'

/** What the cluster's ownership runs on. */
export interface OwnershipsComponents {
  clock: Clock
  selfId: string
  /** Called after what we own in `group` may have changed; `ring` when the ring we own by changed. */
  changed: (group: string, ring: HashRing | undefined) => void
  /** The wall clock (Unix epoch ms) and how far a member's clock may be ahead of it: no honest epoch is above their sum (see {@link Ownerships.implausibleEpochs}). */
  wallClock: { now: () => number }
  maxClockSkewMs: number
  /** The `minMembers` of a joined group (1 for any other). */
  minMembersOf: (group: string) => number
}

/** The ownership of every group we know of, each with its options (from `groups` and `joinGroup`). */
export class Ownerships {
  readonly #components: OwnershipsComponents
  #timings: OwnershipTimings
  readonly #inits = new Map<string, OwnershipInit>()
  readonly #groups = new Map<string, GroupOwnership>()
  #idle: GroupOwnership | undefined

  constructor (components: OwnershipsComponents, timings: OwnershipTimings, inits: Iterable<[string, OwnershipInit]>) {
    this.#components = components
    this.#timings = timings
    for (const [group, init] of inits) this.#inits.set(group, init)
  }

  /** The ownership of `group` (created with its options on first use). */
  get (group: string): GroupOwnership {
    let ownership = this.#groups.get(group)
    if (ownership === undefined) {
      ownership = new GroupOwnership({
        clock: this.#components.clock,
        selfId: this.#components.selfId,
        changed: (ringChanged) => { this.#components.changed(group, ringChanged ? ownership?.ring : undefined) },
        minMembers: () => this.#components.minMembersOf(group)
      }, this.#policyOf(group))
      this.#groups.set(group, ownership)
    }
    return ownership
  }

  /** The ownership of `group` if we know the group, else an idle one that owns nothing (queries never create state). */
  find (group: string): GroupOwnership {
    return this.#groups.get(group) ?? (this.#idle ??= new GroupOwnership({ ...this.#components, changed: () => {} }, this.#policyOf('')))
  }

  /** Drops `group`'s ownership (we left it: its ring is empty to us, as for any group we are not in). */
  forget (group: string): void {
    this.#groups.get(group)?.stop()
    this.#groups.delete(group)
  }

  /**
   * Updates `group`'s options (a `joinGroup`): an option left out keeps its value, one given as
   * undefined goes back to its default (before, a `joinGroup` with a new weight alone dropped the
   * group's quorum, and a partition then double-owned every key). Throws InvalidOptionError before
   * changing anything.
   */
  configure (group: string, init: OwnershipInit): void {
    const merged = { ...this.#inits.get(group), ...ownershipOptionsOf(init) }
    const policy = resolveOwnershipPolicy(merged, this.#timings)
    this.#inits.set(group, merged)
    this.#groups.get(group)?.configure(policy)
  }

  /**
   * Our timings changed (`heartbeatIntervalMs: 'auto'`): every group's defaults that derive from
   * them follow (the keep-last window, the quorum window, how long safe handoff waits); options
   * given explicitly stay.
   */
  retime (timings: OwnershipTimings): void {
    this.#timings = timings
    for (const [group, ownership] of this.#groups) ownership.retime(this.#policyOf(group))
  }

  /** Follows the membership's leaves, suspicions and convergence (the views come through the cluster's `view:change` handler). */
  follow (membership: MembershipTable): void {
    membership.addEventListener('member:leave', ({ detail }) => { this.get(detail.group).left(detail.id, detail.reason === 'left') })
    membership.addEventListener('member:suspect', ({ detail }) => { this.get(detail.group).suspect(detail.id, true) })
    membership.addEventListener('member:alive', ({ detail }) => { this.get(detail.group).suspect(detail.id, false) })
    membership.addEventListener('group:converged', ({ detail }) => { this.get(detail.group).converged() })
  }

  /**
   * Group adverts whose epoch was refused: above our wall clock plus `maxClockSkewMs`. Honest epochs
   * are counts of ring changes, far below any wall clock in milliseconds, even after one
   * jump to such a bound; a member advertising more (2^53 - 1, the wire's limit) would pin every
   * agent's epochs at the limit for good, so that a key changing owner no longer gets a larger epoch
   * and a store's compare-and-set cannot refuse the stale owner. Such an epoch is taken as 0.
   */
  implausibleEpochs = 0

  /** Notes the epochs of a heartbeat before the membership ingests it: a view change it causes gets a larger epoch. */
  noteEpochs (heartbeat: DecodedHeartbeat): void {
    for (const group of heartbeat.groups) {
      const epoch = heartbeat.owning[group.name]?.epoch ?? 0
      if (!this.#plausible(epoch)) this.implausibleEpochs++
      else this.#groups.get(group.name)?.noteEpoch(epoch)
    }
  }

  /** Tells every group of a heartbeat the membership accepted what its sender sees and owns by. */
  heard (heartbeat: DecodedHeartbeat): void {
    for (const group of heartbeat.groups) {
      const owning: OwningAdvert | undefined = heartbeat.owning[group.name]
      const viewDigest = heartbeat.digests[group.name]
      const epoch = owning?.epoch ?? 0
      if (viewDigest !== undefined) this.#groups.get(group.name)?.heard(heartbeat.from, viewDigest, owning?.digest ?? viewDigest, this.#plausible(epoch) ? epoch : 0)
    }
  }

  #plausible (epoch: number): boolean {
    return epoch <= this.#components.wallClock.now() + this.#components.maxClockSkewMs
  }

  /** What our heartbeat says we own by, per group in `groups`, with the fingerprint of our options there. */
  adverts (groups: Iterable<string>): Record<string, OwningAdvert> {
    const adverts: Record<string, OwningAdvert> = {}
    for (const group of groups) {
      const ownership = this.#groups.get(group)
      if (ownership !== undefined) adverts[group] = { ...ownership.advert, policy: ownership.policyFingerprint }
    }
    return adverts
  }

  /** We were silent longer than the others wait for us: every group owns nothing until it catches up again (see `GroupOwnership.silenced`). */
  silenced (): void {
    for (const ownership of this.#groups.values()) ownership.silenced()
  }

  /** Stops every group's timer. */
  stop (): void {
    for (const ownership of this.#groups.values()) ownership.stop()
  }

  #policyOf (group: string): OwnershipPolicy {
    return resolveOwnershipPolicy(this.#inits.get(group) ?? {}, this.#timings)
  }
}

const OWNERSHIP_OPTIONS: ReadonlyArray<keyof OwnershipInit> = ['handoff', 'quorum', 'onMinority', 'keepLastMs', 'quorumWindowMs', 'settleMs']

/** The ownership options present in `init` (undefined ones included: given as undefined, an option is unset), and no other key. */
function ownershipOptionsOf (init: OwnershipInit): OwnershipInit {
  const options: Record<string, unknown> = {}
  for (const key of OWNERSHIP_OPTIONS) if (key in init) options[key] = init[key]
  return options as OwnershipInit
}
