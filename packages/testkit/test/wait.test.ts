import { describe, expect, it } from 'vitest'
import { ConvergenceTimeoutError } from '../src/errors.js'
import { waitFor } from '../src/wait.js'

describe('waitFor', () => {
  it('resolves once the condition holds', async () => {
    let calls = 0
    await waitFor(() => ++calls >= 3, () => 'never', { pollIntervalMs: 1 })
    expect(calls).toBe(3)
  })

  it('rejects with ConvergenceTimeoutError carrying the description at the deadline', async () => {
    const wait = waitFor(() => false, () => 'still 2 views', { timeoutMs: 30, pollIntervalMs: 5 })
    await expect(wait).rejects.toThrow(ConvergenceTimeoutError)
    await expect(waitFor(() => false, () => 'still 2 views', { timeoutMs: 30, pollIntervalMs: 5 })).rejects.toThrow('still 2 views')
  })

  it('rejects with the abort reason when the signal aborts', async () => {
    const controller = new AbortController()
    const wait = waitFor(() => false, () => '', { signal: controller.signal, timeoutMs: 10_000 })
    controller.abort(new Error('test over'))
    await expect(wait).rejects.toThrow('test over')
    await expect(waitFor(() => true, () => '', { signal: controller.signal })).rejects.toThrow('test over')
  })
})
