import { InvalidPartitionError } from './errors.js'

/**
 * Who can reach whom: every node index sits on one side; two nodes can talk only when they are on
 * the same side. Pure bookkeeping (no network), used by the connection gaters and by `converged()`.
 *
 * Nodes not listed in a `split()` share one extra side; nodes added later join that same side.
 */
export class Reachability {
  private readonly sideOf = new Map<number, number>()
  private readonly cutLinks = new Set<string>()
  private restSide = 0
  private nextSide = 1

  /** Cuts the network: each inner array is one side. Throws `InvalidPartitionError` on overlaps or bad indices. */
  split (sides: ReadonlyArray<readonly number[]>, nodeCount: number): void {
    const seen = new Set<number>()
    for (const side of sides) {
      if (side.length === 0) throw new InvalidPartitionError('a side of the partition is empty')
      for (const node of side) {
        if (!Number.isInteger(node) || node < 0 || node >= nodeCount) {
          throw new InvalidPartitionError(`node ${String(node)} is not a node index (expected an integer in 0..${nodeCount - 1})`)
        }
        if (seen.has(node)) throw new InvalidPartitionError(`node ${node} is on more than one side`)
        seen.add(node)
      }
    }
    this.sideOf.clear()
    this.restSide = this.nextSide++
    for (const side of sides) {
      const id = this.nextSide++
      for (const node of side) this.sideOf.set(node, id)
    }
  }

  /** Puts one node on a side of its own (it reaches nobody); other nodes keep their sides. */
  isolate (node: number): void {
    this.sideOf.set(node, this.nextSide++)
  }

  /**
   * Cuts single links: the two nodes of each pair cannot talk directly but stay on the same side,
   * so they can still hear each other through a third node. Adds to earlier cuts. Throws
   * `InvalidPartitionError` for a bad index or a node paired with itself.
   */
  cut (links: ReadonlyArray<readonly [number, number]>, nodeCount: number): void {
    for (const [a, b] of links) {
      for (const node of [a, b]) {
        if (!Number.isInteger(node) || node < 0 || node >= nodeCount) {
          throw new InvalidPartitionError(`node ${String(node)} is not a node index (expected an integer in 0..${nodeCount - 1})`)
        }
      }
      if (a === b) throw new InvalidPartitionError(`cannot cut node ${a} from itself`)
    }
    for (const [a, b] of links) this.cutLinks.add(linkKey(a, b))
  }

  /** Removes every cut: everyone reaches everyone. */
  heal (): void {
    this.cutLinks.clear()
    this.sideOf.clear()
    this.restSide = this.nextSide++
  }

  /** True when the two nodes are on the same side and their link is not cut. */
  canReach (a: number, b: number): boolean {
    return this.side(a) === this.side(b) && !this.cutLinks.has(linkKey(a, b))
  }

  /** True when some cut is in place (a split, an isolated node or a cut link). */
  get isPartitioned (): boolean {
    return this.sideOf.size > 0 || this.cutLinks.size > 0
  }

  /** Groups the given nodes by side, in order of their first member; each group sorted ascending. */
  sides (nodes: Iterable<number>): number[][] {
    const bySide = new Map<number, number[]>()
    for (const node of [...nodes].sort((a, b) => a - b)) {
      const side = this.side(node)
      const list = bySide.get(side)
      if (list === undefined) bySide.set(side, [node])
      else list.push(node)
    }
    return [...bySide.values()]
  }

  private side (node: number): number {
    return this.sideOf.get(node) ?? this.restSide
  }
}

function linkKey (a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`
}
