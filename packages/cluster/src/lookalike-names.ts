/** Separators a typo is likeliest to change: `-`, `_`, `.`, `/`, `:` and white space. */
const SEPARATORS = /[-_./:\s]+/g
const DIGIT = /\d/
/** The shortest name (folded) an edit is taken for a typo in: `ab` / `abc` may well be meant. */
const MIN_EDITED_LENGTH = 4

/** A name as a typo would leave it: lower case, without separators. */
function fold (name: string): string {
  return name.toLowerCase().replace(SEPARATORS, '')
}

/**
 * Whether two different names look like one name mistyped: the same but for case and separators
 * (`Workers`, `work_ers`, `shard1` for `shard-1`), or one letter apart by a letter left out or
 * added, or two neighbouring letters swapped (`oders`, `ordres` for `orders`). Names that differ by
 * a digit or by one letter replaced with another (`shard-1` / `shard-2`, `shard1` / `shard10`,
 * `worker-a` / `worker-b`) are how fleets name neighbours on purpose, and names of fewer than 4
 * letters are too short to tell (`ab` / `abc`). Pure.
 */
export function looksAlike (a: string, b: string): boolean {
  if (a === b) return false
  const [x, y] = [fold(a), fold(b)]
  if (x === y) return true
  if (Math.max(x.length, y.length) < MIN_EDITED_LENGTH) return false
  if (x.length === y.length) return swappedNeighbours(x, y)
  return x.length > y.length ? oneLetterAdded(x, y) : oneLetterAdded(y, x)
}

/** `y` is `x` with two neighbouring letters (not digits) swapped. */
function swappedNeighbours (x: string, y: string): boolean {
  const i = firstDifference(x, y)
  const [p, q] = [x[i] ?? '', x[i + 1] ?? '']
  return p === y[i + 1] && q === y[i] && !DIGIT.test(p + q) && x.slice(i + 2) === y.slice(i + 2)
}

/** `longer` is `shorter` with one letter (not a digit) added. */
function oneLetterAdded (longer: string, shorter: string): boolean {
  if (longer.length !== shorter.length + 1) return false
  const i = firstDifference(longer, shorter)
  return !DIGIT.test(longer[i] ?? '') && longer.slice(i + 1) === shorter.slice(i)
}

/** The index of the first character where `x` and `y` differ (the shorter one's length when one starts the other). */
function firstDifference (x: string, y: string): number {
  let i = 0
  while (i < x.length && i < y.length && x[i] === y[i]) i++
  return i
}
