import { InvalidOptionError } from './errors.js'
import type { RandomSource } from './random.js'

/** Which nodes a fault applies to: one index, several, or every node when omitted. */
export type NodeSelector = number | readonly number[] | undefined

/** Drop a fraction of the messages authored by `from` when they reach `to`. */
export interface LossRule {
  /** Authors whose messages are dropped. @default every node */
  from?: NodeSelector
  /** Receivers that drop them. @default every node */
  to?: NodeSelector
  /** Fraction of messages dropped, in [0, 1]. */
  rate: number
}

/** Hold back the messages authored by `from` for `ms` before `to` accepts them. */
export interface DelayRule {
  /** Authors whose messages are delayed. @default every node */
  from?: NodeSelector
  /** Receivers that hold them back. @default every node */
  to?: NodeSelector
  /** Extra delay in milliseconds, >= 0. */
  ms: number
}

/** What to do with one message from one author at one receiver. */
export interface FaultDecision { drop: boolean, delayMs: number }

/**
 * The message faults in force, per (author, receiver) pair. Loss draws from the injected random
 * source (seeded by the network), so a given seed drops the same messages. Delays add up when
 * several rules match; loss rules each get their own draw.
 */
export class FaultRules {
  private losses: Array<{ from: Set<number> | undefined, to: Set<number> | undefined, rate: number }> = []
  private delays: Array<{ from: Set<number> | undefined, to: Set<number> | undefined, ms: number }> = []

  constructor (private readonly random: RandomSource) {}

  /** Adds a loss rule; throws `InvalidOptionError` when the rate is not in [0, 1]. */
  addLoss (rule: LossRule): void {
    if (!(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) {
      throw new InvalidOptionError(`loss rate must be a number in [0, 1], got ${String(rule.rate)}`)
    }
    this.losses.push({ from: toSet(rule.from, 'from'), to: toSet(rule.to, 'to'), rate: rule.rate })
  }

  /** Adds a delay rule; throws `InvalidOptionError` when ms is not a finite number >= 0. */
  addDelay (rule: DelayRule): void {
    if (!(typeof rule.ms === 'number' && Number.isFinite(rule.ms) && rule.ms >= 0)) {
      throw new InvalidOptionError(`delay ms must be a finite number >= 0, got ${String(rule.ms)}`)
    }
    this.delays.push({ from: toSet(rule.from, 'from'), to: toSet(rule.to, 'to'), ms: rule.ms })
  }

  /** Removes every loss and delay rule. */
  clear (): void {
    this.losses = []
    this.delays = []
  }

  /** True when no rule is in force. */
  get isEmpty (): boolean {
    return this.losses.length === 0 && this.delays.length === 0
  }

  /** Decides the fate of one message authored by `from` and arriving at `to`. */
  decide (from: number, to: number): FaultDecision {
    let drop = false
    for (const rule of this.losses) {
      if (matches(rule, from, to) && this.random() < rule.rate) drop = true
    }
    let delayMs = 0
    for (const rule of this.delays) {
      if (matches(rule, from, to)) delayMs += rule.ms
    }
    return { drop, delayMs }
  }
}

function matches (rule: { from: Set<number> | undefined, to: Set<number> | undefined }, from: number, to: number): boolean {
  return (rule.from === undefined || rule.from.has(from)) && (rule.to === undefined || rule.to.has(to))
}

function toSet (selector: NodeSelector, name: string): Set<number> | undefined {
  if (selector === undefined) return undefined
  const list = typeof selector === 'number' ? [selector] : selector
  for (const node of list) {
    if (!Number.isInteger(node) || node < 0) {
      throw new InvalidOptionError(`${name} must hold node indices (integers >= 0), got ${String(node)}`)
    }
  }
  return new Set(list)
}
