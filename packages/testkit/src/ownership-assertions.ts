import type { OwnershipIncident } from './ownership-timeline.js'
import { formatProblems, label } from './ownership.js'

/** Incidents longer than `limitMs`, longest first. */
export function longerThan (incidents: readonly OwnershipIncident[], limitMs: number): OwnershipIncident[] {
  return incidents.filter((incident) => incident.endMs - incident.startMs > limitMs)
    .sort((a, b) => (b.endMs - b.startMs) - (a.endMs - a.startMs))
}

/**
 * One readable line per incident, with times relative to `originMs`:
 * `r7: owned by n0, n3 for 120 ms (from +1520 ms to +1640 ms)` or `r9: no owner for 900 ms (...)`.
 */
export function describeIncidents (incidents: readonly OwnershipIncident[], originMs: number): string[] {
  return incidents.map((incident) => {
    const what = incident.nodes.length === 0 ? 'no owner' : `owned by ${incident.nodes.map(label).join(', ')}`
    const lengthMs = Math.round(incident.endMs - incident.startMs)
    return `${incident.resource}: ${what} for ${lengthMs} ms (from +${Math.round(incident.startMs - originMs)} ms to +${Math.round(incident.endMs - originMs)} ms)`
  })
}

/** The message of a failed ownership assertion, or undefined when there is no incident. */
export function incidentReport (headline: string, incidents: readonly OwnershipIncident[], originMs: number): string | undefined {
  if (incidents.length === 0) return undefined
  return formatProblems(`${incidents.length} ${headline}:`, describeIncidents(incidents, originMs))
}
