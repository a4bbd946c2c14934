import { randomInt } from 'node:crypto'
import { isIP } from 'node:net'
import {
  EmulatorServer,
  matchRoute,
  type EmulatedRequest,
  type EmulatedResponse
} from './server.js'

/*
 * A Trend Cloud One stand-in serving the account API keys and roles of the "Cloud One Accounts
 * and Identity Management" API (`https://accounts.cloudone.trendmicro.com/api`): `Api-Version:
 * v1`, `Authorization: ApiKey <id>:<secret>`, `/apikeys` and `/roles` with `limit`/`cursor`
 * paging and a `next` cursor, changes by `POST /apikeys/{id}`, deletes by `DELETE`. Facts and how
 * sure each is: ../shared/reference/cloud-one-api-keys.md. Where the reference leaves a point
 * open (marked inferred), a public field selects each answer a client must handle.
 */

/** The fields a create may carry (reference: inferred from the console and this API). */
export const CREATE_FIELDS = [
  'alias',
  'description',
  'roleID',
  'locale',
  'timezone',
  'allowedIPs',
  'allowedCIDRs'
] as const
/** The fields a change (`POST /apikeys/{id}`) may carry. */
export const MODIFY_FIELDS = [
  'alias',
  'description',
  'roleID',
  'locale',
  'timezone',
  'enabled',
  'allowedIPs',
  'allowedCIDRs'
] as const
export const LOCALES = ['en', 'ja'] as const
/** `limit` absent or 0 gives this many items (reference). */
export const DEFAULT_PAGE_SIZE = 25
/** The largest page the emulator gives, whatever `limit` asks. */
export const MAX_PAGE_SIZE = 100
const ACCOUNT = '123456789012'
const REGION = 'us-1'

/** What a role allows on API keys. */
export interface KeyRights {
  view: boolean
  create: boolean
  edit: boolean
  delete: boolean
}

export interface CloudOneRole {
  /** The short ID (`full-access`). */
  id: string
  name: string
  description: string
  keyRights: KeyRights
  created: number
}

export interface CloudOneKey {
  /** 27 letters and digits. */
  id: string
  alias: string
  description: string
  roleID: string
  locale: string
  timezone: string
  allowedIPs: string[]
  allowedCIDRs: string[]
  /** Milliseconds since the epoch, like every time below. */
  created: number
  lastModified: number
  /** Undefined: never used. */
  lastActivity?: number
  enabled: boolean
  /** The secret part (64 letters and digits); a consumer sends `<id>:<secret>`. */
  secret: string
}

/** What `addKey` takes. */
export interface CloudOneKeySpec {
  alias: string
  roleID: string
  id?: string
  description?: string
  locale?: string
  timezone?: string
  allowedIPs?: string[]
  allowedCIDRs?: string[]
  created?: number
  lastActivity?: number
  enabled?: boolean
}

const FULL: KeyRights = { view: true, create: true, edit: true, delete: true }
const NONE: KeyRights = { view: false, create: false, edit: false, delete: false }

type Endpoint = 'list' | 'create' | 'get' | 'modify' | 'delete' | 'roles'

const RIGHT_OF: Partial<Record<Endpoint, keyof KeyRights>> = {
  list: 'view',
  get: 'view',
  create: 'create',
  modify: 'edit',
  delete: 'delete'
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomText(length: number): string {
  let text = ''
  for (let i = 0; i < length; i++) text += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
  return text
}

/** RFC 3339 UTC, as the reference's examples write times. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function error(status: number, message: string, fields?: Record<string, string>): EmulatedResponse {
  return { status, body: { message, ...(fields && { fields }) } }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** IPv4 `a.b.c.d` as a number; undefined for anything else. */
function ipv4(address: string): number | undefined {
  if (isIP(address) !== 4) return undefined
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

/** Whether `address` is inside `cidr` (IPv4; an IPv6 range matches only its exact address). */
function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/')
  const [a, b] = [ipv4(address), ipv4(base)]
  if (a === undefined || b === undefined) return address === base
  const bits = Number(bitsText)
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return (a & mask) >>> 0 === (b & mask) >>> 0
}

function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const [base, bits, ...rest] = value.split('/')
  const family = isIP(base)
  return (
    rest.length === 0 &&
    family !== 0 &&
    /^\d{1,3}$/.test(bits ?? '') &&
    Number(bits) <= (family === 4 ? 32 : 128)
  )
}

