import { peerIdFromString } from '@libp2p/peer-id'
import type { IdentifyResult, Libp2p, Logger, PeerId } from '@libp2p/interface'
import { handleIdentityProtocols, probeBootId, sendConflictNotices } from './conflict-notice.js'
import { ConnectionBootIds, IdentityConflicts } from './identity-conflict.js'
import type { IdentityConflict } from './identity-conflict.js'
import type { DecodedHeartbeat } from './wire/codec.js'

/** What the guard watches and how it reports. */
export interface IdentityGuardInit {
  /** Our id and boot id. */
  selfId: string
  bootId: string
  /** How long alternations count and a found conflict is advertised (memberTimeoutMs). */
  windowMs: number
  /** Called once per conflict episode (also for our own id, when peers tell us). */
  onConflict: (conflict: IdentityConflict) => void
  /** Whether `peer` is an admitted member of a group we track (see {@link IdentityGuard}: whose word counts). */
  isMember: (peer: string) => boolean
  /** Whether we have admitted any member besides ourselves. */
  hearsMembers: () => boolean
}

/**
 * Watches for two live agents with one id: in received heartbeats (boot ids alternating), in the
 * connections of a peer (identify user agents naming two boot ids, confirmed by asking each
 * connection), and in what peers tell us about our own id (heartbeat field `conflicts`, notice
 * streams). It tells the clones about a conflict it finds, on every connection to them.
 *
 * Anyone who can connect could tell us our id is in conflict, and we would report it about
 * ourselves: a claim counts only from an admitted member of a group we track. A notice stream also
 * counts while we hear no member at all: a clone that gossipsub cut off (see conflict-notice.ts)
 * hears nobody, so it could check no one, and the notice is how it learns. Others are dropped and
 * counted (`stats.identityClaimsDropped`).
 */
export class IdentityGuard {
  readonly #libp2p: Libp2p
  readonly #log: Logger
  readonly #init: IdentityGuardInit
  readonly #conflicts: IdentityConflicts
  readonly #connectionBootIds = new ConnectionBootIds()
  #unhandle: Promise<() => Promise<void>> | undefined
  #running = false
  #claimsDropped = 0

  constructor (components: { libp2p: Libp2p, log: Logger }, init: IdentityGuardInit) {
    this.#libp2p = components.libp2p
    this.#log = components.log
    this.#init = init
    this.#conflicts = new IdentityConflicts(init.windowMs)
  }

  /** Listens to identify and serves the boot-id and notice protocols. */
  start (): void {
    if (this.#running) return
    this.#running = true
    this.#libp2p.addEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#unhandle = handleIdentityProtocols(this.#libp2p, this.#init.bootId, from => {
      this.#onTold(from.toString(), 'notice stream', !this.#init.hearsMembers())
    })
    this.#unhandle.catch(err => { this.#log.error('cannot serve the identity protocols - %e', err) })
  }

  /** Stops listening and serving; idempotent. */
  async stop (): Promise<void> {
    if (!this.#running) return
    this.#running = false
    this.#libp2p.removeEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.removeEventListener('peer:disconnect', this.#onDisconnect)
    await this.#unhandle?.then(async unhandle => unhandle()).catch(() => {})
  }

  /** Ids in conflict now, for our heartbeat's `conflicts` field. */
  conflicted (max: number): string[] {
    return this.#conflicts.active(performance.now(), max)
  }

  /** Claims that our id is in conflict dropped because their sender was no member (`stats.identityClaimsDropped`). */
  get claimsDropped (): number {
    return this.#claimsDropped
  }

  /**
   * Checks a received heartbeat: its sender's boot id, and whether it says our id is in conflict.
   * Call it once the membership has ingested the heartbeat, so a member's first one counts.
   */
  noteHeartbeat (heartbeat: DecodedHeartbeat): void {
    const conflict = this.#conflicts.observe(heartbeat.from, heartbeat.bootId, heartbeat.seq, performance.now())
    if (conflict !== undefined) this.#report(conflict)
    if (heartbeat.conflicts.includes(this.#init.selfId)) this.#onTold(heartbeat.from, 'heartbeat', false)
  }

  /** `from` told us (`via`) that our id is in conflict; `unchecked` when its word counts whoever it is. */
  #onTold (from: string, via: string, unchecked: boolean): void {
    if (!this.#running) return
    if (!unchecked && !this.#init.isMember(from)) {
      this.#claimsDropped++
      this.#log('dropped a claim (%s) that our id is in conflict from %s, a member of none of our groups', via, from)
      return
    }
    if (this.#conflicts.reportedAboutSelf(performance.now())) {
      this.#report({ id: this.#init.selfId, bootIds: [this.#init.bootId] })
    }
  }

  /**
   * Two open connections to one peer id whose identify named two boot ids: two processes may share
   * that id. A connection of a process that died may still look open, so each connection is asked
   * for its boot id first: only two live answers with different boot ids are a conflict.
   */
  readonly #onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, agentVersion, connection } = evt.detail
    const id = peerId.toString()
    const open = this.#libp2p.getConnections(peerId).filter(c => c.status === 'open')
    const openIds = new Set(open.map(c => c.id))
    if (this.#connectionBootIds.identified(id, connection.id, agentVersion, connectionId => openIds.has(connectionId)).length < 2) return
    void Promise.all(open.map(probeBootId)).then(answers => {
      const bootIds = [...new Set(answers.filter(answer => answer !== undefined))].sort()
      const conflict = this.#running ? this.#conflicts.observeConnections(id, bootIds, performance.now()) : undefined
      if (conflict !== undefined) this.#report(conflict)
    })
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.#connectionBootIds.disconnected(evt.detail.toString())
  }

  #report (conflict: IdentityConflict): void {
    if (conflict.id !== this.#init.selfId) void sendConflictNotices(this.#libp2p, peerIdFromString(conflict.id), this.#log)
    this.#log.error('identity conflict: two live agents use the id %s (boot ids %s); they own the same keys. Stop one and give it its own identityFile (copied key file or volume?)', conflict.id, conflict.bootIds.join(', '))
    this.#init.onConflict(conflict)
  }
}
