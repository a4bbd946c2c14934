import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import * as http from 'node:http'
import * as https from 'node:https'
import { setMaxListeners } from 'node:events'
import * as tls from 'node:tls'
import type { Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import { errorText, untrusted } from '../redaction.js'
import type { RequestSettings } from '../settings.js'
import { USER_AGENT } from '../version.js'
import { HttpError, NOT_SENT_CANCELLED, TLS_CODE } from './http-error.js'
import { MAX_BODY_BYTES, readCapped } from './read-capped.js'
import { platformRetry } from './retry-decisions.js'
import { withRetry, parseRetryAfter, type RetryDecision } from './retry.js'

/** How one key platform's API is reached and how its answers read. */
export interface TransportOptions {
  /** Base URL without a trailing slash; paths are appended to it. */
  baseUrl: string
  /** Sent with every request (the credentials among them, already masked). */
  headers: http.OutgoingHttpHeaders
  /** Extra PEM certificate(s) trusted beside the system roots. */
  caCertificate?: string
  request: RequestSettings
  clock: Clock
  /** Retries stop at the first signal; every request is abandoned at the urgent one. */
  cancellation: Cancellation
  /** The server's message in an error answer's parsed body, if it has one. */
  messageOf: (body: unknown) => unknown
  /** The error message of a non-2xx answer: what happened and what to do. */
  describeFailure: (method: string, path: string, status: number, said: string) => string
  /** Appended to "the body is not the expected JSON": where to look. */
  malformedHint: string
}

/** A 2xx answer. */
export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

export interface CallOptions {
  body?: unknown
  /** Headers of this call only. */
  headers?: http.OutgoingHttpHeaders
  /** The body cap (lists of every key are larger than one answer). */
  maxBytes?: number
  /** Deadline of each attempt; `timeout-seconds` unless given. */
  timeoutMs?: number
  /** Whether a failure is tried again; {@link platformRetry} unless given. */
  decide?: (error: unknown) => RetryDecision
}

/**
 * JSON over HTTP to a key platform, shared by every platform client: requests go through
 * `@actions/http-client`'s agent (HTTPS_PROXY / NO_PROXY), trust the extra CA, run under a
 * deadline for headers and body together, read capped bodies, and are retried with the one
 * retry loop. Server text in errors is redacted and made safe for the log.
 */
export class ApiTransport {
  private readonly http = new HttpClient(USER_AGENT, [], { keepAlive: true })
  private readonly controller = new AbortController()

  constructor(readonly options: TransportOptions) {
    // Every request in flight listens: many at once is normal, not a leak.
    setMaxListeners(0, this.controller.signal)
    const { urgent } = options.cancellation
    const abandon = (): void => this.controller.abort(urgent.reason)
    if (urgent.aborted) abandon()
    else urgent.addEventListener('abort', abandon, { once: true, signal: this.controller.signal })
  }

  /** Closes kept-alive connections and abandons requests still in flight, without retries. */
  dispose(): void {
    this.controller.abort(new Error('abandoned (the run is over)'))
    this.http.dispose()
  }

  /** One call, retried as `decide` says: the 2xx answer. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const decide = options.decide ?? platformRetry
    const { requested } = this.options.cancellation
    return withRetry(() => this.send(method, path, options), {
      maxAttempts: this.options.request.maxAttempts,
      clock: this.options.clock,
      signal: requested,
      decide: (error) =>
        this.controller.signal.aborted || requested.aborted ? { retry: false } : decide(error)
    })
  }

  /** One call whose answer must be JSON (or empty): the parsed body. */
  async callJson(method: string, path: string, options: CallOptions = {}): Promise<unknown> {
    const { status, text } = await this.call(method, path, options)
    const parsed = parseJson(text)
    if (text.trim() !== '' && parsed === undefined) throw this.malformed(method, path, status)
    return parsed
  }

  /** An error for an answer whose body is not what the API documents. */
  malformed(method: string, path: string, status = 200, cause?: unknown): HttpError {
    return new HttpError(
      `${method} ${path} answered HTTP ${status} with a body that is not the expected JSON; ${this.options.malformedHint}`,
      { method, path, status, cause }
    )
  }

  /** One HTTP exchange under a deadline: a 2xx answer, or an {@link HttpError}. */
  async send(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const { clock, request } = this.options
    const timeoutMs = options.timeoutMs ?? request.timeoutMs
    if (this.controller.signal.aborted) {
      throw new HttpError(
        `${method} ${path} was not sent: ${abandonedReason(this.controller.signal)}`,
        {
          method,
          path,
          code: NOT_SENT_CANCELLED
        }
      )
    }
    const started = clock.now()
    const deadline = clock.deadline(timeoutMs)
    // Abandoning the transport aborts this request too; the listener goes with the request.
    const controller = new AbortController()
    const abort = (): void =>
      controller.abort(deadline.signal.reason ?? this.controller.signal.reason)
    deadline.signal.addEventListener('abort', abort)
    this.controller.signal.addEventListener('abort', abort)
    if (this.controller.signal.aborted) abort()
    let status: number | undefined
    let headers: http.IncomingHttpHeaders = {}
    let text: string
    try {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
      const response = await exchange(this.http, new URL(`${this.options.baseUrl}${path}`), {
        method,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          ...this.options.headers,
          ...options.headers
        },
        body: payload,
        signal: controller.signal,
        caCertificate: this.options.caCertificate
      })
      status = response.statusCode ?? 0
      headers = response.headers
      text = await readCapped(response, controller.signal, options.maxBytes ?? MAX_BODY_BYTES)
    } catch (error) {
      throw this.transportError(method, path, status, error, timeoutMs)
    } finally {
      deadline.clear()
      deadline.signal.removeEventListener('abort', abort)
      this.controller.signal.removeEventListener('abort', abort)
    }
    core.debug(`${method} ${path} -> ${status} (${clock.now() - started} ms)`)
    if (status >= 200 && status < 300) return { status, headers, text }
    const message = this.options.messageOf(parseJson(text))
    const serverMessage = typeof message === 'string' ? untrusted(message) : undefined
    const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''
    throw new HttpError(this.options.describeFailure(method, path, status, said), {
      method,
      path,
      status,
      serverMessage,
      retryAfterMs: parseRetryAfter(headers['retry-after'], clock.now)
    })
  }

  private transportError(
    method: string,
    path: string,
    status: number | undefined,
    error: unknown,
    timeoutMs: number
  ): HttpError {
    const name = (error as Error)?.name
    let code = (error as NodeJS.ErrnoException)?.code
    let reason: string
    if (this.controller.signal.aborted) {
      code = 'ECANCELED'
      reason = abandonedReason(this.controller.signal)
    } else if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') {
      code = 'ETIMEDOUT'
      reason = `no complete answer within ${timeoutMs / 1000} s`
    } else if (code === 'EBODYTOOLARGE') {
      reason = errorText(error)
    } else if (code === 'EPROTO') {
      // OpenSSL's own text ("ssl3_get_record:wrong version number") helps nobody here.
      reason = 'the TLS handshake failed'
    } else {
      code ??= status === undefined ? undefined : 'ETRUNCATED'
      reason = untrusted(errorText(error))
    }
    const hint = networkHint(code)
    const answered = status === undefined ? 'failed' : `answered HTTP ${status}, then failed`
    const partial = (error as { partial?: unknown })?.partial
    return new HttpError(`${method} ${path} ${answered}: ${reason}${hint}`, {
      method,
      path,
      status,
      code,
      cause: error,
      ...(typeof partial === 'string' &&
        status !== undefined &&
        status < 300 && { partialBody: partial })
    })
  }
}

