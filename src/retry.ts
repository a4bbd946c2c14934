import * as core from '@actions/core'
import type { Clock } from './clock.js'
import { errorText } from './redaction.js'

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
  /** Sleeps and jitter; injected so that tests run without waiting. */
  clock: Pick<Clock, 'sleep' | 'random'>
  baseDelayMs?: number
  maxDelayMs?: number
  /** Called before each wait, for a log line. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void
}

/** The longest a server-requested wait is honoured; longer answers are treated as this. */
const MAX_SERVER_DELAY_MS = 120_000

/**
 * Delay before attempt `attempt + 1`: full-jitter exponential backoff, or the server's
 * requested wait when it named one (capped so a broken header cannot park a rotation).
 */
export function backoffDelay(
  attempt: number,
  decision: Extract<RetryDecision, { retry: true }>,
  policy: RetryPolicy
): number {
  if (decision.afterMs !== undefined) return Math.min(decision.afterMs, MAX_SERVER_DELAY_MS)
  const base = policy.baseDelayMs ?? 500
  const cap = policy.maxDelayMs ?? 30_000
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1))
  const jittered = Math.round(policy.clock.random() * ceiling)
  return Math.max(jittered, decision.minDelayMs ?? 0)
}

/**
 * Runs `attempt` until it succeeds, `classify` says the failure is final, or the attempts
 * are spent; the last error is rethrown unchanged.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  policy: RetryPolicy
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      const decision = classify(error)
      if (!decision.retry || n >= policy.maxAttempts) throw error
      const delayMs = backoffDelay(n, decision, policy)
      policy.onRetry?.({ attempt: n, delayMs, error })
      await policy.clock.sleep(delayMs)
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

/** The log line of a retry, shared by both clients (their messages are already log-safe). */
export function logRetry(maxAttempts: number): NonNullable<RetryPolicy['onRetry']> {
  return ({ attempt, delayMs, error }) =>
    core.info(
      `${errorText(error)}; retrying in ${delayMs} ms (attempt ${attempt + 1} of ${maxAttempts})`
    )
}
