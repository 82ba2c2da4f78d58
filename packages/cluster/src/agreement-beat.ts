/**
 * Whether a heartbeat just heard shows another agent already at our view of a group while the
 * others still hold an older view of ours: `advertised` (the sender's digests) names our current
 * digest for some group, and the digests of our last published heartbeat (`published`, undefined
 * before the first) do not. Then one early heartbeat of ours lets the group agree now instead of up
 * to an interval later: views that agree need every member's latest heartbeat to carry the common
 * digest, and in a large fleet a view change is otherwise announced only by the next regular beat.
 * It costs at most one heartbeat per change of our view, and only once someone else shares it.
 * Pure.
 */
export function joinsAgreement (
  advertised: Readonly<Record<string, string>>,
  ourDigest: (group: string) => string | undefined,
  published: Readonly<Record<string, string>> | undefined
): boolean {
  for (const group in advertised) {
    const ours = ourDigest(group)
    if (ours !== undefined && advertised[group] === ours && (published === undefined || published[group] !== ours)) return true
  }
  return false
}
