/**
 * The simulated-LAN harness itself: hosts reach each other over the bridge, a partition cuts
 * exactly the pairs it names and heal restores them, a link can be unplugged, and namespaces are
 * deleted (also stale ones from dead runs). Needs root: fails loudly otherwise (never skipped).
 */
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertNetnsAvailable, createSimulatedLan, listNamespaces, sweepStaleNamespaces, type LanHost, type SimulatedLan } from './support/netns.js'
import { runCommand } from './support/run-command.js'

const PORT = 7070
const SERVER = `require('node:net').createServer((s) => { s.on('error', () => {}); s.write('hi') }).listen(${PORT}, () => console.log('listening'))`
const HOLD_OPEN = `const s = require('node:net').connect(${PORT}, process.argv[1]);
s.once('data', () => { console.log('connected'); setInterval(() => s.write('.'), 50) });
s.on('error', () => {}); s.on('close', () => { console.log('closed'); process.exit(0) })`
const CLIENT = `const s = require('node:net').connect(${PORT}, process.argv[1]);
s.setTimeout(400, () => { console.log('unreachable'); process.exit(0) });
s.on('data', () => { console.log('reachable'); process.exit(0) });
s.on('error', () => { console.log('unreachable'); process.exit(0) })`

/** Resolves when `child` prints `text` on a line; rejects after `timeoutMs`. */
async function lineFrom (child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  const lines = createInterface({ input: child.stdout! })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" line within ${timeoutMs} ms`)), timeoutMs)
      lines.on('line', (line) => { if (line === text) { clearTimeout(timer); resolve() } })
    })
  } finally {
    lines.close()
  }
}

async function reaches (from: LanHost, to: LanHost): Promise<boolean> {
  const out = await from.exec(process.execPath, ['-e', CLIENT, to.address])
  return out.trim() === 'reachable'
}

describe('simulated LAN (network namespaces)', () => {
  let lan: SimulatedLan | undefined
  const hosts = (): readonly LanHost[] => lan?.hosts ?? []

  beforeAll(async () => {
    await assertNetnsAvailable()
    await sweepStaleNamespaces()
    lan = await createSimulatedLan({ hostCount: 3 })
    for (const host of lan.hosts) {
      const server = host.spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
      await once(server.stdout!, 'data')
    }
  })

  afterAll(async () => {
    await lan?.destroy()
  })

  it('creates one namespace per host plus the bridge, with TEST-NET-1 addresses', async () => {
    const names = await listNamespaces()
    const [h0, h1, h2] = hosts()
    expect(names).toEqual(expect.arrayContaining([`${lan?.prefix}br`, h0?.namespace, h1?.namespace, h2?.namespace]))
    expect(hosts().map((h) => h.address)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3'])
    expect(await h0!.exec('ip', ['-4', 'addr', 'show', 'dev', 'eth0'])).toContain('inet 192.0.2.1/24')
    expect(await h0!.exec('ip', ['route', 'show', '224.0.0.0/4'])).toContain('dev eth0')
  })

  it('connects every host to every other over the bridge', async () => {
    for (const from of hosts()) {
      for (const to of hosts()) {
        if (from !== to) expect(await reaches(from, to), `${from.label} -> ${to.label}`).toBe(true)
      }
    }
  })

  it('partitions {h0} | {h1, h2} both ways, leaves h1 <-> h2 alone, and heals', async () => {
    const [h0, h1, h2] = hosts() as [LanHost, LanHost, LanHost]
    await lan!.partition([h0], [h1, h2])
    try {
      expect(await reaches(h0, h1)).toBe(false)
      expect(await reaches(h2, h0)).toBe(false)
      expect(await reaches(h1, h2)).toBe(true)
    } finally {
      await lan!.heal()
    }
    expect(await reaches(h0, h1)).toBe(true)
    expect(await reaches(h2, h0)).toBe(true)
  })

  it('in reset mode closes open TCP connections across the cut at once', async () => {
    const [h0, h1] = hosts() as [LanHost, LanHost]
    const client = h0.spawn(process.execPath, ['-e', HOLD_OPEN, h1.address], { stdio: ['ignore', 'pipe', 'inherit'] })
    const connected = lineFrom(client, 'connected', 5_000)
    await connected
    const closed = lineFrom(client, 'closed', 1_000)
    await lan!.partition([h0], [h1], 'reset')
    try {
      await closed
    } finally {
      await lan!.heal()
    }
    expect(await reaches(h0, h1)).toBe(true)
  })

  it('unplugs and replugs a host link', async () => {
    const [h0, h1] = hosts() as [LanHost, LanHost]
    await lan!.setLinkUp(h1, false)
    try {
      expect(await reaches(h0, h1)).toBe(false)
    } finally {
      await lan!.setLinkUp(h1, true)
    }
    expect(await reaches(h0, h1)).toBe(true)
    expect(await h1.exec('ip', ['route', 'show', '224.0.0.0/4'])).toContain('dev eth0')
  })

  it('sweeps namespaces left by a dead run and spares those of live runs', async () => {
    const deadPid = 4_194_305 // above Linux's largest pid_max: never a live process
    const stale = `gr-${deadPid}-h0`
    await runCommand('ip', ['netns', 'add', stale])
    const swept = await sweepStaleNamespaces()
    expect(swept).toContain(stale)
    const names = await listNamespaces()
    expect(names).not.toContain(stale)
    expect(names).toContain(hosts()[0]?.namespace)
  })

  it('destroy kills what it spawned and anything else inside, and deletes every namespace of the LAN', async () => {
    const extra = await createSimulatedLan({ hostCount: 2, prefix: `gr-${process.pid}-x` })
    const forever = ['-e', 'console.log("up"); setInterval(() => {}, 1000)']
    const host = extra.hosts[0]!
    const spawned = host.spawn(process.execPath, forever, { stdio: ['ignore', 'pipe', 'inherit'] })
    const stranger = spawn('ip', ['netns', 'exec', host.namespace, process.execPath, ...forever], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exits = [once(spawned, 'exit'), once(stranger, 'exit')]
    for (const child of [spawned, stranger]) await lineFrom(child, 'up', 5_000)
    await extra.destroy()
    await Promise.all(exits)
    expect((await listNamespaces()).filter((n) => n.startsWith(extra.prefix))).toEqual([])
  })
})
