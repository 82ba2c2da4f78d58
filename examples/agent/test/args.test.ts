import { describe, expect, it } from 'vitest'
import { MAX_RESOURCES, parseAgentArgs, UsageError } from '../src/args.js'

const ADDR = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co'

function usageErrorOf (argv: string[]): string {
  try {
    parseAgentArgs(argv)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).name).toBe('UsageError')
    return (err as Error).message
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`)
}

describe('parseAgentArgs', () => {
  it('applies defaults to a minimal command line', () => {
    expect(parseAgentArgs(['--group', 'pollers', '--resources', '60'])).toEqual({
      group: 'pollers',
      resourceCount: 60,
      bootstrap: [],
      namespace: undefined,
      listen: [],
      local: false,
      mdns: true,
      mdnsIntervalMs: undefined,
      heartbeatIntervalMs: undefined,
      networkKeyFile: undefined,
      listResources: false,
      json: false,
      help: false
    })
  })

  it('reads every option, repeatable ones in order', () => {
    const args = parseAgentArgs([
      '--group', 'g', '--resources', '0', '--bootstrap', ADDR, '--bootstrap', `${ADDR}x`,
      '--namespace', 'ns', '--listen', '/ip4/127.0.0.1/tcp/0', '--local', '--no-mdns',
      '--heartbeat-ms', '250', '--network-key', 'swarm.key', '--list-resources', '--json'
    ])
    expect(args).toMatchObject({
      group: 'g',
      resourceCount: 0,
      bootstrap: [ADDR, `${ADDR}x`],
      namespace: 'ns',
      listen: ['/ip4/127.0.0.1/tcp/0'],
      local: true,
      mdns: false,
      heartbeatIntervalMs: 250,
      networkKeyFile: 'swarm.key',
      listResources: true,
      json: true
    })
  })

  it('takes an mDNS interval when mDNS is on', () => {
    expect(parseAgentArgs(['--group', 'g', '--resources', '1', '--mdns-interval-ms', '1000']).mdnsIntervalMs).toBe(1000)
  })

  it('accepts --help alone', () => {
    expect(parseAgentArgs(['--help']).help).toBe(true)
  })

  it.each([
    [['--resources', '5'], /--group is required/],
    [['--group', 'g'], /--resources is required/],
    [['--group', '', '--resources', '5'], /--group must not be empty/],
    [['--group', 'g', '--resources=-1'], /--resources must be an integer/],
    [['--group', 'g', '--resources', '1.5'], /--resources must be an integer/],
    [['--group', 'g', '--resources', 'ten'], /--resources must be an integer/],
    [['--group', 'g', '--resources', String(MAX_RESOURCES + 1)], /--resources must be an integer in 0\.\.1000000/],
    [['--group', 'g', '--resources', '5', '--heartbeat-ms', '5'], /--heartbeat-ms must be an integer in 10\.\./],
    [['--group', 'g', '--resources', '5', '--bootstrap', '127.0.0.1:4001'], /--bootstrap expects a multiaddr/],
    [['--group', 'g', '--resources', '5', '--bootstrap', '/ip4/127.0.0.1/tcp/4001'], /\/p2p\/<id>/],
    [['--group', 'g', '--resources', '5', '--listen', 'tcp:0'], /--listen expects a multiaddr/],
    [['--group', 'g', '--resources', '5', '--no-mdns', '--mdns-interval-ms', '100'], /makes no sense with --no-mdns/],
    [['--group', 'g', '--resources', '5', '--frobnicate'], /frobnicate/],
    [['--group', 'g', '--resources', '5', 'stray'], /stray/],
    [['--group'], /--group/]
  ])('rejects %j', (argv, message) => {
    expect(usageErrorOf(argv)).toMatch(message)
  })
})
