import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import * as http from 'node:http'
import * as https from 'node:https'
import * as tls from 'node:tls'
import type { Clock } from '../clock.js'
import { MAX_BODY_BYTES, MAX_LIST_BYTES, readCapped } from '../read-capped.js'
import { errorText, logSafe, protectSecret, untrusted } from '../redaction.js'
import { logRetry, parseRetryAfter, withRetry, type RetryDecision } from '../retry.js'
import type { ConnectionSettings, RequestSettings } from '../settings.js'
import { USER_AGENT } from '../version.js'
import { TLS_CODE, WorkloadSecurityError } from './error.js'
import {
  toApiKey,
  toRole,
  type ApiKey,
  type ApiKeyChanges,
  type NewApiKey,
  type Role
} from './models.js'

/** The least time a secret regeneration or key creation is waited for: a slow manager still acts. */
const ISSUING_TIMEOUT_MS = 120_000

/** 429, 502, 503, 504 and connection failures are retried; TLS failures and other answers are final. */
export function classifyWorkloadSecurityError(error: unknown): RetryDecision {
  if (!(error instanceof WorkloadSecurityError)) return { retry: false }
  if (error.status === undefined)
    return { retry: error.code === undefined || !TLS_CODE.test(error.code) }
  if ([429, 502, 503, 504].includes(error.status) && error.code === undefined)
    return { retry: true, afterMs: error.retryAfterMs }
  return { retry: false }
}

/** A call that issues a secret: retried only where the manager certainly did not act. */
export function classifyIssuingError(error: unknown): RetryDecision {
  if (!(error instanceof WorkloadSecurityError)) return { retry: false }
  if (error.status === 429 && error.code === undefined)
    return { retry: true, afterMs: error.retryAfterMs }
  return { retry: error.notSent && !TLS_CODE.test(error.code ?? '') }
}

/** What a call that issues a secret answered: the secret, and the key when the body had one. */
export interface IssuedSecret {
  secretKey: string
  /** Undefined when the answer carried the secret but not a usable key. */
  key?: ApiKey
}

/** A typed client of the Workload Security / Deep Security Manager `/apikeys` and `/roles` API. */
export class WorkloadSecurityClient {
  private readonly http: HttpClient
  private readonly controller = new AbortController()

  constructor(
    private readonly connection: ConnectionSettings,
    private readonly request: RequestSettings,
    private readonly clock: Clock
  ) {
    this.http = new HttpClient(USER_AGENT, [], { keepAlive: true })
  }

  /** Closes kept-alive connections and abandons requests still in flight, without retries. */
  dispose(): void {
    this.controller.abort()
    this.http.dispose()
  }

  /** A client of the same manager that authenticates with another secret. */
  withSecret(apiSecretKey: string): WorkloadSecurityClient {
    return new WorkloadSecurityClient(
      { ...this.connection, apiSecretKey },
      this.request,
      this.clock
    )
  }

  /** The key that authenticates the call. */
  async getCurrentKey(): Promise<ApiKey> {
    return expectKey('GET', '/apikeys/current', await this.call('GET', '/apikeys/current'))
  }

  async getKey(id: number): Promise<ApiKey> {
    const path = `/apikeys/${id}`
    return expectKey('GET', path, await this.callById(path))
  }

  /** Every key, in one call. */
  async listKeys(): Promise<ApiKey[]> {
    const keys = listOf(
      await this.call('GET', '/apikeys', undefined, MAX_LIST_BYTES),
      'apiKeys'
    ).map(toApiKey)
    if (keys.some((k) => k === undefined)) throw malformed('GET', '/apikeys')
    return keys as ApiKey[]
  }

  /**
   * Finds the one key whose name is exactly `name`. The manager is asked without wildcards,
   * and its answer is compared with the name again: a manager that matches case-insensitively
   * must not hand over another key.
   */
  async findKeyByName(name: string): Promise<ApiKey | undefined> {
    const answer = await this.call('POST', '/apikeys/search', exactNameFilter('keyName', name))
    const keys = listOf(answer, 'apiKeys').map(toApiKey)
    if (keys.some((k) => k === undefined)) throw malformed('POST', '/apikeys/search')
    return atMostOne(
      (keys as ApiKey[]).filter((k) => k.keyName === name),
      `API key named "${logSafe(name)}"`,
      'key-name',
      (k) => `${k.ID}`
    )
  }

  async updateKey(id: number | 'current', changes: ApiKeyChanges): Promise<ApiKey> {
    const path = `/apikeys/${id}`
    return expectKey('POST', path, await this.call('POST', path, changes))
  }

  async deleteKey(id: number): Promise<void> {
    await this.call('DELETE', `/apikeys/${id}`)
  }

