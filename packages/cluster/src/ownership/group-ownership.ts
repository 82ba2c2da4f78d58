import { createRing } from '@gossip-ring/ring'
import type { Clock } from '@gossip-ring/membership'
import type { HashRing, RingKey } from '@gossip-ring/ring'
import { HandoffAcks, OWNS_NOTHING } from './handoff.js'
import { QuorumTracker } from './quorum.js'
import { ViewEpochs } from './view-epochs.js'
import type { OwnershipPolicy } from './policy.js'
import { describePolicy, policyFingerprint } from './policy-fingerprint.js'

/** What a group's ownership runs on. */
export interface GroupOwnershipComponents {
  clock: Clock
  selfId: string
  /** Called after what we own may have changed; `ringChanged` when the ring we own by changed. */
  changed: (ringChanged: boolean) => void
  /** The group's `minMembers` (see `JoinOptions`): a view with fewer members owns nothing. @default 1 */
  minMembers?: () => number
}

/** Who owns a key and since which fencing epoch. */
export interface KeyOwnership {
  /** The owner in the ring we own by; undefined when it is empty. */
  owner: string | undefined
  /** The fencing epoch at which that owner got the key (see ViewEpochs); 0 before any ring. */
  epoch: number
}

/** Where we stand: `normal` (quorum or no quorum set), or on the minority side with the group's `onMinority`. */
export type OwnershipMode = 'normal' | 'minority-own-all' | 'minority-own-nothing' | 'minority-keep-last'

/** The state `explainOwner` shows, besides the ring. */
export interface OwnershipState {
  mode: OwnershipMode
  /** Members our view has, and how many the quorum needs now (0: no quorum). */
  viewSize: number
  quorumRequired: number
  /** Whether we caught up with the group after joining (safe handoff takes nothing before). */
  caughtUp: boolean
  /** The view's digest, and the digest of the ring we own by (they differ while settling). */
  viewDigest: string
  owningDigest: string
}

const NOBODY = createRing([])

/** The largest ownership fields a group can advertise (a 2^53 epoch, a full owning digest while settling, a policy fingerprint): joins check the heartbeat fits with them. */
export const LARGEST_OWNING_ADVERT = Object.freeze({ epoch: Number.MAX_SAFE_INTEGER, digest: 'f'.repeat(16), policy: 0xffffffff })

/**
 * What we own in one group: the membership view goes through settling (`settleMs`), the partition
 * policy (`quorum`, `onMinority`) and safe handoff before it reaches the application, and each
 * ring we own by gets a fencing epoch. Pure but for the injected clock: a single timer wakes it at
 * the next time-based change (settled, patience over, keep-last over, quorum window).
 */
export class GroupOwnership {
  #policy: OwnershipPolicy
  readonly #clock: Clock
  readonly #selfId: string
  readonly #changed: (ringChanged: boolean) => void
  readonly #epochs = new ViewEpochs()
  readonly #acks = new HandoffAcks()
  readonly #minMembers: () => number
  #quorum: QuorumTracker
  #view: HashRing = NOBODY
  #viewSinceMs: number
  #applied: HashRing = NOBODY
  #appliedSinceMs: number
  /** The last ring we own by whose handoffs are complete (every other member acknowledged us): its keys we keep without asking. */
  #base: HashRing = NOBODY
  /** When self entered the view; undefined while self is not in it. */
  #joinedAtMs: number | undefined
  #caughtUp = false
  /** Back from a minority mode: only the group's convergence (not one matching member) catches us up. */
  #rejoining = false
  /** We were silent longer than the others wait for us (see `silenced`): we own nothing until we catch up again. */
  #silenced = false
  #mode: OwnershipMode = 'normal'
  #minoritySinceMs = 0
  /** Our ring when we last had the quorum (what keep-last keeps). */
  #lastQuorate: HashRing = NOBODY
  #patienceOver = false
  #timer: unknown
  /** `policyFingerprint(#policy)`. */
  #fingerprint: number

  constructor (components: GroupOwnershipComponents, policy: OwnershipPolicy) {
    this.#clock = components.clock
    this.#selfId = components.selfId
    this.#minMembers = components.minMembers ?? (() => 1)
    this.#changed = components.changed
    this.#policy = policy
    this.#fingerprint = policyFingerprint(policy)
    this.#quorum = new QuorumTracker(policy.quorum, policy.quorumWindowMs)
    this.#viewSinceMs = this.#appliedSinceMs = this.#clock.now()
  }

