import type { Clock } from './clock.js'

/** While contact is pending, how many times per settle window the gate asks again. */
const CONTACT_RECHECKS = 20

interface GroupGate {
  /** Fewest live members (self included) the group needs to count as converged. */
  minMembers: number
  /** Until then, self alone in the group does not count as converged (the settle window). */
  settleUntilMs: number
  /**
   * The settle timer ran (its `onSettled` call reported the group): only then may self alone count
   * as converged. Not the clock: a blocked event loop runs the timer late, and until it runs nothing
   * that follows `group:converged` (ownership) has caught up.
   */
  settled: boolean
  timer: unknown
}

/**
 * What convergence needs besides digest agreement, per joined group: at least `minMembers` live
 * members, and, while self is alone, the end of the settle window that starts when self joins, so
 * that an agent that has heard from nobody yet does not claim every key as converged. The window
 * ends when its timer runs (armed by `start()`), never earlier, so `group:converged` is reported no
 * later than the group counts as converged.
 */
export class ConvergenceGate {
  readonly #clock: Clock
  readonly #settleMs: number
  readonly #onSettled: (group: string) => void
  readonly #contactPending: () => boolean
  readonly #gates = new Map<string, GroupGate>()
  #started = false

  /**
   * `onSettled(group)` is called when a group's settle window ends, so convergence is checked again.
   * While `contactPending()` says contact with another agent is under way, the window stretches by
   * up to `settleMs` more (see `MembershipComponents.contactPending`).
   */
  constructor (clock: Clock, settleMs: number, onSettled: (group: string) => void, contactPending: () => boolean = () => false) {
    this.#clock = clock
    this.#settleMs = settleMs
    this.#onSettled = onSettled
    this.#contactPending = contactPending
  }

  /** Self joined `group` (starts its settle window) or updated it (`minMembers` given replaces the old one). */
  join (group: string, minMembers: number | undefined): void {
    const gate = this.#gates.get(group)
    if (gate !== undefined) {
      gate.minMembers = minMembers ?? gate.minMembers
      return
    }
    const next: GroupGate = { minMembers: minMembers ?? 1, settleUntilMs: this.#clock.now() + this.#settleMs, settled: false, timer: undefined }
    this.#gates.set(group, next)
    if (this.#started) this.#arm(group, next)
  }

  /** Self left `group`. */
  leave (group: string): void {
    const gate = this.#gates.get(group)
    if (gate !== undefined) this.#clock.clearTimeout(gate.timer)
    this.#gates.delete(group)
  }

  /** The `minMembers` of a joined group (1 when not joined). */
  minMembers (group: string): number {
    return this.#gates.get(group)?.minMembers ?? 1
  }

  /** Whether a group of `size` live members (self included) may count as converged now. */
  allows (group: string, size: number): boolean {
    const gate = this.#gates.get(group)
    if (gate === undefined) return true
    return size >= gate.minMembers && (size > 1 || gate.settled)
  }

  /** Arms the settle timers of groups not settled yet (a window already over ends on the next tick). */
  start (): void {
    this.#started = true
    for (const [group, gate] of this.#gates) this.#arm(group, gate)
  }

  /** Disarms every timer. */
  stop (): void {
    this.#started = false
    for (const gate of this.#gates.values()) {
      this.#clock.clearTimeout(gate.timer)
      gate.timer = undefined
    }
  }

  #arm (group: string, gate: GroupGate, delayMs = gate.settleUntilMs - this.#clock.now()): void {
    if (gate.settled || gate.timer !== undefined) return
    gate.timer = this.#clock.setTimeout(() => {
      gate.timer = undefined
      this.#settle(group, gate)
    }, Math.max(0, delayMs))
  }

  #settle (group: string, gate: GroupGate): void {
    const nowMs = this.#clock.now()
    // a real timer may fire a fraction of a millisecond early: re-arm for the rest
    if (nowMs < gate.settleUntilMs) {
      this.#arm(group, gate)
      return
    }
    if (nowMs < gate.settleUntilMs + this.#settleMs && this.#contactPending()) {
      this.#arm(group, gate, this.#settleMs / CONTACT_RECHECKS)
      return
    }
    gate.settled = true
    this.#onSettled(group)
  }
}
