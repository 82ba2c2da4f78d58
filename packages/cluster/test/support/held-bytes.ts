import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/** Bytes held in ArrayBuffers (received stream and message data lives there) after a full garbage collection. */
export function heldBytes (): number {
  collectGarbage()
  return process.memoryUsage().arrayBuffers
}
