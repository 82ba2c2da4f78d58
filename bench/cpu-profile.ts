/**
 * V8 CPU profiles of a measurement window, in this process (`node:inspector`): for
 * `bench/delivery-cost.bench.ts --cpu-profile DIR`, which writes one `.cpuprofile` per variant and
 * round (open it in Chrome DevTools or speedscope).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Session } from 'node:inspector/promises'

/** A running profile; `stop()` writes it to `file` in `dir` (made if missing). */
export interface RunningProfile { stop: () => Promise<string> }

/** Starts sampling every `intervalUs` microseconds. */
export async function startCpuProfile (dir: string, file: string, intervalUs = 250): Promise<RunningProfile> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs })
  await session.post('Profiler.start')
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      const path = join(dir, file)
      await mkdir(dir, { recursive: true })
      await writeFile(path, JSON.stringify(profile))
      return path
    }
  }
}
