import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { FloodGuard } from '../src/flood-guard.js'
import { HeartbeatIntake } from '../src/heartbeat-intake.js'
import { PeerGuard } from '../src/peer-guard.js'
import { encodeHeartbeat } from '../src/wire/codec.js'
import { HeartbeatSealer } from '../src/wire/envelope.js'
import { SignedHeartbeat } from '../src/wire/heartbeat.generated.js'
import type { Logger } from '@libp2p/interface'
import type { Message } from '../src/pubsub.js'

const TOPIC = 'gossip-ring/default/heartbeat/1'
const log = Object.assign(() => {}, { error: () => {}, trace: () => {}, newScope: () => log, enabled: false }) as unknown as Logger
const author = await generateKeyPair('Ed25519')
const authorId = peerIdFromPrivateKey(author).toString()
const relayer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const sealer = new HeartbeatSealer(author, TOPIC)

function intake (init: { allowedPeers?: string[], maxSignersPerPeer?: number, hungUp?: string[] } = {}): HeartbeatIntake {
  const floods = new FloodGuard({ heartbeatIntervalMs: 1000, heartbeatsPerInterval: 5, burst: 10, maxSignersPerPeer: init.maxSignersPerPeer ?? 256, windowMs: 60_000 })
  const guard = new PeerGuard(init.allowedPeers !== undefined ? { allowedPeers: new Set(init.allowedPeers) } : {})
  return new HeartbeatIntake({ guard, floods, log, hangUpOn: (peer, why) => { init.hungUp?.push(`${peer.toString()}: ${why}`) } }, TOPIC)
}

let seq = 0
function heartbeat (): Uint8Array {
  return encodeHeartbeat({ bootId: 'boot', seq: ++seq, sentAtMs: Date.now(), leaving: false, groups: [{ name: 'g', weight: 1, metadata: {} }], digests: {}, addrs: [multiaddr('/ip4/10.0.0.1/tcp/1')] })
}

function message (data: Uint8Array, topic = TOPIC): Message {
  return { type: 'unsigned', topic, data }
}

/** An envelope naming the author, with a valid signature of another heartbeat (not this one's). */
function forged (): Uint8Array {
  const genuine = SignedHeartbeat.decode(sealer.seal(heartbeat()))
  return SignedHeartbeat.encode({ ...genuine, heartbeat: new Uint8Array(heartbeat()) })
}

