import { defaultLogger } from '@libp2p/logger'
import { afterEach, describe, expect, it } from 'vitest'
import { createCluster, InvalidOptionError } from '../../src/index.js'
import { plainComponentLogger } from '../../src/logging/logger.js'
import type { Cluster, ClusterInit, PlainLogger } from '../../src/index.js'
import type { ComponentLogger } from '@libp2p/interface'
import { FAST, startClusters, stopAll } from '../support/clusters.js'
import { waitFor } from '../support/wait-for.js'

/** A plain logger that records every line by level. */
function recordingLogger (): PlainLogger & { lines: Array<{ level: string, line: string }> } {
  const lines: Array<{ level: string, line: string }> = []
  const at = (level: string) => (line: string): void => { lines.push({ level, line }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

let clusters: Cluster[] = []
afterEach(async () => { await stopAll(clusters); clusters = [] })

describe('logger: a plain { debug, info, warn, error } logger', () => {
  it('gets our own lines, formatted, and none of libp2p\'s (real clusters on loopback)', async () => {
    const plain = recordingLogger()
    clusters = await startClusters(2, i => (i === 1 ? { logger: plain } : {}))
    const [first] = clusters
    const dialled = `gossip-ring:cluster:connectivity dialled ${first!.id}`
    await waitFor(() => plain.lines.some(({ line }) => line === dialled), { what: `the line "${dialled}"` })
    expect(plain.lines.find(({ line }) => line === dialled)?.level).toBe('debug')
    // only our components, and no directive left unfilled
    for (const { line } of plain.lines) {
      expect(line).toMatch(/^gossip-ring:/)
      expect(line).not.toMatch(/%[a-zA-Z]/)
    }
  })

  it('accepts console itself', async () => {
    const cluster = await createCluster({ ...FAST, logger: console })
    clusters = [cluster]
    expect(cluster.id).toMatch(/^12D3KooW/)
  })

  it('sends errors to error, prefixed and formatted, and nests scopes', () => {
    const plain = recordingLogger()
    const log = plainComponentLogger(plain).forComponent('gossip-ring:cluster')
    log.error('Error sending a heartbeat: %e', new Error('boom'))
    log.newScope('connectivity')('dial %s failed (%d in a row)', 'peer', 3)
    log.trace('per-message chatter %s', 'x')
    expect(plain.lines.map(({ level }) => level)).toEqual(['error', 'debug'])
    expect(plain.lines[0]!.line).toMatch(/^gossip-ring:cluster Error sending a heartbeat: Error: boom\n\s+at /)
    expect(plain.lines[1]!.line).toBe('gossip-ring:cluster:connectivity dial peer failed (3 in a row)')
  })

  it('rejects a logger that is neither plain nor a ComponentLogger', async () => {
    const notALogger = { debug: () => {} } as unknown as ClusterInit['logger']
    await expect(createCluster({ ...FAST, logger: notALogger })).rejects.toBeInstanceOf(InvalidOptionError)
  })
})

describe('logger: a libp2p ComponentLogger', () => {
  it('still gets libp2p\'s components as well as ours', async () => {
    const components = new Set<string>()
    const base = defaultLogger()
    const recording: ComponentLogger = { forComponent: (name: string) => { components.add(name); return base.forComponent(name) } }
    clusters = await startClusters(1, () => ({ logger: recording }))
    expect(components).toContain('gossip-ring:cluster')
    expect([...components].some(name => name.startsWith('libp2p:'))).toBe(true)
  })
})
