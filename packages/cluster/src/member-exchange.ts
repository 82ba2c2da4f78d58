import { lpStream } from '@libp2p/utils'
import type { Connection, Libp2p, Logger, PeerId, Stream } from '@libp2p/interface'
import { decodeMemberList, decodeMemberListHeader, encodeMemberList, MAX_LISTED_MEMBERS } from './wire/member-list.js'
import type { ListedMember, MemberListProblem } from './wire/member-list.js'
import { WIRE_LIMITS } from './wire/limits.js'

/** The member-exchange protocol of a heartbeat topic (agents of another namespace do not answer it). */
export function memberExchangeProtocol (topic: string): string {
  return `/${topic}/members`
}

/** How the member exchange behaves. */
export interface MemberExchangeInit {
  /** From `memberExchangeProtocol(topic)`. */
  protocol: string
  /** Members to offer a peer that asks: at most `max` admitted members with an address, never `asker`. */
  offer: (asker: string, max: number) => ListedMember[]
  /** The peers we ask, once per connection: our bootstrap peers. */
  isBootstrap: (peerId: string) => boolean
  /** Receives the members a bootstrap peer listed (ourselves left out). */
  onMembers: (members: ListedMember[]) => void
  /** Peers never answered (not allowed, banned). */
  refuses: (peerId: string) => boolean
  /** How long one exchange may take. */
  timeoutMs: number
}

/** What the exchange has done; counters only grow. */
export interface MemberExchangeStats {
  /** Lists we gave to peers that asked. */
  answered: number
  /** Members we were given by our bootstrap peers. */
  listed: number
  /** Lists refused whole (malformed) or exchanges that failed. */
  failed: number
}

/**
 * The member exchange: a newcomer asks each bootstrap peer it connects to for a few members it
 * admitted (`MAX_LISTED_MEMBERS`, random, one address each) and dials them at once, instead of
 * waiting until their heartbeats reach it through the bootstrap peer. A fleet that starts together
 * and bootstraps from one agent otherwise hangs off that agent, whose gossipsub mesh relays to a
 * few peers only: the others learn of each other through IHAVE gossip, seconds per round while the
 * bootstrap agent is the busiest one. Only bootstrap peers are asked (they are trusted by
 * configuration, and the network key and allow-list bound who can connect at all), and one list
 * causes at most `MAX_LISTED_MEMBERS` dials; a listed peer that does not answer is dropped, never
 * redialled. What a list tells is what the members' heartbeats tell anyone on the topic.
 */
export class MemberExchange {
  /** What the exchange has done. */
  readonly stats: MemberExchangeStats = { answered: 0, listed: 0, failed: 0 }
  private readonly libp2p: Libp2p
  private readonly log: Logger
  private readonly init: MemberExchangeInit
  private started = false

  constructor (components: { libp2p: Libp2p, log: Logger }, init: MemberExchangeInit) {
    this.libp2p = components.libp2p
    this.log = components.log
    this.init = init
  }

  /** Answers the protocol and asks bootstrap peers as they connect; idempotent. */
  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.libp2p.addEventListener('peer:connect', this.onConnect)
    await this.libp2p.handle(this.init.protocol, this.answer, { maxInboundStreams: 2, maxOutboundStreams: 2 })
  }

  /** Stops answering and asking; idempotent. */
  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.libp2p.removeEventListener('peer:connect', this.onConnect)
    await this.libp2p.unhandle(this.init.protocol)
  }

  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    const asker = connection.remotePeer.toString()
    try {
      if (this.init.refuses(asker)) {
        stream.abort(new Error('not allowed'))
        return
      }
      const lp = lpStream(stream)
      await lp.writeV(encodeMemberList(this.init.offer(asker, MAX_LISTED_MEMBERS)), { signal: AbortSignal.timeout(this.init.timeoutMs) })
      await stream.close()
      this.stats.answered++
    } catch (err) {
      this.log('cannot answer %p - %e', connection.remotePeer, err)
      stream.abort(err as Error)
    }
  }

  private readonly onConnect = (evt: CustomEvent<PeerId>): void => {
    if (this.init.isBootstrap(evt.detail.toString())) void this.ask(evt.detail)
  }

  private async ask (peerId: PeerId): Promise<void> {
    const signal = AbortSignal.timeout(this.init.timeoutMs)
    let stream: Stream | undefined
    try {
      stream = await this.libp2p.dialProtocol(peerId, this.init.protocol, { signal })
      const lp = lpStream(stream, { maxDataLength: WIRE_LIMITS.maxAddrBytes })
      const count = decodeMemberListHeader((await lp.read({ signal })).subarray())
      const members = typeof count === 'number' ? await this.readMembers(lp, count, signal) : count
      await stream.close({ signal })
      if (typeof members === 'string') {
        this.stats.failed++
        this.log('%p sent a member list we refuse (%s)', peerId, members)
        return
      }
      this.stats.listed += members.length
      if (this.started) this.init.onMembers(members)
    } catch (err) {
      this.stats.failed++
      this.log('cannot get members from %p - %e', peerId, err)
      stream?.abort(err as Error)
    }
  }

  private async readMembers (lp: ReturnType<typeof lpStream>, count: number, signal: AbortSignal): Promise<ListedMember[] | MemberListProblem> {
    const frames: Uint8Array[] = []
    for (let i = 0; i < count; i++) frames.push((await lp.read({ signal })).subarray())
    return decodeMemberList(frames, this.libp2p.peerId.toString())
  }
}