describe('HeartbeatIntake (the topic validator)', () => {
  it('accepts a copy straight from its author unverified, verifies a relayed one, and names the author', () => {
    const validator = intake()
    const direct = message(sealer.seal(heartbeat()))
    expect(validator.validate(direct, authorId)).toBe('accept')
    expect(validator.counters.signatureChecks).toBe(0)
    expect(validator.accepted(direct)?.heartbeat.from).toBe(authorId)
    expect(validator.accepted(direct)?.author.toString()).toBe(authorId)
    const relayed = message(sealer.seal(heartbeat()))
    expect(validator.validate(relayed, relayer)).toBe('accept')
    expect(validator.counters.signatureChecks).toBe(1)
  })

  it('forwards only what a receiver accepts: a direct copy is verified before it is forwarded, a badly signed one is not', () => {
    const validator = intake()
    const good = message(sealer.seal(heartbeat()))
    expect(validator.validate(good, authorId)).toBe('accept')
    expect(validator.mayForward(validator.accepted(good)!)).toBe(true)
    expect(validator.counters.signatureChecks).toBe(1)
    expect(validator.mayForward(validator.accepted(good)!)).toBe(true)   // checked once
    expect(validator.counters.signatureChecks).toBe(1)
    const bad = message(forged())
    expect(validator.validate(bad, authorId)).toBe('accept')             // noise authenticated its author
    expect(validator.mayForward(validator.accepted(bad)!)).toBe(false)
    expect(validator.counters.dropped['bad-signature']).toBe(1)
    const relayed = message(sealer.seal(heartbeat()))
    expect(validator.validate(relayed, relayer)).toBe('accept')
    expect(validator.mayForward(validator.accepted(relayed)!)).toBe(true)
    expect(validator.counters.signatureChecks).toBe(3)                   // the relayed copy's check at validation only
  })

  it('forwards the heartbeats of at most half of maxSignersPerPeer distinct authors a window', async () => {
    const validator = intake({ maxSignersPerPeer: 4 })
    const sealers = [sealer, ...await Promise.all([1, 2].map(async () => new HeartbeatSealer(await generateKeyPair('Ed25519'), TOPIC)))]
    const forwardable = sealers.map(s => {
      const copy = message(s.seal(heartbeat()))
      expect(validator.validate(copy, relayer)).toBe('accept')
      return validator.mayForward(validator.accepted(copy)!)
    })
    expect(forwardable).toEqual([true, true, false])
    const again = message(sealer.seal(heartbeat()))
    expect(validator.validate(again, relayer)).toBe('accept')
    expect(validator.mayForward(validator.accepted(again)!)).toBe(true)  // an author already forwarded this window
  })

  it('a relayed forgery: bad-signature, ignored up to one author\'s budget of them, then rejected; never charged to the author', () => {
    const validator = intake()
    const verdicts = Array.from({ length: 12 }, () => validator.validate(message(forged()), relayer))
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill('ignore'))
    expect(verdicts.slice(10)).toEqual(['reject', 'reject'])
    expect(validator.counters.dropped['bad-signature']).toBe(12)
    // the author's budget (bursts of 10) is untouched: its own heartbeats pass
    for (let i = 0; i < 10; i++) expect(validator.validate(message(sealer.seal(heartbeat())), authorId)).toBe('accept')
    expect(validator.counters.dropped['over-budget']).toBe(0)
  })

  it('a copy of another namespace\'s topic does not verify', () => {
    const validator = intake()
    expect(validator.validate(message(new HeartbeatSealer(author, 'gossip-ring/other/heartbeat/1').seal(heartbeat())), relayer)).toBe('ignore')
    expect(validator.counters.dropped['bad-signature']).toBe(1)
  })

  it('cheap checks come before the signature: not-allowed and too-many-signers cost no verification', async () => {
    const guarded = intake({ allowedPeers: [relayer] })
    expect(guarded.validate(message(sealer.seal(heartbeat())), relayer)).toBe('ignore')
    expect(guarded.validate(message(sealer.seal(heartbeat())), authorId)).toBe('reject')
    expect(guarded.counters.dropped['not-allowed']).toBe(2)
    const capped = intake({ maxSignersPerPeer: 1 })
    const other = new HeartbeatSealer(await generateKeyPair('Ed25519'), TOPIC)
    expect(capped.validate(message(other.seal(heartbeat())), relayer)).toBe('accept')
    expect(capped.validate(message(sealer.seal(heartbeat())), relayer)).toBe('reject')
    expect(capped.counters.dropped['too-many-signers']).toBe(1)
    expect(guarded.counters.signatureChecks + capped.counters.signatureChecks).toBe(1)
  })

  it('refuses what is not an envelope, with the relayer penalised', () => {
    const validator = intake()
    expect(validator.validate(message(heartbeat()), relayer)).toBe('reject')
    expect(validator.validate(message(new Uint8Array(20_000)), relayer)).toBe('reject')
    expect(validator.counters.dropped).toMatchObject({ malformed: 1, oversized: 1 })
    expect(validator.counters.received).toBe(2)
  })

  it('unreadable frames are counted; a peer is excused a burst of them, then hung up on', () => {
    const hungUp: string[] = []
    const validator = intake({ hungUp })
    const sender = peerIdFromPrivateKey(author)
    for (let i = 0; i < 10; i++) validator.refuseFrame(sender, 'malformed', new Error('not an RPC'))
    expect(validator.counters.dropped.malformed).toBe(10)
    expect(hungUp).toEqual([])                              // the burst: 10
    validator.refuseFrame(sender, 'oversized', new Error('too long'))
    expect(validator.counters.dropped.oversized).toBe(1)
    expect(hungUp).toEqual([`${authorId}: oversized frames`])
  })
})
