/**
 * The `gossip-ring` binary as a user runs it: real OS processes over loopback TCP, mDNS off. Three
 * `node` agents and a `watch` observer: the watcher sees every member and the views agree, the
 * members never count it; `owner` answers as the ring does; a stop shows up in the watcher's
 * stream; `--metrics` serves real Prometheus text; `keygen` identities are kept by `node
 * --identity`; a node whose bootstrap peer is of another namespace warns, and so do watch and owner
 * whose bootstrap address answers nothing; documented exit codes for bad flags, no members, a taken port; a live view on a terminal.
 */
import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createRing } from '@gossip-ring/ring'
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess, CLI_SCRIPT, tsxNodeArgs, waitUntil } from '../examples/agent/src/agent-process.js'
import { idsOf, killAll } from './support/agents.js'

const HEARTBEAT_MS = 250
const STEP_TIMEOUT_MS = 30_000
const NET = ['--local', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--heartbeat-ms', String(HEARTBEAT_MS)]

/** Runs `gossip-ring ...args` to completion; resolves with its exit code and output. */
async function gossipRing (args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...tsxNodeArgs(CLI_SCRIPT), ...args], { timeout: timeoutMs, encoding: 'utf8' })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: unknown, stdout?: string, stderr?: string }
    if (typeof failed.code !== 'number') throw err
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

/**
 * Runs `gossip-ring ...args` on a pseudo-terminal (`script`, 160 columns, as a person's shell would)
 * until the screen shows `until` (or a deadline), then stops it; resolves with everything drawn.
 */
