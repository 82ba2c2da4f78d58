/** A stretch of time in which one resource had more than one owner, or none. */
export interface OwnershipIncident {
  /** The resource. */
  resource: string
  /** The nodes that owned it during the stretch (all of them, in index order); empty for a gap. */
  nodes: number[]
  /** When it started, in timeline milliseconds. */
  startMs: number
  /** When it ended (or the report's time, while it is still open), in timeline milliseconds. */
  endMs: number
}

/** Ownership figures of a stretch of time. */
export interface OwnershipFigures {
  /** Sum over resources of the time each had two or more owners, in seconds. */
  doubleOwnedResourceS: number
  /** Sum over resources of the time each had no owner, in seconds. */
  unownedResourceS: number
  /** How many times a resource was taken by a node that did not own it, after it had had an owner (initial assignment is not a move). */
  keysMoved: number
}

/** The figures of one phase: from one `mark()` to the next (the first phase starts with the timeline). */
export interface OwnershipPhase extends OwnershipFigures {
  /** The label given to `mark()` (`start` for the first phase). */
  label: string
  /** When the phase started, in timeline milliseconds. */
  startMs: number
  /** When it ended (the next mark, or the report's time), in timeline milliseconds. */
  endMs: number
}

/** Every figure of a timeline: the phases and their total. */
export interface OwnershipReport {
  /** The sum over all phases. */
  total: OwnershipFigures
  /** Each phase, oldest first. */
  phases: OwnershipPhase[]
}

interface ResourceState {
  owners: Set<number>
  /** Up to when the phase accumulators include this resource. */
  accruedToMs: number
  /** Whether the resource has had an owner since the timeline started. */
  everOwned: boolean
  /** The open incident, if the resource has 0 or 2+ owners now. */
  open: OwnershipIncident | undefined
}

/**
 * The ownership history of a set of resources over time, fed with each node's full set of claims
 * whenever it may have changed (`record`) and with node deaths (`record(node, [], t)`). Pure: time
 * is whatever the caller passes (monotonic milliseconds), so it can be tested on a fake timeline.
 */
export class OwnershipTimeline {
  readonly #resources = new Map<string, ResourceState>()
  readonly #claims = new Map<number, ReadonlySet<string>>()
  readonly #closed: OwnershipIncident[] = []
  readonly #phases: OwnershipPhase[] = []
  #phase: OwnershipPhase

  constructor (resources: Iterable<string>, startMs: number) {
    for (const resource of resources) {
      this.#resources.set(resource, { owners: new Set(), accruedToMs: startMs, everOwned: false, open: { resource, nodes: [], startMs, endMs: startMs } })
    }
    this.#phase = newPhase('start', startMs)
  }

  /** Node `node` claims exactly `claims` (resources outside the timeline are ignored) from `atMs` on. */
  record (node: number, claims: Iterable<string>, atMs: number): void {
    const next = new Set<string>()
    for (const resource of claims) if (this.#resources.has(resource)) next.add(resource)
    const previous = this.#claims.get(node) ?? EMPTY
    for (const resource of previous) if (!next.has(resource)) this.#change(resource, node, false, atMs)
    for (const resource of next) if (!previous.has(resource)) this.#change(resource, node, true, atMs)
    if (next.size === 0) this.#claims.delete(node)
    else this.#claims.set(node, next)
  }

  /** The resources node `node` claims now. */
  claimsOf (node: number): ReadonlySet<string> {
    return this.#claims.get(node) ?? EMPTY
  }

  /** Ends the current phase at `atMs` and starts one named `label`. */
  mark (label: string, atMs: number): void {
    this.#accrueAll(atMs)
    this.#phases.push({ ...this.#phase, endMs: atMs })
    this.#phase = newPhase(label, atMs)
  }

  /** The figures up to `atMs`, per phase and in total. */
  report (atMs: number): OwnershipReport {
    this.#accrueAll(atMs)
    const phases = [...this.#phases, { ...this.#phase, endMs: atMs }]
    const total: OwnershipFigures = { doubleOwnedResourceS: 0, unownedResourceS: 0, keysMoved: 0 }
    for (const phase of phases) {
      total.doubleOwnedResourceS += phase.doubleOwnedResourceS
      total.unownedResourceS += phase.unownedResourceS
      total.keysMoved += phase.keysMoved
    }
    return { total, phases }
  }

  /** Every stretch with two or more owners that overlaps [`fromMs`, `atMs`], open ones ending at `atMs`. */
  doubleOwnership (atMs: number, fromMs = Number.NEGATIVE_INFINITY): OwnershipIncident[] {
    return this.#incidents(atMs, fromMs).filter((incident) => incident.nodes.length > 1)
  }

  /** Every stretch with no owner that overlaps [`fromMs`, `atMs`], open ones ending at `atMs`. */
  gaps (atMs: number, fromMs = Number.NEGATIVE_INFINITY): OwnershipIncident[] {
    return this.#incidents(atMs, fromMs).filter((incident) => incident.nodes.length === 0)
  }

  #incidents (atMs: number, fromMs: number): OwnershipIncident[] {
    const open: OwnershipIncident[] = []
    for (const state of this.#resources.values()) {
      if (state.open !== undefined) open.push({ ...state.open, nodes: [...state.open.nodes], endMs: atMs })
    }
    return [...this.#closed, ...open].filter((incident) => incident.endMs >= fromMs)
  }

  #change (resource: string, node: number, gained: boolean, atMs: number): void {
    const state = this.#resources.get(resource) as ResourceState
    this.#accrue(state, atMs)
    if (gained) {
      if (state.everOwned) this.#phase.keysMoved++
      state.everOwned = true
      state.owners.add(node)
    } else {
      state.owners.delete(node)
    }
    this.#updateIncident(resource, state, atMs)
  }

  /** Opens, extends or closes the resource's incident after its owners changed. */
  #updateIncident (resource: string, state: ResourceState, atMs: number): void {
    const kind = state.owners.size === 0 ? 'gap' : state.owners.size > 1 ? 'double' : 'fine'
    const openKind = state.open === undefined ? 'fine' : state.open.nodes.length === 0 ? 'gap' : 'double'
    if (state.open !== undefined && openKind !== kind) {
      this.#closed.push({ ...state.open, endMs: atMs })
      state.open = undefined
    }
    if (kind === 'fine') return
    state.open ??= { resource, nodes: [], startMs: atMs, endMs: atMs }
    for (const owner of state.owners) if (!state.open.nodes.includes(owner)) state.open.nodes.push(owner)
    state.open.nodes.sort((a, b) => a - b)
  }

  #accrue (state: ResourceState, atMs: number): void {
    const seconds = Math.max(0, atMs - state.accruedToMs) / 1000
    if (state.owners.size === 0) this.#phase.unownedResourceS += seconds
    else if (state.owners.size > 1) this.#phase.doubleOwnedResourceS += seconds
    state.accruedToMs = Math.max(state.accruedToMs, atMs)
  }

  #accrueAll (atMs: number): void {
    for (const state of this.#resources.values()) this.#accrue(state, atMs)
  }
}

const EMPTY: ReadonlySet<string> = new Set()

function newPhase (label: string, startMs: number): OwnershipPhase {
  return { label, startMs, endMs: startMs, doubleOwnedResourceS: 0, unownedResourceS: 0, keysMoved: 0 }
}
