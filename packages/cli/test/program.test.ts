import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseNetworkKey } from '@gossip-ring/cluster'
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES, run, UsageError } from '../src/index.js'
import { addClusterFlags, clusterInitFrom } from '../src/flags/cluster-flags.js'
import type { ClusterFlags } from '../src/flags/cluster-flags.js'
import { capture } from './capture.js'

const ADDR = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co'

/** Parses the network flags alone, as the commands do. */
function networkFlags (argv: string[]): ClusterFlags {
  const command = addClusterFlags(new Command('x').exitOverride())
  command.parse(argv, { from: 'user' })
  return command.opts<ClusterFlags>()
}

describe('gossip-ring command line (in process)', () => {
  it.each([[[]], [['node']], [['watch']], [['owner']], [['keygen']]])('prints the usage and the exit codes on --help %j, exit 0', async (command) => {
    const { io, out } = capture()
    expect(await run([...command, '--help'], io)).toBe(EXIT_CODES.ok)
    expect(out()).toContain(`Usage: gossip-ring ${command.length > 0 ? command[0] : ''}`.trimEnd())
    expect(out()).toContain('Exit codes:')
    expect(out()).toContain('3  owner: the group had no live member before --wait-ms')
    expect(out()).toContain('5  cannot listen on an address (--listen, --http, --metrics)')
  })

  it.each([
    [['node', '--group', 'g', '--frobnicate'], /unknown option '--frobnicate'/],
    [['node', '--resources', '5'], /--group is required/],
    [['node', '--group', ''], /non-empty/],
    [['node', '--group', 'g', '--resources', 'ten'], /'--resources <n>' argument 'ten' is invalid. Expected an integer in 0\.\.1000000/],
    [['node', '--group', 'g', '--resources=-1'], /argument '-1' is invalid/],
    [['node', '--group', 'g', '--heartbeat-ms', '5'], /Expected an integer in 10\.\..* or "auto"/],
    [['node', '--group', 'g', '--heartbeat-ms', 'fast'], /'--heartbeat-ms <ms>' argument 'fast' is invalid/],
    [['node', '--group', 'g', '--peer-set', '2'], /'--peer-set <k>' argument '2' is invalid. Expected an integer in 3\.\.64/],
    [['node', '--group', 'g', '--bootstrap', '127.0.0.1:4001'], /Expected a multiaddr starting with "\/"/],
    [['node', '--group', 'g', '--bootstrap', '/ip4/127.0.0.1/tcp/4001'], /\/p2p\/<id>/],
    [['node', '--group', 'g', '--metrics', '70000'], /Expected an integer in 0\.\.65535/],
    [['node', '--group', 'g', 'stray'], /too many arguments/],
    [['watch', '--http', 'web'], /'--http <port>' argument 'web' is invalid/],
    [['owner', 'k1'], /required option '--group <name>' not specified/],
    [['owner', '--group', 'g'], /missing required argument 'key'/],
    [['owner', '--group', 'g', '--replicas', '0', 'k'], /Expected an integer in 1\.\.1000/],
    [['keygen'], /missing required argument 'file'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['node', '--group', 'g', '--no-mdns', '--mdns-interval-ms', '100'], /makes no sense with --no-mdns/],
    [['node', '--group', 'g', '--on-minority', 'own-some'], /Allowed choices are own-all, own-nothing, keep-last/],
    [['node', '--group', 'g', '--on-minority', 'own-nothing'], /--on-minority own-nothing needs --quorum: without a quorum no view is a minority/],
    [['node', '--group', 'g', '--no-mdns', '--local', '--quorum', '2'], /--quorum 2 without --on-minority: a minority side would still own every resource \(own-all\)/],
    [['node', '--group', 'g', '--quorum', '0'], /'--quorum <n>' argument '0' is invalid. Expected an integer in 1\.\.100000 or "majority"/],
    [['node', '--group', 'g', '--quorum', 'most'], /Expected an integer in 1\.\.100000 or "majority"/],
    [['node', '--group', 'g', '--min-members', '0'], /'--min-members <n>' argument '0' is invalid. Expected an integer in 1\.\.100000/]
  ])('refuses %j with exit 2 and a message naming what is wrong', async (argv, message) => {
    const { io, err, out } = capture()
    expect(await run(argv, io)).toBe(EXIT_CODES.usage)
    expect(err()).toMatch(message)
    expect(err()).toContain('--help')
    expect(out()).toBe('')
  })

  it('UsageError is a named error with a stable code', () => {
    const err = new UsageError('bad', 'commander.unknownOption')
    expect(err).toMatchObject({ name: 'UsageError', code: 'ERR_USAGE', reason: 'commander.unknownOption', message: 'bad' })
  })

  it('maps the network flags onto cluster options, leaving the defaults alone when not given', async () => {
    expect(await clusterInitFrom(networkFlags([]))).toEqual({ bootstrap: [], local: false, mdns: true })
    expect(await clusterInitFrom(networkFlags([
      '--bootstrap', ADDR, '--bootstrap', `${ADDR}x`, '--namespace', 'ns', '--listen', '/ip4/127.0.0.1/tcp/0',
      '--local', '--no-mdns', '--heartbeat-ms', '250', '--peer-set', '4', '--identity', '/tmp/id.key'
    ]))).toEqual({
      bootstrap: [ADDR, `${ADDR}x`], local: true, mdns: false, namespace: 'ns', listen: ['/ip4/127.0.0.1/tcp/0'], heartbeatIntervalMs: 250, peerSetSize: 4, identityFile: '/tmp/id.key'
    })
    expect((await clusterInitFrom(networkFlags(['--mdns-interval-ms', '500']))).mdns).toEqual({ intervalMs: 500 })
    expect((await clusterInitFrom(networkFlags(['--heartbeat-ms', 'auto']))).heartbeatIntervalMs).toBe('auto')
    await expect(clusterInitFrom(networkFlags(['--network-key', '/nonexistent/swarm.key']))).rejects.toMatchObject({ name: 'InvalidNetworkKeyError' })
  })
})

