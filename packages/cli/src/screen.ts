import { clearScreenDown, moveCursor } from 'node:readline'

/**
 * A block of lines redrawn in place on a terminal: each `draw` moves the cursor back over the
 * previous block and clears it. Lines are cut to the terminal width (100 when the terminal does not
 * tell) so wrapping cannot break the count of lines to move back over.
 */
export class LiveScreen {
  readonly #out: NodeJS.WritableStream & { columns?: number }
  #drawnLines = 0

  constructor (out: NodeJS.WritableStream & { columns?: number }) {
    this.#out = out
  }

  /** Replaces the block on screen with `lines`. */
  draw (lines: readonly string[]): void {
    const columns = this.#out.columns ?? 0
    const width = Math.max(20, (columns > 0 ? columns : 100) - 1)
    if (this.#drawnLines > 0) {
      moveCursor(this.#out, 0, -this.#drawnLines)
      clearScreenDown(this.#out)
    }
    this.#out.write(lines.map(line => line.length > width ? `${line.slice(0, width - 1)}…` : line).join('\n') + '\n')
    this.#drawnLines = lines.length
  }
}
