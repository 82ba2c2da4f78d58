/**
 * Observers of what gossipsub does inside its implementation, at entry points the exported
 * `GossipSub` interface does not declare: each wraps methods of the instance, tells the observer
 * what a call brings (its arguments, or the error it throws), and leaves gossipsub's behaviour as
 * it was. With an implementation that lacks the methods, nothing is observed and the installer
 * returns undefined.
 */
import type { PeerId } from '@libp2p/interface'
import type { GossipSub } from './pubsub.js'

/** A method of the instance, by name (the implementation's, not the interface's). */
type Method = (...args: unknown[]) => unknown

/**
 * Replaces `target[name]` with a wrapper that hands `around` the call's arguments and a function
 * running the original with them (or with the arguments it is given instead); `around` returns the
 * call's result (or throws its error). Once
 * removed, or if someone wrapped the method after us (a test's copy counter: then ours stays in
 * their chain), the wrapper calls the original alone. Returns the remover, or undefined when there
 * is no such method.
 */
function aroundMethod<Args extends unknown[]> (target: object, name: string, around: (original: (...replaced: Args | []) => unknown, args: Args) => unknown): (() => void) | undefined {
  const hooked = target as Record<string, Method | undefined>
  const inner = hooked[name]
  if (typeof inner !== 'function') return undefined
  let observing = true
  const wrapper: Method = function (this: unknown, ...args: unknown[]) {
    const original = (...replaced: unknown[]): unknown => inner.apply(this, replaced.length > 0 ? replaced : args)
    return observing ? around(original, args as Args) : original()
  }
  hooked[name] = wrapper
  return () => {
    observing = false
    if (hooked[name] === wrapper) hooked[name] = inner
  }
}

/**
 * Calls `observe` for every message copy gossipsub receives, duplicates included, before gossipsub
 * looks at it (duplicates are dropped before any validator or listener sees them). Returns the
 * remover, or undefined (nothing observed) with an implementation that has no such entry point.
 */
export function observeEveryCopy (pubsub: GossipSub, observe: (from: PeerId, topic: string, data: Uint8Array | undefined) => void): (() => void) | undefined {
  return aroundMethod(pubsub, 'handleReceivedMessage', (original, [from, message]: [PeerId, { topic: string, data?: Uint8Array }]) => {
    observe(from, message.topic, message.data)
    return original()
  })
}

/** A frame as gossipsub's reader yields it (an `Uint8ArrayList`). */
interface Frame { subarray: () => Uint8Array }

/** Yields `frames` as they come, and calls `malformed` for each that `decode` throws on first. */
async function * reportingMalformed (frames: AsyncIterable<Frame>, malformed: (err: Error) => void, decode: (bytes: Uint8Array) => unknown): AsyncGenerator<Frame> {
  for await (const frame of frames) {
    try {
      decode(frame.subarray())
    } catch (err) {
      malformed(err as Error)
    }
    yield frame
  }
}

/** Why gossipsub could not read a frame a peer sent on its stream. */
export type UnreadableFrame = 'oversized' | 'malformed'

/**
 * The errors a frame's length prefix ends an inbound stream with: above the limit, or a prefix that
 * never ends. `@libp2p/utils`' decoder (our gossipsub patch reads with it) names both the first way;
 * `it-length-prefixed` (unpatched gossipsub, as npm installs it) has the other two.
 */
const FRAME_TOO_LONG = new Set(['InvalidMessageLengthError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError'])

/**
 * Calls `observe` for each frame gossipsub refuses before any message in it reaches a validator:
 * 'oversized' when its length prefix is above `maxInboundDataLength` or never ends (gossipsub then
 * drops the peer, and the patched one resets that stream), 'malformed' when it is not a protobuf RPC
 * (gossipsub skips it). Gossipsub only logs these; without this they were neither counted nor
 * visible. A stream that merely broke (a reset, a crash) is not reported. Works with gossipsub
 * patched or not (unpatched, each frame is decoded once more to learn whether its sender sent one
 * that is no RPC: about half a microsecond); returns the remover, or undefined with an
 * implementation that has none of these entry points.
 */
export function observeUnreadableFrames (pubsub: GossipSub, observe: (from: PeerId, why: UnreadableFrame, err: Error) => void): (() => void) | undefined {
  // the RPC decoder is not told the sender: the patched frame handler that calls it, synchronously, is
  let sender: PeerId | undefined
  const decode = (bytes: Uint8Array): unknown => (pubsub as unknown as { decodeRpc: (bytes: Uint8Array) => unknown }).decodeRpc(bytes)
  const removers = [
    aroundMethod(pubsub, 'handlePeerReadStreamError', (original, [err, from]: [Error | null | undefined, PeerId]) => {
      if (err instanceof Error && FRAME_TOO_LONG.has(err.name)) observe(from, 'oversized', err)
      return original()
    }),
    aroundMethod(pubsub, 'handleRpcBytes', (original, [from]: [PeerId]) => {
      sender = from
      try {
        return original()
      } finally {
        sender = undefined
      }
    }),
    aroundMethod(pubsub, 'decodeRpc', (original) => {
      try {
        return original()
      } catch (err) {
        if (sender !== undefined) observe(sender, 'malformed', err as Error)
        throw err
      }
    }),
    // unpatched gossipsub reads each inbound stream here, through async iterators, and decodes each
    // frame without naming its sender (a shared `sender` would be wrong across the awaits)
    aroundMethod(pubsub, 'pipePeerReadStream', (original, [from, frames]: [PeerId, AsyncIterable<Frame>]) =>
      original(from, reportingMalformed(frames, (err) => { observe(from, 'malformed', err) }, decode)))
  ].filter(remove => remove !== undefined)
  if (removers.length === 0) return undefined
  return () => { for (const remove of removers) remove() }
}
