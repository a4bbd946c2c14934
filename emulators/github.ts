import sodium from 'libsodium-wrappers'
import { randomInt } from 'node:crypto'
import {
  EmulatorServer,
  matchRoute,
  type EmulatedRequest,
  type EmulatedResponse
} from './server.js'

/** A scope's key pair: GitHub keeps the private half and opens every sealed value with it. */
interface KeyPair {
  keyId: string
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export interface StoredSecret {
  /** The plaintext GitHub would hand to workflows. */
  value: string
  createdAt: string
  updatedAt: string
  /** Organization secrets only. */
  visibility?: 'all' | 'private' | 'selected'
  selectedRepositoryIds?: number[]
}

interface SecretScope {
  keys: KeyPair
  secrets: Map<string, StoredSecret>
}

interface Repository {
  id: number
  fullName: string
  scope: SecretScope
  environments: Map<string, SecretScope>
}

export interface TokenGrant {
  /** May write and delete secrets. */
  write: boolean
  /** Repositories (owner/name) and organizations it can see; all when absent. */
  visible?: string[]
}

/**
 * GitHub secondary rate limits, enforced when set: concurrent requests, and secret writes per
 * rolling minute. Over a limit the emulator answers 403 with retry-after, as GitHub does.
 */
export interface SecondaryLimits {
  maxConcurrent: number
  writesPerMinute: number
  retryAfterSeconds: number
}

const error = (
  status: number,
  message: string,
  headers?: Record<string, string>
): EmulatedResponse => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest' },
  headers
})

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * A GitHub REST stand-in for Actions secrets of repositories, environments and organizations,
 * with real libsodium key pairs: tests read back the plaintext a sealed value opens to.
 */
export class GitHubEmulator extends EmulatorServer {
  readonly repositories = new Map<string, Repository>()
  readonly organizations = new Map<string, SecretScope>()
  readonly tokens = new Map<string, TokenGrant>()
  secondaryLimits?: SecondaryLimits
  /** How many requests the secondary limits refused. */
  limited = 0
  /** The clock of the writes-per-minute window (tests share a fake one with the action). */
  now: () => number = Date.now
  private readonly writeTimes: number[] = []
  private nextRepositoryId = 1000

  private constructor() {
    super('')
  }

  /** libsodium must be ready before key pairs can be made. */
  static async create(): Promise<GitHubEmulator> {
    await sodium.ready
    return new GitHubEmulator()
  }

