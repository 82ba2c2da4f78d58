/**
 * Node 20 lacks `Promise.withResolvers` (ES2024), which libp2p's dependencies (it-queue, mortice,
 * @libp2p/utils, yamux) call. This side-effect module installs a spec-shaped version only when it is
 * missing; import it before anything from libp2p (`import './polyfill.js'` first in node.ts).
 */

/** The object `Promise.withResolvers()` returns. */
interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const PromiseWithOptionalResolvers = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> }

if (typeof PromiseWithOptionalResolvers.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T> (this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve']
      let reject!: Resolvers<T>['reject']
      const promise = new this<T>((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

export {}
