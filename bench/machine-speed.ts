import { generateKeyPairSync, hash, sign, verify } from 'node:crypto'
import { signatureBackend } from '@gossip-ring/cluster'
import type { Ed25519Backend } from '@gossip-ring/cluster'
import { median } from './delivery-cost.js'

/**
 * How fast this machine runs two operations on a heartbeat's path: an ed25519 verify (what every
 * relayed heartbeat costs at least) and a one-shot SHA-256 of a heartbeat-sized buffer (its message
 * id). The CPU benches print it beside their figures: this project's "2 shared cores" machines have
 * differed by 2-2.5x from one session to the next, so absolute figures (milliseconds per heartbeat,
 * intervals to converge on a saturated machine) compare across runs only together with it.
 */
export interface MachineSpeed {
  /** Microseconds per ed25519 verify with OpenSSL (`node:crypto`), median of the batches. */
  ed25519VerifyUs: number
  /** Which library checks relayed heartbeats' signatures in the bench's nodes (libsodium is about 2x faster). */
  signatureBackend: Ed25519Backend
  /** Microseconds per SHA-256 of 200 bytes, median of the batches. */
  sha256Us: number
}

const BATCHES = 5

/** Median microseconds per call of `fn` over {@link BATCHES} batches of `calls`. */
function microsPerCall (calls: number, fn: () => void): number {
  const perCall: number[] = []
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now()
    for (let i = 0; i < calls; i++) fn()
    perCall.push((performance.now() - t0) * 1000 / calls)
  }
  return median(perCall)
}

/** Measures {@link MachineSpeed} (about 0.3 s); run it before the bench's nodes start. */
export function measureMachineSpeed (): MachineSpeed {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const data = new Uint8Array(200).fill(7)
  const signature = sign(null, data, privateKey)
  return {
    ed25519VerifyUs: microsPerCall(300, () => { verify(null, data, publicKey, signature) }),
    signatureBackend,
    sha256Us: microsPerCall(20_000, () => { hash('sha256', data) })
  }
}

/** One line for a bench's header. */
export function describeMachineSpeed (speed: MachineSpeed): string {
  return `machine: ed25519 verify (OpenSSL) ${speed.ed25519VerifyUs.toFixed(0)} us, SHA-256 of 200 B ${speed.sha256Us.toFixed(2)} us (slower machines give higher absolute figures; compare ratios); relayed heartbeats checked by ${speed.signatureBackend}`
}
