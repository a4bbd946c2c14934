import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import type { Visibility } from '../inputs.js'
import {
  logRetry,
  parseRetryAfter,
  withRetry,
  type RetryDecision,
  type RetryPolicy
} from '../retry.js'
import { redact } from '../secrets.js'
import { USER_AGENT } from '../version.js'
import type { SealedSecret } from './seal.js'

/** One place a GitHub Actions secret is stored. */
export type SecretDestination =
  | { kind: 'repository'; repository: string }
  | { kind: 'environment'; repository: string; environment: string }
  | { kind: 'organization'; organization: string }

export interface PublicKey {
  key_id: string
  key: string
}

/** Who may read an organization secret; kept as it is when the secret is rotated. */
export interface OrganizationSecretAccess {
  visibility: Visibility
  selectedRepositoryIds?: number[]
}

/** A failed GitHub call, with the destination and what the user must do about it. */
export class GitHubSecretsError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** HTTP status; undefined when no answer arrived. */
    readonly status: number | undefined,
    readonly retryDecision: RetryDecision
  ) {
    super(message)
    this.name = 'GitHubSecretsError'
  }
}

export function describeDestination(destination: SecretDestination): string {
  switch (destination.kind) {
    case 'repository':
      return `repository ${destination.repository}`
    case 'environment':
      return `environment "${destination.environment}" of ${destination.repository}`
    case 'organization':
      return `organization ${destination.organization}`
  }
}

/** The REST path of the destination's secrets collection (environment name URL-encoded). */
export function secretsPath(destination: SecretDestination): string {
  switch (destination.kind) {
    case 'repository':
      return `/repos/${destination.repository}/actions/secrets`
    case 'environment':
      return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`
    case 'organization':
      return `/orgs/${destination.organization}/actions/secrets`
  }
}

/** The body of a secret write; the same body the replay command sends. */
export function secretWriteBody(
  sealed: SealedSecret,
  access?: OrganizationSecretAccess
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    encrypted_value: sealed.encryptedValue,
    key_id: sealed.keyId
  }
  if (access) {
    body.visibility = access.visibility
    if (access.visibility === 'selected') {
      body.selected_repository_ids = access.selectedRepositoryIds ?? []
    }
  }
  return body
}

export interface GitHubSecretsClientOptions {
  token: string
  baseUrl: string
  maxAttempts: number
  timeoutMs: number
  sleep: (ms: number) => Promise<void>
  /** The clock of the write pacing; injected by tests with `sleep`. */
  now?: () => number
  random?: () => number
  /** Secret writes and deletes per rolling minute (GitHub's content-creation limit is 80). */
  writesPerMinute?: number
}

/** GitHub's documented secondary limit on content-creating requests. */
const GITHUB_WRITES_PER_MINUTE = 80

type Octokit = ReturnType<typeof getOctokit>

/** Reads public keys and writes Actions secrets through GitHub's REST API. */
export class GitHubSecretsClient {
  private readonly octokit: Octokit
  private readonly retryPolicy: RetryPolicy
  /** When recent writes were sent, oldest first, for the rolling-minute pacing. */
  private readonly writeTimes: number[] = []
  private pacingNoticeUntil = 0

  constructor(private readonly options: GitHubSecretsClientOptions) {
    this.octokit = getOctokit(options.token, {
      baseUrl: options.baseUrl,
      userAgent: USER_AGENT,
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => core.debug(message),
        error: (message: string) => core.debug(message)
      }
    })
    this.retryPolicy = {
      maxAttempts: options.maxAttempts,
      sleep: options.sleep,
      random: options.random,
      onRetry: logRetry(options.maxAttempts)
    }
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
    if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
      throw new GitHubSecretsError(
        `GitHub answered the public key of ${describeDestination(destination)} without key_id and key`,
        'GET',
        `${secretsPath(destination)}/public-key`,
        200,
        { retry: false }
      )
    }
    return { key_id: data.key_id, key: data.key }
  }

  /** The current visibility and selected repositories of an organization secret; undefined if it does not exist yet. */
  async getOrganizationSecretAccess(
    organization: string,
    name: string
  ): Promise<OrganizationSecretAccess | undefined> {
    const destination: SecretDestination = { kind: 'organization', organization }
    const path = `${secretsPath(destination)}/${name}`
    let secret: { visibility?: Visibility }
    try {
      secret = (await this.request<{ visibility?: Visibility }>(destination, 'GET', path)).data
    } catch (error) {
      if (error instanceof GitHubSecretsError && error.status === 404) return undefined
      throw error
    }
    const visibility = secret.visibility ?? 'private'
    if (visibility !== 'selected') return { visibility }
    const ids: number[] = []
    for (let page = 1; ; page++) {
      const { data: list } = await this.request<{
        total_count?: number
        repositories?: { id: number }[]
      }>(destination, 'GET', `${path}/repositories?per_page=100&page=${page}`)
      const repositories = list.repositories ?? []
      ids.push(...repositories.map((r) => r.id))
      if (repositories.length < 100 || ids.length >= (list.total_count ?? 0)) break
    }
    return { visibility, selectedRepositoryIds: ids }
  }

  /** Creates or updates the secret; `created` when GitHub answered 201. */
  async putSecret(
    destination: SecretDestination,
    name: string,
    sealed: SealedSecret,
    access?: OrganizationSecretAccess
  ): Promise<'created' | 'updated'> {
    const { status } = await this.request(
      destination,
      'PUT',
      `${secretsPath(destination)}/${name}`,
      secretWriteBody(sealed, access)
    )
    return status === 201 ? 'created' : 'updated'
  }

  async deleteSecret(destination: SecretDestination, name: string): Promise<void> {
    await this.request(destination, 'DELETE', `${secretsPath(destination)}/${name}`)
  }

  /** One call with retries; the answer's status and parsed body. */
  private request<T = unknown>(
    destination: SecretDestination,
    method: string,
    path: string,
    body?: Record<string, unknown>
  ): Promise<{ status: number; data: T }> {
    return withRetry(
      async () => {
        if (method === 'PUT' || method === 'DELETE') await this.paceWrite()
        const started = Date.now()
        try {
          const response = await this.octokit.request(`${method} ${path}`, {
            ...body,
            request: { signal: AbortSignal.timeout(this.options.timeoutMs) }
          })
          core.debug(`GitHub ${method} ${path} -> ${response.status} (${Date.now() - started} ms)`)
          return { status: response.status, data: response.data as T }
        } catch (error) {
          throw toGitHubError(error, destination, method, path)
        }
      },
      (error) => (error instanceof GitHubSecretsError ? error.retryDecision : { retry: false }),
      this.retryPolicy
    )
  }

  /**
   * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
   * destinations paces itself instead of tripping GitHub's secondary limits.
   */
  private async paceWrite(): Promise<void> {
    const limit = this.options.writesPerMinute ?? GITHUB_WRITES_PER_MINUTE
    const now = this.options.now ?? Date.now
    for (;;) {
      const time = now()
      while (this.writeTimes.length > 0 && this.writeTimes[0] <= time - 60_000)
        this.writeTimes.shift()
      if (this.writeTimes.length < limit) {
        this.writeTimes.push(time)
        return
      }
      const until = this.writeTimes[0] + 60_000
      if (until > this.pacingNoticeUntil) {
        this.pacingNoticeUntil = until
        core.info(
          `Pacing secret writes under GitHub's limit of ${limit} a minute: waiting ${Math.ceil((until - time) / 1000)} s`
        )
      }
      await this.options.sleep(until - time)
    }
  }
}

