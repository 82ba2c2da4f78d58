import { clearScreenDown, moveCursor } from 'node:readline'

/** What starts the continuation of a wrapped line. */
const INDENT = '  '

/**
 * A block of lines redrawn in place on a terminal: each `draw` moves the cursor back over the
 * previous block and clears it. Lines longer than the terminal is wide (100 when the terminal does
 * not tell) are wrapped here, at spaces, the continuation indented, so that a warning's hint is
 * read in full and the count of lines to move back over stays exact.
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
    const onScreen = lines.flatMap(line => wrap(printable(line), width))
    this.#out.write(onScreen.join('\n') + '\n')
    this.#drawnLines = onScreen.length
  }
}

/** Whether a terminal obeys character `code` rather than printing it: C0, DEL, C1, and the bidirectional overrides and isolates. */
function isControl (code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * `line` with every control character shown as an escape (`\x1b`, `\r`, `\u202e`): group names,
 * digests and ids come from any peer, and a stranger's group named with escape sequences set the
 * watcher's window title, cleared its screen and wrote its clipboard (OSC 52). Pure.
 */
export function printable (line: string): string {
  let out = ''
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0
    if (!isControl(code)) out += char
    else out += NAMED_ESCAPES[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  }
  return out
}

/**
 * `line` in pieces of at most `width` characters: broken at the last space that fits when it is in
 * the second half of the room, else at the width; the pieces after the first indented. Pure.
 */
function wrap (line: string, width: number): string[] {
  const pieces: string[] = []
  let rest = line
  let room = width
  while (rest.length > room) {
    const space = rest.lastIndexOf(' ', room)
    const cut = space > room / 2 ? space : room
    pieces.push(pieces.length === 0 ? rest.slice(0, cut) : INDENT + rest.slice(0, cut))
    rest = rest.slice(cut).trimStart()
    room = width - INDENT.length
  }
  pieces.push(pieces.length === 0 ? rest : INDENT + rest)
  return pieces
}
