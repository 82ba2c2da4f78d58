import { ManualClock, MembershipTable } from '../src/index.js'
import type { GroupAdvert, Heartbeat, MembershipEvents, MembershipInit } from '../src/index.js'

/** A group advert with weight 1 and no metadata unless given. */
export function advert (name: string, weight = 1, metadata: Record<string, string> = {}): GroupAdvert {
  return { name, weight, metadata }
}

/** A heartbeat of `from` (boot id `${from}-boot1` unless given) listing `groups` (names or adverts). */
export function heartbeat (from: string, seq: number, groups: Array<string | GroupAdvert>, extra: Partial<Heartbeat> = {}): Heartbeat {
  return {
    from,
    bootId: `${from}-boot1`,
    seq,
    groups: groups.map(group => typeof group === 'string' ? advert(group) : group),
    leaving: false,
    digests: {},
    ...extra
  }
}

/** One recorded event: its type and detail. */
export interface RecordedEvent {
  type: keyof MembershipEvents
  detail: Record<string, unknown>
}

const EVENT_TYPES: Array<keyof MembershipEvents> = ['member:join', 'member:suspect', 'member:alive', 'member:leave', 'member:update', 'view:change', 'group:odd-member', 'group:converged']

/** Records every event of the table, in dispatch order; `take()` returns and clears them. */
export function recordEvents (table: MembershipTable): { take: () => RecordedEvent[] } {
  let events: RecordedEvent[] = []
  for (const type of EVENT_TYPES) {
    table.addEventListener(type, (event) => {
      events.push({ type, detail: Object.fromEntries(Object.entries(event.detail)) })
    })
  }
  return {
    take: () => {
      const taken = events
      events = []
      return taken
    }
  }
}

/** A started table with self `self` on a manual clock at 0, heartbeat interval 1000 ms (suspect 3000, timeout 5000). */
export function createTable (init: Partial<MembershipInit> = {}): { clock: ManualClock, table: MembershipTable } {
  const clock = new ManualClock()
  const table = new MembershipTable({ clock }, { selfId: 'self', heartbeatIntervalMs: 1000, ...init })
  table.start()
  return { clock, table }
}

/** The ids of the live members of a group. */
export function ids (table: MembershipTable, group: string): string[] {
  return table.members(group).map(member => member.id)
}
