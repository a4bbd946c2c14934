import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { CancelledError, type Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import { errorText, untrusted } from '../redaction.js'
import { HttpError, NOT_SENT_CANCELLED, type HttpErrorOptions } from '../http/http-error.js'
import { HttpClient } from '@actions/http-client'
import { Limiter } from '../concurrency.js'
import { exchange } from '../http/api-transport.js'
import { MAX_BODY_BYTES, readCapped } from '../http/read-capped.js'
import { githubRetry } from '../http/retry-decisions.js'
import { MAX_SERVER_WAIT_MS, parseRetryAfter, withRetry, type RetryPolicy } from '../http/retry.js'
import { VISIBILITIES, type RequestSettings, type Visibility } from '../settings.js'
import { USER_AGENT } from '../version.js'
import {
  destinationLabel,
  secretsPath,
  secretWriteBody,
  type OrganizationSecretAccess,
  type SecretDestination
} from './destination.js'
import type { PublicKey, SealedSecret } from './seal.js'

/** A failed GitHub call, with the destination and what the user must do about it. */
export class GitHubSecretsError extends HttpError {
  constructor(message: string, options: HttpErrorOptions) {
    super(message, options)
    this.name = 'GitHubSecretsError'
  }
}

/**
 * GitHub's answer about an organization secret does not say who may read it: it names another
 * secret (or none), states no valid visibility, or, for `selected`, its repository list cannot
 * be read. Nothing of that answer is used, not even that the secret exists.
 */
export class UnstatedAudienceError extends GitHubSecretsError {
  constructor(message: string, options: HttpErrorOptions) {
    super(message, options)
    this.name = 'UnstatedAudienceError'
  }
}

export interface GitHubSecretsClientOptions {
  token: string
  baseUrl: string
  request: RequestSettings
  clock: Clock
  /** No secret write starts after the first signal; every request is abandoned at the urgent one. */
  cancellation: Cancellation
  /** Secret writes and deletes per rolling minute (writes-per-minute). */
  writesPerMinute: number
}

/** GitHub requests in flight at once: GitHub allows 100. */
const GITHUB_CONCURRENCY = 20

/** The most pages of a list read (100 each): GitHub allows far fewer. */
const MAX_PAGES = 100

type Octokit = ReturnType<typeof getOctokit>

/** Reads public keys and writes Actions, Dependabot and Codespaces secrets through GitHub's REST API. */
export class GitHubSecretsClient {
  private readonly octokit: Octokit
  private readonly retryPolicy: RetryPolicy
  /**
   * Recent writes for the rolling-minute pacing: each counts from when it was sent until a
   * minute after its answer arrived (Infinity while in flight), so that GitHub, which counts
   * it somewhere in between, never sees more than the limit in any minute.
   */
  private writes: { until: number }[] = []
  /** Keeps kept-alive connections and the proxy agents of GitHub's host. */
  private readonly http = new HttpClient(USER_AGENT, [], { keepAlive: true })
  /** GitHub requests in flight at once, whoever sends them: well under GitHub's 100. */
  private readonly inFlight = new Limiter(GITHUB_CONCURRENCY)
  private pacingNoticeUntil = 0

  constructor(private readonly options: GitHubSecretsClientOptions) {
    this.octokit = getOctokit(options.token, {
      baseUrl: options.baseUrl,
      userAgent: USER_AGENT,
      request: { fetch: fetchThrough(this.http) },
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => core.debug(message),
        error: (message: string) => core.debug(message)
      }
    })
    this.retryPolicy = {
      maxAttempts: options.request.maxAttempts,
      clock: options.clock,
      signal: options.cancellation.requested,
      decide: githubRetry
    }
  }

  /** Closes kept-alive connections. */
  dispose(): void {
    this.http.dispose()
  }

  /** The REST API base URL (GITHUB_API_URL). */
  get baseUrl(): string {
    return this.options.baseUrl
  }

  async getPublicKey(destination: SecretDestination): Promise<PublicKey> {
    const { data } = await this.request<Partial<PublicKey>>(
      destination,
      'GET',
      `${secretsPath(destination)}/public-key`
    )
    // The key_id reaches the log and a printed shell command: a plain token only. The key must
    // be the 32 bytes of a libsodium public key.
    if (
      typeof data?.key_id !== 'string' ||
      !/^[A-Za-z0-9_-]{1,128}$/.test(data.key_id) ||
      typeof data.key !== 'string' ||
      !/^[A-Za-z0-9+/]{43}=$/.test(data.key)
    ) {
      throw new GitHubSecretsError(
        `GitHub answered the public key of ${destinationLabel(destination)} without a plain key_id and a 32-byte key`,
        {
          method: 'GET',
          path: `${secretsPath(destination)}/public-key`,
          status: 200
        }
      )
    }
    return { key_id: data.key_id, key: data.key }
  }

  /**
   * The current visibility and selected repositories of an organization secret; undefined if
   * it does not exist yet. Only an answer that names the secret and states a valid visibility
   * is believed (with `selected`, the repositories come from their own list); any other throws
   * an {@link UnstatedAudienceError}. A 404 is believed only when the organization's list of
   * secrets does not name it either. Paging is bounded and stops on a page that repeats.
   */
  async getOrganizationSecretAccess(
    destination: SecretDestination,
    name: string
  ): Promise<OrganizationSecretAccess | undefined> {
    const path = `${secretsPath(destination)}/${name}`
    let data: unknown
    try {
      ;({ data } = await this.request(destination, 'GET', path))
    } catch (error) {
      if (!(error instanceof GitHubSecretsError && error.status === 404)) throw error
      const listed = await this.listPages(destination, secretsPath(destination), 'secrets', (s) =>
        typeof s?.name === 'string' ? s.name.toUpperCase() : undefined
      )
      if (!listed.includes(name.toUpperCase())) return undefined
      throw new UnstatedAudienceError(
        `GET ${path} answered HTTP 404, but the organization's list of secrets names ${name}`,
        { method: 'GET', path, status: 404 }
      )
    }
    const secret = (typeof data === 'object' && data !== null ? data : {}) as Record<
      string,
      unknown
    >
    const stated = (field: unknown): string =>
      typeof field === 'string' ? `"${untrusted(field, 100)}"` : 'none'
    // GitHub's secret names are case-insensitive (and answered upper-case).
    const named =
      typeof secret.name === 'string' && secret.name.toUpperCase() === name.toUpperCase()
    const visibility = secret.visibility as Visibility
    if (!named || !VISIBILITIES.includes(visibility)) {
      throw new UnstatedAudienceError(
        `GET ${path} answered HTTP 200 without naming ${name} and stating its visibility (all, private or selected): it names ${stated(secret.name)}, visibility ${stated(secret.visibility)}`,
        { method: 'GET', path, status: 200 }
      )
    }
    if (visibility !== 'selected') return { visibility }
    const ids = await this.listPages(destination, `${path}/repositories`, 'repositories', (r) =>
      Number.isInteger(r?.id) ? (r!.id as number) : undefined
    )
    return { visibility, selectedRepositoryIds: ids }
  }

  /**
   * Every item of a paged list (100 a page), each read by `read`; an item it cannot read, or a
   * page without the list, throws an {@link UnstatedAudienceError}. At most MAX_PAGES pages, and
   * a page that repeats the previous one stops the reading.
   */
  private async listPages<T>(
    destination: SecretDestination,
    path: string,
    field: 'secrets' | 'repositories',
    read: (item: Record<string, unknown> | undefined) => T | undefined
  ): Promise<T[]> {
    const items = new Set<T>()
    let previous = ''
    for (let page = 1; ; page++) {
      const listPath = `${path}?per_page=100&page=${page}`
      const { data } = await this.request<Record<string, unknown>>(destination, 'GET', listPath)
      const list = data?.[field]
      const values = Array.isArray(list) ? list.map((item) => read(item)) : undefined
      if (!values || values.some((item) => item === undefined)) {
        throw new UnstatedAudienceError(
          `GET ${listPath} answered HTTP 200 without a list of ${field} that gives each one's ${field === 'secrets' ? 'name' : 'numeric id'}`,
          { method: 'GET', path: listPath, status: 200 }
        )
      }
      const signature = JSON.stringify(values)
      if (values.length > 0 && signature === previous) {
        throw this.pagingError(listPath, `the same page of ${field} came back twice`)
      }
      previous = signature
      values.forEach((item) => items.add(item as T))
      const total = typeof data.total_count === 'number' ? data.total_count : 0
      if (values.length < 100 || items.size >= total) return [...items]
      if (page >= MAX_PAGES) {
        throw this.pagingError(listPath, `more than ${MAX_PAGES} pages of ${field}`)
      }
    }
  }

  private pagingError(path: string, what: string): GitHubSecretsError {
    return new GitHubSecretsError(
      `GET ${path}: ${what}; the list could not be read, so nothing was changed.`,
      { method: 'GET', path, status: 200 }
    )
  }

  /** When the secret was last written (ms since the epoch); undefined when it does not exist. */
  async secretUpdatedAt(destination: SecretDestination, name: string): Promise<number | undefined> {
    const path = `${secretsPath(destination)}/${name}`
    try {
      const { data } = await this.request<{ updated_at?: unknown }>(destination, 'GET', path)
      const time = typeof data?.updated_at === 'string' ? Date.parse(data.updated_at) : NaN
      // A secret whose time cannot be read counts as just written: the careful reading.
      return Number.isNaN(time) ? this.options.clock.now() : time
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined
      throw error
    }
  }

  /** The numeric ID of a repository (owner/name), for `selected_repository_ids`. */
  async getRepositoryId(repository: string): Promise<number> {
    const destination: SecretDestination = { type: 'actions', kind: 'repository', repository }
    const path = `/repos/${repository}`
    const { data } = await this.request<{ id?: unknown }>(destination, 'GET', path)
    if (!Number.isInteger(data?.id)) {
      throw new GitHubSecretsError(`GitHub answered ${path} without a repository id`, {
        method: 'GET',
        path,
        status: 200
      })
    }
    return data.id as number
  }

  /**
   * Creates or updates the secret; `created` when GitHub answered 201. `failedAttempt` hears
   * each attempt that failed before the one that answered (a retry after an unclear attempt
   * may find the secret that attempt created).
   */
  async putSecret(
    destination: SecretDestination,
    name: string,
    sealed: SealedSecret,
    access?: OrganizationSecretAccess,
    failedAttempt?: (error: unknown) => void
  ): Promise<'created' | 'updated'> {
    const path = `${secretsPath(destination)}/${name}`
    const body = secretWriteBody(sealed, access)
    const { status } = await this.request(destination, 'PUT', path, body, failedAttempt)
    if (status === 201) return 'created'
    if (status === 204) return 'updated'
    // GitHub documents 201 and 204 only: anything else does not prove the secret was stored.
    throw new GitHubSecretsError(
      `PUT ${path} answered HTTP ${status}, not 201 or 204: whether GitHub stored the secret is not known`,
      { method: 'PUT', path, status }
    )
  }

  /**
   * Deletes the secret. A 404 ("does not exist") counts as deleted only when the secret cannot
   * be read either.
   */
  async deleteSecret(destination: SecretDestination, name: string): Promise<void> {
    const path = `${secretsPath(destination)}/${name}`
    let status: number
    try {
      ;({ status } = await this.request(destination, 'DELETE', path))
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404) throw error
      if ((await this.secretUpdatedAt(destination, name)) === undefined) return
      throw new GitHubSecretsError(
        `DELETE ${path} answered HTTP 404, but the secret can still be read: it was not deleted`,
        { method: 'DELETE', path, status: 404 }
      )
    }
    if (status !== 204) {
      throw new GitHubSecretsError(
        `DELETE ${path} answered HTTP ${status}, not 204: whether GitHub deleted the secret is not known`,
        { method: 'DELETE', path, status }
      )
    }
  }

  /** One call with retries; the answer's status and parsed body. */
  private request<T = unknown>(
    destination: SecretDestination,
    method: string,
    path: string,
    body?: Record<string, unknown>,
    failedAttempt?: (error: unknown) => void
  ): Promise<{ status: number; data: T }> {
    const { clock, request, cancellation } = this.options
    return withRetry(
      async () => {
        const write =
          method === 'PUT' || method === 'DELETE' ? await this.paceWrite(method) : undefined
        let sent = false
        const started = clock.now()
        const deadline = clock.deadline(request.timeoutMs)
        const controller = new AbortController()
        const abort = (): void =>
          controller.abort(deadline.signal.reason ?? cancellation.urgent.reason)
        // Deletes clean up (probe secrets): they still go out in the last moments of a run, which
        // must not leave a probe that would hold the destination for the next run.
        const urgent = method === 'DELETE' ? new AbortController().signal : cancellation.urgent
        deadline.signal.addEventListener('abort', abort)
        urgent.addEventListener('abort', abort)
        try {
          const response = await this.inFlight.run(() => {
            // Checked when the request's turn comes, however long it waited for it. A secret
            // write is a change: none is sent after the first signal (deletes clean up).
            if (method === 'PUT') cancellation.throwIfRequested()
            if (urgent.aborted) {
              throw new GitHubSecretsError(
                `${method} ${path} was not sent: the run was cancelled (${cancellation.signal})`,
                { method, path, code: NOT_SENT_CANCELLED }
              )
            }
            sent = true
            return this.octokit.request(`${method} ${path}`, {
              ...body,
              request: { signal: controller.signal }
            })
          })
          core.debug(`GitHub ${method} ${path} -> ${response.status} (${clock.now() - started} ms)`)
          return { status: response.status, data: response.data as T }
        } catch (error) {
          if (error instanceof HttpError || error instanceof CancelledError) throw error
          const stopped = urgent.aborted
            ? 'abandoned: the run was cancelled'
            : deadline.signal.aborted
              ? `no complete answer within ${request.timeoutMs / 1000} s`
              : undefined
          throw toGitHubError(error, destination, method, path, clock.now, stopped)
        } finally {
          deadline.clear()
          deadline.signal.removeEventListener('abort', abort)
          urgent.removeEventListener('abort', abort)
          // A write holds its place until a minute after its answer; one never sent, not at all.
          if (write) write.until = sent ? clock.now() + 60_000 : clock.now()
        }
      },
      {
        ...this.retryPolicy,
        decide: (error) => {
          failedAttempt?.(error)
          return this.retryPolicy.decide(error)
        }
      }
    )
  }

  /**
   * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
   * destinations paces itself instead of tripping GitHub's secondary limits. Returns the
   * write's entry, to be closed when its answer arrives.
   *
   * The first signal ends the wait of a PUT with a {@link CancelledError}: it was never sent.
   * A DELETE after the first signal removes a probe (clean-up, which the run must finish within
   * its last moments): it takes its place without waiting. They are few (one per destination),
   * and GitHub answers a burst over its secondary limit with a rate limit, never a lost write.
   */
  private async paceWrite(method: 'PUT' | 'DELETE'): Promise<{ until: number }> {
    const { clock, cancellation, writesPerMinute: limit } = this.options
    const cleanUp = (): boolean => method === 'DELETE' && cancellation.requested.aborted
    for (;;) {
      const time = clock.now()
      this.writes = this.writes.filter((w) => w.until > time)
      if (this.writes.length < limit || cleanUp()) {
        const write = { until: Infinity }
        this.writes.push(write)
        return write
      }
      const until = Math.min(...this.writes.map((w) => w.until))
      const wait = until === Infinity ? 1000 : until - time
      if (until !== Infinity && until > this.pacingNoticeUntil) {
        this.pacingNoticeUntil = until
        core.info(
          `Pacing secret writes under writes-per-minute (${limit}): waiting ${Math.ceil(wait / 1000)} s`
        )
      }
      try {
        await clock.sleep(wait, cancellation.requested)
      } catch (error) {
        if (!cleanUp()) throw error
      }
    }
  }
}

