/**
 * A flooding peer in its own process (so its CPU use does not stall the honest nodes' event loop,
 * as a real attacker's would not): `node --import tsx flooder.ts '<json>'` with `{ bootstrap,
 * mode, durationMs }`. Modes: `one-key` publishes valid heartbeats (group `g`, seq 1, 2, ...) as
 * fast as it can; `many-keys` signs max-size heartbeats by 2,000 fresh keys in turn. Prints
 * `{"event":"ready"}` once it sees its targets subscribed, then `{"event":"done","sent":N,"failed":N,"ratePerS":R}`, and idles until killed.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Rogue, rawHeartbeat } from './rogue.js'
import type { PrivateKey } from '@libp2p/interface'

/** What to flood. */
export type FloodMode = 'one-key' | 'many-keys'

/** The command line of the flooder (one JSON argument). */
export interface FlooderArgs {
  bootstrap: string[]
  mode: FloodMode
  durationMs: number
}

/** A heartbeat of almost 15 KB (the wire limit is 16 KiB): 11 groups of 32 metadata entries. */
export function maxSizeHeartbeat (bootId: string, seq: number): Uint8Array {
  const metadata = new Map(Array.from({ length: 32 }, (_, i) => [`key-${i}`, 'v'.repeat(30)]))
  return rawHeartbeat(bootId, seq, [], { groups: Array.from({ length: 11 }, (_, i) => ({ name: `g${i}`, weight: 1, metadata, digest: '', epoch: 0n, owningDigest: '', policy: 0 })) })
}

async function main (args: FlooderArgs): Promise<void> {
  const rogue = await Rogue.start({ bootstrap: args.bootstrap })
  const deadline = performance.now() + 10_000
  while (!rogue.hasTopicPeers(args.bootstrap.length) && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
  const keys: PrivateKey[] = args.mode === 'many-keys' ? await Promise.all(Array.from({ length: 2000 }, async () => generateKeyPair('Ed25519'))) : []
  process.stdout.write(JSON.stringify({ event: 'ready', id: rogue.id }) + '\n')
  const { sent, failed } = await rogue.flood(args.durationMs, i => args.mode === 'one-key'
    ? { data: rawHeartbeat('flood-boot', i + 1, ['g']) }
    : { data: maxSizeHeartbeat(`boot-${i}`, 1), signer: keys[i % keys.length] })
  process.stdout.write(JSON.stringify({ event: 'done', sent, failed, ratePerS: Math.round(sent / (args.durationMs / 1000)) }) + '\n')
  // stay connected (idle) until killed, so the honest nodes' reaction can be observed
  setInterval(() => {}, 60_000)
}

if (process.argv[2] !== undefined) {
  main(JSON.parse(process.argv[2]) as FlooderArgs).catch(err => { console.error(err); process.exit(1) })
}