interface OctokitFailure {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

/** Maps an Octokit failure to what the user must do, and to whether it may be retried. */
function toGitHubError(
  error: unknown,
  destination: SecretDestination,
  method: string,
  path: string
): GitHubSecretsError {
  const failure = error as OctokitFailure
  const where = describeDestination(destination)
  const request = `${method} ${path}`
  if (!failure.response) {
    const reason =
      (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError'
        ? 'no answer in time'
        : redact((error as Error)?.message ?? String(error))
    return new GitHubSecretsError(`${request} failed: ${reason}`, method, path, undefined, {
      retry: true
    })
  }
  const status = failure.status ?? 0
  const headers = failure.response.headers ?? {}
  const serverMessage =
    typeof (failure.response.data as { message?: unknown })?.message === 'string'
      ? redact((failure.response.data as { message: string }).message.slice(0, 500))
      : ''
  const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`
  const rateLimit = rateLimitDecision(status, headers, serverMessage)
  if (rateLimit) {
    return new GitHubSecretsError(`${said} (GitHub rate limit)`, method, path, status, rateLimit)
  }
  if (status >= 500) {
    return new GitHubSecretsError(said, method, path, status, { retry: true })
  }
  let advice: string
  switch (status) {
    case 401:
      advice = 'GitHub rejected github-token: it is invalid, expired or revoked.'
      break
    case 403:
      advice =
        `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
        ' use a fine-grained personal access token or a GitHub App token with the repository permission' +
        ' "Secrets: Read and write" (environment secrets: also "Environments: Read";' +
        ' organization secrets: the organization permission "Secrets: Read and write").'
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
  return new GitHubSecretsError(`${said}. ${advice}`, method, path, status, { retry: false })
}

/**
 * GitHub's primary and secondary limits answer 403 or 429: honour retry-after, else wait for
 * x-ratelimit-reset when nothing remains, else wait at least a minute.
 */
function rateLimitDecision(
  status: number,
  headers: Record<string, string | undefined>,
  serverMessage: string
): RetryDecision | undefined {
  if (status !== 403 && status !== 429) return undefined
  const retryAfterMs = parseRetryAfter(headers['retry-after'])
  if (retryAfterMs !== undefined) return { retry: true, afterMs: retryAfterMs }
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
    const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - Date.now()
    return { retry: true, afterMs: Math.max(resetMs, 1000) }
  }
  if (status === 429 || /rate limit/i.test(serverMessage)) {
    return { retry: true, minDelayMs: 60_000 }
  }
  return undefined
}