/**
 * A Trend Cloud One stand-in for the account API keys API, on loopback. Base path `/api`: its
 * `url` is what an action takes as `api-url`.
 */
export class CloudOneEmulator extends EmulatorServer {
  readonly keys = new Map<string, CloudOneKey>()
  readonly roles = new Map<string, CloudOneRole>()
  /** Every `<id>:<secret>` any key ever had (seeded or created), deleted keys' included. */
  readonly secretsIssued: string[] = []
  /** The clock for created, modified and activity times. */
  now: () => number = Date.now
  /** The status of a create's answer (reference: 201 likely, 200 possible). */
  createStatus: 200 | 201 = 201
  /** How a create's answer carries the secret: bare, or already as `<id>:<secret>`. */
  secretForm: 'bare' | 'id-secret' = 'bare'
  /** The status of a delete's answer (reference: 204 likely, 200 possible). */
  deleteStatus: 200 | 204 = 204
  /** Whether a change is answered with the key (200) or with no body (204). */
  modifyAnswersKey = true
  /**
   * What a body field the service does not know gets: `refuse` answers 400 naming it in
   * `fields`; `ignore` drops it silently (the key then does not show the change).
   */
  unknownFields: 'refuse' | 'ignore' = 'refuse'
  /** Fields of the reference the service does not know after all (a difference to test). */
  unsupportedFields: string[] = []
  /** Methods `/apikeys/{id}` takes for a change; another answers 405 (e.g. only PATCH). */
  modifyMethods: string[] = ['POST']
  /** The status a key limited to other addresses gets (the reference does not say). */
  blockedStatus: 401 | 403 = 403
  /** The caller's address as the service sees it; the socket's (127.0.0.1) when undefined. */
  callerAddress?: string

  constructor() {
    super('/api')
  }

  addRole(role: Partial<CloudOneRole> & { id: string; name: string }): CloudOneRole {
    const added: CloudOneRole = {
      description: '',
      keyRights: NONE,
      created: this.now(),
      ...role
    }
    this.roles.set(added.id, added)
    return added
  }

  /** Adds a key as if it had been made earlier; its secret works at once. */
  addKey(spec: CloudOneKeySpec): CloudOneKey {
    if (!this.roles.has(spec.roleID)) throw new Error(`No role ${spec.roleID}`)
    const created = spec.created ?? this.now()
    const key: CloudOneKey = {
      id: spec.id ?? randomText(27),
      alias: spec.alias,
      description: spec.description ?? '',
      roleID: spec.roleID,
      locale: spec.locale ?? 'en',
      timezone: spec.timezone ?? 'UTC',
      allowedIPs: spec.allowedIPs ?? [],
      allowedCIDRs: spec.allowedCIDRs ?? [],
      created,
      lastModified: created,
      lastActivity: spec.lastActivity,
      enabled: spec.enabled ?? true,
      secret: randomText(64)
    }
    this.keys.set(key.id, key)
    this.secretsIssued.push(valueOf(key))
    return key
  }

  keyNamed(alias: string): CloudOneKey | undefined {
    return [...this.keys.values()].find((k) => k.alias === alias)
  }

  /**
   * What a consumer holding `value` (`<id>:<secret>`) would meet now, from `address` (the
   * runner's by default), without counting as a use.
   */
  secretState(
    value: string,
    address = this.callerAddress ?? '127.0.0.1'
  ): 'valid' | 'unknown' | 'disabled' | 'blocked' {
    const colon = value.indexOf(':')
    const key = colon < 0 ? undefined : this.keys.get(value.slice(0, colon))
    if (!key || key.secret !== value.slice(colon + 1)) return 'unknown'
    if (!key.enabled) return 'disabled'
    return this.admits(key, address) ? 'valid' : 'blocked'
  }

  /** Whether `value` authenticates now from anywhere its key allows (network limits aside). */
  authenticates(value: string): boolean {
    const state = this.secretState(value)
    return state === 'valid' || state === 'blocked'
  }

