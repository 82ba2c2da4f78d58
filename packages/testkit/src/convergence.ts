import { label } from './ownership.js'

/** What one running node sees of a group. */
export interface MembershipSnapshot {
  /** Node index. */
  node: number
  /** True when the node itself is a member of the group. */
  inGroup: boolean
  /** The members it sees, as node labels (`n3`) or raw ids for peers outside the network; sorted. */
  members: readonly string[]
  /** The cluster's own verdict: every live member advertised the same view digest. */
  converged: boolean
}

/**
 * Why the group is not converged yet, one line per node that is off (empty when converged).
 * Converged means: on every side, each node in the group sees exactly the running nodes of that
 * side that are in the group, and reports the group converged (digests agree).
 */
export function convergenceProblems (sides: ReadonlyArray<readonly number[]>, snapshots: ReadonlyMap<number, MembershipSnapshot>): string[] {
  const problems: string[] = []
  for (const side of sides) {
    const members = side.map((n) => snapshots.get(n)).filter((s): s is MembershipSnapshot => s?.inGroup === true)
    const expected = members.map((s) => label(s.node)).sort()
    for (const snapshot of members) {
      const sameView = snapshot.members.length === expected.length && snapshot.members.every((m, i) => m === expected[i])
      if (!sameView || !snapshot.converged) {
        problems.push(`${label(snapshot.node)} sees [${snapshot.members.join(', ')}]` +
          `${snapshot.converged ? '' : ' (digests not agreed)'}, expected [${expected.join(', ')}]`)
      }
    }
  }
  return problems
}
