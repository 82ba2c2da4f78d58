import { describe, expect, it } from 'vitest'
import { parseAgentArgs } from '../src/args.js'
import { clusterInitFrom } from '../src/cluster-init.js'

const ADDR = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co'

describe('clusterInitFrom', () => {
  it('leaves the cluster defaults alone for a minimal command line (mDNS on)', () => {
    expect(clusterInitFrom(parseAgentArgs(['--group', 'g', '--resources', '3']))).toEqual({ bootstrap: [], local: false, mdns: true })
  })

  it('passes every networking option through, and never the group (joined after listeners are set)', () => {
    const init = clusterInitFrom(parseAgentArgs([
      '--group', 'g', '--resources', '3', '--bootstrap', ADDR, '--namespace', 'ns', '--listen', '/ip4/127.0.0.1/tcp/0',
      '--local', '--no-mdns', '--heartbeat-ms', '250'
    ]))
    expect(init).toEqual({ bootstrap: [ADDR], local: true, mdns: false, namespace: 'ns', listen: ['/ip4/127.0.0.1/tcp/0'], heartbeatIntervalMs: 250 })
  })

  it('sets the mDNS query interval when given', () => {
    expect(clusterInitFrom(parseAgentArgs(['--group', 'g', '--resources', '3', '--mdns-interval-ms', '500'])).mdns).toEqual({ intervalMs: 500 })
  })
})
