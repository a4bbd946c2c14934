/** Network failures that happen before a single byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/** TLS failures: retrying cannot help, the certificate must be trusted first. */
export const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL/

export interface WorkloadSecurityErrorOptions {
  method: string
  path: string
  /** HTTP status; undefined when no answer arrived. */
  status?: number
  /** The server's `message`, redacted and safe for the log. */
  serverMessage?: string
  /** Network error code (ECONNRESET, ETIMEDOUT, ...) when no complete answer arrived. */
  code?: string
  retryAfterMs?: number
}

/** A failed Workload Security call: what was asked, what came back, and what to do. */
export class WorkloadSecurityError extends Error {
  readonly method: string
  readonly path: string
  readonly status?: number
  readonly serverMessage?: string
  readonly code?: string
  readonly retryAfterMs?: number

  constructor(message: string, options: WorkloadSecurityErrorOptions) {
    super(message)
    this.name = 'WorkloadSecurityError'
    this.method = options.method
    this.path = options.path
    this.status = options.status
    this.serverMessage = options.serverMessage
    this.code = options.code
    this.retryAfterMs = options.retryAfterMs
  }

  /** True when the request certainly never reached the manager. */
  get notSent(): boolean {
    return (
      this.status === undefined &&
      this.code !== undefined &&
      (NOT_SENT_CODES.has(this.code) || TLS_CODE.test(this.code))
    )
  }

  /** True when the credentials were refused (or lack the right for the call). */
  get rejected(): boolean {
    return this.status === 401 || this.status === 403
  }

  /** True when the server may have acted without this run learning the outcome. */
  get unclear(): boolean {
    if (this.notSent || this.status === 429) return false
    return (
      this.status === undefined ||
      this.status >= 500 ||
      this.code !== undefined ||
      (this.status >= 200 && this.status < 300)
    )
  }
}
