/** Renders rows as a plain-text table with a header line and left-aligned, space-padded columns. */
export function formatTable (headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, col) => Math.max(h.length, ...rows.map((row) => (row[col] ?? '').length)))
  const line = (cells: readonly string[]): string => widths.map((w, col) => (cells[col] ?? '').padEnd(w)).join('  ').trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
