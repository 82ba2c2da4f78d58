import type { Cluster } from '@gossip-ring/cluster'
import { InvalidOptionError, OwnershipAssertionError } from './errors.js'
import { incidentReport, longerThan } from './ownership-assertions.js'
import { OwnershipTimeline } from './ownership-timeline.js'
import type { OwnershipIncident, OwnershipReport } from './ownership-timeline.js'

/** Told when a node of the network starts (a new cluster at that index) or stops (crash or graceful). */
export interface NodeWatcher {
  /** A cluster started at index `node` (a new node, or a restart). */
  started: (node: number, cluster: Cluster) => void
  /** The node at index `node` is stopping (crash or graceful): from now on it owns nothing. */
  halted: (node: number) => void
}

/** What a recorder needs from its network. */
export interface RecorderSource {
  /** Indices of the running nodes. */
  running: () => number[]
  /** The cluster running at index `node`. */
  cluster: (node: number) => Cluster
  /** Registers a watcher; returns its removal. */
  watch: (watcher: NodeWatcher) => () => void
}

/** Options of `net.recordOwnership()`. */
export interface RecordOwnershipOptions {
  /**
   * Also re-read every node's claims this often, in milliseconds, as a safety net for changes that
   * fire no event; 0 records on events only. Shorter catches such changes sooner at more CPU.
   *
   * @default 100
   */
  pollIntervalMs?: number
}

/** Options of {@link OwnershipRecorder.assertNoDoubleOwnership}. */
export interface DoubleOwnershipOptions {
  /** Stretches of double ownership up to this long, in milliseconds, are tolerated. @default 0 */
  graceMs?: number
  /** Only look at what happened since the last `mark()` with this label (the whole recording when left out). */
  sinceMark?: string
}

/** Options of {@link OwnershipRecorder.assertCoverage}. */
export interface CoverageOptions {
  /** The longest tolerated stretch without owner of one resource, in milliseconds. */
  maxGapMs: number
  /** Only look at what happened since the last `mark()` with this label (the whole recording when left out). */
  sinceMark?: string
}

/** Cluster events after which a node's claims may have changed. */
const CLAIM_EVENTS = ['ring:change', 'ownership:change', 'member:leave', 'member:join', 'group:converged'] as const

/**
 * Records, over time, which live nodes of a test network claim (`extractMySubset`) each resource of
 * a group: each node's claims are re-read on every event that may change them, when a node starts or
 * stops (a stopped or crashed node owns nothing), and every `pollIntervalMs`. Get one from
 * `net.recordOwnership(group, resources)`; `stop()` it when done.
 */
export class OwnershipRecorder {
  readonly #group: string
  readonly #resources: readonly string[]
  readonly #source: RecorderSource
  readonly #timeline: OwnershipTimeline
  readonly #originMs: number
  readonly #marks = new Map<string, number>()
  readonly #detach = new Map<number, () => void>()
  readonly #unwatch: () => void
  readonly #poll: ReturnType<typeof setInterval> | undefined
  #stoppedAtMs: number | undefined

  constructor (group: string, resources: Iterable<string>, source: RecorderSource, options: RecordOwnershipOptions = {}) {
    this.#group = group
    this.#resources = [...resources]
    this.#source = source
    this.#originMs = performance.now()
    this.#timeline = new OwnershipTimeline(this.#resources, this.#originMs)
    this.#unwatch = source.watch({ started: (node, cluster) => { this.#attach(node, cluster) }, halted: (node) => { this.#halted(node) } })
    for (const node of source.running()) this.#attach(node, source.cluster(node))
    const pollIntervalMs = options.pollIntervalMs ?? 100
    if (pollIntervalMs > 0) {
      this.#poll = setInterval(() => { this.sample() }, pollIntervalMs)
      this.#poll.unref()
    }
  }

