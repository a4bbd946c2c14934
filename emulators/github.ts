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

/** The kinds of secrets GitHub keeps, each with its own endpoints and key pairs. */
export type SecretType = 'actions' | 'dependabot' | 'codespaces'
const SECRET_TYPES: readonly SecretType[] = ['actions', 'dependabot', 'codespaces']

/** Where a secret lives; `type` defaults to `actions` (environments hold Actions secrets only). */
export interface SecretLocation {
  repository?: string
  environment?: string
  organization?: string
  type?: SecretType
}

interface Repository {
  id: number
  fullName: string
  /** The Actions secrets scope (the same as `scopes.actions`). */
  scope: SecretScope
  scopes: Record<SecretType, SecretScope>
  environments: Map<string, SecretScope>
}

export interface TokenGrant {
  /** May write and delete secrets. */
  write: boolean
  /**
   * When present, only secrets of these types may be written (and Codespaces secrets read):
   * a token with some of the three secrets permissions. Others get 403.
   */
  writeTypes?: SecretType[]
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
 * A GitHub REST stand-in for Actions, Dependabot and Codespaces secrets of repositories,
 * environments (Actions only) and organizations, with real libsodium key pairs (one per scope
 * and type): tests read back the plaintext a sealed value opens to.
 */
export class GitHubEmulator extends EmulatorServer {
  readonly repositories = new Map<string, Repository>()
  /** Organization name (lower case) to its Actions secrets scope. */
  readonly organizations = new Map<string, SecretScope>()
  readonly tokens = new Map<string, TokenGrant>()
  secondaryLimits?: SecondaryLimits
  /** How many requests the secondary limits refused. */
  limited = 0
  /** The clock of the writes-per-minute window (tests share a fake one with the action). */
  now: () => number = Date.now
  private readonly writeTimes: number[] = []
  private nextRepositoryId = 1000
  private readonly organizationScopes = new Map<string, Record<SecretType, SecretScope>>()

  private constructor(tls?: { key: string; cert: string }) {
    super('', tls)
  }

  /**
   * libsodium must be ready before key pairs can be made. With `tls`, it serves HTTPS with that
   * key and certificate.
   */
  static async create(tls?: { key: string; cert: string }): Promise<GitHubEmulator> {
    await sodium.ready
    return new GitHubEmulator(tls)
  }

  addToken(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant)
  }

  addRepository(fullName: string, environments: string[] = []): Repository {
    const scopes = newScopes()
    const repository: Repository = {
      id: this.nextRepositoryId++,
      fullName,
      scope: scopes.actions,
      scopes,
      environments: new Map(environments.map((e) => [e, newScope()]))
    }
    this.repositories.set(fullName.toLowerCase(), repository)
    return repository
  }

  addOrganization(name: string): void {
    const scopes = newScopes()
    this.organizationScopes.set(name.toLowerCase(), scopes)
    this.organizations.set(name.toLowerCase(), scopes.actions)
  }

  /** Seeds a secret as if it had been written before (for organization visibility tests). */
  seedSecret(
    where: SecretLocation,
    name: string,
    secret: Partial<StoredSecret> & { value: string }
  ): void {
    const scope = this.scopeOf(where)
    const now = new Date().toISOString()
    scope.secrets.set(name.toUpperCase(), { createdAt: now, updatedAt: now, ...secret })
  }

  /** The stored secret (plaintext and metadata), or undefined. */
  secret(where: SecretLocation, name: string): StoredSecret | undefined {
    return this.scopeOf(where).secrets.get(name.toUpperCase())
  }

  /** The `key_id` of a scope's public key. */
  keyId(where: SecretLocation): string {
    return this.scopeOf(where).keys.keyId
  }

  /**
   * Gives the scope a new key pair, as GitHub does from time to time: values sealed for the old
   * public key are refused from now on (422).
   */
  rotatePublicKey(where: SecretLocation): void {
    this.scopeOf(where).keys = newScope().keys
  }

  /**
   * Gives the scope's public key another `key_id` (any text: a hostile GitHub, or something in
   * between), which its writes then expect.
   */
  setKeyId(where: SecretLocation, keyId: string): void {
    this.scopeOf(where).keys.keyId = keyId
  }

  /** Opens a sealed value with the scope's private key, as GitHub would (for replay tests). */
  open(where: SecretLocation, encryptedValue: string): string {
    return openSealed(this.scopeOf(where), encryptedValue)
  }

