/** What one node says about a group: the resources it claims (extractMySubset) and the owner it computes for each. */
export interface OwnershipSnapshot {
  /** Node index. */
  node: number
  /** Resources this node would handle. */
  claims: ReadonlySet<string>
  /** Owner node index per resource as this node computes it; undefined when it sees an empty ring or an unknown id. */
  owners: ReadonlyMap<string, number | undefined>
}

/** How many problem lines an assertion message shows before summarising the rest. */
const MAX_LINES = 10

/**
 * Lines naming each resource that is not claimed by exactly one of the given nodes
 * (e.g. `r7: no owner`, `r9: claimed by n1, n3`). Empty when every resource has exactly one owner.
 */
export function findClaimProblems (resources: readonly string[], snapshots: readonly OwnershipSnapshot[]): string[] {
  const problems: string[] = []
  for (const resource of resources) {
    const claimers = snapshots.filter((s) => s.claims.has(resource)).map((s) => s.node)
    if (claimers.length === 0) problems.push(`${resource}: no owner`)
    else if (claimers.length > 1) problems.push(`${resource}: claimed by ${claimers.map(label).join(', ')}`)
  }
  return problems
}

/**
 * Lines naming each resource whose computed owner differs between the given nodes
 * (e.g. `r4: n0→n2, n1→n3`). Empty when they all agree.
 */
export function findDisagreements (resources: readonly string[], snapshots: readonly OwnershipSnapshot[]): string[] {
  const problems: string[] = []
  for (const resource of resources) {
    const seen = snapshots.map((s) => s.owners.get(resource))
    if (new Set(seen).size > 1) {
      problems.push(`${resource}: ${snapshots.map((s, i) => `${label(s.node)}→${ownerLabel(seen[i])}`).join(', ')}`)
    }
  }
  return problems
}

/** Formats a headline and problem lines, keeping the first few and counting the rest. */
export function formatProblems (headline: string, problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_LINES).map((line) => `  ${line}`)
  if (problems.length > MAX_LINES) shown.push(`  ... and ${problems.length - MAX_LINES} more`)
  return [headline, ...shown].join('\n')
}

/** The label of a node in messages: `n<index>`. */
export function label (node: number): string {
  return `n${node}`
}

function ownerLabel (owner: number | undefined): string {
  return owner === undefined ? 'none' : label(owner)
}
