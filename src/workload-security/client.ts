import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import type * as http from 'node:http'
import * as tls from 'node:tls'
import type { ConnectionSettings } from '../inputs.js'
import {
  logRetry,
  parseRetryAfter,
  withRetry,
  type RetryDecision,
  type RetryPolicy
} from '../retry.js'
import { protectSecret, redact } from '../secrets.js'
import { USER_AGENT } from '../version.js'
import {
  toApiKey,
  toRole,
  type ApiKey,
  type ApiKeyChanges,
  type RegeneratedSecret,
  type Role
} from './models.js'

/** Network failures that happen before a single byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS/

/** A failed Workload Security call: what was asked, what came back, and what to do. */
export class WorkloadSecurityError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** HTTP status, or undefined when no answer arrived. */
    readonly status: number | undefined,
    readonly serverMessage?: string,
    /** Network error code (ECONNRESET, ...) when no answer arrived. */
    readonly code?: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'WorkloadSecurityError'
  }

  /** True when the request certainly never reached the manager. */
  get notSent(): boolean {
    return this.status === undefined && this.code !== undefined && NOT_SENT_CODES.has(this.code)
  }

  /** True when the credentials were refused (or lack the right for the call). */
  get rejected(): boolean {
    return this.status === 401 || this.status === 403
  }
}

/** 429, 502, 503, 504 and connection failures are retried; everything else is final. */
export function classifyWorkloadSecurityError(error: unknown): RetryDecision {
  if (!(error instanceof WorkloadSecurityError)) return { retry: false }
  if (error.status === undefined)
    return { retry: error.code === undefined || !TLS_CODE.test(error.code) }
  if ([429, 502, 503, 504].includes(error.status))
    return { retry: true, afterMs: error.retryAfterMs }
  return { retry: false }
}

/**
 * Secret regeneration is retried only when the manager certainly did not act: on 429 (refused
 * calls are not counted) or when the request never left. Anything else may have created a new
 * secret that a blind retry would throw away.
 */
function classifyRegenerationError(error: unknown): RetryDecision {
  if (!(error instanceof WorkloadSecurityError)) return { retry: false }
  if (error.status === 429) return { retry: true, afterMs: error.retryAfterMs }
  return { retry: error.notSent }
}

export interface ClientDependencies {
  sleep: (ms: number) => Promise<void>
  random?: () => number
}

/** Sets the auth header and the extra trusted CA on every request. */
class CredentialHandler implements RequestHandler {
  constructor(private readonly settings: ConnectionSettings) {}

  prepareRequest(options: http.RequestOptions & tls.ConnectionOptions): void {
    const secret = this.settings.apiSecretKey
    const headers = (options.headers ?? {}) as http.OutgoingHttpHeaders
    if (this.settings.authScheme === 'cloud-one') headers.Authorization = `ApiKey ${secret}`
    else headers['api-secret-key'] = secret
    options.headers = headers
    if (this.settings.caCertificate) {
      options.ca = [...tls.rootCertificates, this.settings.caCertificate]
    }
  }

  canHandleAuthentication(): boolean {
    return false
  }

  handleAuthentication(): never {
    throw new Error('not used')
  }
}