  /** The fingerprint of the options every member of the group must share (see `policyFingerprint`), advertised in our heartbeats. */
  get policyFingerprint (): number {
    return this.#fingerprint
  }

  /** Our options every member of the group must share, in words (see `describePolicy`). */
  get sharedPolicy (): string {
    return describePolicy(this.#policy)
  }

  /**
   * The ring we own by: the view once settled, through the partition policy (empty while a
   * minority side owns nothing, our last ring with the quorum while it keeps its last share).
   * Safe handoff may still hold back a key it maps to us (see {@link ownerOf}).
   */
  get ring (): HashRing {
    return this.#policyRing()
  }

  /** The ring of the current membership view. */
  get view (): HashRing {
    return this.#view
  }

  /** What our heartbeat says we own by: the epoch, and the ring's digest when it is not our view's ({@link OWNS_NOTHING} when we own nothing). */
  get advert (): { epoch: number, digest?: string } {
    const digest = this.#owningDigest()
    return digest === this.#view.digest ? { epoch: this.#epochs.epoch } : { epoch: this.#epochs.epoch, digest }
  }

  /** The policy's state now, for `explainOwner`. */
  get state (): OwnershipState {
    const nowMs = this.#clock.now()
    return {
      mode: this.#mode,
      viewSize: this.#view.size,
      quorumRequired: this.#quorum.required(nowMs),
      caughtUp: this.#caughtUp,
      viewDigest: this.#view.digest,
      owningDigest: this.#owningDigest()
    }
  }

  /** Applies new options (a `joinGroup` with ownership options); the quorum starts over from the current view. */
  configure (policy: OwnershipPolicy): void {
    this.#policy = policy
    this.#fingerprint = policyFingerprint(policy)
    this.#quorum = new QuorumTracker(policy.quorum, policy.quorumWindowMs)
    this.#quorum.view(this.#view.members.map((member) => member.id), this.#clock.now())
    this.#evaluate()
  }

  /**
   * Applies the same options at new timings (our heartbeat interval changed): the defaults that
   * derive from them (`keepLastMs`, `quorumWindowMs`, the patience) follow; unlike `configure`, the
   * quorum keeps the members it remembers.
   */
  retime (policy: OwnershipPolicy): void {
    this.#policy = policy
    this.#quorum.windowMs = policy.quorumWindowMs
    this.#evaluate()
  }

  /** The membership view changed. */
  setView (ring: HashRing): void {
    if (ring.digest === this.#view.digest) return
    const nowMs = this.#clock.now()
    this.#view = ring
    this.#viewSinceMs = nowMs
    this.#quorum.view(ring.members.map((member) => member.id), nowMs)
    this.#acks.noteOwnRing(ring, this.#selfId)
    if (!ring.has(this.#selfId)) {
      this.#joinedAtMs = undefined
      this.#caughtUp = false
    } else {
      this.#joinedAtMs ??= nowMs
    }
    this.#evaluate()
  }

  /** A heartbeat advertised `epoch` (call before the membership ingests it, accepted or not). */
  noteEpoch (epoch: number): void {
    this.#epochs.noteHeard(epoch)
  }

  /**
   * A member's heartbeat, once the membership accepted it (never a stale or replayed one): its view
   * digest, and it owns by the ring with `owningDigest` at `epoch`. A member that sees exactly our view (with others in
   * it) means we have caught up: our view holds everyone that member knows.
   */
  heard (id: string, viewDigest: string, owningDigest: string, epoch: number): void {
    const adopted = this.#epochs.heard(owningDigest, epoch)
    const acked = this.#acks.heard(id, owningDigest)
    if (!this.#caughtUp && !this.#rejoining && viewDigest === this.#view.digest && this.#view.size > 1 && this.#view.has(this.#selfId)) {
      this.#catchUp()
      this.#evaluate()
      return
    }
    if (acked || adopted) {
      this.#promoteBase()
      this.#changed(false)
    }
  }

  /** A member became suspect (true) or alive again (false). */
  suspect (id: string, suspected: boolean): void {
    this.#quorum.suspect(id, suspected)
    if (this.#policy.quorum !== undefined) this.#evaluate()
  }

  /** A member left the group; `graceful` when it said so (it stops counting towards the quorum). */
  left (id: string, graceful: boolean): void {
    this.#acks.forget(id)
    if (graceful) this.#quorum.left(id)
  }

  /**
   * The membership reports the group converged: we have caught up (usually known earlier, from
   * `heard`). Alone, the membership reports it only after its settle window (`suspectAfterMs` after
   * joining, or never below `minMembers`), so a lone agent owns its keys from the moment it is
   * converged, not later.
   */
  converged (): void {
    if (this.#caughtUp || !this.#view.has(this.#selfId)) return
    this.#catchUp()
    this.#evaluate()
  }

  /**
   * We were silent for longer than the others wait before dropping us (our process was paused):
   * they may have dropped us and taken our keys, while our view, frozen with us, still gives us our
   * share. With others in our view we own nothing, and advertise so, until we catch up with the
   * group again as a newcomer does (it converged again, or `memberTimeoutMs` passed); then keys come
   * back through safe handoff. Alone in it, nobody we know took anything, but what is due by now
   * (the end of keep-last, the quorum window) applies at once, not when our late timer runs.
   */
  silenced (): void {
    if (this.#view.has(this.#selfId) && this.#view.size > 1) {
      this.#silenced = true
      this.#base = NOBODY
      this.#rejoin(this.#clock.now())
    }
    this.#evaluate()
  }

  /** Whether we own `key` now. @throws {InvalidKeyError} for a key that is not a string, finite number or bigint */
  isMine (key: RingKey): boolean {
    if (this.#silenced || this.#tooFew()) return false
    const inRing = this.#applied.isOwner(key, this.#selfId)
    switch (this.#mode) {
      case 'minority-own-nothing': return false
      case 'minority-keep-last': return this.#lastQuorate.isOwner(key, this.#selfId)
      default: return inRing && (this.#base.isOwner(key, this.#selfId) || this.#mayGain(key))
    }
  }

  /**
   * Who owns `key` as far as we can vouch: its owner in the ring we own by ({@link ring}), and never
   * us unless we own it now ({@link isMine}: a key we gain waits for its handoff; a paused process
   * owns nothing); undefined then, and on a minority side that owns nothing. So "the owner is me"
   * answers as `isMine` does (before, on the minority side of a partition, it named us for our whole
   * view while the majority owned the same keys).
   */
  ownerOf (key: RingKey): string | undefined {
    const owner = this.#policyRing().owner(key)
    return owner === this.#selfId && !this.isMine(key) ? undefined : owner
  }

  /** The first `n` owners of `key` ({@link ring}), none when {@link ownerOf} vouches for nobody: the list starts with the owner. */
  ownersOf (key: RingKey, n: number): string[] {
    const owners = this.#policyRing().owners(key, n)
    return owners[0] === this.#selfId && !this.isMine(key) ? [] : owners
  }

  /** {@link ownerOf} `key`, and its fencing epoch. */
  ownership (key: RingKey): KeyOwnership {
    return { owner: this.ownerOf(key), epoch: this.#epochs.keyEpoch(key) }
  }

  /** Cancels the timer. */
  stop (): void {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Safe handoff: a key we gain is taken once its next owner in line has seen us (see HandoffAcks). */
  #mayGain (key: RingKey): boolean {
    if (!this.#policy.handoff || this.#patienceOver) return true
    return this.#caughtUp && this.#acks.mayTake(this.#applied, key)
  }

  /**
   * Back from owning nothing (or our last share) on the minority side: the keys' holders on the
   * other side may not be in our view yet, so we take nothing new until the group converged again
   * (a member of our side seeing what we see proves nothing here).
   */
  #rejoin (nowMs: number): void {
    this.#caughtUp = false
    this.#rejoining = true
    if (this.#joinedAtMs !== undefined) this.#joinedAtMs = nowMs
  }

  /** We have caught up with the group: our older rings (and their epochs) were ours alone. */
  #catchUp (): void {
    this.#caughtUp = true
    this.#rejoining = false
    this.#silenced = false
    this.#epochs.rebase()
  }

  /** Makes the ring we own by the base once every other member in it acknowledged us (or handoff does not wait). */
  #promoteBase (): void {
    if (this.#mode === 'minority-own-nothing' || this.#mode === 'minority-keep-last') {
      // what we keep is what we really own: on regaining the quorum, every key is a gain again
      this.#base = this.#owningRing()
      return
    }
    if (this.#base === this.#applied) return
    const waiting = this.#policy.handoff && !this.#patienceOver &&
      (!this.#caughtUp || this.#applied.members.some((member) => member.id !== this.#selfId && !this.#acks.acked(member.id)))
    if (!waiting) this.#base = this.#applied
  }

  #owningDigest (): string {
    const owning = this.#owningRing()
    return owning === NOBODY ? OWNS_NOTHING : owning.digest
  }

  #owningRing (): HashRing {
    if (this.#silenced || this.#tooFew() || (this.#policy.handoff && !this.#caughtUp)) return NOBODY
    return this.#policyRing()
  }

  /**
   * Fewer members in view than the group's `minMembers`: we own nothing, whatever the handoff's
   * patience (before, a lone agent with `minMembers: 3` owned every key once it was over).
   */
  #tooFew (): boolean {
    return this.#view.size < this.#minMembers()
  }

  /** `minMembers` may have changed (a `joinGroup`): tells what we own again. */
  minMembersChanged (): void {
    this.#evaluate()
  }

  /** The settled ring through the partition policy. */
  #policyRing (): HashRing {
    if (this.#mode === 'minority-own-nothing') return NOBODY
    if (this.#mode === 'minority-keep-last') return this.#lastQuorate
    return this.#applied
  }

  /** Recomputes every time-based state, tells what changed, and arms the timer for the next change. */
  #evaluate (): void {
    const nowMs = this.#clock.now()
    const ringBefore = this.#policyRing()
    if (this.#applied.digest !== this.#view.digest && nowMs - this.#viewSinceMs >= this.#policy.settleMs) {
      this.#applied = this.#view
      this.#appliedSinceMs = nowMs
      this.#epochs.apply(this.#applied)
      this.#acks.noteOwnRing(this.#applied, this.#selfId)
    }
    this.#updateMode(nowMs)
    const joinedAtMs = this.#joinedAtMs ?? nowMs
    this.#patienceOver = nowMs - Math.max(this.#appliedSinceMs, joinedAtMs) >= this.#policy.patienceMs
    if (this.#patienceOver && this.#joinedAtMs !== undefined && !this.#caughtUp) this.#catchUp()
    this.#promoteBase()
    this.#changed(this.#policyRing().digest !== ringBefore.digest)
    this.#arm(nowMs)
  }

  #updateMode (nowMs: number): void {
    if (this.#quorum.hasQuorum(nowMs) || this.#policy.onMinority === 'own-all') {
      if (this.#quorum.hasQuorum(nowMs)) this.#lastQuorate = this.#applied
      if (this.#mode === 'minority-own-nothing' || this.#mode === 'minority-keep-last') this.#rejoin(nowMs)
      this.#mode = this.#quorum.hasQuorum(nowMs) ? 'normal' : 'minority-own-all'
      return
    }
    if (this.#mode === 'normal' || this.#mode === 'minority-own-all') this.#minoritySinceMs = nowMs
    const keeping = this.#policy.onMinority === 'keep-last' && nowMs - this.#minoritySinceMs < this.#policy.keepLastMs
    this.#mode = keeping ? 'minority-keep-last' : 'minority-own-nothing'
  }

  /** Arms the one timer at the earliest future time-based change. */
  #arm (nowMs: number): void {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    const due: number[] = []
    if (this.#applied.digest !== this.#view.digest) due.push(this.#viewSinceMs + this.#policy.settleMs)
    if (this.#policy.handoff && !this.#patienceOver && this.#joinedAtMs !== undefined) due.push(Math.max(this.#appliedSinceMs, this.#joinedAtMs) + this.#policy.patienceMs)
    if (this.#mode === 'minority-keep-last') due.push(this.#minoritySinceMs + this.#policy.keepLastMs)
    const quorumChangeMs = this.#quorum.nextChangeMs()
    if (quorumChangeMs !== undefined) due.push(quorumChangeMs)
    const nextMs = Math.min(...due.filter((ms) => ms > nowMs))
    if (Number.isFinite(nextMs)) this.#timer = this.#clock.setTimeout(() => { this.#evaluate() }, nextMs - nowMs)
  }
}
