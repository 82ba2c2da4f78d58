import type { GroupAdvert, Heartbeat } from './types.js'
import { isNonEmptyString, isStringRecord, isValidWeight } from './validation.js'

/** True when the parts that identify and order a heartbeat are usable: sender, boot id, seq, groups list. */
export function isWellFormedHeartbeat (hb: Heartbeat): boolean {
  return isNonEmptyString(hb.from) &&
    isNonEmptyString(hb.bootId) &&
    typeof hb.seq === 'number' && Number.isFinite(hb.seq) &&
    Array.isArray(hb.groups)
}

/** The usable group adverts of a heartbeat and how many were dropped. */
export interface SanitizedGroups {
  readonly adverts: readonly GroupAdvert[]
  readonly dropped: number
}

/**
 * Keeps the group adverts with a non-empty name, a finite weight > 0 and string metadata, first one
 * per name. Returns the caller's array itself when every advert is usable (the common case).
 */
export function sanitizeGroups (groups: readonly GroupAdvert[]): SanitizedGroups {
  let kept: GroupAdvert[] | undefined
  for (let i = 0; i < groups.length; i++) {
    const advert = groups[i] as GroupAdvert
    const usable = isUsableAdvert(advert) && !hasNameBefore(groups, i, advert.name)
    if (!usable && kept === undefined) {
      kept = groups.slice(0, i)
    } else if (usable && kept !== undefined) {
      kept.push(advert)
    }
  }
  return kept === undefined ? { adverts: groups, dropped: 0 } : { adverts: kept, dropped: groups.length - kept.length }
}

function isUsableAdvert (advert: GroupAdvert): boolean {
  return typeof advert === 'object' && advert !== null &&
    isNonEmptyString(advert.name) && isValidWeight(advert.weight) && isStringRecord(advert.metadata)
}

function hasNameBefore (groups: readonly GroupAdvert[], end: number, name: string): boolean {
  for (let i = 0; i < end; i++) {
    if (groups[i]?.name === name) {
      return true
    }
  }
  return false
}

/** The digest the sender advertised for `group`, if it is a string. */
export function advertisedDigest (hb: Heartbeat, group: string): string | undefined {
  const digests: unknown = hb.digests
  if (typeof digests !== 'object' || digests === null || !Object.hasOwn(digests, group)) {
    return undefined
  }
  const digest = (digests as Record<string, unknown>)[group]
  return typeof digest === 'string' ? digest : undefined
}
