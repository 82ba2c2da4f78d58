/**
 * Runs example agents as separate OS processes and follows their JSON output: used by the demo
 * and by the end-to-end tests (which start them inside network namespaces through `spawn`).
 */
import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseEventLine, type AgentEvent, type ReadyEvent, type RingEvent } from './events.js'

/** Thrown when an awaited condition on agent output did not hold before its deadline, or the agent died first. */
export class AgentWaitError extends Error {
  static override name = 'AgentWaitError'
  constructor (msg = 'agent condition not met in time') {
    super(msg)
    this.name = 'AgentWaitError'
  }
}

/** How a child process ended. */
export interface AgentExit { code: number | null, signal: NodeJS.Signals | null }

/** Starts a command; `child_process.spawn` by default, or e.g. a network-namespace wrapper. */
export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess

/** Options of {@link AgentProcess.start}. */
export interface AgentProcessInit {
  /** A name for messages and tables. */
  label: string
  /** The agent's command line (after `main.ts`). */
  args: readonly string[]
  /** @default child_process.spawn */
  spawn?: SpawnFunction
  /** Milliseconds between SIGTERM and SIGKILL in {@link AgentProcess.stop}. @default 10000 */
  stopGraceMs?: number
}

const MAIN_SCRIPT = fileURLToPath(new URL('./main.ts', import.meta.url))
const TSX_LOADER = import.meta.resolve('tsx')

/** The node arguments that run the TypeScript file `script` through tsx, workspace packages from their sources (no build step). */
export function tsxNodeArgs (script: string): string[] {
  return ['--conditions=@gossip-ring/source', '--import', TSX_LOADER, script]
}
const STDERR_TAIL_CHARS = 2000

/** One example agent process and everything it printed. */
export class AgentProcess {
  /** Every event the agent printed, in order. */
  readonly events: AgentEvent[] = []
  /** Resolves when the process has exited. */
  readonly exited: Promise<AgentExit>
  readonly label: string
  private readonly child: ChildProcess
  private readonly listeners = new Set<() => void>()
  private readonly stopGraceMs: number
  private stderr = ''
  private exit: AgentExit | undefined

  private constructor (init: AgentProcessInit) {
    this.label = init.label
    this.stopGraceMs = init.stopGraceMs ?? 10_000
    const spawn = init.spawn ?? spawnChild
    this.child = spawn(process.execPath, [...tsxNodeArgs(MAIN_SCRIPT), ...init.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.exited = new Promise((resolve) => {
      const ended = (exit: AgentExit): void => {
        if (this.exit !== undefined) return
        this.exit = exit
        resolve(exit)
        this.notify()
      }
      this.child.once('exit', (code, signal) => ended({ code, signal }))
      this.child.once('error', (err) => {
        this.stderr += `\ncould not start: ${err.message}`
        ended({ code: null, signal: null })
      })
    })
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS)
    })
    if (this.child.stdout !== null) {
      createInterface({ input: this.child.stdout }).on('line', (line) => {
        const event = parseEventLine(line)
        if (event === undefined) return
        this.events.push(event)
        this.notify()
      })
    }
  }

  /** Starts `node --import tsx examples/agent/src/main.ts ...args`. */
  static start (init: AgentProcessInit): AgentProcess {
    return new AgentProcess(init)
  }

  /** The process id of the agent (`ip netns exec` execs in place, so this is node's pid). */
  get pid (): number | undefined {
    return this.child.pid
  }

  /** The agent's `ready` event, once printed. */
  get ready (): ReadyEvent | undefined {
    return this.events.find((e): e is ReadyEvent => e.event === 'ready')
  }

  /** The latest `ring` event. */
  get ring (): RingEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i]
      if (event?.event === 'ring') return event
    }
    return undefined
  }

  /** How the process ended, or undefined while it runs. */
  get exitStatus (): AgentExit | undefined {
    return this.exit
  }

  /** The last characters the agent wrote on stderr (for failure messages). */
  get stderrTail (): string {
    return this.stderr
  }

  /** Calls `listener` after every new event and on exit; returns the unsubscribe function. */
  onChange (listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Waits for the `ready` event and returns it. */
  async waitReady (timeoutMs: number): Promise<ReadyEvent> {
    return await waitUntil([this], () => this.ready, { timeoutMs, what: `${this.label} ready` })
  }

  /** SIGTERM (graceful: the agent says goodbye), SIGKILL if it has not exited after the grace period. */
  async stop (): Promise<AgentExit> {
    if (this.exit !== undefined) return this.exit
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.stopGraceMs)
    try {
      return await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  /** SIGKILL now (a crash: no goodbye). */
  kill (): void {
    if (this.exit === undefined) this.child.kill('SIGKILL')
  }

  private notify (): void {
    for (const listener of [...this.listeners]) listener()
  }
}

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Deadline in milliseconds. */
  timeoutMs: number
  /** What is awaited, for the error message. */
  what: string
  /** Reject at once if one of the agents exits while waiting. @default true */
  failOnExit?: boolean
}

/**
 * Resolves with the first non-undefined result of `check`, re-evaluated whenever one of `agents`
 * prints an event (no polling). Rejects with {@link AgentWaitError} at the deadline, or when an
 * agent exits while waiting (unless `failOnExit` is false), with the agents' stderr tails.
 */
export async function waitUntil<T> (agents: readonly AgentProcess[], check: () => T | undefined, options: WaitOptions): Promise<T> {
  const failOnExit = options.failOnExit ?? true
  const describeAgents = (): string => agents
    .map((a) => `--- ${a.label} (exit ${JSON.stringify(a.exitStatus ?? null)}) stderr:\n${a.stderrTail}`)
    .join('\n')
  return await new Promise<T>((resolve, reject) => {
    const unsubscribes: Array<() => void> = []
    const finish = (fn: () => void): void => {
      clearTimeout(timer)
      for (const unsubscribe of unsubscribes) unsubscribe()
      fn()
    }
    const evaluate = (): void => {
      let result: T | undefined
      try {
        result = check()
      } catch (err) {
        finish(() => reject(err))
        return
      }
      if (result !== undefined) {
        const found = result
        finish(() => resolve(found))
      } else if (failOnExit && agents.some((a) => a.exitStatus !== undefined)) {
        finish(() => reject(new AgentWaitError(`an agent exited while waiting for ${options.what}\n${describeAgents()}`)))
      }
    }
    const timer = setTimeout(() => {
      finish(() => reject(new AgentWaitError(`timed out after ${options.timeoutMs} ms waiting for ${options.what}\n${describeAgents()}`)))
    }, options.timeoutMs)
    for (const agent of agents) unsubscribes.push(agent.onChange(evaluate))
    evaluate()
  })
}