  /** The key as GET and the list show it (never its secret). */
  publicKey(key: CloudOneKey): Record<string, unknown> {
    return {
      id: key.id,
      alias: key.alias,
      description: key.description,
      roleID: key.roleID,
      locale: key.locale,
      timezone: key.timezone,
      allowedIPs: [...key.allowedIPs],
      allowedCIDRs: [...key.allowedCIDRs],
      created: formatTime(key.created),
      lastModified: formatTime(key.lastModified),
      ...(key.lastActivity !== undefined && { lastActivity: formatTime(key.lastActivity) }),
      enabled: key.enabled,
      urn: `urn:cloudone:identity:${REGION}:${ACCOUNT}:apikey/${key.id}`
    }
  }

  protected handle(request: EmulatedRequest): EmulatedResponse {
    const route = this.route(request)
    if ('status' in route) return route
    const { endpoint, id } = route
    const version = request.headers['api-version']
    if (version !== 'v1') return error(400, 'The Api-Version header must be v1.')
    const caller = this.authenticate(request)
    if (!('secret' in caller)) return caller
    const right = RIGHT_OF[endpoint]
    // A key may describe itself whatever its role: how a new secret is proven (reference).
    const self = endpoint === 'get' && id === caller.id
    if (right && !self && !this.roles.get(caller.roleID)?.keyRights[right])
      return error(403, 'The API key is not authorized to perform this action.')
    switch (endpoint) {
      case 'list':
        return this.page(request, 'apikeys', [...this.keys.values()], (k) => this.publicKey(k))
      case 'roles':
        return this.page(request, 'roles', [...this.roles.values()], (r) => publicRole(r))
      case 'get': {
        const key = this.keys.get(id!)
        return key ? { status: 200, body: this.publicKey(key) } : notFound(id!)
      }
      case 'create':
        return this.create(request)
      case 'modify':
        return this.modify(request, id!)
      case 'delete':
        return this.delete(id!)
    }
  }

  /** The endpoint of a request; a 404, or a 405 naming the methods allowed. */
  private route(request: EmulatedRequest): { endpoint: Endpoint; id?: string } | EmulatedResponse {
    const { method, path } = request
    const notAllowed = (allowed: string[]): EmulatedResponse => ({
      status: 405,
      body: { message: `Method ${method} is not allowed for ${path}.` },
      headers: { allow: allowed.join(', ') }
    })
    const single = matchRoute('/apikeys/:id', path)
    if (single) {
      if (method === 'GET') return { endpoint: 'get', id: single.id }
      if (method === 'DELETE') return { endpoint: 'delete', id: single.id }
      if (this.modifyMethods.includes(method)) return { endpoint: 'modify', id: single.id }
      return notAllowed(['GET', 'DELETE', ...this.modifyMethods])
    }
    if (path === '/apikeys') {
      if (method === 'GET') return { endpoint: 'list' }
      if (method === 'POST') return { endpoint: 'create' }
      return notAllowed(['GET', 'POST'])
    }
    if (path === '/roles') return method === 'GET' ? { endpoint: 'roles' } : notAllowed(['GET'])
    return error(404, `Not found: ${path}`)
  }

  private authenticate(request: EmulatedRequest): CloudOneKey | EmulatedResponse {
    const header = request.headers.authorization
    const match = typeof header === 'string' ? /^ApiKey (\S+)$/.exec(header) : null
    if (!match) return error(401, 'Authentication required: Authorization: ApiKey <key>.')
    const address = this.callerAddress ?? request.remoteAddress
    switch (this.secretState(match[1], address)) {
      case 'unknown':
        return error(401, 'The API key is invalid.')
      case 'disabled':
        return error(401, 'The API key is disabled.')
      case 'blocked':
        return error(this.blockedStatus, 'Requests from this address are not allowed.')
    }
    const key = this.keys.get(match[1].slice(0, match[1].indexOf(':')))!
    key.lastActivity = this.now()
    return key
  }

  /** Whether a request from `address` may use `key` (its allowed IPs and CIDRs, when set). */
  private admits(key: CloudOneKey, address: string): boolean {
    if (key.allowedIPs.length === 0 && key.allowedCIDRs.length === 0) return true
    return key.allowedIPs.includes(address) || key.allowedCIDRs.some((c) => inCidr(address, c))
  }

