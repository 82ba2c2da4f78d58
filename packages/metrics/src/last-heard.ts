import { heartbeatAuthor } from '@gossip-ring/cluster'
import type { Cluster } from '@gossip-ring/cluster'

/**
 * When each peer's last valid heartbeat arrived, by this process's monotonic clock: read from the
 * accepted messages on the cluster's topic (gossipsub delivers only heartbeats the cluster's
 * validator accepted). Entries of peers not heard for `forgetAfterMs` are dropped by `prune`.
 */
export class LastHeard {
  readonly #cluster: Cluster
  readonly #forgetAfterMs: number
  /** Peer id -> ms of its last heartbeat, in order of last heartbeat (oldest first). */
  readonly #lastMs = new Map<string, number>()

  constructor (cluster: Cluster, forgetAfterMs: number) {
    this.#cluster = cluster
    this.#forgetAfterMs = forgetAfterMs
  }

  start (): void {
    this.#cluster.libp2p.services.pubsub.addEventListener('message', this.#onMessage)
  }

  stop (): void {
    this.#cluster.libp2p.services.pubsub.removeEventListener('message', this.#onMessage)
  }

  /** Milliseconds since `id` was last heard at `nowMs`, or undefined if it never was (or was forgotten). */
  silentMs (id: string, nowMs: number): number | undefined {
    const lastMs = this.#lastMs.get(id)
    return lastMs === undefined ? undefined : nowMs - lastMs
  }

  /** Forgets peers silent for more than `forgetAfterMs` at `nowMs`. */
  prune (nowMs: number): void {
    for (const [id, lastMs] of this.#lastMs) {
      if (nowMs - lastMs <= this.#forgetAfterMs) break
      this.#lastMs.delete(id)
    }
  }

  readonly #onMessage = (evt: CustomEvent<{ topic: string, data: Uint8Array }>): void => {
    const message = evt.detail
    // delivered messages passed the cluster's validator: the author is verified (or sent it itself)
    const id = message.topic === this.#cluster.topic ? heartbeatAuthor(message.data) : undefined
    if (id === undefined) return
    this.#lastMs.delete(id)
    this.#lastMs.set(id, performance.now())
  }
}
