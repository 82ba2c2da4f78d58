import { describe, expect, it } from 'vitest'
import { describeBootstrapFailure, onlyOtherHeartbeatTopics } from '../src/bootstrap-unreachable.js'
import { heartbeatTopic } from '../src/index.js'

const PEER = '12D3KooWPeer'
const OURS = heartbeatTopic('prd')
const named = (name: string, message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { name }, extra)
const reasonOf = (dialError: unknown, networkKey: 'none' | 'set' | 'unknown' = 'none'): string => describeBootstrapFailure({ dialError }, PEER, OURS, networkKey).reason

describe('describeBootstrapFailure', () => {
  it('reads the error inside an AggregateError and a cause (libp2p wraps dial errors so)', () => {
    const refused = named('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })
    expect(reasonOf(new AggregateError([new Error('wrapper', { cause: refused })], 'all dials failed'))).toBe('refused')
  })

  it('a keyed agent dialling one without a key: a plain ECONNRESET is a failed handshake', () => {
    expect(reasonOf(named('Error', 'read ECONNRESET', { code: 'ECONNRESET' }), 'set')).toBe('handshake-failed')
  })

  it('a timeout is no answer; within the handshake, a stalled handshake; neither is conclusive (a busy peer)', () => {
    const described = (dialError: unknown): { reason: string, conclusive: boolean } => describeBootstrapFailure({ dialError }, PEER, OURS, 'none')
    expect(described(named('EncryptionFailedError', 'The operation was aborted due to timeout'))).toMatchObject({ reason: 'handshake-failed', conclusive: false })
    expect(described(named('TimeoutError', 'whatever'))).toMatchObject({ reason: 'no-answer', conclusive: false })
    expect(described(named('Error', 'connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }))).toMatchObject({ reason: 'no-answer', conclusive: false })
    expect(described(named('EncryptionFailedError', 'Message length length too long - 5 > 2'))).toMatchObject({ reason: 'handshake-failed', conclusive: true })
  })

  it('names the agent that answered in place of the expected one', () => {
    const described = describeBootstrapFailure({ dialError: named('EncryptionFailedError', 'Payload identity key 12D3KooWOther does not match expected remote identity key 12D3KooWPeer') }, PEER, OURS, 'none')
    expect(described).toMatchObject({ reason: 'wrong-peer' })
    expect(described.hint).toContain('answers as 12D3KooWOther, not 12D3KooWPeer')
  })

  it('the hint of a failed handshake follows whether we have a network key', () => {
    const hint = (networkKey: 'none' | 'set' | 'unknown'): string => describeBootstrapFailure({ dialError: named('EncryptionFailedError', 'read ECONNRESET') }, PEER, OURS, networkKey).hint
    expect(hint('none')).toMatch(/this agent has no network key/)
    expect(hint('set')).toMatch(/another network key, or none/)
    expect(hint('unknown')).toMatch(/connection protector/)
  })

  it('anything else is "other", with the message; a non-error too', () => {
    expect(describeBootstrapFailure({ dialError: new Error('odd') }, PEER, OURS, 'none')).toMatchObject({ reason: 'other', error: 'odd' })
    expect(describeBootstrapFailure({ dialError: 'a string' }, PEER, OURS, 'none')).toMatchObject({ reason: 'other', error: 'a string' })
  })

  it('another namespace is named from its heartbeat topic', () => {
    const described = describeBootstrapFailure({ otherTopics: [heartbeatTopic('prod')] }, PEER, OURS, 'none')
    expect(described).toMatchObject({ reason: 'other-namespace' })
    expect(described.hint).toContain('namespace "prod", this agent of "prd"')
  })
})

describe('onlyOtherHeartbeatTopics', () => {
  it('other namespaces\' heartbeat topics only when ours is not among the topics', () => {
    expect(onlyOtherHeartbeatTopics([heartbeatTopic('a'), 'unrelated'], OURS)).toEqual([heartbeatTopic('a')])
    expect(onlyOtherHeartbeatTopics([heartbeatTopic('a'), OURS], OURS)).toBeUndefined()
    expect(onlyOtherHeartbeatTopics(['unrelated'], OURS)).toBeUndefined()
  })
})
