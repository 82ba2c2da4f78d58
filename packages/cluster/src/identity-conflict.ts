import { WIRE_VERSION } from './wire/limits.js'

/** What `identity:conflict` reports: an id heard from two live processes (boot ids) at once. */
export interface IdentityConflict {
  /** The member id used by two live agents. */
  id: string
  /** The boot ids seen alternating (for our own id, reported by peers: only ours is known). */
  bootIds: string[]
}

/** Switches between boot ids, each to a fresh seq, within the window that make a conflict: A, B, A, B, A. */
export const CONFLICT_SWITCHES = 4

/** Boot ids remembered per id (their highest seq), the oldest dropped first. */
const MAX_BOOT_IDS_PER_ID = 4

/** Ids kept at most; beyond, the least recently heard is forgotten. */
const MAX_TRACKED_IDS = 4096

interface IdTrack {
  lastBootId: string
  /** Highest seq seen per boot id, in insertion order. */
  readonly seqs: Map<string, number>
  /** When each recent switch to another boot id happened (within the window). */
  switches: number[]
  /** The conflict is reported (not again) until then. */
  conflictUntilMs: number
}

/**
 * Detects two live agents sharing one id (a copied key file or volume): their heartbeats carry two
 * boot ids that keep alternating. A restart switches once (old to new); a single replayed or delayed
 * old heartbeat is either not fresh (its seq is not above the highest seen for its boot id) or adds
 * one switch back. Only {@link CONFLICT_SWITCHES} switches to fresh seqs within `windowMs` count.
 * It also remembers when peers said our own id is in conflict (heartbeat field `conflicts`).
 */
export class IdentityConflicts {
  readonly #windowMs: number
  readonly #tracks = new Map<string, IdTrack>()
  #selfConflictUntilMs = -Infinity

  /** `windowMs`: how long alternations count, and how long a found conflict is advertised. */
  constructor (windowMs: number) {
    this.#windowMs = windowMs
  }

  /** Notes a heartbeat of `id`; returns the conflict when this heartbeat reveals a new one. */
  observe (id: string, bootId: string, seq: number, nowMs: number): IdentityConflict | undefined {
    const track = this.#tracks.get(id)
    if (track === undefined) {
      this.#remember(id, { lastBootId: bootId, seqs: new Map([[bootId, seq]]), switches: [], conflictUntilMs: -Infinity })
      return undefined
    }
    const highest = track.seqs.get(bootId)
    if (highest !== undefined && seq <= highest) return undefined
    track.seqs.delete(bootId)
    track.seqs.set(bootId, seq)
    if (track.seqs.size > MAX_BOOT_IDS_PER_ID) track.seqs.delete(track.seqs.keys().next().value as string)
    this.#remember(id, track)
    if (bootId === track.lastBootId) return undefined
    track.lastBootId = bootId
    track.switches = track.switches.filter(at => nowMs - at < this.#windowMs)
    track.switches.push(nowMs)
    if (track.switches.length < CONFLICT_SWITCHES) return undefined
    const isNew = nowMs >= track.conflictUntilMs
    track.conflictUntilMs = nowMs + this.#windowMs
    return isNew ? { id, bootIds: [...track.seqs.keys()].sort() } : undefined
  }

  /** Ids in conflict now, for our heartbeat, so the clones themselves learn of it (sorted, at most `max`). */
  active (nowMs: number, max: number): string[] {
    const ids: string[] = []
    for (const [id, track] of this.#tracks) {
      if (track.conflictUntilMs > nowMs) ids.push(id)
    }
    return ids.sort().slice(0, max)
  }

  /** Two open connections to `id` reported these boot ids (see {@link ConnectionBootIds}); returns the conflict when it is new. */
  observeConnections (id: string, bootIds: string[], nowMs: number): IdentityConflict | undefined {
    if (bootIds.length < 2) return undefined
    const track = this.#tracks.get(id) ?? { lastBootId: bootIds[0] as string, seqs: new Map(), switches: [], conflictUntilMs: -Infinity }
    this.#remember(id, track)
    const isNew = nowMs >= track.conflictUntilMs
    track.conflictUntilMs = nowMs + this.#windowMs
    return isNew ? { id, bootIds } : undefined
  }

  /** A peer said our id is in conflict; true when that starts a new episode (to report once). */
  reportedAboutSelf (nowMs: number): boolean {
    const isNew = nowMs >= this.#selfConflictUntilMs
    this.#selfConflictUntilMs = nowMs + this.#windowMs
    return isNew
  }

  /** (Re)inserts `id` as the most recently heard, forgetting the least recent beyond the cap. */
  #remember (id: string, track: IdTrack): void {
    this.#tracks.delete(id)
    this.#tracks.set(id, track)
    if (this.#tracks.size > MAX_TRACKED_IDS) this.#tracks.delete(this.#tracks.keys().next().value as string)
  }
}

/**
 * The libp2p user agent of a node the cluster creates: it carries the boot id, so peers can tell two
 * processes with one id apart per connection, and the wire version, so peers can tell an agent that
 * cannot read their heartbeats (see wire-version.ts).
 */
export function userAgentWithBootId (bootId: string): string {
  return `gossip-ring boot/${bootId} wire/${WIRE_VERSION}`
}

const BOOT_ID_IN_AGENT = /(?:^| )boot\/([A-Za-z0-9-]{1,64})(?: |$)/

/**
 * The boot ids that the open connections to each peer reported in identify (their user agent).
 * Two open connections to one peer id with two boot ids are two live processes with one identity,
 * even when gossipsub delivers the heartbeats of only one of them.
 */
export class ConnectionBootIds {
  readonly #byPeer = new Map<string, Map<string, string>>()

  /** Records what identify said on one connection; returns the distinct boot ids of the peer's connections still open. */
  identified (peerId: string, connectionId: string, agentVersion: string | undefined, isOpen: (connectionId: string) => boolean): string[] {
    const bootId = agentVersion === undefined ? undefined : BOOT_ID_IN_AGENT.exec(agentVersion)?.[1]
    if (bootId === undefined) return []
    const connections = this.#byPeer.get(peerId) ?? new Map<string, string>()
    connections.set(connectionId, bootId)
    for (const id of connections.keys()) {
      if (!isOpen(id)) connections.delete(id)
    }
    this.#byPeer.set(peerId, connections)
    return [...new Set(connections.values())].sort()
  }

  /** Forgets a peer with no connection left. */
  disconnected (peerId: string): void {
    this.#byPeer.delete(peerId)
  }
}
