import type { TypedEventEmitter } from 'main-event'

type DetailOf<E> = E extends CustomEvent<infer D> ? D : never

/**
 * Events waiting to be dispatched at the end of a table operation, in order. A handler that calls
 * back into the table (re-entrancy) appends to the same queue, so events keep their order and a
 * handler never sees an event of a change that is not applied yet.
 */
export class EventQueue<EventMap extends { [K in keyof EventMap]: CustomEvent }> {
  readonly #target: TypedEventEmitter<EventMap>
  readonly #pending: Array<{ type: keyof EventMap, detail: unknown }> = []
  #flushing = false

  constructor (target: TypedEventEmitter<EventMap>) {
    this.#target = target
  }

  /** Queues an event. */
  push<K extends keyof EventMap & string>(type: K, detail: DetailOf<EventMap[K]>): void {
    this.#pending.push({ type, detail })
  }

  /** Dispatches the queued events synchronously, unless a flush is already running up the stack. */
  flush (): void {
    if (this.#flushing) {
      return
    }
    this.#flushing = true
    try {
      for (let i = 0; i < this.#pending.length; i++) {
        const { type, detail } = this.#pending[i] as { type: keyof EventMap, detail: unknown }
        this.#target.safeDispatchEvent(type, { detail })
      }
    } finally {
      this.#pending.length = 0
      this.#flushing = false
    }
  }
}
