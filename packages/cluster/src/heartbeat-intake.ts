import type { Logger, PeerId } from '@libp2p/interface'
import { HeartbeatDecodeError } from './errors.js'
import type { DropReason } from './errors.js'
import type { FloodGuard } from './flood-guard.js'
import type { UnreadableFrame } from './gossipsub-hooks.js'
import type { PeerGuard } from './peer-guard.js'
import type { Message, Verdict } from './pubsub.js'
import { decodeHeartbeat } from './wire/codec.js'
import type { DecodedHeartbeat } from './wire/codec.js'
import { EnvelopeVerifier, authorPeerId, openEnvelope } from './wire/envelope.js'
import type { Envelope } from './wire/envelope.js'

/** A heartbeat the validator accepted, and its author. */
export interface AcceptedHeartbeat {
  heartbeat: DecodedHeartbeat
  /** The author (`heartbeat.from` as a peer id). */
  author: PeerId
  /** The envelope, while its signature is unchecked (a copy straight from its author): checked before it is forwarded (see `HeartbeatIntake.mayForward`). */
  unverified?: Envelope
}

/** What the intake counts; part of `cluster.stats`. */
export interface IntakeCounters {
  /** Messages the validator saw. */
  received: number
  /** Messages refused, by reason. */
  dropped: Record<DropReason, number>
  /** Envelope signatures checked (relayed copies past the cheap checks). */
  signatureChecks: number
}

/**
 * The cluster's gossipsub validator of its heartbeat topic: from the cheap checks to the costly ones,
 * size, envelope, author id, allow-list, the relayer's distinct-author cap, the signature (only for
 * a copy relayed by another peer than its author: noise authenticated the relayer, so a copy straight
 * from its author is its own), the author's budget (charged only once the copy is known to be the
 * author's, so forgeries cannot drain an honest member's budget), then the heartbeat decode. Refused
 * heartbeats are counted by reason, logged at debug, neither delivered nor forwarded.
 *
 * Verdicts: 'reject' (the relayer's gossipsub score pays) when the relayer is the author, or the
 * fault is its own (bad encoding, too many authors, a well-signed heartbeat it should have refused);
 * 'ignore' for another author's excess or not-allowed author, and for a relayed copy with a bad
 * signature while the relayer has had no more of those than one author's budget (agents of earlier
 * releases forward their direct copies unverified, so may forward a badly signing author's heartbeats; see
 * `mayForward` for what we forward); beyond
 * that it is a forger, and 'reject' lets its score fall until the abuse watch hangs up on it.
 */
export class HeartbeatIntake {
  readonly counters: IntakeCounters = {
    received: 0,
    dropped: {
      oversized: 0,
      malformed: 0,
      'unknown-version': 0,
      'invalid-field': 0,
      'unsupported-key': 0,
      'bad-signature': 0,
      'not-allowed': 0,
      'over-budget': 0,
      'too-many-signers': 0
    },
    signatureChecks: 0
  }

  readonly #verifier: EnvelopeVerifier
  readonly #guard: PeerGuard
  readonly #floods: FloodGuard
  readonly #log: Logger
  readonly #hangUpOn: (peer: PeerId, why: string) => void
  readonly #accepted = new WeakMap<Message, AcceptedHeartbeat>()

  /** `hangUpOn` is called for a peer whose unreadable frames are past its excuses (see `refuseFrame`). */
  constructor (components: { guard: PeerGuard, floods: FloodGuard, log: Logger, hangUpOn: (peer: PeerId, why: string) => void }, topic: string) {
    this.#verifier = new EnvelopeVerifier(topic)
    this.#guard = components.guard
    this.#floods = components.floods
    this.#log = components.log
    this.#hangUpOn = components.hangUpOn
  }

  /** The heartbeat of a message this intake accepted (undefined for any other message). */
  accepted (message: Message): AcceptedHeartbeat | undefined {
    return this.#accepted.get(message)
  }

