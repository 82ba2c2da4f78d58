import { describe, expect, it } from 'vitest'
import { describeUnreachable, onlyOtherHeartbeatTopics, shouldReport } from '../src/peer-unreachable.js'
import type { DescribedFailure } from '../src/peer-unreachable.js'
import { heartbeatTopic } from '../src/index.js'

const PEER = '12D3KooWPeer'
const OURS = heartbeatTopic('prd')
const named = (name: string, message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { name }, extra)
const reasonOf = (dialError: unknown, networkKey: 'none' | 'set' | 'unknown' = 'none'): string => describeUnreachable({ dialError }, PEER, OURS, networkKey).reason

describe('describeUnreachable', () => {
  it('reads the error inside an AggregateError and a cause (libp2p wraps dial errors so)', () => {
    const refused = named('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })
    expect(reasonOf(new AggregateError([new Error('wrapper', { cause: refused })], 'all dials failed'))).toBe('refused')
  })

  it('of a dial over several addresses, what got furthest tells: a failed handshake beats a refused loopback address', () => {
    const refused = named('Error', 'connect ECONNREFUSED 127.0.0.1:4001', { code: 'ECONNREFUSED' })
    expect(reasonOf(new AggregateError([refused, named('EncryptionFailedError', 'Message length length too long - 5 > 2')]))).toBe('handshake-failed')
    expect(reasonOf(new AggregateError([refused, named('EncryptionFailedError', 'The operation was aborted due to timeout')]))).toBe('handshake-failed')
    expect(reasonOf(new AggregateError([refused, named('TimeoutError', 'dial timed out')]))).toBe('refused')
  })

  it('a keyed agent dialling one without a key: a plain ECONNRESET is a failed handshake', () => {
    expect(reasonOf(named('Error', 'read ECONNRESET', { code: 'ECONNRESET' }), 'set')).toBe('handshake-failed')
  })

  it('a timeout is no answer; within the handshake, a stalled handshake; neither is conclusive (a busy peer)', () => {
    const described = (dialError: unknown): { reason: string, conclusive: boolean } => describeUnreachable({ dialError }, PEER, OURS, 'none')
    expect(described(named('EncryptionFailedError', 'The operation was aborted due to timeout'))).toMatchObject({ reason: 'handshake-failed', conclusive: false })
    expect(described(named('TimeoutError', 'whatever'))).toMatchObject({ reason: 'no-answer', conclusive: false })
    expect(described(named('Error', 'connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }))).toMatchObject({ reason: 'no-answer', conclusive: false })
    expect(described(named('EncryptionFailedError', 'Message length length too long - 5 > 2'))).toMatchObject({ reason: 'handshake-failed', conclusive: true })
  })

  it('names the agent that answered in place of the expected one', () => {
    const described = describeUnreachable({ dialError: named('EncryptionFailedError', 'Payload identity key 12D3KooWOther does not match expected remote identity key 12D3KooWPeer') }, PEER, OURS, 'none')
    expect(described).toMatchObject({ reason: 'wrong-peer' })
    expect(described.hint).toContain('answers as 12D3KooWOther, not 12D3KooWPeer')
  })

  it('the hint of a failed handshake follows whether we have a network key', () => {
    const hint = (networkKey: 'none' | 'set' | 'unknown'): string => describeUnreachable({ dialError: named('EncryptionFailedError', 'read ECONNRESET') }, PEER, OURS, networkKey).hint
    expect(hint('none')).toMatch(/this agent has no network key/)
    expect(hint('set')).toMatch(/another network key, or none/)
    expect(hint('unknown')).toMatch(/connection protector/)
  })

  it('anything else is "other", with the message; a non-error too', () => {
    expect(describeUnreachable({ dialError: new Error('odd') }, PEER, OURS, 'none')).toMatchObject({ reason: 'other', error: 'odd' })
    expect(describeUnreachable({ dialError: 'a string' }, PEER, OURS, 'none')).toMatchObject({ reason: 'other', error: 'a string' })
  })

  it('another namespace is named from its heartbeat topic', () => {
    const described = describeUnreachable({ otherTopics: [heartbeatTopic('prod')] }, PEER, OURS, 'none')
    expect(described).toMatchObject({ reason: 'other-namespace' })
    expect(described.hint).toContain('namespace "prod", this agent of "prd", a typo away')
    expect(described.typo).toBe(true)
  })

  it('a namespace not a typo away is not marked as one', () => {
    const described = describeUnreachable({ otherTopics: [heartbeatTopic('staging')] }, PEER, OURS, 'none')
    expect(described.typo).toBeUndefined()
    expect(described.hint).not.toContain('typo')
  })
})

describe('onlyOtherHeartbeatTopics', () => {
  it('other namespaces\' heartbeat topics only when ours is not among the topics', () => {
    expect(onlyOtherHeartbeatTopics([heartbeatTopic('a'), 'unrelated'], OURS)).toEqual([heartbeatTopic('a')])
    expect(onlyOtherHeartbeatTopics([heartbeatTopic('a'), OURS], OURS)).toBeUndefined()
    expect(onlyOtherHeartbeatTopics(['unrelated'], OURS)).toBeUndefined()
  })
})

describe('shouldReport', () => {
  const described = (reason: 'handshake-failed' | 'hung-up' | 'refused' | 'other-namespace' | 'not-allowed', conclusive: boolean): DescribedFailure => ({ reason, conclusive, hint: '', error: '' })

  it('a bootstrap peer: at a conclusive cause, else at the second attempt', () => {
    expect(shouldReport('bootstrap', 1, described('other-namespace', true))).toBe(true)
    expect(shouldReport('bootstrap', 1, described('refused', false))).toBe(false)
    expect(shouldReport('bootstrap', 2, described('refused', false))).toBe(true)
  })

  it('a peer mDNS found: only a failed handshake or a hang-up, and never at the first attempt', () => {
    expect(shouldReport('mdns', 1, described('handshake-failed', true))).toBe(false)
    expect(shouldReport('mdns', 2, described('handshake-failed', true))).toBe(true)
    expect(shouldReport('mdns', 2, described('hung-up', false))).toBe(true)
    expect(shouldReport('mdns', 5, described('other-namespace', true))).toBe(false)
    expect(shouldReport('mdns', 5, described('refused', false))).toBe(false)
    // a LAN peer our own allowedPeers leaves out is one we chose to refuse
    expect(shouldReport('mdns', 5, described('not-allowed', true))).toBe(false)
  })

  it('a peer mDNS found of a namespace a typo away: at once', () => {
    expect(shouldReport('mdns', 1, { ...described('other-namespace', true), typo: true })).toBe(true)
  })
})