  async getRole(id: number): Promise<Role> {
    const path = `/roles/${id}`
    const role = toRole(await this.callById(path))
    if (!role) throw malformed('GET', path)
    return role
  }

  async listRoles(): Promise<Role[]> {
    const roles = listOf(await this.call('GET', '/roles', undefined, MAX_LIST_BYTES), 'roles').map(
      toRole
    )
    if (roles.some((r) => r === undefined)) throw malformed('GET', '/roles')
    return roles as Role[]
  }

  async findRoleByName(name: string): Promise<Role | undefined> {
    const answer = await this.call('POST', '/roles/search', exactNameFilter('name', name))
    const roles = listOf(answer, 'roles').map(toRole)
    if (roles.some((r) => r === undefined)) throw malformed('POST', '/roles/search')
    return atMostOne(
      (roles as Role[]).filter((r) => r.name === name),
      `role named "${logSafe(name)}"`,
      'role-name',
      (r) => `${r.ID}`
    )
  }

  /**
   * One attempt at issuing a new secret for the key (`current`: the authenticating key): the
   * old secret stops working at once. Retrying is the caller's decision (see regenerate.ts).
   * The new secret is masked before this returns; any non-empty `secretKey` in a 200 is kept.
   */
  regenerateSecret(target: number | 'current'): Promise<IssuedSecret> {
    return this.issue('POST', `/apikeys/${target}/secretkey`)
  }

  /** One attempt at creating a key; its secret is masked before this returns. */
  createKey(key: NewApiKey): Promise<IssuedSecret> {
    return this.issue('POST', '/apikeys', key)
  }

  private async issue(method: string, path: string, body?: unknown): Promise<IssuedSecret> {
    const timeoutMs = Math.max(ISSUING_TIMEOUT_MS, this.request.timeoutMs)
    const { status, text } = await this.send(method, path, body, timeoutMs)
    const secretKey = secretKeyOf(text)
    if (!secretKey) {
      throw new WorkloadSecurityError(
        `${method} ${path} answered HTTP ${status} without a new secretKey. The manager may have` +
          ' issued a new secret that this run cannot see.',
        { method, path, status }
      )
    }
    return { secretKey, key: toApiKey(parseJson(text)) }
  }

  /**
   * A GET of one key or role. A 404 means it does not exist only when the API answers at all:
   * when `/apikeys/current` is not found either, api-url is wrong, and the error says so.
   */
  private async callById(path: string): Promise<unknown> {
    try {
      return await this.call('GET', path)
    } catch (error) {
      if (!(error instanceof WorkloadSecurityError) || error.status !== 404) throw error
      const probe = await this.send(
        'GET',
        '/apikeys/current',
        undefined,
        this.request.timeoutMs
      ).catch((e: unknown) => e)
      if (probe instanceof WorkloadSecurityError && probe.status === 404) throw probe
      throw error
    }
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    maxBytes = MAX_BODY_BYTES
  ): Promise<unknown> {
    const { text, status } = await withRetry(
      () => this.send(method, path, body, this.request.timeoutMs, maxBytes),
      (error) =>
        this.controller.signal.aborted ? { retry: false } : classifyWorkloadSecurityError(error),
      {
        maxAttempts: this.request.maxAttempts,
        clock: this.clock,
        onRetry: logRetry(this.request.maxAttempts)
      }
    )
    const parsed = parseJson(text)
    if (text.trim() !== '' && parsed === undefined) throw malformed(method, path, status)
    return parsed
  }

  /** One HTTP exchange under a deadline: a 2xx answer's status and text, or a {@link WorkloadSecurityError}. */
  private async send(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    maxBytes = MAX_BODY_BYTES
  ): Promise<{ status: number; text: string }> {
    const started = this.clock.now()
    const url = new URL(`${this.connection.apiUrl}${path}`)
    const signal = AbortSignal.any([this.controller.signal, this.clock.timeout(timeoutMs)])
    let status: number | undefined
    let retryAfter: string | string[] | undefined
    let text: string
    try {
      const response = await this.exchange(method, url, body, signal)
      status = response.statusCode ?? 0
      retryAfter = response.headers['retry-after']
      text = await readCapped(response, signal, maxBytes)
    } catch (error) {
      throw this.transportError(method, path, status, error, timeoutMs)
    }
    core.debug(`${method} ${path} -> ${status} (${this.clock.now() - started} ms)`)
    if (status >= 200 && status < 300) return { status, text }
    const message = (parseJson(text) as { message?: unknown } | undefined)?.message
    const serverMessage = typeof message === 'string' ? untrusted(message) : undefined
    throw new WorkloadSecurityError(describeFailure(method, path, status, serverMessage), {
      method,
      path,
      status,
      serverMessage,
      retryAfterMs: parseRetryAfter(retryAfter, this.clock.now)
    })
  }