  /** The validator (see the class comment); `relayer` is the peer the copy came from. */
  readonly validate = (message: Message, relayer: string): Verdict => {
    this.counters.received++
    let envelope
    try {
      envelope = openEnvelope(message.data)
    } catch (err) {
      this.#drop(err instanceof HeartbeatDecodeError ? err.reason : 'malformed', `relayed by ${relayer}: ${(err as Error).message}`)
      return 'reject'
    }
    const author = authorPeerId(envelope.author)
    const from = author.toString()
    const direct = relayer === from
    if (!this.#guard.isAllowed(from)) {
      this.#drop('not-allowed', `by ${from}, not on the allow-list`)
      return direct ? 'reject' : 'ignore'
    }
    const nowMs = performance.now()
    if (!this.#floods.admit(relayer, from, nowMs)) {
      this.#drop('too-many-signers', `by ${from}, relayed by ${relayer}`)
      return 'reject'
    }
    if (!direct) {
      this.counters.signatureChecks++
      if (!this.#verifier.verify(envelope)) {
        this.#drop('bad-signature', `claiming ${from}, relayed by ${relayer}`)
        return this.#floods.excuseFault(relayer, nowMs) ? 'ignore' : 'reject'
      }
    }
    if (!this.#floods.charge(from, nowMs)) {
      this.#drop('over-budget', `by ${from}, relayed by ${relayer}`)
      return direct ? 'reject' : 'ignore'
    }
    try {
      this.#accepted.set(message, { heartbeat: decodeHeartbeat(envelope.heartbeat, from), author, ...(direct ? { unverified: envelope } : {}) })
      return 'accept'
    } catch (err) {
      this.#drop(err instanceof HeartbeatDecodeError ? err.reason : 'malformed', `by ${from}: ${(err as Error).message}`)
      return 'reject'
    }
  }

  /**
   * Whether we may forward `accepted` to our peers: only what every honest receiver accepts from us,
   * since a receiver charges a refused copy to its relayer. A copy taken straight from its author
   * unverified (noise authenticated it) has its signature checked now: a badly signed one is
   * counted (`bad-signature`) and not forwarded. And we forward the heartbeats of at most half of
   * `maxSignersPerPeer` distinct authors a window, so our forwards stay under every receiver's cap
   * whichever way its window lines up with ours. Before both rules, strangers connected to one agent
   * only got it banned by the others (three signing badly; or two carrying fresh signers): the
   * agents parted, each converged alone and owning everything.
   */
  mayForward (accepted: AcceptedHeartbeat): boolean {
    const { unverified, heartbeat } = accepted
    if (unverified !== undefined) {
      accepted.unverified = undefined
      this.counters.signatureChecks++
      if (!this.#verifier.verify(unverified)) {
        this.#drop('bad-signature', `by ${heartbeat.from}, straight from its author: not forwarded`)
        return false
      }
    }
    return this.#floods.admitForward(heartbeat.from, performance.now())
  }

  /**
   * Counts a frame gossipsub could not read off a peer's stream (see `observeUnreadableFrames`): no
   * validator saw it, but it is refused input all the same, so it counts with the refused heartbeats.
   * Its sender is excused as a relayer of bad signatures is (see `FloodGuard.excuseFault`); past
   * that it is hung up on and banned at once: gossipsub neither scores nor drops a peer for frames it
   * cannot read, and each one costs a decrypt and a decode attempt (a peer on loopback sent 39,000 a
   * second, every one read, and was never refused).
   */
  readonly refuseFrame = (from: PeerId, why: UnreadableFrame, err: Error): void => {
    this.#drop(why, `frame from ${from.toString()}: ${err.message}`)
    if (!this.#floods.excuseFault(from.toString(), performance.now())) this.#hangUpOn(from, `${why} frames`)
  }

  #drop (reason: DropReason, detail: string): void {
    this.counters.dropped[reason]++
    this.#log('dropped a heartbeat (%s) %s', reason, detail)
  }
}
