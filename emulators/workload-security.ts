import { randomBytes } from 'node:crypto'
import {
  EmulatorServer,
  matchRoute,
  type EmulatedRequest,
  type EmulatedResponse
} from './server.js'

/** The API key rights a role grants (`rights.platformRights.apikeyRights`). */
export interface ApiKeyRights {
  canViewApiKeys: boolean
  canEditApiKeyProperties: boolean
  canDeleteApiKeys: boolean
  canCreateNewApiKeys: boolean
}

export interface EmulatedRole {
  ID: number
  name: string
  description: string
  apiKeyRights: ApiKeyRights
  canViewRoles: boolean
}

/**
 * Which header a key's secret authenticates in: a legacy key (Workload Security, Deep Security,
 * Server & Workload Protection) in `api-secret-key`, a Cloud One key in `Authorization: ApiKey`.
 */
export type KeyKind = 'legacy' | 'cloud-one'

export interface EmulatedKey {
  ID: number
  keyName: string
  description: string
  locale: 'en-US' | 'ja-JP'
  roleID: number
  timeZone: string
  active: boolean
  created: number
  lastSignIn?: number
  expiryDate?: number
  unsuccessfulSignInAttempts: number
  serviceAccount: boolean
  /**
   * Absent or `legacy`: the secret authenticates in `api-secret-key` only. `cloud-one`: in
   * `Authorization: ApiKey` only. A real Cloud One account manages its Cloud One keys in the
   * Accounts API, not under `/apikeys`; the emulator keeps them beside the legacy keys (listed,
   * described, regenerated alike) so that `auth-scheme: cloud-one` runs end to end.
   */
  kind?: KeyKind
  /** The secret that authenticates as this key now. */
  secret: string
}

export const FULL_RIGHTS: ApiKeyRights = {
  canViewApiKeys: true,
  canEditApiKeyProperties: true,
  canDeleteApiKeys: true,
  canCreateNewApiKeys: true
}
export const NO_RIGHTS: ApiKeyRights = {
  canViewApiKeys: false,
  canEditApiKeyProperties: false,
  canDeleteApiKeys: false,
  canCreateNewApiKeys: false
}

type Handler = (
  request: EmulatedRequest,
  caller: EmulatedKey,
  params: Record<string, string>
) => EmulatedResponse

const error = (status: number, message: string): EmulatedResponse => ({ status, body: { message } })
const ok = (body?: unknown): EmulatedResponse => ({
  status: 200,
  body,
  headers: { 'x-dsm-version': '20.0.1000' }
})

/**
 * A Workload Security / Deep Security Manager stand-in serving the `/apikeys` and `/roles`
 * endpoints under `/api`, with the manager's authentication, rights and search semantics.
 */
export class WorkloadSecurityEmulator extends EmulatorServer {
  readonly keys = new Map<number, EmulatedKey>()
  /** Every secret any key has had, in the order they were issued (for leak scans). */
  readonly secretsIssued: string[] = []
  readonly roles = new Map<number, EmulatedRole>()
  /** The clock the emulator stamps keys with. */
  now: () => number = Date.now
  /**
   * When true, `POST /apikeys` refuses a `keyName` that a key already has. The documentation
   * says nothing about uniqueness, so by default duplicates are allowed.
   */
  uniqueNames = false
  /**
   * When true, string `equal` / `not-equal` search tests ignore case (a real manager may do so;
   * callers must compare the results exactly themselves).
   */
  caseInsensitiveNames = false
  private nextKeyId = 1
  private nextRoleId = 1