interface OctokitFailure {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

/** The permission a token needs to write secrets of the destination. */
function writePermission(destination: SecretDestination): string {
  const organization = destination.kind === 'organization'
  switch (destination.type) {
    case 'dependabot':
      return organization
        ? 'the organization permission "Organization dependabot secrets: Read and write"'
        : 'the repository permission "Dependabot secrets: Read and write"'
    case 'codespaces':
      return organization
        ? 'the organization permission "Organization codespaces secrets: Read and write"'
        : 'the repository permission "Codespaces secrets: Read and write"'
    case 'actions':
      if (organization) return 'the organization permission "Secrets: Read and write"'
      return destination.kind === 'environment'
        ? 'the repository permissions "Secrets: Read and write" and "Environments: Read"'
        : 'the repository permission "Secrets: Read and write"'
  }
}

/** Maps an Octokit failure to what the user must do. */
function toGitHubError(
  error: unknown,
  destination: SecretDestination,
  method: string,
  path: string,
  now: () => number,
  stopped: string | undefined
): GitHubSecretsError {
  const failure = error as OctokitFailure
  const where = destinationLabel(destination)
  const request = `${method} ${path}`
  if (!failure.response) {
    // Stopped by this run (its deadline, a cancellation), or a network failure.
    const reason = stopped ?? untrusted(errorText(error))
    return new GitHubSecretsError(`${request} failed: ${reason}`, { method, path, cause: error })
  }
  const status = failure.status ?? 0
  const headers = failure.response.headers ?? {}
  const message = (failure.response.data as { message?: unknown } | undefined)?.message
  const serverMessage = typeof message === 'string' ? untrusted(message) : ''
  const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''}`
  const options = { method, path, status, serverMessage, cause: error }
  const limit = rateLimit(status, headers, serverMessage, now)
  if (limit) {
    const wait = limit.retryAfterMs
    const asked =
      wait === undefined
        ? ''
        : wait > MAX_SERVER_WAIT_MS
          ? `: GitHub asks to wait ${Math.ceil(wait / 60_000)} minutes, longer than the ${MAX_SERVER_WAIT_MS / 60_000} a run waits for one request; run again once the limit has reset`
          : `: GitHub asks to wait ${Math.ceil(wait / 1000)} s`
    return new GitHubSecretsError(`${said} (GitHub rate limit${asked})`, {
      ...options,
      rateLimited: true,
      retryAfterMs: limit.retryAfterMs
    })
  }
  if (status >= 500) return new GitHubSecretsError(said, options)
  let advice: string
  switch (status) {
    case 401:
      advice = 'GitHub rejected github-token: it is invalid, expired or revoked.'
      break
    case 403:
      advice =
        `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
        ` use a GitHub App installation token or a fine-grained personal access token with ${writePermission(destination)}.`
      break
    case 404:
      advice = `${where} was not found, or github-token cannot see it: check the name and the token's repository or organization access.`
      break
    case 422:
      advice = `GitHub refused the request for ${where}.`
      break
    default:
      advice = `The request for ${where} failed.`
  }
  return new GitHubSecretsError(`${said}. ${advice}`, options)
}