  private scopeOf(where: SecretLocation): SecretScope {
    const type = where.type ?? 'actions'
    if (where.organization)
      return this.organizationScopes.get(where.organization.toLowerCase())![type]
    const repository = this.repositories.get(where.repository!.toLowerCase())!
    if (where.environment === undefined) return repository.scopes[type]
    if (type !== 'actions') throw new Error('Environments hold Actions secrets only')
    return repository.environments.get(where.environment)!
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
    const { path } = request

    const repoMatch = matchRoute('/repos/:owner/:repo', path)
    if (repoMatch && request.method === 'GET') {
      const repository = this.visibleRepository(grant, repoMatch.owner, repoMatch.repo)
      return repository ? ok(this.repositoryJson(repository)) : error(404, 'Not Found')
    }

    const repoSecrets =
      matchRoute('/repos/:owner/:repo/:type/secrets', path) ??
      matchRoute('/repos/:owner/:repo/:type/secrets/:name', path)
    if (repoSecrets && isSecretType(repoSecrets.type)) {
      const type = repoSecrets.type
      const repository = this.visibleRepository(grant, repoSecrets.owner, repoSecrets.repo)
      if (!repository) return error(404, 'Not Found')
      return this.secretEndpoint(request, grant, type, repository.scopes[type], repoSecrets.name)
    }

    const environmentSecrets =
      matchRoute('/repos/:owner/:repo/environments/:environment/secrets', path) ??
      matchRoute('/repos/:owner/:repo/environments/:environment/secrets/:name', path)
    if (environmentSecrets) {
      const { owner, repo, environment, name } = environmentSecrets
      const scope = this.visibleRepository(grant, owner, repo)?.environments.get(environment)
      if (!scope) return error(404, 'Not Found')
      return this.secretEndpoint(request, grant, 'actions', scope, name)
    }

    const orgSecrets =
      matchRoute('/orgs/:org/:type/secrets', path) ??
      matchRoute('/orgs/:org/:type/secrets/:name', path) ??
      matchRoute('/orgs/:org/:type/secrets/:name/repositories', path) ??
      matchRoute('/orgs/:org/:type/secrets/:name/repositories/:repositoryId', path)
    if (orgSecrets && isSecretType(orgSecrets.type)) {
      const { org, type, name, repositoryId } = orgSecrets
      const scope = this.organizationScopes.get(org.toLowerCase())?.[type]
      if (!scope || !visible(grant, org)) return error(404, 'Not Found')
      if (path.endsWith('/repositories') || repositoryId !== undefined) {
        const denied = this.denied(request, grant, type)
        if (denied) return denied
        return this.selectedRepositories(request, org, scope, name!, repositoryId)
      }
      return this.secretEndpoint(request, grant, type, scope, name, org)
    }
    return error(404, 'Not Found')
  }

  private visibleRepository(
    grant: TokenGrant,
    owner: string,
    repo: string
  ): Repository | undefined {
    const fullName = `${owner}/${repo}`
    const repository = this.repositories.get(fullName.toLowerCase())
    return repository && visible(grant, fullName) ? repository : undefined
  }

  /**
   * 403 when the grant may not make this request: writes need the write permission of the
   * secret type, and Codespaces secrets need it even to be read.
   */
  private denied(
    request: EmulatedRequest,
    grant: TokenGrant,
    type: SecretType
  ): EmulatedResponse | undefined {
    if (request.method === 'GET' && type !== 'codespaces') return undefined
    if (!grant.write) return error(403, 'Resource not accessible by personal access token')
    if (grant.writeTypes && !grant.writeTypes.includes(type))
      return error(403, 'Resource not accessible by integration')
    return undefined
  }

