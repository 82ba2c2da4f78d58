import { shortId } from '../node/events.js'
import type { WatchState } from './watch-model.js'

/** How many recent changes the terminal view shows. */
const RECENT_CHANGES = 8

/** The lines of the terminal view of `gossip-ring watch` (pure). */
export function renderWatchView (state: WatchState, extra: { pageUrl?: string }): string[] {
  const lines = [`gossip-ring watch ${shortId(state.id)} (a watcher: in no ring)  (Ctrl-C to stop)`]
  if (extra.pageUrl !== undefined) lines.push(`ring page: ${extra.pageUrl}`)
  if (state.watchers.length > 0) lines.push(`other watchers: ${state.watchers.map(shortId).join(' ')}`)
  lines.push(...state.warnings)
  if (state.groups.length === 0) lines.push('', 'waiting for peers: no group heard of yet')
  for (const group of state.groups) {
    const suspects = group.members.filter(member => member.state === 'suspect').length
    lines.push('', `${group.group}  ${group.members.length} member(s)${suspects > 0 ? `, ${suspects} suspect` : ''}  ${group.agreed ? 'views agree' : 'VIEWS DIFFER'}  digest ${group.digest}`)
    for (const member of group.members) {
      const view = member.advertised === group.digest ? 'same view' : `sees ${member.advertised ?? 'nothing yet'}`
      lines.push(`  ${shortId(member.id)}  ${member.state.padEnd(7)}  ${(100 * member.share).toFixed(1).padStart(5)}%  ${view}`)
    }
  }
  const recent = state.timeline.slice(-RECENT_CHANGES)
  if (recent.length > 0) {
    lines.push('', 'recent changes:')
    for (const entry of recent) lines.push(`  ${new Date(entry.at).toISOString().slice(11, 19)}  ${entry.text}`)
  }
  return lines
}