  /** One page of a list: `limit` (0 or absent: 25; negative: 400), `cursor` from `next`. */
  private page<T extends { created: number; id: string }>(
    request: EmulatedRequest,
    field: string,
    all: T[],
    show: (item: T) => unknown
  ): EmulatedResponse {
    const limitText = request.query.get('limit')
    if (limitText !== null && !/^-?\d+$/.test(limitText))
      return error(400, 'limit must be a whole number.', { limit: 'not a number' })
    const limit = limitText === null ? 0 : Number(limitText)
    if (limit < 0) return error(400, 'limit must not be negative.', { limit: 'negative' })
    const size = Math.min(limit || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    let offset = 0
    const cursor = request.query.get('cursor')
    if (cursor !== null) {
      const decoded = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
      if (!decoded) return error(400, 'The cursor is not valid.', { cursor: 'invalid' })
      offset = Number(decoded[1])
    }
    const sorted = all.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
    const items = sorted.slice(offset, offset + size)
    const next = offset + size
    return {
      status: 200,
      body: {
        [field]: items.map(show),
        ...(next < sorted.length && { next: Buffer.from(`o${next}`).toString('base64url') })
      }
    }
  }

  /**
   * The problems of a body: fields outside `allowed` (or unsupported), each named in `fields`
   * when `unknownFields` is `refuse`; dropped otherwise. The body left, or the 400.
   */
  private known(
    request: EmulatedRequest,
    allowed: readonly string[]
  ): { fields: Record<string, unknown> } | { refused: EmulatedResponse } {
    if (!isObject(request.body)) return { refused: error(400, 'The body must be a JSON object.') }
    const body = { ...request.body }
    const unknown = Object.keys(body).filter(
      (f) => !allowed.includes(f) || this.unsupportedFields.includes(f)
    )
    if (unknown.length > 0 && this.unknownFields === 'refuse')
      return {
        refused: error(
          400,
          'The request has unknown fields.',
          Object.fromEntries(unknown.map((f) => [f, 'unknown field']))
        )
      }
    for (const field of unknown) delete body[field]
    return { fields: body }
  }

  /** Shape problems of the fields a create or change carries. */
  private fieldProblems(body: Record<string, unknown>): Record<string, string> {
    const problems: Record<string, string> = {}
    const { alias, description, roleID, locale, timezone, enabled, allowedIPs, allowedCIDRs } = body
    if (alias !== undefined && (typeof alias !== 'string' || alias.trim() === ''))
      problems.alias = 'must be a non-empty string'
    if (description !== undefined && typeof description !== 'string')
      problems.description = 'must be a string'
    if (roleID !== undefined && (typeof roleID !== 'string' || !this.roles.has(roleID)))
      problems.roleID = 'is not a role of this account'
    if (locale !== undefined && !(LOCALES as readonly unknown[]).includes(locale))
      problems.locale = `must be one of ${LOCALES.join(', ')}`
    if (
      timezone !== undefined &&
      (typeof timezone !== 'string' || !/^[A-Za-z_/+-]+$/.test(timezone))
    )
      problems.timezone = 'must be an IANA time zone'
    if (enabled !== undefined && typeof enabled !== 'boolean')
      problems.enabled = 'must be a boolean'
    if (
      allowedIPs !== undefined &&
      !(
        Array.isArray(allowedIPs) && allowedIPs.every((a) => typeof a === 'string' && isIP(a) !== 0)
      )
    )
      problems.allowedIPs = 'must be a list of IP addresses'
    if (allowedCIDRs !== undefined && !(Array.isArray(allowedCIDRs) && allowedCIDRs.every(isCidr)))
      problems.allowedCIDRs = 'must be a list of CIDR ranges'
    return problems
  }

  private create(request: EmulatedRequest): EmulatedResponse {
    const known = this.known(request, CREATE_FIELDS)
    if ('refused' in known) return known.refused
    const { fields } = known
    const problems = this.fieldProblems(fields)
    if (fields.alias === undefined) problems.alias = 'is required'
    if (fields.roleID === undefined) problems.roleID = 'is required'
    if (Object.keys(problems).length > 0) return error(400, 'The request is not valid.', problems)
    const key = this.addKey({
      alias: fields.alias as string,
      roleID: fields.roleID as string,
      description: fields.description as string | undefined,
      locale: fields.locale as string | undefined,
      timezone: fields.timezone as string | undefined,
      allowedIPs: fields.allowedIPs as string[] | undefined,
      allowedCIDRs: fields.allowedCIDRs as string[] | undefined
    })
    const secret = this.secretForm === 'bare' ? key.secret : valueOf(key)
    return { status: this.createStatus, body: { ...this.publicKey(key), secret } }
  }

  private modify(request: EmulatedRequest, id: string): EmulatedResponse {
    const known = this.known(request, MODIFY_FIELDS)
    if ('refused' in known) return known.refused
    const { fields } = known
    const key = this.keys.get(id)
    if (!key) return notFound(id)
    const problems = this.fieldProblems(fields)
    if (Object.keys(problems).length > 0) return error(400, 'The request is not valid.', problems)
    Object.assign(key, fields)
    key.lastModified = this.now()
    return this.modifyAnswersKey ? { status: 200, body: this.publicKey(key) } : { status: 204 }
  }

  private delete(id: string): EmulatedResponse {
    if (!this.keys.delete(id)) return notFound(id)
    return this.deleteStatus === 204 ? { status: 204 } : { status: 200, body: {} }
  }
}

/** `<id>:<secret>`: what a consumer of `key` holds. */
export function valueOf(key: CloudOneKey): string {
  return `${key.id}:${key.secret}`
}

function notFound(id: string): EmulatedResponse {
  return error(404, `The API key ${id} does not exist.`)
}

function publicRole(role: CloudOneRole): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    serviceRoleURNs: [],
    created: formatTime(role.created),
    lastModified: formatTime(role.created),
    urn: `urn:cloudone:identity:${REGION}:${ACCOUNT}:role/${role.id}`
  }
}