  private secretEndpoint(
    request: EmulatedRequest,
    grant: TokenGrant,
    type: SecretType,
    scope: SecretScope,
    name: string | undefined,
    organization?: string
  ): EmulatedResponse {
    const denied = this.denied(request, grant, type)
    if (denied) return denied
    if (name === undefined) {
      if (request.method !== 'GET') return error(404, 'Not Found')
      const secrets = [...scope.secrets].map(([n, s]) =>
        this.secretJson(request, n, s, organization)
      )
      return ok({ total_count: secrets.length, secrets: page(request, secrets) })
    }
    if (name === 'public-key' && request.method === 'GET') {
      return ok({
        key_id: scope.keys.keyId,
        key: sodium.to_base64(scope.keys.publicKey, sodium.base64_variants.ORIGINAL)
      })
    }
    const upper = name.toUpperCase()
    const existing = scope.secrets.get(upper)
    switch (request.method) {
      case 'GET':
        if (!existing) return error(404, 'Not Found')
        return ok(this.secretJson(request, upper, existing, organization))
      case 'DELETE':
        if (!existing) return error(404, 'Not Found')
        scope.secrets.delete(upper)
        return { status: 204 }
      case 'PUT': {
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
          value = openSealed(scope, body.encrypted_value)
        } catch {
          return error(422, 'Bad request: the value could not be decrypted with the public key.')
        }
        const stored: StoredSecret = {
          value,
          createdAt: existing?.createdAt ?? new Date().toISOString(),
          updatedAt: new Date().toISOString()
        }
        if (organization !== undefined) {
          if (!['all', 'private', 'selected'].includes(body.visibility as string)) {
            return error(422, 'visibility must be one of all, private, selected.')
          }
          stored.visibility = body.visibility as StoredSecret['visibility']
          if (body.selected_repository_ids !== undefined && stored.visibility !== 'selected')
            return error(422, 'selected_repository_ids is only allowed with visibility selected.')
          if (stored.visibility === 'selected') {
            const ids = this.organizationRepositoryIds(
              organization,
              body.selected_repository_ids ?? []
            )
            if (typeof ids === 'string') return error(422, ids)
            stored.selectedRepositoryIds = ids
          }
        }
        scope.secrets.set(upper, stored)
        // GitHub answers a created secret with an empty object, an updated one with no content.
        return existing ? { status: 204 } : { status: 201, body: {} }
      }
    }
    return error(404, 'Not Found')
  }

  /** `GET|PUT .../secrets/{name}/repositories` and `PUT|DELETE .../repositories/{id}`. */
  private selectedRepositories(
    request: EmulatedRequest,
    organization: string,
    scope: SecretScope,
    name: string,
    repositoryId: string | undefined
  ): EmulatedResponse {
    const secret = scope.secrets.get(name.toUpperCase())
    if (!secret) return error(404, 'Not Found')
    if (secret.visibility !== 'selected')
      return error(409, 'The secret is not visible to selected repositories.')
    const selected = secret.selectedRepositoryIds ?? []
    if (repositoryId === undefined && request.method === 'GET') {
      const repositories = [...this.repositories.values()]
        .filter((r) => selected.includes(r.id))
        .map((r) => this.repositoryJson(r))
      return ok({ total_count: repositories.length, repositories: page(request, repositories) })
    }
    if (repositoryId === undefined && request.method === 'PUT') {
      const body = (request.body ?? {}) as Record<string, unknown>
      if (!Array.isArray(body.selected_repository_ids))
        return error(422, 'selected_repository_ids is required.')
      const ids = this.organizationRepositoryIds(organization, body.selected_repository_ids)
      if (typeof ids === 'string') return error(422, ids)
      secret.selectedRepositoryIds = ids
      return { status: 204 }
    }
    if (repositoryId !== undefined && (request.method === 'PUT' || request.method === 'DELETE')) {
      const ids = this.organizationRepositoryIds(organization, [repositoryId])
      if (typeof ids === 'string') return error(422, ids)
      const others = selected.filter((id) => id !== ids[0])
      secret.selectedRepositoryIds = request.method === 'PUT' ? [...others, ids[0]] : others
      return { status: 204 }
    }
    return error(404, 'Not Found')
  }

  /**
   * The IDs as numbers when every one is a repository of the organization, else the 422
   * message. GitHub does not document what it does with a foreign ID; refusing is the careful
   * choice (a secret must never silently reach fewer repositories than asked for).
   */
  private organizationRepositoryIds(organization: string, ids: unknown): number[] | string {
    if (!Array.isArray(ids)) return 'selected_repository_ids must be an array.'
    const owned = new Set(
      [...this.repositories.values()]
        .filter((r) => r.fullName.split('/')[0].toLowerCase() === organization.toLowerCase())
        .map((r) => r.id)
    )
    const numbers = ids.map((id) => (typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id))
    const foreign = numbers.filter((id) => typeof id !== 'number' || !owned.has(id))
    if (foreign.length > 0)
      return `Repositories ${foreign.join(', ')} are not repositories of the organization ${organization}.`
    return [...new Set(numbers as number[])]
  }

  private secretJson(
    request: EmulatedRequest,
    name: string,
    secret: StoredSecret,
    organization?: string
  ): Record<string, unknown> {
    const base = request.path.replace(/\/secrets(\/.*)?$/, '/secrets')
    return {
      name,
      created_at: secret.createdAt,
      updated_at: secret.updatedAt,
      ...(organization !== undefined && {
        visibility: secret.visibility,
        ...(secret.visibility === 'selected' && {
          selected_repositories_url: `${this.url}${base}/${name}/repositories`
        })
      })
    }
  }

  /** A repository as `GET /repos/{owner}/{repo}` answers it (every field the schema requires). */
  private repositoryJson(repository: Repository): Record<string, unknown> {
    const [login, name] = repository.fullName.split('/')
    const api = `${this.url}/repos/${repository.fullName}`
    const web = `https://github.com/${repository.fullName}`
    const links = Object.fromEntries(
      Object.entries(REPOSITORY_LINKS).map(([field, suffix]) => [field, `${api}/${suffix}`])
    )
    const user = `${this.url}/users/${login}`
    const created = new Date(Date.UTC(2024, 0, 1)).toISOString()
    return {
      id: repository.id,
      node_id: Buffer.from(`010:Repository${repository.id}`).toString('base64'),
      name,
      full_name: repository.fullName,
      owner: {
        login,
        id: 1,
        node_id: Buffer.from(`04:Organization1`).toString('base64'),
        avatar_url: `https://avatars.githubusercontent.com/u/1`,
        gravatar_id: '',
        url: user,
        html_url: `https://github.com/${login}`,
        followers_url: `${user}/followers`,
        following_url: `${user}/following{/other_user}`,
        gists_url: `${user}/gists{/gist_id}`,
        starred_url: `${user}/starred{/owner}{/repo}`,
        subscriptions_url: `${user}/subscriptions`,
        organizations_url: `${user}/orgs`,
        repos_url: `${user}/repos`,
        events_url: `${user}/events{/privacy}`,
        received_events_url: `${user}/received_events`,
        type: 'Organization',
        site_admin: false
      },
      private: true,
      visibility: 'private',
      html_url: web,
      description: null,
      fork: false,
      url: api,
      ...links,
      clone_url: `${web}.git`,
      git_url: `git://github.com/${repository.fullName}.git`,
      ssh_url: `git@github.com:${repository.fullName}.git`,
      svn_url: web,
      mirror_url: null,
      homepage: null,
      language: null,
      license: null,
      default_branch: 'main',
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      open_issues: 0,
      open_issues_count: 0,
      size: 0,
      network_count: 0,
      subscribers_count: 0,
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      archived: false,
      disabled: false,
      pushed_at: created,
      created_at: created,
      updated_at: created
    }
  }
}

