import { HttpError, TLS_CODE } from './http-error.js'
import { MAX_SERVER_WAIT_MS, type RetryDecision } from './retry.js'

/*
 * Whether a failed attempt is tried again, decided apart from the loop that retries
 * (`withRetry`). Each kind of call passes the decision that fits it.
 */

/**
 * A call to a key platform: 429, 502, 503, 504 and connection failures are retried; TLS
 * failures, a host name that does not exist and every other answer are final.
 */
export function platformRetry(error: unknown): RetryDecision {
  if (!(error instanceof HttpError)) return { retry: false }
  if (error.status === undefined)
    return {
      retry: error.code === undefined || !(TLS_CODE.test(error.code) || error.code === 'ENOTFOUND')
    }
  if ([429, 502, 503, 504].includes(error.status) && error.code === undefined)
    return waitable(error.retryAfterMs)
  return { retry: false }
}

/** A retry after the wait the server asked for; none when it asks for more than a run waits. */
function waitable(afterMs: number | undefined): RetryDecision {
  return afterMs !== undefined && afterMs > MAX_SERVER_WAIT_MS
    ? { retry: false }
    : { retry: true, afterMs }
}

/** The least time a call that issues a secret is waited for: a slow platform still acts. */
export const ISSUING_TIMEOUT_MS = 120_000

/**
 * A call that issues a secret (regeneration, creation): retried only where the server
 * certainly did not act, a 429 or a connection that never opened. A retry after a lost answer
 * would issue a second secret and kill the first.
 */
export function issuingRetry(error: unknown): RetryDecision {
  if (!(error instanceof HttpError)) return { retry: false }
  if (error.status === 429 && error.code === undefined) return waitable(error.retryAfterMs)
  return { retry: error.notSent && !TLS_CODE.test(error.code ?? '') }
}

/**
 * A GitHub call (secret writes are idempotent): rate limits wait as GitHub asks (at least a
 * minute when it names no time), 5xx and connection failures are retried, other answers are
 * final.
 */
export function githubRetry(error: unknown): RetryDecision {
  if (!(error instanceof HttpError)) return { retry: false }
  if (error.rateLimited) {
    return error.retryAfterMs !== undefined
      ? waitable(error.retryAfterMs)
      : { retry: true, minDelayMs: 60_000 }
  }
  return { retry: error.status === undefined || error.status >= 500 }
}