  private readonly routes: [string, string, Handler][] = [
    [
      'GET',
      '/apikeys',
      (_r, caller) =>
        this.needs(caller, 'canViewApiKeys') ??
        ok({ apiKeys: [...this.keys.values()].map(publicKey) })
    ],
    [
      'POST',
      '/apikeys/search',
      (r, caller) =>
        this.needs(caller, 'canViewApiKeys') ??
        ok({
          apiKeys: search([...this.keys.values()], r.body, this.caseInsensitiveNames).map(publicKey)
        })
    ],
    [
      'POST',
      '/apikeys',
      (r, caller) => this.needs(caller, 'canCreateNewApiKeys') ?? this.create(r.body)
    ],
    ['GET', '/apikeys/current', (_r, caller) => ok(this.currentKey(caller))],
    ['POST', '/apikeys/current', (r, caller) => this.modify(caller, r.body, true)],
    ['POST', '/apikeys/current/secretkey', (_r, caller) => this.regenerate(caller)],
    [
      'GET',
      '/apikeys/:id',
      (_r, caller, p) => this.withKey(p.id, caller, 'canViewApiKeys', (key) => ok(publicKey(key)))
    ],
    [
      'POST',
      '/apikeys/:id',
      (r, caller, p) =>
        this.withKey(p.id, caller, 'canEditApiKeyProperties', (key) =>
          this.modify(key, r.body, false)
        )
    ],
    [
      'DELETE',
      '/apikeys/:id',
      (_r, caller, p) =>
        this.withKey(p.id, caller, 'canDeleteApiKeys', (key) => {
          this.keys.delete(key.ID)
          return ok()
        })
    ],
    [
      'POST',
      '/apikeys/:id/secretkey',
      (_r, caller, p) =>
        this.withKey(p.id, caller, 'canEditApiKeyProperties', (key) => this.regenerate(key))
    ],
    [
      'GET',
      '/roles',
      (_r, caller) =>
        this.needsRoles(caller) ?? ok({ roles: [...this.roles.values()].map(publicRole) })
    ],
    [
      'POST',
      '/roles/search',
      (r, caller) =>
        this.needsRoles(caller) ??
        ok({
          roles: search([...this.roles.values()].map(publicRole), r.body, this.caseInsensitiveNames)
        })
    ],
    [
      'GET',
      '/roles/:id',
      (_r, caller, p) => {
        const denied = this.needsRoles(caller)
        if (denied) return denied
        const role = /^\d+$/.test(p.id) ? this.roles.get(Number(p.id)) : undefined
        return role ? ok(publicRole(role)) : error(404, `The role ${p.id} does not exist.`)
      }
    ]
  ]

  constructor(tls?: { key: string; cert: string }) {
    super('/api', tls)
  }

  addRole(role: Partial<EmulatedRole> & { name: string }): EmulatedRole {
    const created: EmulatedRole = {
      ID: role.ID ?? this.nextRoleId,
      description: '',
      apiKeyRights: NO_RIGHTS,
      canViewRoles: true,
      ...role
    }
    this.nextRoleId = Math.max(this.nextRoleId, created.ID + 1)
    this.roles.set(created.ID, created)
    return created
  }

  addKey(
    key: Partial<Omit<EmulatedKey, 'secret'>> & { keyName: string; roleID: number }
  ): EmulatedKey {
    const ID = key.ID ?? this.nextKeyId
    this.nextKeyId = Math.max(this.nextKeyId, ID + 1)
    const created: EmulatedKey = {
      ID,
      description: '',
      locale: 'en-US',
      timeZone: 'UTC',
      active: true,
      created: this.now(),
      unsuccessfulSignInAttempts: 0,
      serviceAccount: false,
      ...key,
      secret: newSecret(ID)
    }
    this.secretsIssued.push(created.secret)
    this.keys.set(ID, created)
    return created
  }

  /** Whether `secret` authenticates now (what a consumer holding it would see). */
  authenticates(secret: string): boolean {
    const key = [...this.keys.values()].find((k) => k.secret === secret)
    return key !== undefined && key.active
  }

  protected handle(request: EmulatedRequest): EmulatedResponse {
    if (!request.headers['api-version']) {
      return error(400, 'The api-version header is required.')
    }
    const caller = this.authenticate(request)
    if ('status' in caller) return caller
    for (const [method, pattern, handler] of this.routes) {
      if (method !== request.method) continue
      const params = matchRoute(pattern, request.path)
      if (!params) continue
      // `/apikeys/current` is matched before `/apikeys/:id`; any other ID must be a number.
      if (params.id !== undefined && !/^\d+$/.test(params.id)) continue
      return handler(request, caller, params)
    }
    return error(404, `No such resource: ${request.method} ${request.path}`)
  }

