import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { describeIdentityUse } from '../src/node/events.js'
import type { IdentityFileUse } from '../src/node/events.js'
import { progressOf, renderNodeView } from '../src/node/node-view.js'
import type { NodeView } from '../src/node/node-view.js'
import { LiveScreen, printable } from '../src/screen.js'
import { describeWatchedChange } from '../src/watch/watch-model.js'
import { renderWatchView } from '../src/watch/watch-view.js'
import type { WatchState } from '../src/watch/watch-model.js'

const A = '12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co'
const B = '12D3KooWDmzZx8STgoWnn87DmmMG9pi2Czepw1eE7EEFNgusRVjF'

function nodeView (overrides: Partial<NodeView> = {}): NodeView {
  return {
    id: A,
    peers: 1,
    discovery: ['mDNS'],
    groups: [{ group: 'pollers', digest: 'abcd', converged: true, mine: 30, total: 60, members: [{ id: A, state: 'alive', self: true }, { id: B, state: 'suspect', self: false }] }],
    ...overrides
  }
}

describe('start-up progress', () => {
  it('says what the node waits for: peers, then convergence, then that it converged', () => {
    const waiting = nodeView({ peers: 0 })
    waiting.groups[0]!.converged = false
    expect(progressOf(waiting)).toBe('waiting for peers (mDNS)')
    expect(progressOf({ ...waiting, discovery: [] })).toBe('waiting for peers (no mDNS, no bootstrap: others must dial this node)')
    expect(progressOf({ ...waiting, peers: 2 })).toBe('2 peer(s) connected · waiting for pollers to converge')
    expect(progressOf(nodeView())).toBe('converged · 1 peer(s) connected')
  })
})

describe('node live view', () => {
  it('shows members and their states, my share, convergence and the last change', () => {
    const lines = renderNodeView(nodeView({ metricsUrl: 'http://127.0.0.1:9/metrics', lastChange: { text: 'pollers: …usRVjF suspect', atMs: 10_000 } }), 13_400)
    expect(lines).toEqual([
      'gossip-ring node …o3w3Co  (Ctrl-C to stop: says goodbye)',
      'status: converged · 1 peer(s) connected',
      'metrics: http://127.0.0.1:9/metrics',
      '',
      'pollers  2 member(s)  converged  digest abcd  my share 30/60',
      '  …o3w3Co (me)  alive',
      '  …usRVjF       suspect',
      '',
      'last change 3 s ago: pollers: …usRVjF suspect'
    ])
  })

  it('shows where the peer id came from under the status, for the whole run: a new one is easy to miss as a passing change', () => {
    const header = (identity: IdentityFileUse | undefined): string[] => renderNodeView(nodeView({ identity: describeIdentityUse(identity) }), 0).slice(1, 3)
    expect(header({ file: '/var/lib/agent.key', created: true })).toEqual(['status: converged · 1 peer(s) connected', 'identity: NEW peer id, written to /var/lib/agent.key (on a restart, check the path)'])
    expect(header({ file: '/var/lib/agent.key', created: false })).toEqual(['status: converged · 1 peer(s) connected', 'identity: from /var/lib/agent.key'])
    expect(header(undefined)).toEqual(['status: converged · 1 peer(s) connected', 'identity: for this run only (no --identity: a new peer id at every start)'])
  })

  it('says there is nothing to share when the node was given no resources, not "my share 0/0" (which reads like a fault)', () => {
    const view = nodeView()
    view.groups[0] = { ...view.groups[0]!, mine: 0, total: 0 }
    expect(renderNodeView(view, 0)[3]).toBe('pollers  2 member(s)  converged  digest abcd  no resources to share (--resources N)')
  })

  it('shows each warning under the status, until the node stops', () => {
    const warnings = ['WARNING: bootstrap peer …usRVjF not reached (other-namespace): give every agent the same namespace']
    const lines = renderNodeView(nodeView({ peers: 0, warnings }), 0)
    expect(lines.slice(1, 3)).toEqual(['status: waiting for peers (mDNS)', warnings[0]])
  })
})