/** What one request sends. */
export interface ExchangeOptions {
  method: string
  headers: http.OutgoingHttpHeaders
  body?: string
  signal: AbortSignal
  /** Extra PEM certificate(s) trusted beside the system roots (and NODE_EXTRA_CA_CERTS). */
  caCertificate?: string
}

/**
 * Sends one request and resolves with the answer's head (its body still to be read, e.g. with
 * `readCapped`). The connection goes through `@actions/http-client`'s agent for the URL: through
 * HTTPS_PROXY / HTTP_PROXY unless NO_PROXY or a loopback host says otherwise. A proxy tunnel
 * builds its TLS from the agent's own options, so the extra CA goes there too.
 */
export function exchange(
  client: HttpClient,
  url: URL,
  options: ExchangeOptions
): Promise<http.IncomingMessage> {
  const { body, caCertificate } = options
  const headers: http.OutgoingHttpHeaders = {
    'User-Agent': USER_AGENT,
    ...options.headers,
    ...(body !== undefined && { 'Content-Length': Buffer.byteLength(body) })
  }
  const ca = caCertificate ? [...tls.rootCertificates, caCertificate] : undefined
  const agent = client.getAgent(url.href) as http.Agent & {
    proxyOptions?: unknown
    options?: tls.ConnectionOptions
  }
  if (ca && agent.proxyOptions && agent.options) agent.options.ca = ca
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { method: options.method, headers, agent, signal: options.signal, ...(ca && { ca }) },
      resolve
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** What to check after a failure before any answer: an address, a name, a certificate. */
function networkHint(code: string | undefined): string {
  if (code === 'EPROTO')
    return ': the server did not answer in TLS; is api-url a plain http:// server, or the port wrong?'
  if (code && TLS_CODE.test(code))
    return ': the server certificate is not trusted; for a private CA or a self-signed manager certificate set ca-certificate'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return ": the host name does not resolve; check api-url (or region), the runner's DNS and network, and HTTPS_PROXY / NO_PROXY"
  if (code === 'ECONNREFUSED') return ': nothing listens at that address and port; check api-url'
  return ''
}

/** Why the transport abandoned its requests: the run was cancelled, or it is over. */
function abandonedReason(signal: AbortSignal): string {
  const reason = signal.reason as { signal?: unknown } | undefined
  return typeof reason?.signal === 'string'
    ? `abandoned: the run was cancelled (${reason.signal})`
    : 'abandoned (the run is over)'
}

/** The parsed JSON of a text; undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
