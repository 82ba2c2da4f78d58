import { describe, expect, it } from 'vitest'
import { describeEvent, parseEventLine, shortId, type NodeEvent } from '../src/node/events.js'
import { syntheticResources } from '../src/node/resources.js'

const SELF = '12D3KooWFimA5xnKHsf9g7rBfA5uZoUd8oaxxPy2AUJEU4o3w3Co'
const OTHER = '12D3KooWDmzZx8STgoWnn87DmmMG9pi2Czepw1eE7EEFNgusRVjF'

describe('syntheticResources', () => {
  it('names resource_0..n-1 in order', () => {
    expect(syntheticResources(3)).toEqual(['resource_0', 'resource_1', 'resource_2'])
    expect(syntheticResources(0)).toEqual([])
  })
})

describe('shortId', () => {
  it('keeps the distinguishing tail of a long id and short ids whole', () => {
    expect(shortId(SELF)).toBe('…o3w3Co')
    expect(shortId('abc')).toBe('abc')
  })
})

describe('describeEvent', () => {
  it.each<[NodeEvent, string]>([
    [{ event: 'ready', id: SELF, groups: ['g', 'h'], multiaddrs: ['/ip4/127.0.0.1/tcp/1'] }, '[…o3w3Co] ready in g, h, listening on /ip4/127.0.0.1/tcp/1'],
    [{ event: 'ready', id: SELF, groups: ['g'], multiaddrs: ['/ip4/127.0.0.1/tcp/1'], identity: { file: 'a.key', created: true } }, '[…o3w3Co] ready in g, listening on /ip4/127.0.0.1/tcp/1, identity: NEW peer id, written to a.key (on a restart, check the path)'],
    [{ event: 'ready', id: SELF, groups: ['g'], multiaddrs: ['/ip4/127.0.0.1/tcp/1'], identity: { file: 'a.key', created: false } }, '[…o3w3Co] ready in g, listening on /ip4/127.0.0.1/tcp/1, identity: from a.key'],
    [{ event: 'waiting', for: 'peers', via: ['mDNS'] }, '[…o3w3Co] waiting for peers (mDNS)'],
    [{ event: 'waiting', for: 'convergence', groups: ['g'] }, '[…o3w3Co] waiting for g to converge'],
    [{ event: 'metrics', url: 'http://127.0.0.1:9464/metrics' }, '[…o3w3Co] metrics at http://127.0.0.1:9464/metrics'],
    [{ event: 'ring', group: 'g', members: [OTHER, SELF], mine: 7, digest: '00ff' }, '[…o3w3Co] g: 2 member(s) …usRVjF …o3w3Co, I own 7 resource(s), digest 00ff'],
    [{ event: 'member', change: 'leave', group: 'g', id: OTHER, reason: 'timeout' }, '[…o3w3Co] g: …usRVjF leave (timeout)'],
    [{ event: 'member', change: 'join', group: 'g', id: OTHER }, '[…o3w3Co] g: …usRVjF join'],
    [{ event: 'peer', change: 'connect', id: OTHER }, '[…o3w3Co] connected to …usRVjF'],
    [{ event: 'peer', change: 'disconnect', id: OTHER }, '[…o3w3Co] disconnected from …usRVjF'],
    [{ event: 'converged', group: 'g', digest: 'ab', members: [SELF] }, '[…o3w3Co] g: converged on ab with 1 member(s)'],
    [{ event: 'warning', kind: 'policy-mismatch', group: 'g', peer: OTHER, ours: 'handoff on, quorum none, onMinority own-all, settleMs 0' }, '[…o3w3Co] WARNING: …usRVjF has other ownership options in g than ours (handoff on, quorum none, onMinority own-all, settleMs 0): every member of a group needs the same, or two may own one resource'],
    [{ event: 'warning', kind: 'clock-skew', peer: OTHER, offsetMs: -180_400, hint: 'fix the clocks' }, '[…o3w3Co] WARNING: the clock of …usRVjF is 180.4 s behind ours: fix the clocks'],
    [{ event: 'warning', kind: 'peer-unreachable', peer: OTHER, via: 'bootstrap', reason: 'refused', hint: 'nothing listens' }, '[…o3w3Co] WARNING: bootstrap peer …usRVjF not reached (refused): nothing listens'],
    [{ event: 'warning', kind: 'peer-unreachable', peer: OTHER, via: 'mdns', reason: 'handshake-failed', hint: 'key?' }, '[…o3w3Co] WARNING: peer found by mdns …usRVjF not reached (handshake-failed): key?'],
    [{ event: 'warning', kind: 'group-lookalike', group: 'workers', lookalike: 'Workers', peer: OTHER }, '[…o3w3Co] WARNING: …usRVjF is in group Workers, a typo away from group workers: agents in the two groups each own every resource; give every agent the same group name'],
    [{ event: 'warning', kind: 'paused', silentMs: 2345, hint: 'was this process paused?' }, '[…o3w3Co] WARNING: no heartbeat of ours for 2.3 s: was this process paused?'],
    [{ event: 'stopped', id: SELF }, '[…o3w3Co] stopped']
  ])('describes %j', (event, text) => {
    expect(describeEvent(SELF, event)).toBe(text)
  })
})

describe('parseEventLine', () => {
  it('reads back what the agent prints', () => {
    const event: NodeEvent = { event: 'ring', group: 'g', members: [SELF], mine: 3, digest: 'ab', resources: ['resource_1'] }
    expect(parseEventLine(JSON.stringify(event))).toEqual(event)
  })

  it.each(['', 'not json', '[1,2]', 'null', '{"no":"event"}', '{"event":3}'])('ignores %j', (line) => {
    expect(parseEventLine(line)).toBeUndefined()
  })
})