describe('gossip-ring keygen --network (in process)', () => {
  it('writes a network key that node --network-key reads, mode 0600; never overwrites (exit 4); an identity file given as the key is named and explained (exit 4)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gossip-ring-netkey-'))
    try {
      const file = join(dir, 'cluster.psk')
      const { io, out } = capture()
      expect(await run(['keygen', '--network', file, '--json'], io)).toBe(EXIT_CODES.ok)
      expect(JSON.parse(out())).toEqual({ event: 'keygen', kind: 'network-key', file })
      expect((await stat(file)).mode & 0o777).toBe(0o600)
      const init = await clusterInitFrom(networkFlags(['--network-key', file]))
      const written = new Uint8Array(await readFile(file))
      expect(parseNetworkKey(init.networkKey)).toEqual(written)   // a valid key, the one written
      const identity = join(dir, 'a.key')
      expect(await run(['keygen', identity], capture().io)).toBe(EXIT_CODES.ok)
      const mixedUp = capture()
      expect(await run(['node', '--group', 'g', '--no-mdns', '--local', '--network-key', identity], mixedUp.io)).toBe(EXIT_CODES.file)
      expect(mixedUp.err()).toContain(`InvalidNetworkKeyError: ${identity} is not a network key: networkKey must start with the line /key/swarm/psk/1.0.0/ (make one with gossip-ring keygen --network FILE`)
      const again = capture()
      expect(await run(['keygen', '--network', file], again.io)).toBe(EXIT_CODES.file)
      expect(again.err()).toContain(`NetworkKeyFileError: Network key file ${file} exists already; it is never overwritten`)
      expect(new Uint8Array(await readFile(file))).toEqual(written)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