/** The `*_url` fields of a repository: path below the repository's API URL. */
const REPOSITORY_LINKS: Record<string, string> = {
  archive_url: '{archive_format}{/ref}',
  assignees_url: 'assignees{/user}',
  blobs_url: 'git/blobs{/sha}',
  branches_url: 'branches{/branch}',
  collaborators_url: 'collaborators{/collaborator}',
  comments_url: 'comments{/number}',
  commits_url: 'commits{/sha}',
  compare_url: 'compare/{base}...{head}',
  contents_url: 'contents/{+path}',
  contributors_url: 'contributors',
  deployments_url: 'deployments',
  downloads_url: 'downloads',
  events_url: 'events',
  forks_url: 'forks',
  git_commits_url: 'git/commits{/sha}',
  git_refs_url: 'git/refs{/sha}',
  git_tags_url: 'git/tags{/sha}',
  hooks_url: 'hooks',
  issue_comment_url: 'issues/comments{/number}',
  issue_events_url: 'issues/events{/number}',
  issues_url: 'issues{/number}',
  keys_url: 'keys{/key_id}',
  labels_url: 'labels{/name}',
  languages_url: 'languages',
  merges_url: 'merges',
  milestones_url: 'milestones{/number}',
  notifications_url: 'notifications{?since,all,participating}',
  pulls_url: 'pulls{/number}',
  releases_url: 'releases{/id}',
  stargazers_url: 'stargazers',
  statuses_url: 'statuses/{sha}',
  subscribers_url: 'subscribers',
  subscription_url: 'subscription',
  tags_url: 'tags',
  teams_url: 'teams',
  trees_url: 'git/trees{/sha}'
}

const ok = (body: unknown): EmulatedResponse => ({ status: 200, body })

/** One page (`page`, `per_page`, GitHub's defaults 1 and 30) of a list. */
function page<T>(request: EmulatedRequest, items: T[]): T[] {
  const number = Number(request.query.get('page') ?? 1)
  const perPage = Number(request.query.get('per_page') ?? 30)
  return items.slice((number - 1) * perPage, number * perPage)
}

function isSecretType(type: string): type is SecretType {
  return (SECRET_TYPES as readonly string[]).includes(type)
}

function openSealed(scope: SecretScope, encryptedValue: string): string {
  const sealed = sodium.from_base64(encryptedValue, sodium.base64_variants.ORIGINAL)
  return sodium.to_string(
    sodium.crypto_box_seal_open(sealed, scope.keys.publicKey, scope.keys.privateKey)
  )
}

function newScopes(): Record<SecretType, SecretScope> {
  return { actions: newScope(), dependabot: newScope(), codespaces: newScope() }
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
