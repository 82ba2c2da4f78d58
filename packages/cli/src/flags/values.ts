import { InvalidArgumentError } from 'commander'

/** A commander value parser for an integer in `min..max` (decimal digits only). */
export function integerIn (min: number, max: number): (text: string) => number {
  return (text: string): number => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected an integer in ${min}..${max}.`)
    }
    return value
  }
}

/** A commander value parser for an integer in [`min`, `max`] or the word `auto`. */
export function integerInOrAuto (min: number, max: number): (text: string) => number | 'auto' {
  const integer = integerIn(min, max)
  return (text: string): number | 'auto' => {
    if (text === 'auto') return 'auto'
    try {
      return integer(text)
    } catch {
      throw new InvalidArgumentError(`Expected an integer in ${min}..${max} or "auto".`)
    }
  }
}

/** A commander value parser for a quorum: a count of members (1 or more) or the word `majority`. */
export function quorum (text: string): number | 'majority' {
  if (text === 'majority') return 'majority'
  try {
    return integerIn(1, MAX_QUORUM)(text)
  } catch {
    throw new InvalidArgumentError(`Expected an integer in 1..${MAX_QUORUM} or "majority".`)
  }
}
/** The largest `--quorum` and `--min-members`: a typo stays an error, any real fleet fits. */
export const MAX_QUORUM = 100_000

/** A commander value parser for a TCP port (0 picks a free one). */
export const port = integerIn(0, 65_535)

/** A commander value parser for a non-empty string. */
export function nonEmpty (text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('Expected a non-empty value.')
  return text
}

/** A commander value parser that collects a repeatable flag into a list (`needPeerId`: a bootstrap address). */
export function multiaddrList (needPeerId: boolean): (text: string, previous: string[] | undefined) => string[] {
  return (text: string, previous: string[] | undefined): string[] => {
    if (!text.startsWith('/')) throw new InvalidArgumentError('Expected a multiaddr starting with "/".')
    if (needPeerId && !text.includes('/p2p/')) throw new InvalidArgumentError('Expected the peer id in the address (…/p2p/<id>).')
    return [...(previous ?? []), text]
  }
}

/** A commander value parser that collects a repeatable non-empty name into a list. */
export function nameList (text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), nonEmpty(text)]
}