/** The roles of the seeded world. */
export const CLOUD_ONE_ROLES = {
  fullAccess: { id: 'full-access', name: 'Full Access', keyRights: FULL },
  readOnly: { id: 'read-only', name: 'Read Only', keyRights: { ...NONE, view: true } },
  deployer: { id: 'deployer', name: 'Deployer', keyRights: NONE }
} as const

export interface SeededCloudOneKeys {
  /** `ci-admin`: Full Access, used yesterday: the key the action authenticates with. */
  admin: CloudOneKey
  /** `deployer-a`: limited to 192.168.0.1 and 10.20.0.0/16; Japanese, Tokyo; the older of a pair. */
  deployerA: CloudOneKey
  /** `deployer-b`: the newer key of the pair, used an hour ago. */
  deployerB: CloudOneKey
  /** `nightly-auditor`: Read Only, last used 200 days ago. */
  auditor: CloudOneKey
  /** `old-integration`: disabled, never used, created 400 days ago. */
  oldIntegration: CloudOneKey
}

/** Adds the seeded world's roles and keys to an emulator, at times relative to its clock. */
export function seedCloudOne(c1: CloudOneEmulator): SeededCloudOneKeys {
  const now = c1.now()
  const day = 86_400_000
  for (const role of Object.values(CLOUD_ONE_ROLES))
    c1.addRole({ ...role, keyRights: { ...role.keyRights }, created: now - 1000 * day })
  return {
    admin: c1.addKey({
      alias: 'ci-admin',
      roleID: 'full-access',
      description: 'rotates other keys',
      created: now - 30 * day,
      lastActivity: now - day
    }),
    deployerA: c1.addKey({
      alias: 'deployer-a',
      roleID: 'deployer',
      description: 'deploys the app',
      locale: 'ja',
      timezone: 'Asia/Tokyo',
      allowedIPs: ['192.168.0.1'],
      allowedCIDRs: ['10.20.0.0/16'],
      created: now - 300 * day,
      lastActivity: now - 2 * day
    }),
    deployerB: c1.addKey({
      alias: 'deployer-b',
      roleID: 'deployer',
      description: 'deploys the app',
      created: now - 120 * day,
      lastActivity: now - 3_600_000
    }),
    auditor: c1.addKey({
      alias: 'nightly-auditor',
      roleID: 'read-only',
      created: now - 365 * day,
      lastActivity: now - 200 * day
    }),
    oldIntegration: c1.addKey({
      alias: 'old-integration',
      roleID: 'deployer',
      enabled: false,
      created: now - 400 * day
    })
  }
}