/**
 * GitHub's primary and secondary limits answer 403 or 429: the wait GitHub asks for
 * (retry-after, else x-ratelimit-reset when nothing remains), or no time named; undefined when
 * the answer is no rate limit.
 */
function rateLimit(
  status: number,
  headers: Record<string, string | undefined>,
  serverMessage: string,
  now: () => number
): { retryAfterMs?: number } | undefined {
  if (status !== 403 && status !== 429) return undefined
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now)
  if (retryAfterMs !== undefined) return { retryAfterMs }
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
    const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now()
    return { retryAfterMs: Math.max(resetMs, 1000) }
  }
  if (status === 429 || /rate limit/i.test(serverMessage)) return {}
  return undefined
}

/**
 * The `fetch` Octokit sends with: the same proxy-aware agent, extra CA and body cap as the key
 * platforms' requests (`exchange`), never a bare `fetch` that would ignore HTTPS_PROXY.
 */
function fetchThrough(client: HttpClient): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    const signal = init?.signal ?? new AbortController().signal
    const response = await exchange(client, url, {
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal
    })
    const text = await readCapped(response, signal, MAX_BODY_BYTES)
    const status = response.statusCode ?? 0
    const answerHeaders = new Headers()
    for (const [name, value] of Object.entries(response.headers))
      for (const v of Array.isArray(value) ? value : [value ?? '']) answerHeaders.append(name, v)
    return new Response(status === 204 || status === 304 ? null : text, {
      status,
      headers: answerHeaders
    })
  }
}