  /** Re-reads the claims of every running node now. */
  sample (): void {
    if (this.#stoppedAtMs !== undefined) return
    for (const node of this.#source.running()) this.#read(node, this.#source.cluster(node))
  }

  /** Ends the current phase and starts one named `label` (per-phase figures in `report()`). */
  mark (label: string): void {
    this.sample()
    const atMs = this.#nowMs()
    this.#marks.set(label, atMs)
    this.#timeline.mark(label, atMs)
  }

  /** Double-owned and unowned resource-seconds and keys moved, per phase and in total, up to now. */
  report (): OwnershipReport {
    this.sample()
    return this.#timeline.report(this.#nowMs())
  }

  /** The stretches of double ownership so far (`sinceMark` limits them to the last phase of that label). */
  doubleOwnership (sinceMark?: string): OwnershipIncident[] {
    this.sample()
    return this.#timeline.doubleOwnership(this.#nowMs(), this.#markMs(sinceMark))
  }

  /** The stretches without owner so far (`sinceMark` limits them to the last phase of that label). */
  gaps (sinceMark?: string): OwnershipIncident[] {
    this.sample()
    return this.#timeline.gaps(this.#nowMs(), this.#markMs(sinceMark))
  }

  /**
   * Throws `OwnershipAssertionError` naming each resource that had two or more owners for longer than
   * `graceMs`, with the nodes and when (milliseconds since the recording started).
   *
   * @throws {InvalidOptionError} when `sinceMark` names no mark
   */
  assertNoDoubleOwnership (options: DoubleOwnershipOptions = {}): void {
    const graceMs = options.graceMs ?? 0
    const message = incidentReport(`resource(s) of group "${this.#group}" had several owners for longer than ${graceMs} ms`,
      longerThan(this.doubleOwnership(options.sinceMark), graceMs), this.#originMs)
    if (message !== undefined) throw new OwnershipAssertionError(message)
  }

  /**
   * Throws `OwnershipAssertionError` naming each resource that had no owner for longer than
   * `maxGapMs` (a gap still open counts up to now), with when.
   *
   * @throws {InvalidOptionError} when `sinceMark` names no mark
   */
  assertCoverage (options: CoverageOptions): void {
    const message = incidentReport(`resource(s) of group "${this.#group}" had no owner for longer than ${options.maxGapMs} ms`,
      longerThan(this.gaps(options.sinceMark), options.maxGapMs), this.#originMs)
    if (message !== undefined) throw new OwnershipAssertionError(message)
  }

  /** Stops recording (idempotent); the figures stay readable, frozen at this time. */
  stop (): void {
    if (this.#stoppedAtMs !== undefined) return
    this.sample()
    this.#stoppedAtMs = performance.now()
    clearInterval(this.#poll)
    this.#unwatch()
    for (const detach of this.#detach.values()) detach()
    this.#detach.clear()
  }

  #nowMs (): number {
    return this.#stoppedAtMs ?? performance.now()
  }

  #markMs (label: string | undefined): number | undefined {
    if (label === undefined) return undefined
    const atMs = this.#marks.get(label)
    if (atMs === undefined) throw new InvalidOptionError(`sinceMark ${JSON.stringify(label)} names no mark() of this recorder`)
    return atMs
  }

  #attach (node: number, cluster: Cluster): void {
    this.#detach.get(node)?.()
    const onEvent = (): void => { this.#read(node, cluster) }
    for (const type of CLAIM_EVENTS) cluster.addEventListener(type as 'ring:change', onEvent)
    this.#detach.set(node, () => { for (const type of CLAIM_EVENTS) cluster.removeEventListener(type as 'ring:change', onEvent) })
    this.#read(node, cluster)
  }

  #halted (node: number): void {
    this.#detach.get(node)?.()
    this.#detach.delete(node)
    if (this.#stoppedAtMs === undefined) this.#timeline.record(node, [], performance.now())
  }

  #read (node: number, cluster: Cluster): void {
    if (this.#stoppedAtMs !== undefined) return
    this.#timeline.record(node, cluster.extractMySubset(this.#group, this.#resources), performance.now())
  }
}
