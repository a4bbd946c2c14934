/*
 * The one retry loop (src/http/retry.ts): full-jitter exponential backoff with a cap,
 * Retry-After, max attempts, and a decision kept apart from the loop. Which failures each
 * client retries: workload-security-client and github-client.
 */
import { describe, expect, it } from '@jest/globals'
import { systemClock } from '../../src/clock.js'
import { backoffDelay, parseRetryAfter, withRetry } from '../../src/http/retry.js'

describe('withRetry', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const policy = {
      maxAttempts: 10,
      clock: { sleep: async () => undefined, random: () => 1 },
      baseDelayMs: 500,
      maxDelayMs: 4000
    }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { retry: true }, policy))).toEqual([
      500, 1000, 2000, 4000, 4000
    ])
    expect(
      backoffDelay(3, { retry: true }, { ...policy, clock: { ...policy.clock, random: () => 0.5 } })
    ).toBe(1000)
    expect(backoffDelay(1, { retry: true, minDelayMs: 60000 }, policy)).toBe(60000)
    expect(backoffDelay(1, { retry: true, afterMs: 7000 }, policy)).toBe(7000)
    expect(backoffDelay(1, { retry: true, afterMs: 10_000_000 }, policy)).toBe(15 * 60_000)
  })

  it('stops at maxAttempts and rethrows the last error', async () => {
    const slept: number[] = []
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error(`failure ${calls}`)
        },
        {
          maxAttempts: 3,
          decide: () => ({ retry: true }),
          clock: { sleep: async (ms: number) => void slept.push(ms), random: () => 1 },
          signal: new AbortController().signal
        }
      )
    ).rejects.toThrow('failure 3')
    expect(calls).toBe(3)
    expect(slept).toEqual([500, 1000])
  })

  it('never retries what the classifier calls final', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('final')
        },
        {
          maxAttempts: 5,
          decide: () => ({ retry: false }),
          clock: { sleep: async () => undefined, random: Math.random },
          signal: new AbortController().signal
        }
      )
    ).rejects.toThrow('final')
    expect(calls).toBe(1)
  })

  it('ends a wait at the signal: no further attempt, the last error rethrown at once', async () => {
    const stop = new AbortController()
    let calls = 0
    const started = performance.now()
    setTimeout(() => stop.abort(new Error('cancelled')), 50)
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error(`failure ${calls}`)
        },
        {
          maxAttempts: 3,
          // A rate limit's reset, as long as a run honours.
          decide: () => ({ retry: true, afterMs: 15 * 60_000 }),
          clock: systemClock,
          signal: stop.signal
        }
      )
    ).rejects.toThrow('failure 1')
    expect(calls).toBe(1)
    expect(performance.now() - started).toBeLessThan(1000)
    // Once the signal came, a failure is not tried again.
    calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('after the signal')
        },
        { maxAttempts: 3, decide: () => ({ retry: true }), clock: systemClock, signal: stop.signal }
      )
    ).rejects.toThrow('after the signal')
    expect(calls).toBe(1)
  })

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', () => 0)).toBe(3000)
    expect(parseRetryAfter(new Date(61_000).toUTCString(), () => 1_000)).toBe(60_000)
    expect(parseRetryAfter('soon', () => 0)).toBeUndefined()
    expect(parseRetryAfter(undefined, () => 0)).toBeUndefined()
  })
})