  /**
   * As a real manager: a secret authenticates only in its own header. A legacy key's secret sent
   * as `Authorization: ApiKey` (or a Cloud One key's in `api-secret-key`) is refused, with a
   * message that names the header it belongs in.
   */
  private authenticate(request: EmulatedRequest): EmulatedKey | EmulatedResponse {
    const header = request.headers['api-secret-key']
    const authorization = request.headers.authorization
    const sent: { secret: string; kind: KeyKind } | undefined =
      typeof header === 'string' && header !== ''
        ? { secret: header, kind: 'legacy' }
        : typeof authorization === 'string' && authorization.startsWith('ApiKey ')
          ? { secret: authorization.slice('ApiKey '.length), kind: 'cloud-one' }
          : undefined
    if (!sent)
      return error(401, 'Authentication required: send api-secret-key or Authorization: ApiKey.')
    const key = [...this.keys.values()].find((k) => k.secret === sent.secret)
    if (!key) return error(401, 'Invalid API key.')
    if ((key.kind ?? 'legacy') !== sent.kind)
      return error(
        401,
        sent.kind === 'cloud-one'
          ? 'Invalid API key: this is a legacy API key, whose secret goes in the api-secret-key header, not in Authorization: ApiKey.'
          : 'Invalid API key: this is a Cloud One API key, whose secret goes in Authorization: ApiKey <secret>, not in the api-secret-key header.'
      )
    if (!key.active) return error(403, 'The API key is locked.')
    if (key.expiryDate !== undefined && key.expiryDate <= this.now())
      return error(401, 'The API key has expired.')
    key.lastSignIn = this.now()
    return key
  }

  private roleOf(key: EmulatedKey): EmulatedRole | undefined {
    return this.roles.get(key.roleID)
  }

  private needs(caller: EmulatedKey, right: keyof ApiKeyRights): EmulatedResponse | undefined {
    return this.roleOf(caller)?.apiKeyRights[right]
      ? undefined
      : error(403, `Not authorized: the role lacks ${right}.`)
  }

  private needsRoles(caller: EmulatedKey): EmulatedResponse | undefined {
    return this.roleOf(caller)?.canViewRoles
      ? undefined
      : error(403, 'Not authorized to view roles.')
  }

  private withKey(
    id: string,
    caller: EmulatedKey,
    right: keyof ApiKeyRights,
    act: (key: EmulatedKey) => EmulatedResponse
  ): EmulatedResponse {
    const denied = this.needs(caller, right)
    if (denied) return denied
    const key = this.keys.get(Number(id))
    return key ? act(key) : error(404, `The API key ${id} does not exist.`)
  }

  private currentKey(key: EmulatedKey): Record<string, unknown> {
    return {
      ...publicKey(key),
      roleURN: `urn:tmds:identity:us-east-ds-1:1:role/${key.roleID}`,
      tenantID: 1,
      tenantGUID: '00000000-0000-0000-0000-000000000001'
    }
  }

  private modify(key: EmulatedKey, body: unknown, current: boolean): EmulatedResponse {
    if (typeof body !== 'object' || body === null)
      return error(400, 'A JSON object body is required.')
    const changes = body as Record<string, unknown>
    const allowed = current
      ? ['keyName', 'description', 'locale', 'timeZone']
      : ['keyName', 'description', 'locale', 'timeZone', 'roleID', 'active', 'expiryDate']
    for (const [field, value] of Object.entries(changes)) {
      if (!allowed.includes(field)) return error(400, `The field ${field} cannot be modified here.`)
      if (field === 'roleID' && !this.roles.has(value as number))
        return error(400, `The role ${String(value)} does not exist.`)
      if (field === 'active' && typeof value !== 'boolean')
        return error(400, 'active must be a boolean.')
    }
    Object.assign(key, changes)
    return ok(current ? this.currentKey(key) : publicKey(key))
  }

