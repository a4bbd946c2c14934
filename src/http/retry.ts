import * as core from '@actions/core'
import type { Clock } from '../clock.js'
import { errorText } from '../redaction.js'

/** How a failed attempt should be treated by {@link withRetry}. */
export type RetryDecision =
  | { retry: false }
  | {
      retry: true
      /** Server-requested wait (Retry-After and friends), in milliseconds. */
      afterMs?: number
      /** Wait at least this long when the server named no time (GitHub secondary limits). */
      minDelayMs?: number
    }

export interface RetryPolicy {
  /** Attempts in total, the first included (1 to 10). */
  maxAttempts: number
  /** Whether a failure is tried again, and after how long (see retry-decisions.ts). */
  decide: (error: unknown) => RetryDecision
  /** Sleeps and jitter; injected so that tests run without waiting. */
  clock: Pick<Clock, 'sleep' | 'random'>
  /**
   * The run's first signal (`Cancellation.requested`): once it aborts, nothing is tried again
   * and a wait under way ends at once.
   */
  signal: AbortSignal
  baseDelayMs?: number
  maxDelayMs?: number
}

/**
 * The longest wait a server may ask for (Retry-After, x-ratelimit-reset) that a run honours:
 * a longer one is not retried at all (see retry-decisions.ts).
 */
export const MAX_SERVER_WAIT_MS = 15 * 60_000

/**
 * Delay before attempt `attempt + 1`: full-jitter exponential backoff, or the server's
 * requested wait when it named one (capped so a broken header cannot park a rotation).
 */
export function backoffDelay(
  attempt: number,
  decision: Extract<RetryDecision, { retry: true }>,
  policy: Pick<RetryPolicy, 'clock' | 'baseDelayMs' | 'maxDelayMs'>
): number {
  if (decision.afterMs !== undefined) return Math.min(decision.afterMs, MAX_SERVER_WAIT_MS)
  const base = policy.baseDelayMs ?? 500
  const cap = policy.maxDelayMs ?? 30_000
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1))
  const jittered = Math.round(policy.clock.random() * ceiling)
  return Math.max(jittered, decision.minDelayMs ?? 0)
}

/**
 * The one retry loop of the action: runs `attempt` until it succeeds, the policy's decision
 * says the failure is final, the attempts are spent or the signal aborted; the last error is
 * rethrown unchanged. A wait that the signal cuts short rethrows it too: the last attempt's
 * outcome (refused, or unclear) is all the run knows, and no further attempt was sent.
 * Every retry is logged (error messages here are already safe for the log).
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      const decision = policy.decide(error)
      if (!decision.retry || n >= policy.maxAttempts || policy.signal.aborted) throw error
      const delayMs = backoffDelay(n, decision, policy)
      core.info(
        `${errorText(error)}; retrying in ${delayMs} ms (attempt ${n + 1} of ${policy.maxAttempts})`
      )
      try {
        await policy.clock.sleep(delayMs, policy.signal)
      } catch {
        core.info(`Stopped waiting to retry: the run was cancelled; attempt ${n + 1} not sent`)
        throw error
      }
    }
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: () => number
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined || text.trim() === '') return undefined
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now())
}
