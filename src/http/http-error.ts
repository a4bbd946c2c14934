/** The run was cancelled before this request could be sent. */
export const NOT_SENT_CANCELLED = 'ENOTSENT_CANCELLED'

/** Network failures that happen before a single byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
  NOT_SENT_CANCELLED,
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/**
 * TLS failures: retrying cannot help, the certificate must be trusted first (or, EPROTO, the
 * server does not speak TLS at all).
 */
export const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/

export interface HttpErrorOptions {
  method: string
  path: string
  /** HTTP status; undefined when no answer arrived. */
  status?: number
  /** The server's message, redacted and safe for the log. */
  serverMessage?: string
  /** Network error code (ECONNRESET, ETIMEDOUT, ETRUNCATED, ...) when no complete answer arrived. */
  code?: string
  /** How long the server asked to wait before the next attempt, in milliseconds. */
  retryAfterMs?: number
  /** A rate limit refused the request without acting (GitHub's 403 secondary limits, 429). */
  rateLimited?: boolean
  /** What arrived of a 2xx answer's body before the connection dropped. */
  partialBody?: string
  cause?: unknown
}

/**
 * A failed call to any API this action talks to: what was asked, what came back, and whether
 * the server may have acted. The message says what to do and is safe for the log.
 */
export class HttpError extends Error {
  readonly method: string
  readonly path: string
  readonly status?: number
  readonly serverMessage?: string
  readonly code?: string
  readonly retryAfterMs?: number
  readonly rateLimited: boolean
  readonly partialBody?: string

  constructor(message: string, options: HttpErrorOptions) {
    super(message, { cause: options.cause })
    this.name = 'HttpError'
    this.method = options.method
    this.path = options.path
    this.status = options.status
    this.serverMessage = options.serverMessage
    this.code = options.code
    this.retryAfterMs = options.retryAfterMs
    this.rateLimited = options.rateLimited ?? options.status === 429
    this.partialBody = options.partialBody
  }

  /** True when the request certainly never reached the server. */
  get notSent(): boolean {
    return (
      this.status === undefined &&
      this.code !== undefined &&
      (NOT_SENT_CODES.has(this.code) || TLS_CODE.test(this.code))
    )
  }

  /** True when the credentials were refused (or lack the right for the call). */
  get rejected(): boolean {
    return (this.status === 401 || this.status === 403) && !this.rateLimited
  }

  /**
   * True when the outcome is unclear: the server may have acted without this run learning it
   * (no complete answer, a 5xx, or a 2xx that does not prove the change).
   */
  get unclear(): boolean {
    if (this.notSent || this.rateLimited) return false
    return (
      this.status === undefined ||
      this.status >= 500 ||
      this.code !== undefined ||
      (this.status >= 200 && this.status < 300)
    )
  }
}