/** A typed client of the Workload Security / Deep Security Manager `/apikeys` and `/roles` API. */
export class WorkloadSecurityClient {
  private readonly http: HttpClient
  private readonly retryPolicy: RetryPolicy

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly deps: ClientDependencies
  ) {
    this.http = new HttpClient(USER_AGENT, [new CredentialHandler(settings)], {
      socketTimeout: settings.timeoutMs,
      allowRetries: false,
      allowRedirects: false,
      keepAlive: true,
      headers: {
        'api-version': settings.apiVersion,
        Accept: 'application/json',
        'Content-Type': 'application/json'
      }
    })
    this.retryPolicy = {
      maxAttempts: settings.maxAttempts,
      sleep: deps.sleep,
      random: deps.random,
      onRetry: logRetry(settings.maxAttempts)
    }
  }

  /** Closes kept-alive connections. */
  dispose(): void {
    this.http.dispose()
  }

  /** A client of the same manager that authenticates with another secret. */
  withSecret(apiSecretKey: string): WorkloadSecurityClient {
    return new WorkloadSecurityClient({ ...this.settings, apiSecretKey }, this.deps)
  }

  /** The key that authenticates the call. */
  async describeCurrentKey(): Promise<ApiKey> {
    return this.expectKey('GET', '/apikeys/current', await this.call('GET', '/apikeys/current'))
  }

  async describeKey(id: number): Promise<ApiKey> {
    const path = `/apikeys/${id}`
    return this.expectKey('GET', path, await this.call('GET', path))
  }

  /** Finds the one key whose name is exactly `name`; zero or several matches are an error. */
  async findKeyByName(name: string): Promise<ApiKey> {
    const body = exactNameFilter('keyName', name)
    const answer = await this.call('POST', '/apikeys/search', body)
    const keys = listOf(answer, 'apiKeys').map(toApiKey)
    if (keys.some((k) => k === undefined)) throw malformed('POST', '/apikeys/search')
    return exactlyOne(keys as ApiKey[], `API key named "${name}"`, 'key-name', (k) => `${k.ID}`)
  }

  async modifyKey(id: number, changes: ApiKeyChanges): Promise<ApiKey> {
    const path = `/apikeys/${id}`
    return this.expectKey('POST', path, await this.call('POST', path, changes))
  }

  async deleteKey(id: number): Promise<void> {
    await this.call('DELETE', `/apikeys/${id}`)
  }

  async describeRole(id: number): Promise<Role> {
    const path = `/roles/${id}`
    const role = toRole(await this.call('GET', path))
    if (!role) throw malformed('GET', path)
    return role
  }

  async findRoleByName(name: string): Promise<Role> {
    const answer = await this.call('POST', '/roles/search', exactNameFilter('name', name))
    const roles = listOf(answer, 'roles').map(toRole)
    if (roles.some((r) => r === undefined)) throw malformed('POST', '/roles/search')
    return exactlyOne(roles as Role[], `role named "${name}"`, 'role-name', (r) => `${r.ID}`)
  }

  /**
   * Issues a new secret for the key (`current`: the authenticating key). The old secret stops
   * working at once. Retried only where the manager cannot have acted; the new secret is
   * masked before this returns.
   */
  async regenerateSecret(target: number | 'current'): Promise<RegeneratedSecret> {
    const path = `/apikeys/${target}/secretkey`
    const answer = await withRetry(
      () => this.send('POST', path),
      classifyRegenerationError,
      this.retryPolicy
    )
    const secretKey = (answer as { secretKey?: unknown } | undefined)?.secretKey
    if (typeof secretKey === 'string') protectSecret(secretKey)
    const key = toApiKey(answer)
    if (!key || typeof secretKey !== 'string' || secretKey === '') {
      throw new WorkloadSecurityError(
        `POST ${path} answered 200 without a key and its new secretKey. The manager may have` +
          ' issued a new secret that this run cannot see: the old secret may no longer work.',
        'POST',
        path,
        200
      )
    }
    return { key, secretKey }
  }

  private expectKey(method: string, path: string, answer: unknown): ApiKey {
    const key = toApiKey(answer)
    if (!key) throw malformed(method, path)
    return key
  }

  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    return withRetry(
      () => this.send(method, path, body),
      classifyWorkloadSecurityError,
      this.retryPolicy
    )
  }

  /** One HTTP exchange; the parsed JSON answer, or a {@link WorkloadSecurityError}. */
  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.settings.apiUrl}${path}`
    const started = Date.now()
    let status: number
    let text: string
    let retryAfter: string | string[] | undefined
    try {
      const response = await this.http.request(
        method,
        url,
        body === undefined ? '' : JSON.stringify(body),
        {}
      )
      status = response.message.statusCode ?? 0
      retryAfter = response.message.headers['retry-after']
      text = await response.readBody()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = redact(error instanceof Error ? error.message : String(error))
      const hint =
        code && TLS_CODE.test(code)
          ? ': the server certificate is not trusted; for a private CA or a self-signed manager certificate set ca-certificate'
          : ''
      throw new WorkloadSecurityError(
        `${method} ${path} failed: ${reason}${hint}`,
        method,
        path,
        undefined,
        undefined,
        code ?? (/timeout/i.test(reason) ? 'ETIMEDOUT' : undefined)
      )
    }
    core.debug(`${method} ${path} -> ${status} (${Date.now() - started} ms)`)
    const parsed = parseJson(text)
    if (status >= 200 && status < 300) {
      if (text.trim() !== '' && parsed === undefined) throw malformed(method, path, status)
      return parsed
    }
    const serverMessage =
      typeof (parsed as { message?: unknown })?.message === 'string'
        ? redact((parsed as { message: string }).message.slice(0, 500))
        : undefined
    throw new WorkloadSecurityError(
      describeFailure(method, path, status, serverMessage),
      method,
      path,
      status,
      serverMessage,
      undefined,
      parseRetryAfter(retryAfter)
    )
  }
}

function describeFailure(
  method: string,
  path: string,
  status: number,
  serverMessage: string | undefined
): string {
  const said = serverMessage ? `: ${serverMessage}` : ''
  const base = `${method} ${path} answered HTTP ${status}${said}`
  if (status === 401) {
    return `${base}. The api-secret-key was rejected: check the secret, auth-scheme (api-secret-key for legacy and on-premises keys, cloud-one for Cloud One keys) and api-url/region.`
  }
  if (status === 403) {
    return `${base}. The api-secret-key was rejected, or its role lacks the API key right this call needs (see the README's role rights).`
  }
  if (status === 404) return `${base}. It does not exist on this manager.`
  if (status === 429) return `${base}. The manager's API rate limit was reached.`
  return base
}

function malformed(method: string, path: string, status = 200): WorkloadSecurityError {
  return new WorkloadSecurityError(
    `${method} ${path} answered HTTP ${status} with a body that is not the expected JSON; is api-url the manager's API base URL (ending in /api)?`,
    method,
    path,
    status
  )
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function exactNameFilter(fieldName: string, value: string): unknown {
  return {
    maxItems: 2,
    searchCriteria: [{ fieldName, stringTest: 'equal', stringValue: value, stringWildcards: false }]
  }
}

function listOf(answer: unknown, field: string): unknown[] {
  const list = (answer as Record<string, unknown> | undefined)?.[field]
  return Array.isArray(list) ? list : []
}

function exactlyOne<T>(items: T[], what: string, input: string, id: (item: T) => string): T {
  if (items.length === 1) return items[0]
  if (items.length === 0) throw new Error(`No ${what} exists (${input}); nothing was changed.`)
  throw new Error(
    `More than one ${what} exists (IDs ${items.map(id).join(', ')}); use the ID instead of ${input}. Nothing was changed.`
  )
}
