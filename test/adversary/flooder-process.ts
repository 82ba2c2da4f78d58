/** Runs `flooder.ts` in a child process and reports its lines. */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { tsxNodeArgs } from '../../examples/agent/src/agent-process.js'
import type { FlooderArgs } from './flooder.js'

/** What the flooder reported when done. */
export interface FloodResult {
  sent: number
  failed: number
  ratePerS: number
}

/** A running flooder: `ready` resolves with its peer id once it sees its targets, `done` with its counts. */
export interface FlooderProcess {
  ready: Promise<string>
  done: Promise<FloodResult>
  kill: () => void
}

/** Starts the flooder in a child process. */
export function startFlooder (args: FlooderArgs): FlooderProcess {
  const child = spawn(process.execPath, [...tsxNodeArgs(new URL('./flooder.ts', import.meta.url).pathname), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  let resolveReady: (id: string) => void = () => {}
  let resolveDone: (result: FloodResult) => void = () => {}
  let rejectAll: (err: Error) => void = () => {}
  const ready = new Promise<string>((resolve, reject) => { resolveReady = resolve; rejectAll = reject })
  const done = new Promise<FloodResult>((resolve, reject) => {
    resolveDone = resolve
    const previous = rejectAll
    rejectAll = err => { previous(err); reject(err) }
  })
  done.catch(() => {})
  lines.on('line', line => {
    const message = JSON.parse(line) as { event: string, id?: string } & FloodResult
    if (message.event === 'ready') resolveReady(message.id ?? '')
    if (message.event === 'done') resolveDone(message)
  })
  child.on('exit', code => { rejectAll(new Error(`flooder exited with code ${String(code)}`)) })
  return { ready, done, kill: () => { child.kill('SIGKILL') } }
}