  addToken(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant)
  }

  addRepository(fullName: string, environments: string[] = []): Repository {
    const repository: Repository = {
      id: this.nextRepositoryId++,
      fullName,
      scope: newScope(),
      environments: new Map(environments.map((e) => [e, newScope()]))
    }
    this.repositories.set(fullName.toLowerCase(), repository)
    return repository
  }

  addOrganization(name: string): void {
    this.organizations.set(name.toLowerCase(), newScope())
  }

  /** Seeds a secret as if it had been written before (for organization visibility tests). */
  seedSecret(
    where: { repository?: string; environment?: string; organization?: string },
    name: string,
    secret: Partial<StoredSecret> & { value: string }
  ): void {
    const scope = this.scopeOf(where)
    const now = new Date().toISOString()
    scope.secrets.set(name.toUpperCase(), { createdAt: now, updatedAt: now, ...secret })
  }

  /** The stored secret (plaintext and metadata), or undefined. */
  secret(
    where: { repository?: string; environment?: string; organization?: string },
    name: string
  ): StoredSecret | undefined {
    return this.scopeOf(where).secrets.get(name.toUpperCase())
  }

  /** Opens a sealed value with the scope's private key, as GitHub would (for replay tests). */
  open(
    where: { repository?: string; environment?: string; organization?: string },
    encryptedValue: string
  ): string {
    const { keys } = this.scopeOf(where)
    const sealed = sodium.from_base64(encryptedValue, sodium.base64_variants.ORIGINAL)
    return sodium.to_string(sodium.crypto_box_seal_open(sealed, keys.publicKey, keys.privateKey))
  }

  private scopeOf(where: {
    repository?: string
    environment?: string
    organization?: string
  }): SecretScope {
    if (where.organization) return this.organizations.get(where.organization.toLowerCase())!
    const repository = this.repositories.get(where.repository!.toLowerCase())!
    return where.environment ? repository.environments.get(where.environment)! : repository.scope
  }

  protected handle(request: EmulatedRequest): EmulatedResponse {
    return this.checkSecondaryLimits(request) ?? this.route(request)
  }

  private checkSecondaryLimits(request: EmulatedRequest): EmulatedResponse | undefined {
    const limits = this.secondaryLimits
    if (!limits) return undefined
    const retry = { 'retry-after': String(limits.retryAfterSeconds) }
    // inFlight counts this request too.
    if (this.inFlight > limits.maxConcurrent) {
      this.limited++
      return error(403, 'You have exceeded a secondary rate limit (concurrent requests).', retry)
    }
    if (request.method === 'PUT') {
      const now = this.now()
      while (this.writeTimes.length && this.writeTimes[0] <= now - 60_000) this.writeTimes.shift()
      if (this.writeTimes.length >= limits.writesPerMinute) {
        this.limited++
        return error(429, 'You have exceeded a secondary rate limit (content creation).', retry)
      }
      this.writeTimes.push(now)
    }
    return undefined
  }

  private route(request: EmulatedRequest): EmulatedResponse {
    const token = authToken(request.headers.authorization)
    const grant = token ? this.tokens.get(token) : undefined
    if (!grant) return error(401, 'Bad credentials')

    const repoMatch =
      matchRoute('/repos/:owner/:repo/actions/secrets/:name', request.path) ??
      matchRoute('/repos/:owner/:repo/environments/:environment/secrets/:name', request.path)
    if (repoMatch) {
      const fullName = `${repoMatch.owner}/${repoMatch.repo}`
      const repository = this.repositories.get(fullName.toLowerCase())
      if (!repository || !visible(grant, fullName)) return error(404, 'Not Found')
      let scope = repository.scope
      if (repoMatch.environment !== undefined) {
        const environment = repository.environments.get(repoMatch.environment)
        if (!environment) return error(404, 'Not Found')
        scope = environment
      }
      return this.secretEndpoint(request, grant, scope, repoMatch.name)
    }
    const orgMatch =
      matchRoute('/orgs/:org/actions/secrets/:name/repositories', request.path) ??
      matchRoute('/orgs/:org/actions/secrets/:name', request.path)
    if (orgMatch) {
      const scope = this.organizations.get(orgMatch.org.toLowerCase())
      if (!scope || !visible(grant, orgMatch.org)) return error(404, 'Not Found')
      if (request.path.endsWith('/repositories') && request.method === 'GET') {
        const secret = scope.secrets.get(orgMatch.name.toUpperCase())
        if (!secret) return error(404, 'Not Found')
        if (secret.visibility !== 'selected')
          return error(409, 'The secret is not visible to selected repositories.')
        const repositories = [...this.repositories.values()]
          .filter((r) => secret.selectedRepositoryIds?.includes(r.id))
          .map((r) => ({ id: r.id, full_name: r.fullName }))
        const page = Number(request.query.get('page') ?? 1)
        const perPage = Number(request.query.get('per_page') ?? 30)
        return {
          status: 200,
          body: {
            total_count: repositories.length,
            repositories: repositories.slice((page - 1) * perPage, page * perPage)
          }
        }
      }
      return this.secretEndpoint(request, grant, scope, orgMatch.name, true)
    }
    return error(404, 'Not Found')
  }

  private secretEndpoint(
    request: EmulatedRequest,
    grant: TokenGrant,
    scope: SecretScope,
    name: string,
    organization = false
  ): EmulatedResponse {
    if (name === 'public-key' && request.method === 'GET') {
      return {
        status: 200,
        body: {
          key_id: scope.keys.keyId,
          key: sodium.to_base64(scope.keys.publicKey, sodium.base64_variants.ORIGINAL)
        }
      }
    }
    const upper = name.toUpperCase()
    const existing = scope.secrets.get(upper)
    switch (request.method) {
      case 'GET':
        if (!existing) return error(404, 'Not Found')
        return {
          status: 200,
          body: {
            name: upper,
            created_at: existing.createdAt,
            updated_at: existing.updatedAt,
            ...(organization && {
              visibility: existing.visibility,
              selected_repositories_url: `${this.url}${request.path}/repositories`
            })
          }
        }
      case 'DELETE':
        if (!grant.write) return error(403, 'Resource not accessible by personal access token')
        if (!existing) return error(404, 'Not Found')
        scope.secrets.delete(upper)
        return { status: 204 }
      case 'PUT': {
        if (!grant.write) return error(403, 'Resource not accessible by personal access token')
        if (!SECRET_NAME.test(name) || /^GITHUB_/i.test(name)) {
          return error(
            422,
            'Secret names can only contain alphanumeric characters or underscores and must not start with a number or GITHUB_.'
          )
        }
        const body = (request.body ?? {}) as Record<string, unknown>
        if (typeof body.encrypted_value !== 'string' || typeof body.key_id !== 'string') {
          return error(422, 'encrypted_value and key_id are required.')
        }
        if (body.key_id !== scope.keys.keyId)
          return error(422, 'key_id does not match the current public key.')
        let value: string
        try {
          const sealed = sodium.from_base64(body.encrypted_value, sodium.base64_variants.ORIGINAL)
          value = sodium.to_string(
            sodium.crypto_box_seal_open(sealed, scope.keys.publicKey, scope.keys.privateKey)
          )
        } catch {
          return error(422, 'Bad request: the value could not be decrypted with the public key.')
        }
        const stored: StoredSecret = {
          value,
          createdAt: existing?.createdAt ?? new Date().toISOString(),
          updatedAt: new Date().toISOString()
        }
        if (organization) {
          if (!['all', 'private', 'selected'].includes(body.visibility as string)) {
            return error(422, 'visibility must be one of all, private, selected.')
          }
          stored.visibility = body.visibility as StoredSecret['visibility']
          if (stored.visibility === 'selected') {
            stored.selectedRepositoryIds = Array.isArray(body.selected_repository_ids)
              ? (body.selected_repository_ids as number[])
              : []
          }
        }
        scope.secrets.set(upper, stored)
        return { status: existing ? 204 : 201 }
      }
    }
    return error(404, 'Not Found')
  }
}

function newScope(): SecretScope {
  const pair = sodium.crypto_box_keypair()
  return {
    keys: {
      keyId: `${randomInt(1e9, 9e9)}${randomInt(1e8, 9e8)}`,
      publicKey: pair.publicKey,
      privateKey: pair.privateKey
    },
    secrets: new Map()
  }
}

function authToken(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header ?? '')
  return match?.[1]
}

function visible(grant: TokenGrant, name: string): boolean {
  return (
    grant.visible === undefined || grant.visible.some((v) => v.toLowerCase() === name.toLowerCase())
  )
}
