import type { Cluster, ClusterEvents, WatchGroups } from '@gossip-ring/cluster'
import { describeChange, shortId } from '../node/events.js'
import type { WarningEvent } from '../node/events.js'
import { onWarnings } from '../warnings.js'

/** A change as the cluster reported it, or a warning (a peer not reached, a peer's clock off). */
export type WatchedChange =
  | { event: 'member', change: 'join' | 'suspect' | 'alive' | 'leave', group: string, id: string, reason?: string }
  | { event: 'agreement', group: string, digest: string, agreed: boolean, members: number }
  | WarningEvent

/** One entry of the timeline: a change, when it was seen (ms since epoch) and in words; also one line of `gossip-ring watch --json`. */
export type TimelineEntry = WatchedChange & { at: number, text: string }

/** A change in words (the terminal view and the page show this). */
export function describeWatchedChange (change: WatchedChange): string {
  if (change.event === 'warning') return describeChange(change)
  if (change.event === 'agreement') {
    return `${change.group}: ${change.agreed ? `views agree on ${change.digest}` : 'views differ'} (${change.members} member(s))`
  }
  const verb = { join: 'joined', leave: 'left', suspect: 'is suspect', alive: 'is alive again' }[change.change]
  return `${change.group}: ${shortId(change.id)} ${verb}${change.reason !== undefined ? ` (${change.reason})` : ''}`
}

/** A member on the page: its state, weight, expected share of the keys, and the digest it advertises. */
export interface WatchedMemberState {
  id: string
  state: 'alive' | 'suspect'
  weight: number
  /** weight / total weight: the fraction of keys rendezvous hashing gives it. */
  share: number
  /** The view digest it advertised last (undefined before its first heartbeat with one). */
  advertised: string | undefined
}

/** A group as the watcher sees it. */
export interface WatchedGroupState {
  group: string
  digest: string
  /** Every member advertises `digest`. */
  agreed: boolean
  members: WatchedMemberState[]
}

/** Everything the watch views (terminal, JSON, page) show. */
export interface WatchState {
  /** The watcher's own id. */
  id: string
  /** Other watchers it hears. */
  watchers: string[]
  groups: WatchedGroupState[]
  /** Recent changes, oldest first. */
  timeline: TimelineEntry[]
  /** The warnings so far (the last {@link WARNINGS_KEPT}), in words: shown until the watcher stops, unlike the timeline. */
  warnings: string[]
}

/** How many timeline entries are kept. */
export const TIMELINE_LENGTH = 50

/** How many warnings are kept. */
export const WARNINGS_KEPT = 10

/**
 * The state of the whole cluster as a watcher sees it, and a timeline of its changes, fed by the
 * cluster's events. `onChange` listeners hear each new timeline entry (and `undefined` for
 * changes that add none, such as a weight change).
 */
export class WatchModel {
  readonly #cluster: Cluster
  readonly #watched: WatchGroups
  readonly #timeline: TimelineEntry[] = []
  readonly #warnings: string[] = []
  readonly #listeners = new Set<(entry: TimelineEntry | undefined) => void>()
  readonly #detach: Array<() => void> = []

  constructor (cluster: Cluster, watched: WatchGroups = '*') {
    this.#cluster = cluster
    this.#watched = watched
    for (const change of ['join', 'suspect', 'alive', 'leave'] as const) {
      this.#on(`member:${change}`, ({ detail }) => {
        const reason = 'reason' in detail ? { reason: detail.reason } : {}
        this.#add({ event: 'member', change, group: detail.group, id: detail.id, ...reason })
      })
    }
    this.#on('group:agreement', ({ detail }) => {
      this.#add({ event: 'agreement', ...detail })
    })
    this.#on('ring:change', ({ detail }) => {
      if (this.#watches(detail.group)) this.#notify(undefined)
    })
    this.#detach.push(onWarnings(cluster, warning => {
      this.#warnings.push(describeChange(warning))
      if (this.#warnings.length > WARNINGS_KEPT) this.#warnings.shift()
      this.#add(warning)
    }))
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange (listener: (entry: TimelineEntry | undefined) => void): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** Stops listening to the cluster. */
  close (): void {
    for (const detach of this.#detach) detach()
    this.#listeners.clear()
  }

  /** The state now. */
  state (): WatchState {
    return {
      id: this.#cluster.id,
      watchers: this.#cluster.watchers().filter(id => id !== this.#cluster.id),
      groups: this.#cluster.knownGroups().filter(group => this.#watches(group)).map(group => this.#groupState(group)),
      timeline: [...this.#timeline],
      warnings: [...this.#warnings]
    }
  }

  #groupState (group: string): WatchedGroupState {
    const { digest, agreed, members } = this.#cluster.snapshot(group)
    const total = members.reduce((sum, member) => sum + member.weight, 0)
    return {
      group,
      digest,
      agreed,
      members: members.map(member => ({ id: member.id, state: member.state, weight: member.weight, share: member.weight / total, advertised: member.advertised }))
    }
  }

  #watches (group: string): boolean {
    return this.#watched === '*' || this.#watched.includes(group)
  }

  #add (change: WatchedChange): void {
    if (change.event !== 'warning' && !this.#watches(change.group)) return
    const entry: TimelineEntry = { ...change, at: Date.now(), text: describeWatchedChange(change) }
    this.#timeline.push(entry)
    if (this.#timeline.length > TIMELINE_LENGTH) this.#timeline.shift()
    this.#notify(entry)
  }

  #notify (entry: TimelineEntry | undefined): void {
    for (const listener of [...this.#listeners]) listener(entry)
  }

  #on<K extends keyof ClusterEvents> (type: K, handler: (evt: ClusterEvents[K]) => void): void {
    this.#cluster.addEventListener(type, handler)
    this.#detach.push(() => { this.#cluster.removeEventListener(type, handler) })
  }
}