async function ttyScreen (args: string[], until: string): Promise<string> {
  const command = [process.execPath, ...tsxNodeArgs(CLI_SCRIPT), ...args].join(' ')
  const child = spawn('script', ['-qfec', `stty cols 160; exec ${command}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let screen = ''
  const shown = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { resolve(false) }, STEP_TIMEOUT_MS)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk
      if (screen.includes(until)) { clearTimeout(timer); resolve(true) }
    })
  })
  child.kill('SIGTERM')
  await new Promise(resolve => child.once('exit', resolve))
  expect(shown, `the terminal never showed "${until}":\n${screen}`).toBe(true)
  return screen
}

/** The events of `agent` of one kind (watch lines are JSON events too). */
function eventsOf (agent: AgentProcess, kind: string): Array<Record<string, unknown>> {
  return (agent.events as unknown as Array<Record<string, unknown>>).filter(event => event.event === kind)
}

describe('gossip-ring node, watch, owner, keygen (OS processes on loopback)', () => {
  const processes: AgentProcess[] = []
  let dir = ''
  afterAll(async () => {
    await killAll(processes)
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('three agents and a watcher: the watcher sees them agree and is never a member; owner answers as the ring; a stop reaches the watcher; metrics are scraped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gossip-ring-cli-'))
    const identity = join(dir, 'a.key')
    const keygen = await gossipRing(['keygen', identity, '--json'])
    expect(keygen.code).toBe(0)
    const { id: keyId } = JSON.parse(keygen.stdout) as { id: string }
    expect((await stat(identity)).mode & 0o777).toBe(0o600)
    const again = await gossipRing(['keygen', identity])
    expect(again.code).toBe(4)
    expect(again.stderr).toContain('IdentityFileError')

    const nodeArgs = (bootstrap: string[]): string[] => ['node', '--group', 'pollers', '--resources', '30', ...NET, '--json', ...bootstrap.flatMap(addr => ['--bootstrap', addr])]
    const first = AgentProcess.start({ label: 'node-a', args: [...nodeArgs([]), '--identity', identity, '--metrics', '0'] })
    processes.push(first)
    const ready = await first.waitReady(STEP_TIMEOUT_MS)
    expect(ready.id).toBe(keyId)
    expect(ready.identity).toEqual({ file: identity, created: false })
    const waiting = await waitUntil([first], () => first.events.find(event => event.event === 'waiting'), { timeoutMs: STEP_TIMEOUT_MS, what: 'start-up progress' })
    expect(waiting).toEqual({ event: 'waiting', for: 'peers', via: [] })
    // node-b's identity file does not exist yet: the start writes a new key there, and says so
    const newIdentity = join(dir, 'b.key')
    const others = ['node-b', 'node-c'].map(label => AgentProcess.start({ label, args: [...nodeArgs(ready.multiaddrs), ...(label === 'node-b' ? ['--identity', newIdentity] : [])] }))
    const watcher = AgentProcess.start({ label: 'watch', args: ['watch', ...NET, '--json', '--bootstrap', ready.multiaddrs[0]!] })
    processes.push(...others, watcher)
    const nodes = [first, ...others]
    for (const agent of [...nodes, watcher]) await agent.waitReady(STEP_TIMEOUT_MS)
    expect(others.map(agent => agent.ready!.identity)).toEqual([{ file: newIdentity, created: true }, undefined])
    expect((await stat(newIdentity)).mode & 0o777).toBe(0o600)
    const ids = idsOf(nodes)
    const watcherId = watcher.ready!.id
    const ring = createRing(ids.map(id => ({ id })))

    await waitUntil([watcher], () => eventsOf(watcher, 'agreement').find(e => e.agreed === true && e.members === 3), { timeoutMs: STEP_TIMEOUT_MS, what: 'the watcher to see three agree' })
    expect(eventsOf(watcher, 'agreement').find(e => e.agreed === true && e.members === 3)?.digest).toBe(ring.digest)
    await waitUntil(nodes, () => nodes.every(agent => agent.ring?.digest === ring.digest) ? true : undefined, { timeoutMs: STEP_TIMEOUT_MS, what: 'the members to agree on three' })
    for (const agent of nodes) expect(agent.ring?.members).not.toContain(watcherId)
    // a fleet that reached its bootstrap peer and each other is not misconfigured: no warning
    expect([...nodes, watcher].flatMap(agent => eventsOf(agent, 'warning'))).toEqual([])
    // start-up progress: after discovery, each joiner waited for convergence once it had a peer
    for (const agent of others) expect(agent.events.filter(event => event.event === 'waiting').map(event => (event as { for: string }).for)).toEqual(['peers', 'convergence'])
    expect(eventsOf(watcher, 'member').filter(e => e.change === 'join').map(e => e.id).sort()).toEqual([...ids].sort())

    // owner: a short-lived watcher that answers as an independently built ring
    const owner = await gossipRing(['owner', '--group', 'pollers', '--replicas', '2', '--json', ...NET, '--bootstrap', ready.multiaddrs[0]!, 'k1', 'k2', 'k3'])
    expect(owner.code).toBe(0)
    expect(owner.stdout.trim().split('\n').map(line => JSON.parse(line))).toEqual(['k1', 'k2', 'k3'].map(key => ({ key, owners: ring.owners(key, 2), agreed: true })))

    // metrics of the first agent, scraped over HTTP
    const metricsUrl = (first.events.find(event => event.event === 'metrics') as { url: string }).url
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const text = await (await fetch(metricsUrl)).text()
    expect(text).toContain('gossip_ring_members{group="pollers"} 3')
    expect(text).toMatch(/gossip_ring_watchers [12]/)   // the watcher, and the owner's if still heard

    // a copy-pasted bootstrap address with another namespace: alone, it would own all 30 resources; it says why
    const stranger = AgentProcess.start({ label: 'stranger', args: [...nodeArgs(ready.multiaddrs), '--namespace', 'elsewhere'] })
    processes.push(stranger)
    const warning = await waitUntil([stranger], () => stranger.events.find(event => event.event === 'warning'), { timeoutMs: STEP_TIMEOUT_MS, what: 'the stranger\'s warning' })
    expect(warning).toMatchObject({ kind: 'peer-unreachable', via: 'bootstrap', peer: ready.id, reason: 'other-namespace', hint: expect.stringContaining('namespace "default", this agent of "elsewhere"') })
    expect(await stranger.stop()).toEqual({ code: 0, signal: null })

    // a group name with a capital: its own group, owning all 30 resources beside the fleet; it says so
    const capital = AgentProcess.start({ label: 'capital', args: ['node', '--group', 'Pollers', '--resources', '30', ...NET, '--json', '--bootstrap', ready.multiaddrs[0]!] })
    processes.push(capital)
    const lookalike = await waitUntil([capital], () => capital.events.find(event => event.event === 'warning'), { timeoutMs: STEP_TIMEOUT_MS, what: 'the capital\'s warning' })
    expect(lookalike).toMatchObject({ kind: 'group-lookalike', group: 'Pollers', lookalike: 'pollers', peer: expect.any(String) })
    expect(await capital.stop()).toEqual({ code: 0, signal: null })

    // a graceful stop: the watcher's stream says who left, and that the two agree
    const [, b, c] = nodes as [AgentProcess, AgentProcess, AgentProcess]
    const since = watcher.events.length
    expect(await c.stop()).toEqual({ code: 0, signal: null })
    expect(c.events.at(-1)).toEqual({ event: 'stopped', id: ids[2] })
    const later = (): Array<Record<string, unknown>> => (watcher.events.slice(since) as unknown as Array<Record<string, unknown>>)
    await waitUntil([watcher], () => later().find(e => e.event === 'agreement' && e.agreed === true && e.members === 2), { timeoutMs: STEP_TIMEOUT_MS, what: 'the watcher to see two agree' })
    expect(later().find(e => e.event === 'member' && e.change === 'leave')).toMatchObject({ group: 'pollers', id: ids[2], reason: 'left', text: expect.stringContaining('left (left)') })

    expect(await watcher.stop()).toEqual({ code: 0, signal: null })
    expect((watcher.events.at(-1) as unknown as { event: string }).event).toBe('stopped')
    for (const agent of [first, b]) expect(await agent.stop()).toEqual({ code: 0, signal: null })
  })

  it('exit codes: 2 for a bad flag, 3 when owner hears no member, 5 when --http cannot listen', async () => {
    const bad = await gossipRing(['watch', '--http', 'web'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("option '--http <port>' argument 'web' is invalid")
    const alone = await gossipRing(['owner', '--group', 'nobody', '--wait-ms', '300', ...NET, 'k'])
    expect(alone.code).toBe(3)
    expect(alone.stderr).toContain('NoMembersError: No live member of group nobody')
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const port = (blocker.address() as { port: number }).port
      const taken = await gossipRing(['watch', ...NET, '--http', String(port)])
      expect(taken.code).toBe(5)
      expect(taken.stderr).toContain(`ListenAddressError: Cannot listen on 127.0.0.1:${port}`)
    } finally {
      blocker.close()
    }
  })

  it('watch and owner whose bootstrap address answers nothing say why they hear no one', async () => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise(resolve => closed.close(resolve))
    const nowhere = `/ip4/127.0.0.1/tcp/${port}/p2p/12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co`
    const watcher = AgentProcess.start({ label: 'lost-watch', args: ['watch', ...NET, '--json', '--bootstrap', nowhere] })
    processes.push(watcher)
    const owner = await gossipRing(['owner', '--group', 'pollers', '--wait-ms', '2000', ...NET, '--bootstrap', nowhere, 'k'])
    expect(owner.code).toBe(3)
    expect(owner.stderr).toContain('WARNING: bootstrap peer …o3w3Co not reached (refused): nothing listens at the address')
    expect(owner.stderr).toContain('the 1 warning(s) above may say why')
    const warning = await waitUntil([watcher], () => eventsOf(watcher, 'warning')[0], { timeoutMs: STEP_TIMEOUT_MS, what: 'the watcher\'s warning' })
    expect(warning).toMatchObject({ kind: 'peer-unreachable', via: 'bootstrap', reason: 'refused', text: expect.stringContaining('WARNING: bootstrap peer') })
    expect(await watcher.stop()).toEqual({ code: 0, signal: null })
  })

  it('on a terminal, node draws a live view that says what it waits for', async () => {
    const screen = await ttyScreen(['node', '--group', 'pollers', '--resources', '10', ...NET], '1 member(s)  converged')
    expect(screen).toContain('gossip-ring node …')
    expect(screen).toContain('status: waiting for peers (no mDNS, no bootstrap: others must dial this node)')
    expect(screen).toContain('pollers  1 member(s)  NOT converged')   // alone within the settle window at first
    expect(screen).toMatch(/pollers {2}1 member\(s\) {2}converged {2}digest [0-9a-f]{16} {2}my share 10\/10/)
    expect(screen).not.toContain('{"event"')
  })

  it('on a terminal, watch draws a live view and says it waits for peers', async () => {
    const screen = await ttyScreen(['watch', ...NET], 'no group heard of yet')
    expect(screen).toContain('(a watcher: in no ring)')
    expect(screen).toContain('waiting for peers: no group heard of yet')
    expect(screen).not.toContain('{"event"')
  })
})