  private create(body: unknown): EmulatedResponse {
    if (typeof body !== 'object' || body === null)
      return error(400, 'A JSON object body is required.')
    const fields = body as Record<string, unknown>
    const settable = [
      'keyName',
      'description',
      'roleID',
      'expiryDate',
      'locale',
      'timeZone',
      'active'
    ]
    const unknown = Object.keys(fields).find((f) => !settable.includes(f))
    if (unknown) return error(400, `The field ${unknown} cannot be set on a new API key.`)
    const { keyName, description, roleID, expiryDate, locale, timeZone, active } = fields
    if (typeof keyName !== 'string' || keyName.trim() === '')
      return error(400, 'keyName is required.')
    if (!Number.isInteger(roleID) || !this.roles.has(roleID as number))
      return error(400, `The role ${String(roleID)} does not exist.`)
    if (description !== undefined && typeof description !== 'string')
      return error(400, 'description must be a string.')
    if (expiryDate !== undefined && !Number.isInteger(expiryDate))
      return error(400, 'expiryDate must be milliseconds since the epoch.')
    if (locale !== undefined && locale !== 'en-US' && locale !== 'ja-JP')
      return error(400, 'locale must be en-US or ja-JP.')
    if (timeZone !== undefined && typeof timeZone !== 'string')
      return error(400, 'timeZone must be a string.')
    if (active !== undefined && typeof active !== 'boolean')
      return error(400, 'active must be a boolean.')
    if (this.uniqueNames && [...this.keys.values()].some((k) => k.keyName === keyName))
      return error(400, `An API key named ${keyName} already exists.`)
    // Validated above: every field is one addKey takes, with the right type.
    const key = this.addKey(fields as Parameters<WorkloadSecurityEmulator['addKey']>[0])
    return ok({ ...publicKey(key), secretKey: key.secret })
  }

  private regenerate(key: EmulatedKey): EmulatedResponse {
    key.secret = newSecret(key.ID)
    this.secretsIssued.push(key.secret)
    return ok({ ...publicKey(key), secretKey: key.secret })
  }
}

function newSecret(id: number): string {
  return `${id}:${randomBytes(24).toString('base64')}`
}

function publicKey(key: EmulatedKey): Record<string, unknown> {
  const { secret: _secret, kind: _kind, ...rest } = key
  return rest
}

function publicRole(role: EmulatedRole): Record<string, unknown> {
  return {
    ID: role.ID,
    name: role.name,
    description: role.description,
    urn: `urn:tmds:identity:us-east-ds-1:1:role/${role.ID}`,
    immutable: false,
    canOnlyManipulateUsersWithEqualOrLesserRights: false,
    allComputers: true,
    allPolicies: true,
    allowUserInterface: false,
    allowWebService: true,
    rights: {
      platformRights: {
        apikeyRights: role.apiKeyRights,
        administratorRoleRights: { canViewAdministratorRoles: role.canViewRoles }
      }
    },
    computerIDs: [],
    computerGroupIDs: [],
    policyIDs: []
  }
}

interface Criterion {
  fieldName?: string
  stringTest?: 'equal' | 'not-equal'
  stringValue?: string
  stringWildcards?: boolean
  numericTest?: string
  numericValue?: number
  idTest?: string
  idValue?: number
  booleanTest?: boolean
}

/**
 * The manager's search: criteria ANDed; `%` and `_` are wildcards unless stringWildcards is
 * false; `ignoreCase` makes string tests case-insensitive.
 */
export function search<T extends object>(items: T[], filter: unknown, ignoreCase = false): T[] {
  const { searchCriteria = [], maxItems = 5000 } = (filter ?? {}) as {
    searchCriteria?: Criterion[]
    maxItems?: number
  }
  return items
    .filter((item) =>
      searchCriteria.every((c) => matches(item as Record<string, unknown>, c, ignoreCase))
    )
    .slice(0, maxItems)
}

function matches(item: Record<string, unknown>, c: Criterion, ignoreCase: boolean): boolean {
  const value = c.fieldName ? item[c.fieldName] : undefined
  if (c.stringTest) {
    const wanted = c.stringValue ?? ''
    const equal =
      c.stringWildcards === false
        ? ignoreCase
          ? typeof value === 'string' && value.toLowerCase() === wanted.toLowerCase()
          : value === wanted
        : new RegExp(
            '^' +
              wanted
                .split('')
                .map((ch) =>
                  ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
                )
                .join('') +
              '$',
            ignoreCase ? 'si' : 's'
          ).test(String(value ?? ''))
    return c.stringTest === 'equal' ? equal : !equal
  }
  const numericTest = c.idTest ?? c.numericTest
  if (numericTest) {
    const wanted = c.idTest ? c.idValue : c.numericValue
    const n = Number(c.idTest ? item.ID : value)
    switch (numericTest) {
      case 'less-than':
        return n < wanted!
      case 'less-than-or-equal':
        return n <= wanted!
      case 'equal':
        return n === wanted
      case 'greater-than-or-equal':
        return n >= wanted!
      case 'greater-than':
        return n > wanted!
      case 'not-equal':
        return n !== wanted
    }
  }
  if (c.booleanTest !== undefined) return value === c.booleanTest
  return true
}
