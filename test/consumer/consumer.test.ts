/**
 * The packages as a user gets them: every workspace package built and packed (`pnpm -r pack`),
 * the tarballs installed with npm into a fresh folder outside the workspace, then
 * 1. the README's `app.mjs` run with plain `node` on Node 22 and Node 24,
 * 2. a strict TypeScript consumer (nodenext, exactOptionalPropertyTypes, no skipLibCheck) that
 *    uses every public export of every package,
 * 3. vitest tests of the user's own: a testkit network partitioned and healed, relayed heartbeats
 *    checked by libsodium, then (sodium-native removed) by node:crypto, and the unreadable frames
 *    a stranger's libp2p node sends counted by an agent whose gossipsub is npm's (unpatched).
 * Needs the npm registry (for the packages' dependencies) and Node 22 in ./.tools/node22.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeBinary } from './node-binaries.js'
import { exportsNotImported } from './public-exports.js'
import { run } from './run.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixture', import.meta.url))
const PACKAGES = ['ring', 'membership', 'cluster', 'testkit', 'metrics', 'cli']
/** What app.mjs prints when both agents see both and split 100 jobs with no overlap. */
const APP_OUTPUT = 'members 2 2 jobs 100 shared 0'

let dir = ''
let app = ''

/** The consumer's tooling, at the workspace's versions. */
async function toolVersions (): Promise<string[]> {
  const { devDependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  return ['typescript', 'vitest', '@types/node'].map(name => `${name}@${devDependencies[name]}`)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gossip-ring-consumer-'))
  app = join(dir, 'app')
  const tarballs = join(dir, 'tarballs')
  await run('pnpm', ['build'], { cwd: ROOT, timeoutMs: 120_000 })
  await run('pnpm', ['-r', 'pack', '--pack-destination', tarballs], { cwd: ROOT, timeoutMs: 60_000 })
  await mkdir(app)
  for (const file of await readdir(FIXTURE)) await copyFile(join(FIXTURE, file), join(app, file))
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  const packed = (await readdir(tarballs)).map(name => join(tarballs, name))
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed, ...await toolVersions()], { cwd: app, timeoutMs: 240_000 })
}, 420_000)

/** Runs the fixture's vitest tests in the installed app; its stdout, colours stripped. */
async function userTests (args: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose', ...args], { cwd: app, timeoutMs: 120_000 })
  return stripVTControlCharacters(stdout)
}

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true })
})

describe('the packed packages, installed with npm outside the workspace', () => {
  it.each(PACKAGES)('@gossip-ring/%s ships built JavaScript and types, and no workspace-only export condition', async (name) => {
    const installed = join(app, 'node_modules', '@gossip-ring', name)
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>>, engines: { node: string } }
    expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', import: './dist/index.js' } })
    expect(manifest.engines.node).toBe('>=22')
    const dist = await readdir(join(installed, 'dist'))
    expect(dist).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'index.js.map', 'index.d.ts.map']))
    expect(dist.some(file => file.endsWith('.tsbuildinfo'))).toBe(false)
  })

  it.each([22, 24])('app.mjs runs with plain node on Node %i: two agents split 100 jobs and the process exits by itself', async (major) => {
    const node = nodeBinary(ROOT, major)
    const { stdout: version } = await run(node, ['--version'], { cwd: app, timeoutMs: 10_000 })
    expect(version.trim()).toMatch(new RegExp(`^v${major}\\.`))
    const { stdout } = await run(node, ['app.mjs'], { cwd: app, timeoutMs: 60_000 })
    expect(stdout.trim()).toBe(APP_OUTPUT)
  })

  it('type-checks a strict consumer (nodenext, exactOptionalPropertyTypes, no skipLibCheck) that uses every public export', async () => {
    await run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, timeoutMs: 120_000 })
    const missing = exportsNotImported(join(app, 'tsconfig.json'), join(app, 'consumer.ts'))
    expect(Object.keys(missing).sort()).toEqual(PACKAGES.map(name => `@gossip-ring/${name}`).sort())
    expect(missing).toEqual(Object.fromEntries(PACKAGES.map(name => [`@gossip-ring/${name}`, []])))
  })

  it('runs the user\'s own vitest tests: a partition and heal of a testkit network; relayed heartbeats checked by libsodium (sodium-native, an optional dependency, installed); unreadable frames from a stranger counted, and a stranger that keeps sending them or opens streams too fast hung up on, with gossipsub as npm installs it (unpatched)', async () => {
    const stdout = await userTests()
    expect(stdout).toContain('re-splits on each side of a partition and agrees again after heal')
    expect(stdout).toContain('checks the signatures of heartbeats relayed around a cut link')
    expect(stdout.match(/signature backend: (\S+)/)?.[1]).toBe('libsodium')
    expect(stdout).toContain('counts the gossipsub frames a stranger sends that cannot be read')
    expect(stdout).toContain('hangs up on a stranger that keeps sending frames that cannot be read')
    expect(stdout).toContain('hangs up on a stranger that opens streams faster than any agent does')
    expect(stdout).toMatch(/Tests\s+5 passed \(5\)/)
  })

  it('checks relayed heartbeats with node:crypto where sodium-native is missing (a platform it has no build for)', async () => {
    await rm(join(app, 'node_modules', 'sodium-native'), { recursive: true })
    const stdout = await userTests(['-t', 'relayed around a cut link'])
    expect(stdout.match(/signature backend: (\S+)/)?.[1]).toBe('node:crypto')
    expect(stdout).toMatch(/Tests\s+1 passed \| 4 skipped \(5\)/)
  })
})

describe('the gossip-ring command, installed from its tarball', () => {
  it.each([22, 24])('runs its bin (dist) with plain node on Node %i: --help exits 0 and lists the commands', async (major) => {
    const node = nodeBinary(ROOT, major)
    const { stdout } = await run(node, [join(app, 'node_modules', '.bin', 'gossip-ring'), '--help'], { cwd: app, timeoutMs: 30_000 })
    expect(stdout).toContain('Usage: gossip-ring')
    for (const command of ['node', 'watch', 'owner', 'keygen']) expect(stdout).toContain(`  ${command} `)
  })
})

describe('the root README', () => {
  it('"Install in your project" shows exactly the app.mjs this test runs', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const section = readme.split('\n## Install in your project\n')[1]?.split('\n## ')[0] ?? ''
    expect(section).toContain('npm install @gossip-ring/cluster')
    const block = /```js\n([\s\S]*?)```/.exec(section)?.[1]
    expect(block).toBe(await readFile(join(FIXTURE, 'app.mjs'), 'utf8'))
  })
})