describe('watch view', () => {
  it('describes a warning in the timeline as the node does, and keeps each under the header', () => {
    const text = describeWatchedChange({ event: 'warning', kind: 'clock-skew', peer: B, offsetMs: 2000, hint: 'fix the clocks' })
    expect(text).toBe('WARNING: the clock of …usRVjF is 2.0 s ahead of ours: fix the clocks')
    expect(renderWatchView({ id: A, watchers: [], groups: [], timeline: [], warnings: [text] }, {}).slice(0, 3)).toEqual([
      'gossip-ring watch …o3w3Co (a watcher: in no ring)  (Ctrl-C to stop)',
      text,
      ''
    ])
  })

  it('shows every group with agreement, each member\'s share and view, and recent changes', () => {
    const state: WatchState = {
      id: A,
      watchers: [],
      groups: [{
        group: 'pollers',
        digest: 'abcd',
        agreed: false,
        members: [{ id: B, state: 'suspect', weight: 1, share: 1 / 3, advertised: 'ffff' }, { id: A.replace('F', 'G'), state: 'alive', weight: 2, share: 2 / 3, advertised: 'abcd' }]
      }],
      timeline: [{ event: 'member', change: 'leave', group: 'pollers', id: B, reason: 'timeout', at: Date.UTC(2026, 0, 1, 12, 0, 5), text: describeWatchedChange({ event: 'member', change: 'leave', group: 'pollers', id: B, reason: 'timeout' }) }],
      warnings: []
    }
    expect(renderWatchView(state, { pageUrl: 'http://127.0.0.1:8/' })).toEqual([
      'gossip-ring watch …o3w3Co (a watcher: in no ring)  (Ctrl-C to stop)',
      'ring page: http://127.0.0.1:8/',
      '',
      'pollers  2 member(s), 1 suspect  VIEWS DIFFER  digest abcd',
      '  …usRVjF  suspect   33.3%  sees ffff',
      '  …o3w3Co  alive     66.7%  same view',
      '',
      'recent changes:',
      '  12:00:05  pollers: …usRVjF left (timeout)'
    ])
    expect(describeWatchedChange({ event: 'agreement', group: 'g', digest: 'ab', agreed: true, members: 3 })).toBe('g: views agree on ab (3 member(s))')
  })
})

describe('LiveScreen', () => {
  it('redraws in place: moves up over the previous block and clears it', () => {
    const out = Object.assign(new PassThrough(), { columns: 40 })
    let written = ''
    out.setEncoding('utf8').on('data', (chunk: string) => { written += chunk })
    const screen = new LiveScreen(out)
    screen.draw(['one', 'two'])
    expect(written).toBe('one\ntwo\n')
    written = ''
    screen.draw(['x'.repeat(60)])
    expect(written).toBe(`\x1b[2A\x1b[0J${'x'.repeat(39)}\n  ${'x'.repeat(21)}\n`)
    written = ''
    screen.draw(['y'])
    expect(written).toBe('\x1b[2A\x1b[0Jy\n')   // back over both lines of the wrapped one
  })

  it('shows control characters a stranger put in a group name or digest as escapes, never as terminal commands', () => {
    // a stranger's group named with a window-title sequence, a screen clear and an OSC 52 clipboard write
    // drew them raw on the watcher's terminal
    const out = Object.assign(new PassThrough(), { columns: 200 })
    let written = ''
    out.setEncoding('utf8').on('data', (chunk: string) => { written += chunk })
    new LiveScreen(out).draw(['\x1b]0;PWNED\x1b\\\x1b[2J group', 'digest \x1b]52;c;Y3VybA==\x07', 'pollers\r  \u009b31m \u202eevil'])
    const controls = [...written].filter(char => char !== '\n' && printable(char) !== char)
    expect(controls).toEqual([])
    expect(written).toBe('\\x1b]0;PWNED\\x1b\\\\x1b[2J group\ndigest \\x1b]52;c;Y3VybA==\\x07\npollers\\r  \\x9b31m \\u202eevil\n')
  })

  it('wraps a line longer than the terminal at spaces, indenting what follows: a warning\'s hint is read in full', () => {
    const out = Object.assign(new PassThrough(), { columns: 41 })
    let written = ''
    out.setEncoding('utf8').on('data', (chunk: string) => { written += chunk })
    const warning = 'WARNING: bootstrap peer …a1b2c3 not reached (handshake-failed): this agent has no network key'
    new LiveScreen(out).draw([warning, 'next'])
    const lines = written.split('\n').slice(0, -1)
    expect(lines).toEqual(['WARNING: bootstrap peer …a1b2c3 not', '  reached (handshake-failed): this agent', '  has no network key', 'next'])
    expect(lines.every(line => line.length <= 40)).toBe(true)
  })
})
