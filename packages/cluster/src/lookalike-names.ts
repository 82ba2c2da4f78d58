/** Separators a typo is likeliest to change: `-`, `_`, `.`, `/`, `:` and white space. */
const SEPARATORS = /[-_./:\s]+/g
const DIGIT = /\d/
/** The shortest name (folded) an edit is taken for a typo in: `ab` / `abc` may well be meant. */
const MIN_EDITED_LENGTH = 4

/**
 * Cyrillic and Greek letters that look like a Latin one (after lower-casing: Cyrillic `В` becomes
 * `в`, which stands for `b`), each mapped to that letter. The common ones only, not Unicode's
 * confusables table: a letter of another script missing here keeps two names apart.
 */
const LATIN_LOOKALIKES: ReadonlyMap<string, string> = new Map(pairs(
  // Cyrillic а е о р с у х і ј ѕ ԁ ԛ ԝ һ, and capitals В К М Н Т lower-cased
  '\u0430a \u0435e \u043eo \u0440p \u0441c \u0443y \u0445x \u0456i \u0458j \u0455s \u0501d \u051bq \u051dw \u04bbh \u0432b \u043ak \u043cm \u043dh \u0442t ' +
  // Greek α ο ρ ι κ υ χ, and capitals Β Ε Ζ Τ lower-cased
  '\u03b1a \u03bfo \u03c1p \u03b9i \u03bak \u03c5u \u03c7x \u03b2b \u03b5e \u03b6z \u03c4t'
))
const NON_LATIN_LOOKALIKE = new RegExp(`[${[...LATIN_LOOKALIKES.keys()].join('')}]`, 'g')

/** `'xa yb'` as `[['x', 'a'], ['y', 'b']]`. */
function pairs (list: string): Array<[string, string]> {
  return list.split(' ').map(pair => [pair.charAt(0), pair.charAt(1)])
}

/**
 * A name as a typo or a copy would leave it: in Unicode's compatibility form (NFKC: NFC and NFD
 * alike, full-width letters as plain ones), case-folded (upper, then lower case: `ß` as `ss`, `ı`
 * as `i`), letters of other scripts that look Latin as that letter, without separators.
 */
function fold (name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase()
    .replace(NON_LATIN_LOOKALIKE, letter => LATIN_LOOKALIKES.get(letter) ?? letter)
    .replace(SEPARATORS, '')
}

/**
 * Whether two different names look like one name mistyped: the same but for case and separators
 * (`Workers`, `work_ers`, `shard1` for `shard-1`), Unicode form (NFC or NFD, full-width letters) and
 * common Cyrillic or Greek letters that look Latin (`pоllers` with a Cyrillic `о`; see {@link fold}), or one letter apart by a letter left out or
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