  private exchange(
    method: string,
    url: URL,
    body: unknown,
    signal: AbortSignal
  ): Promise<http.IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const secret = this.connection.apiSecretKey
    const headers: http.OutgoingHttpHeaders = {
      'api-version': this.connection.apiVersion,
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      ...(this.connection.authScheme === 'cloud-one'
        ? { Authorization: `ApiKey ${secret}` }
        : { 'api-secret-key': secret }),
      ...(payload !== undefined && { 'Content-Length': Buffer.byteLength(payload) })
    }
    const ca = this.connection.caCertificate
      ? [...tls.rootCertificates, this.connection.caCertificate]
      : undefined
    // The agent routes through HTTPS_PROXY when set; a proxy tunnel builds its TLS from the
    // agent's own options, so the extra CA goes there too.
    const agent = this.http.getAgent(url.href) as http.Agent & {
      proxyOptions?: unknown
      options?: tls.ConnectionOptions
    }
    if (ca && agent.proxyOptions && agent.options) agent.options.ca = ca
    const transport = url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        { method, headers, agent, signal, ...(ca && { ca }) },
        resolve
      )
      request.on('error', reject)
      request.end(payload)
    })
  }

  private transportError(
    method: string,
    path: string,
    status: number | undefined,
    error: unknown,
    timeoutMs: number
  ): WorkloadSecurityError {
    const name = (error as Error)?.name
    let code = (error as NodeJS.ErrnoException)?.code
    let reason: string
    if (this.controller.signal.aborted) {
      code = 'ECANCELED'
      reason = 'abandoned (another request of this run failed)'
    } else if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') {
      code = 'ETIMEDOUT'
      reason = `no complete answer within ${timeoutMs / 1000} s`
    } else if (code === 'EBODYTOOLARGE') {
      reason = errorText(error)
    } else {
      code ??= status === undefined ? undefined : 'ETRUNCATED'
      reason = untrusted(errorText(error))
    }
    const hint =
      code && TLS_CODE.test(code)
        ? ': the server certificate is not trusted; for a private CA or a self-signed manager certificate set ca-certificate'
        : ''
    const answered = status === undefined ? 'failed' : `answered HTTP ${status}, then failed`
    return new WorkloadSecurityError(`${method} ${path} ${answered}: ${reason}${hint}`, {
      method,
      path,
      status,
      code
    })
  }
}

/** The `secretKey` of an answer, even when the rest of the body does not parse. */
function secretKeyOf(text: string): string | undefined {
  const parsed = parseJson(text) as { secretKey?: unknown } | undefined
  let secretKey: unknown = parsed?.secretKey
  if (parsed === undefined) {
    const match = /"secretKey"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)
    if (match) secretKey = parseJson(match[1])
  }
  if (typeof secretKey !== 'string' || secretKey === '') return undefined
  protectSecret(secretKey)
  return secretKey
}

function describeFailure(
  method: string,
  path: string,
  status: number,
  serverMessage: string | undefined
): string {
  const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''
  const base = `${method} ${path} answered HTTP ${status}${said}`
  if (status === 401) {
    return `${base}. The api-secret-key was rejected: check the secret, auth-scheme (api-secret-key for legacy and on-premises keys, cloud-one for Cloud One keys) and api-url/region.`
  }
  if (status === 403) {
    return `${base}. The api-secret-key was rejected, or its role lacks the API key right this call needs (see the README's role rights).`
  }
  if (status === 404) {
    return /^\/(apikeys|roles)\/\d+$/.test(path)
      ? `${base}. It does not exist on this manager.`
      : `${base}. Nothing answers at this address: check api-url (the manager's API base URL, ending in /api) or region.`
  }
  if (status === 429) return `${base}. The manager's API rate limit was reached.`
  return base
}

function malformed(method: string, path: string, status = 200): WorkloadSecurityError {
  return new WorkloadSecurityError(
    `${method} ${path} answered HTTP ${status} with a body that is not the expected JSON; is api-url the manager's API base URL (ending in /api)?`,
    { method, path, status }
  )
}

function expectKey(method: string, path: string, answer: unknown): ApiKey {
  const key = toApiKey(answer)
  if (!key) throw malformed(method, path)
  return key
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
    maxItems: 100,
    searchCriteria: [{ fieldName, stringTest: 'equal', stringValue: value, stringWildcards: false }]
  }
}

function listOf(answer: unknown, field: string): unknown[] {
  const list = (answer as Record<string, unknown> | undefined)?.[field]
  return Array.isArray(list) ? list : []
}

function atMostOne<T>(
  items: T[],
  what: string,
  input: string,
  id: (item: T) => string
): T | undefined {
  if (items.length <= 1) return items[0]
  throw new Error(
    `More than one ${what} exists (IDs ${items.map(id).join(', ')}); use the ID instead of ${input}. Nothing was changed.`
  )
}
