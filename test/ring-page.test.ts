/// <reference lib="dom" />
/**
 * The live ring page in a real browser: headless Debian Chromium (driven by playwright-core)
 * opens `gossip-ring watch --http`'s page while three `gossip-ring node` agents run as OS
 * processes on loopback. The page draws the group's ring with one arc per member and says the views
 * agree; when one agent stops, its arc goes and the timeline says it left; an agent of a group a
 * typo away (`Pollers`) puts a warning on top. It loads nothing from anywhere but the watcher.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRing } from '@gossip-ring/ring'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { AgentProcess, waitUntil } from '../examples/agent/src/agent-process.js'
import { idsOf, killAll, printTimings } from './support/agents.js'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]
const STEP_TIMEOUT_MS = 30_000
const NET = ['--local', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--heartbeat-ms', '250']
const ARCS = 'section[data-group="pollers"] path.arc'

describe('the live ring page (headless Chromium)', () => {
  const processes: AgentProcess[] = []
  let browser: BrowserContext | undefined
  let profile = ''
  afterAll(async () => {
    await browser?.close()
    await killAll(processes)
    if (profile !== '') await rm(profile, { recursive: true, force: true })
  })

  it('shows three members as arcs; when one stops its arc goes and the timeline says so', async () => {
    const nodeArgs = (bootstrap: string[]): string[] => ['node', '--group', 'pollers', ...NET, '--json', ...bootstrap.flatMap(addr => ['--bootstrap', addr])]
    const first = AgentProcess.start({ label: 'node-a', args: nodeArgs([]) })
    processes.push(first)
    const ready = await first.waitReady(STEP_TIMEOUT_MS)
    const others = ['node-b', 'node-c'].map(label => AgentProcess.start({ label, args: nodeArgs(ready.multiaddrs) }))
    const watcher = AgentProcess.start({ label: 'watch', args: ['watch', ...NET, '--json', '--http', '0', '--bootstrap', ready.multiaddrs[0]!] })
    processes.push(...others, watcher)
    const nodes = [first, ...others]
    for (const agent of nodes) await agent.waitReady(STEP_TIMEOUT_MS)
    const ids = idsOf(nodes)
    const digest = createRing(ids.map(id => ({ id }))).digest
    const { url } = await waitUntil([watcher], () => watcher.events.find(event => (event.event as string) === 'http') as unknown as { url: string } | undefined, { timeoutMs: STEP_TIMEOUT_MS, what: 'the page url' })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)

    profile = await mkdtemp(join(tmpdir(), 'gossip-ring-chromium-'))
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
    const page = await browser.newPage()
    const foreign: string[] = []
    page.on('request', request => { if (!request.url().startsWith(url)) foreign.push(request.url()) })
    const openedAt = performance.now()
    await page.goto(url)

    await page.waitForFunction(([selector, want]) => document.querySelectorAll(selector as string).length === want, [ARCS, 3] as const, { timeout: STEP_TIMEOUT_MS })
    await page.waitForFunction(() => document.querySelector('section[data-group="pollers"] .agreement')?.textContent?.startsWith('views agree') === true, undefined, { timeout: STEP_TIMEOUT_MS })
    const threeShownMs = performance.now() - openedAt
    expect((await page.locator(ARCS).evaluateAll(arcs => arcs.map(arc => arc.getAttribute('data-member')))).sort()).toEqual([...ids].sort())
    expect(await page.locator('section[data-group="pollers"] .digest').textContent()).toBe(`digest ${digest}`)
    expect(await page.locator('section[data-group="pollers"] svg .count').textContent()).toBe('3')
    expect(await page.locator('#status').textContent()).toBe('live')

    const [, , c] = nodes as [AgentProcess, AgentProcess, AgentProcess]
    const leaving = ids[2]!
    const stopAt = performance.now()
    expect(await c.stop()).toEqual({ code: 0, signal: null })
    await page.waitForFunction(([selector, want]) => document.querySelectorAll(selector as string).length === want, [ARCS, 2] as const, { timeout: STEP_TIMEOUT_MS })
    const arcGoneMs = performance.now() - stopAt
    expect(await page.locator(`${ARCS}[data-member="${leaving}"]`).count()).toBe(0)
    const left = page.locator(`#timeline li[data-member="${leaving}"][data-change="leave"]`)
    await left.waitFor({ timeout: STEP_TIMEOUT_MS })
    expect(await left.textContent()).toContain(`pollers: …${leaving.slice(-6)} left (left)`)
    await page.waitForFunction(() => document.querySelector('section[data-group="pollers"] .agreement')?.textContent?.startsWith('views agree · 2 member(s)') === true, undefined, { timeout: STEP_TIMEOUT_MS })

    // an agent whose group name has a capital: its own group, owning all of it; the page pins the warning
    const capital = AgentProcess.start({ label: 'capital', args: ['node', '--group', 'Pollers', ...NET, '--json', '--bootstrap', ready.multiaddrs[0]!] })
    processes.push(capital)
    const warning = page.locator('#warnings li')
    await warning.first().waitFor({ timeout: STEP_TIMEOUT_MS })
    expect(await warning.allTextContents()).toEqual([expect.stringMatching(/WARNING: …\w{6} is in group Pollers, a typo away from group pollers: /)])
    expect(await capital.stop()).toEqual({ code: 0, signal: null })
    expect(foreign).toEqual([])
    printTimings('live ring page (3 agents, heartbeat 250 ms, headless Chromium)', [
      ['page opened -> three arcs, views agree', threeShownMs],
      ['SIGTERM to an agent -> its arc gone from the page (includes process exit)', arcGoneMs]
    ])
  })
})
