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
}

/**
 * Watches for two live agents with one id: in received heartbeats (boot ids alternating), in the
 * connections of a peer (identify user agents naming two boot ids, confirmed by asking each
 * connection), and in what peers tell us about our own id (heartbeat field `conflicts`, notice
 * streams). It tells the clones about a conflict it finds, on every connection to them.
 */
export class IdentityGuard {
  readonly #libp2p: Libp2p
  readonly #log: Logger
  readonly #init: IdentityGuardInit
  readonly #conflicts: IdentityConflicts
  readonly #connectionBootIds = new ConnectionBootIds()
  #unhandle: Promise<() => Promise<void>> | undefined
  #running = false

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
    this.#unhandle = handleIdentityProtocols(this.#libp2p, this.#init.bootId, () => { this.#onTold() })
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

  /** Checks a received heartbeat: its sender's boot id, and whether it says our id is in conflict. */
  noteHeartbeat (heartbeat: DecodedHeartbeat): void {
    const conflict = this.#conflicts.observe(heartbeat.from, heartbeat.bootId, heartbeat.seq, performance.now())
    if (conflict !== undefined) this.#report(conflict)
    if (heartbeat.conflicts.includes(this.#init.selfId)) this.#onTold()
  }

  #onTold (): void {
    if (this.#running && this.#conflicts.reportedAboutSelf(performance.now())) {
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
