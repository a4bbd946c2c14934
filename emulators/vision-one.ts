import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  EmulatorServer,
  matchRoute,
  type EmulatedRequest,
  type EmulatedResponse
} from './server.js'

/*
 * A Trend Vision One stand-in serving the platform API keys (`/v3.0/iam/apiKeys`) and the
 * connectivity check. Wire format from Trend's WireMock stubs (trendmicro/tm-v1-api-mockup,
 * mappings/xdr/v3/api_keys and connectivity), Trend's Python SDK (trendmicro/tm-v1-pytv1,
 * api/api_key.py, model/, core.py) and Trend's MCP server (trendmicro/vision-one-mcp-server,
 * internal/v1client/iam.go and the TMV1-Filter description). Where none of them settles a
 * fact, the emulator takes the careful reading and a public field selects the other answers a
 * client must also handle (see the fields of VisionOneEmulator).
 */

export const MASTER_ADMINISTRATOR = 'Master Administrator'
/** `monthsToExpiration` values (the SDK's `ApiExpInMonths`). */
export const MONTHS_TO_EXPIRATION = [0, 1, 3, 6, 12] as const
/** `top` values of the list (the MCP server's enum). */
export const PAGE_SIZES = [50, 100, 200] as const
export const SORTABLE_FIELDS = [
  'createdDateTime',
  'lastModifiedDateTime',
  'lastUsedDateTime',
  'expiredDateTime'
] as const
export const FILTER_FIELDS = ['id', 'name', 'role', 'status'] as const
export const MAX_FILTER_LENGTH = 1024
export const MAX_NAME_LENGTH = 128
export const MAX_ROLE_LENGTH = 128
export const MAX_DESCRIPTION_LENGTH = 2048
const MAX_BODY_BYTES = 1024 * 1024
const RATE_WINDOW_MS = 60_000

export type KeyStatus = 'enabled' | 'disabled'
type SortableField = (typeof SORTABLE_FIELDS)[number]
export type FilterField = (typeof FILTER_FIELDS)[number]
/** How an answer renders a date-time the key does not have. */
export type MissingDateTime = 'absent' | 'null' | 'empty'
/** The endpoints, each with its own rolling 60-second request limit. */
export type VisionOneEndpoint = 'create' | 'list' | 'get' | 'update' | 'delete' | 'connectivity'

/** What a role allows on API keys. */
export interface ApiKeyRights {
  view: boolean
  create: boolean
  edit: boolean
  delete: boolean
}

export interface VisionOneRole {
  name: string
  /**
   * Whether a key may be given this role: Vision One's "user role control flags" (since
   * 2025-10-27 `Master Administrator` is not assignable to API keys).
   */
  assignableToApiKeys: boolean
  apiKeyRights: ApiKeyRights
}

export interface VisionOneKey {
  /** A UUID (36 characters). */
  id: string
  name: string
  role: string
  status: KeyStatus
  description: string
  /** Milliseconds since the epoch, like every time below. */
  createdDateTime: number
  lastModifiedDateTime: number
  /** Undefined: never used. */
  lastUsedDateTime?: number
  /** Undefined: never expires. Fixed at creation. */
  expiredDateTime?: number
  /** The token (`value` in the create answer) that authenticates as this key. */
  secret: string
  /** The token is refused until this time (a new key takes a moment to become valid). */
  validFrom: number
  /**
   * The current entity tag, without quotes. A PATCH changes it; a use of the key does not (else
   * a key could never change itself: its own GET and PATCH would each move lastUsedDateTime).
   */
  etag: string
  /** Keys moved from the User Accounts app cannot be edited (Trend's API keys page). */
  movedFromUserAccounts: boolean
}

/** What `addKey` takes: times as milliseconds or ISO 8601 text. */
export interface KeySpec {
  name: string
  role: string
  id?: string
  status?: KeyStatus
  description?: string
  expiredDateTime?: number | string
  createdDateTime?: number | string
  lastUsedDateTime?: number | string
  movedFromUserAccounts?: boolean
  /** The token; a fresh random one by default. */
  secret?: string
}

/**
 * A failure injected into the next matching item of a batch call (`POST /v3.0/iam/apiKeys` or
 * `POST /v3.0/iam/apiKeys/delete`) while the call itself still answers 207.
 */
export interface ItemFault {
  operation: 'create' | 'delete'
  /** The item's status (e.g. 500, 400, 403). */
  status: number
  /**
   * The item's body. Without the property: `{"error": {code, message}}` for a status of 400
   * or more, no body otherwise. Present but undefined: no body.
   */
  body?: unknown
  /**
   * Handle the item first (the key is created or deleted), then answer the injected item: the
   * change was made and the client is told otherwise.
   */
  act?: boolean
  /** Applies only to items this returns true for (the item as sent). */
  when?: (item: Record<string, unknown>) => boolean
  /** How many matching items it applies to (default 1). */
  times?: number
}

interface ArmedItemFault extends ItemFault {
  remaining: number
}

/** A TMV1-Filter expression. */
export type FilterNode =
  | { kind: 'eq'; field: FilterField; value: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }

export class FilterSyntaxError extends Error {}

type Route = [method: string, pattern: string, endpoint: VisionOneEndpoint]

const ROUTES: Route[] = [
  ['POST', '/v3.0/iam/apiKeys', 'create'],
  ['GET', '/v3.0/iam/apiKeys', 'list'],
  ['POST', '/v3.0/iam/apiKeys/delete', 'delete'],
  ['GET', '/v3.0/iam/apiKeys/:id', 'get'],
  ['PATCH', '/v3.0/iam/apiKeys/:id', 'update'],
  ['GET', '/v3.0/healthcheck/connectivity', 'connectivity']
]

const RIGHT_OF: Partial<Record<VisionOneEndpoint, keyof ApiKeyRights>> = {
  create: 'create',
  list: 'view',
  get: 'view',
  update: 'edit',
  delete: 'delete'
}

const NO_KEY_RIGHTS: ApiKeyRights = { view: false, create: false, edit: false, delete: false }
const ALL_KEY_RIGHTS: ApiKeyRights = { view: true, create: true, edit: true, delete: true }

/**
 * Vision One's predefined roles, which every tenant has. Which of them may manage API keys is
 * not published: here only `Master Administrator` may (and only `Auditor` may view them);
 * tests add a custom role for a key that manages keys.
 */
export const PREDEFINED_ROLES: readonly VisionOneRole[] = [
  { name: MASTER_ADMINISTRATOR, assignableToApiKeys: false, apiKeyRights: ALL_KEY_RIGHTS },
  { name: 'Operator', assignableToApiKeys: true, apiKeyRights: NO_KEY_RIGHTS },
  {
    name: 'Auditor',
    assignableToApiKeys: true,
    apiKeyRights: { ...NO_KEY_RIGHTS, view: true }
  },
  { name: 'Senior Analyst', assignableToApiKeys: true, apiKeyRights: NO_KEY_RIGHTS },
  { name: 'Analyst', assignableToApiKeys: true, apiKeyRights: NO_KEY_RIGHTS },
  { name: 'SIEM', assignableToApiKeys: true, apiKeyRights: NO_KEY_RIGHTS },
  { name: 'SOAR', assignableToApiKeys: true, apiKeyRights: NO_KEY_RIGHTS }
]

/** The `error.code` Trend's stubs use for a status (others: `Error<status>`). */
function errorCodeFor(status: number): string {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'AccessDenied',
    404: 'NotFound',
    409: 'Conflict',
    412: 'ConditionNotMet',
    413: 'RequestEntityTooLarge',
    429: 'TooManyRequests',
    500: 'InternalServerError'
  }
  return codes[status] ?? `Error${status}`
}

function error(status: number, message: string, code = errorCodeFor(status)): EmulatedResponse {
  return { status, body: { error: { code, message } } }
}

function failedItem(status: number, message: string, code = errorCodeFor(status)): unknown {
  return { status, body: { error: { code, message } } }
}

/** ISO 8601 UTC to the second, as Trend's stubs write times (`2025-02-06T10:00:00Z`). */
function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * `ms` plus `months` calendar months in UTC; a day the target month lacks becomes its last
 * day (31 January + 1 month = 28 or 29 February), and the result is cut to the second.
 */
function addMonths(ms: number, months: number): number {
  const date = new Date(ms)
  const day = date.getUTCDate()
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(day, lastDay))
  return Math.floor(date.getTime() / 1000) * 1000
}

function toMs(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return value
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new Error(`Not a date-time: ${value}`)
  return ms
}

/** A JWT-shaped token, as Vision One's are; random, so each key's is its own. */
function newSecret(id: string, created: number): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const header = part({ typ: 'JWT', alg: 'HS256' })
  const payload = part({ cid: id, it: Math.floor(created / 1000), jti: randomUUID() })
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`
}

function newEtag(): string {
  return randomBytes(16).toString('hex')
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isJson = (request: EmulatedRequest): boolean => {
  const type = request.headers['content-type']
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type)
}

/**
 * Parses a TMV1-Filter: `<field> eq '<text>'` (a quote inside the text doubled), joined with
 * `and`, `or`, `not` and parentheses; `not` binds tighter than `and`, `and` than `or`.
 * Operators are lower-case; fields are those of FILTER_FIELDS. Throws FilterSyntaxError.
 */
export function parseVisionOneFilter(text: string): FilterNode {
  const tokens: { type: 'word' | 'string' | '(' | ')'; text: string }[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch, text: ch })
      i++
    } else if (ch === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('A quoted value is not closed')
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i++]
      }
      tokens.push({ type: 'string', text: value })
    } else if (/[A-Za-z]/.test(ch)) {
      const start = i
      while (i < text.length && /[A-Za-z]/.test(text[i])) i++
      tokens.push({ type: 'word', text: text.slice(start, i) })
    } else {
      throw new FilterSyntaxError(`Unexpected character "${ch}" at ${i}`)
    }
  }
  let at = 0
  const peekWord = (word: string): boolean =>
    tokens[at]?.type === 'word' && tokens[at].text === word
  const orExpression = (): FilterNode => {
    let left = andExpression()
    while (peekWord('or')) {
      at++
      left = { kind: 'or', left, right: andExpression() }
    }
    return left
  }
  const andExpression = (): FilterNode => {
    let left = unary()
    while (peekWord('and')) {
      at++
      left = { kind: 'and', left, right: unary() }
    }
    return left
  }
  const unary = (): FilterNode => {
    const token = tokens[at]
    if (!token) throw new FilterSyntaxError('The filter ends too early')
    if (token.type === 'word' && token.text === 'not') {
      at++
      return { kind: 'not', operand: unary() }
    }
    if (token.type === '(') {
      at++
      const inner = orExpression()
      if (tokens[at]?.type !== ')') throw new FilterSyntaxError('A parenthesis is not closed')
      at++
      return inner
    }
    if (token.type !== 'word' || !(FILTER_FIELDS as readonly string[]).includes(token.text))
      throw new FilterSyntaxError(
        `Expected one of ${FILTER_FIELDS.join(', ')}, "not" or "(", found "${token.text}"`
      )
    const operator = tokens[at + 1]
    if (operator?.type !== 'word' || operator.text !== 'eq')
      throw new FilterSyntaxError(`Expected "eq" after ${token.text}`)
    const value = tokens[at + 2]
    if (value?.type !== 'string')
      throw new FilterSyntaxError(`Expected a quoted value after ${token.text} eq`)
    at += 3
    return { kind: 'eq', field: token.text as FilterField, value: value.text }
  }
  const node = orExpression()
  if (at < tokens.length) throw new FilterSyntaxError(`Unexpected "${tokens[at].text}"`)
  return node
}

/** Whether a key's fields satisfy a filter; exact matches only (no prefixes, no wildcards). */
function matchesFilter(
  node: FilterNode,
  fields: Record<FilterField, string>,
  ignoreCase = false
): boolean {
  switch (node.kind) {
    case 'eq':
      return ignoreCase
        ? fields[node.field].toLowerCase() === node.value.toLowerCase()
        : fields[node.field] === node.value
    case 'and':
      return (
        matchesFilter(node.left, fields, ignoreCase) &&
        matchesFilter(node.right, fields, ignoreCase)
      )
    case 'or':
      return (
        matchesFilter(node.left, fields, ignoreCase) ||
        matchesFilter(node.right, fields, ignoreCase)
      )
    case 'not':
      return !matchesFilter(node.operand, fields, ignoreCase)
  }
}

interface SkipToken {
  offset: number
  top: number
  orderBy: string
  /** A digest of the filter the first page was asked with. */
  filter: string
}

const filterDigest = (filter: string | undefined): string =>
  createHash('sha256')
    .update(filter ?? '')
    .digest('hex')
    .slice(0, 16)

/**
 * A Trend Vision One stand-in for the platform API keys API, on loopback. Base path '': its
 * `url` is the origin an action takes as `api-url`, and every path begins with `/v3.0`.
 */
export class VisionOneEmulator extends EmulatorServer {
  readonly keys = new Map<string, VisionOneKey>()
  /** Every token any key ever had (seeded or created), deleted keys' included. */
  readonly secretsIssued: string[] = []
  /** By name; starts with PREDEFINED_ROLES. */
  readonly roles = new Map<string, VisionOneRole>()
  /** The clock for created, modified, last-used and expiry times, activation and rate windows. */
  now: () => number = Date.now
  /** A key created through the API authenticates only this long after its creation. */
  activationDelayMs = 0
  /**
   * Whether the ETag header is sent quoted (`"abc"`). Trend's stub sends it bare; the SDK
   * strips quotes before If-Match, so both occur.
   */
  quoteETags = true
  /**
   * Whether a quoted If-Match matches. Off: Trend's SDK always sends it bare, so only that form
   * is known to work, and a quoted one answers 412.
   */
  acceptQuotedIfMatch = false
  /** The answer to a PATCH without If-Match (unconfirmed: Trend's stub needs one to match). */
  missingIfMatchStatus: 400 | 412 | 428 = 400
  /**
   * How `lastUsedDateTime` reads for a key never used. Unconfirmed; the SDK's model types it
   * as a required string, so the default is the empty string.
   */
  neverUsedAs: MissingDateTime = 'empty'
  /** How `expiredDateTime` reads for a key that never expires (same reasoning). */
  noExpiryAs: MissingDateTime = 'empty'
  /**
   * Whether keys show `createdDateTime` and `lastModifiedDateTime` (sortable fields, absent from
   * Trend's stubs).
   */
  showCreatedDateTime = true
  showLastModifiedDateTime = true
  /** The failed item a create with a name already taken gets (unconfirmed code). */
  duplicateNameError: { status: number; code: string } = { status: 400, code: 'BadRequest' }
  /** When true, names compare ignoring case (in filters and for uniqueness). */
  caseInsensitiveNames = false
  /** When true, a key cannot delete or disable itself (403); unconfirmed, allowed by default. */
  refuseSelfChange = false
  /** Requests allowed per endpoint in any 60 seconds; an endpoint not listed is not limited. */
  rateLimits: Partial<Record<VisionOneEndpoint, number>> = {}
  /** How many requests the rate limits refused. */
  limited = 0

  private readonly itemFaults: ArmedItemFault[] = []
  private readonly requestTimes = new Map<VisionOneEndpoint, number[]>()

  constructor(tls?: { key: string; cert: string }) {
    super('', tls)
    for (const role of PREDEFINED_ROLES)
      this.roles.set(role.name, { ...role, apiKeyRights: { ...role.apiKeyRights } })
  }

  /** Adds (or replaces) a role, e.g. a custom role that may manage API keys. */
  addRole(
    role: Partial<Omit<VisionOneRole, 'apiKeyRights'>> & {
      name: string
      apiKeyRights?: Partial<ApiKeyRights>
    }
  ): VisionOneRole {
    const added: VisionOneRole = {
      name: role.name,
      assignableToApiKeys: role.assignableToApiKeys ?? true,
      apiKeyRights: { ...NO_KEY_RIGHTS, ...role.apiKeyRights }
    }
    this.roles.set(added.name, added)
    return added
  }

  /**
   * Adds a key as if it had been made earlier (any role, even `Master Administrator`, which
   * keys made before 2025-10-27 keep). Its token is valid at once. Throws on a name taken or
   * an unknown role.
   */
  addKey(spec: KeySpec): VisionOneKey {
    if (!this.roles.has(spec.role)) throw new Error(`No role named ${spec.role}`)
    if (this.nameTaken(spec.name)) throw new Error(`A key is already named ${spec.name}`)
    const id = spec.id ?? randomUUID()
    const created = toMs(spec.createdDateTime) ?? this.now()
    const key: VisionOneKey = {
      id,
      name: spec.name,
      role: spec.role,
      status: spec.status ?? 'enabled',
      description: spec.description ?? '',
      createdDateTime: created,
      lastModifiedDateTime: created,
      lastUsedDateTime: toMs(spec.lastUsedDateTime),
      expiredDateTime: toMs(spec.expiredDateTime),
      secret: spec.secret ?? newSecret(id, created),
      validFrom: created,
      etag: newEtag(),
      movedFromUserAccounts: spec.movedFromUserAccounts ?? false
    }
    this.keys.set(id, key)
    this.secretsIssued.push(key.secret)
    return key
  }

  keyNamed(name: string): VisionOneKey | undefined {
    return [...this.keys.values()].find((k) => k.name === name)
  }

  /** What a consumer holding `secret` would meet now (does not count as a use). */
  tokenState(secret: string): 'valid' | 'unknown' | 'not-yet-valid' | 'disabled' | 'expired' {
    const key = [...this.keys.values()].find((k) => k.secret === secret)
    if (!key) return 'unknown'
    if (this.now() < key.validFrom) return 'not-yet-valid'
    if (key.status !== 'enabled') return 'disabled'
    if (key.expiredDateTime !== undefined && key.expiredDateTime <= this.now()) return 'expired'
    return 'valid'
  }

  /** Whether `secret` authenticates now (what a consumer holding it would see). */
  authenticates(secret: string): boolean {
    return this.tokenState(secret) === 'valid'
  }

  /** Arms a failure for the next matching item(s) of a create or delete batch. */
  injectItem(fault: ItemFault): void {
    this.itemFaults.push({ ...fault, remaining: fault.times ?? 1 })
  }

  override clearFaults(): void {
    super.clearFaults()
    this.itemFaults.length = 0
  }

  /** The answer a key gets in GET and list, as the wire shows it. */
  publicKey(key: VisionOneKey): Record<string, unknown> {
    const shown: Record<string, unknown> = {
      id: key.id,
      name: key.name,
      status: key.status,
      role: key.role,
      description: key.description
    }
    this.setTime(shown, 'lastUsedDateTime', key.lastUsedDateTime, this.neverUsedAs)
    this.setTime(shown, 'expiredDateTime', key.expiredDateTime, this.noExpiryAs)
    if (this.showCreatedDateTime) shown.createdDateTime = formatDateTime(key.createdDateTime)
    if (this.showLastModifiedDateTime)
      shown.lastModifiedDateTime = formatDateTime(key.lastModifiedDateTime)
    return shown
  }

  /** The ETag header value of a key. */
  etagHeader(key: VisionOneKey): string {
    return this.quoteETags ? `"${key.etag}"` : key.etag
  }

  protected handle(request: EmulatedRequest): EmulatedResponse {
    let endpoint: VisionOneEndpoint | undefined
    let params: Record<string, string> = {}
    for (const [method, pattern, name] of ROUTES) {
      const match = matchRoute(pattern, request.path)
      if (match && method === request.method) {
        endpoint = name
        params = match
        break
      }
    }
    if (!endpoint) return error(404, `No such resource: ${request.method} ${request.path}`)
    if (Buffer.byteLength(request.rawBody) > MAX_BODY_BYTES)
      return error(413, 'The request body is larger than 1 MB.')
    // Counted before authentication, as a gateway in front of the API would.
    const limited = this.rateLimited(endpoint)
    if (limited) return limited
    const caller = this.authenticate(request)
    if (!('secret' in caller)) return caller
    const right = RIGHT_OF[endpoint]
    if (right && !this.roles.get(caller.role)?.apiKeyRights[right])
      return error(403, 'Insufficient permissions.')
    switch (endpoint) {
      case 'connectivity':
        return { status: 200, body: { status: 'available' } }
      case 'create':
        return this.create(request)
      case 'list':
        return this.list(request)
      case 'get':
        return this.get(params.id)
      case 'update':
        return this.update(request, params.id, caller)
      case 'delete':
        return this.delete(request, caller)
    }
  }

  private setTime(
    target: Record<string, unknown>,
    field: string,
    ms: number | undefined,
    missing: MissingDateTime
  ): void {
    if (ms !== undefined) target[field] = formatDateTime(ms)
    else if (missing === 'null') target[field] = null
    else if (missing === 'empty') target[field] = ''
  }

  private nameTaken(name: string, except?: VisionOneKey): boolean {
    const same = (a: string): boolean =>
      this.caseInsensitiveNames ? a.toLowerCase() === name.toLowerCase() : a === name
    return [...this.keys.values()].some((k) => k !== except && same(k.name))
  }

  private rateLimited(endpoint: VisionOneEndpoint): EmulatedResponse | undefined {
    const limit = this.rateLimits[endpoint]
    if (limit === undefined) return undefined
    const now = this.now()
    const times = (this.requestTimes.get(endpoint) ?? []).filter((t) => t > now - RATE_WINDOW_MS)
    this.requestTimes.set(endpoint, times)
    if (times.length >= limit) {
      this.limited++
      return error(429, 'Too many requests')
    }
    times.push(now)
    return undefined
  }

  private authenticate(request: EmulatedRequest): VisionOneKey | EmulatedResponse {
    const header = request.headers.authorization
    if (header === undefined)
      return error(401, 'Authentication required: send Authorization: Bearer <token>.')
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null
    if (!match) return error(401, 'The Authorization header must be "Bearer <token>".')
    switch (this.tokenState(match[1])) {
      case 'unknown':
      case 'not-yet-valid':
        return error(401, 'The authentication token is invalid.')
      case 'disabled':
        return error(401, 'The API key is disabled.')
      case 'expired':
        return error(401, 'The API key has expired.')
    }
    const key = [...this.keys.values()].find((k) => k.secret === match[1])!
    key.lastUsedDateTime = this.now()
    return key
  }

  private get(id: string): EmulatedResponse {
    const key = this.keys.get(id)
    if (!key) return error(404, `The API key ${id} does not exist.`)
    return { status: 200, body: this.publicKey(key), headers: { etag: this.etagHeader(key) } }
  }

  private list(request: EmulatedRequest): EmulatedResponse {
    const filterHeader = request.headers['tmv1-filter']
    const filterText = Array.isArray(filterHeader) ? filterHeader.join(', ') : filterHeader
    let filter: FilterNode | undefined
    if (filterText !== undefined) {
      if (filterText.length > MAX_FILTER_LENGTH)
        return error(400, `TMV1-Filter is longer than ${MAX_FILTER_LENGTH} characters.`)
      try {
        filter = parseVisionOneFilter(filterText)
      } catch (e) {
        return error(400, `Invalid TMV1-Filter: ${(e as Error).message}`)
      }
    }
    let page: SkipToken
    const skipToken = request.query.get('skipToken')
    if (skipToken !== null) {
      try {
        page = JSON.parse(Buffer.from(skipToken, 'base64url').toString('utf8')) as SkipToken
        const [field, direction] = String(page.orderBy).split(' ')
        if (
          !Number.isInteger(page.offset) ||
          page.offset < 0 ||
          !(PAGE_SIZES as readonly number[]).includes(page.top) ||
          !(SORTABLE_FIELDS as readonly string[]).includes(field) ||
          !['asc', 'desc'].includes(direction)
        )
          throw new Error('not a token of this emulator')
      } catch {
        return error(400, 'Invalid skipToken.')
      }
      // The filter is not in the token: every page must be asked with the first page's.
      if (page.filter !== filterDigest(filterText))
        return error(400, 'TMV1-Filter differs from the one the first page was asked with.')
    } else {
      const top = request.query.get('top') ?? '50'
      if (!(PAGE_SIZES as readonly number[]).includes(Number(top)) || !/^\d+$/.test(top))
        return error(400, `top must be one of ${PAGE_SIZES.join(', ')}.`)
      const orderBy = request.query.get('orderBy') ?? 'createdDateTime desc'
      const [field, direction = 'asc', ...rest] = orderBy.trim().split(/\s+/)
      if (
        !(SORTABLE_FIELDS as readonly string[]).includes(field) ||
        !['asc', 'desc'].includes(direction) ||
        rest.length > 0
      )
        return error(400, `orderBy must be one of ${SORTABLE_FIELDS.join(', ')}, then asc or desc.`)
      page = {
        offset: 0,
        top: Number(top),
        orderBy: `${field} ${direction}`,
        filter: filterDigest(filterText)
      }
    }
    const [field, direction] = page.orderBy.split(' ') as [SortableField, 'asc' | 'desc']
    const matching = [...this.keys.values()]
      .filter(
        (k) =>
          !filter ||
          matchesFilter(
            filter,
            { id: k.id, name: k.name, role: k.role, status: k.status },
            this.caseInsensitiveNames
          )
      )
      .sort((a, b) => {
        // A key without the time (never used, never expires) sorts as the earliest.
        const x = a[field] ?? -Infinity
        const y = b[field] ?? -Infinity
        const order = x === y ? 0 : x < y ? -1 : 1
        return (direction === 'desc' ? -order : order) || (a.id < b.id ? -1 : 1)
      })
    const items = matching.slice(page.offset, page.offset + page.top)
    const next = page.offset + page.top
    const body: Record<string, unknown> = {
      totalCount: matching.length,
      count: items.length,
      items: items.map((k) => this.publicKey(k))
    }
    if (next < matching.length) {
      const token = Buffer.from(JSON.stringify({ ...page, offset: next })).toString('base64url')
      body.nextLink = `${this.url}/v3.0/iam/apiKeys?skipToken=${token}`
    }
    return { status: 200, body }
  }

  /** Shape errors of a whole batch or change body; undefined when it is well-formed. */
  private fieldProblem(
    item: Record<string, unknown>,
    allowed: readonly string[],
    where: string
  ): string | undefined {
    const unknown = Object.keys(item).find((f) => !allowed.includes(f))
    if (unknown) return `${where}: the field ${unknown} is not accepted.`
    const { name, role, description, status } = item
    if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
      return `${where}: name must be a non-empty string.`
    if (typeof name === 'string' && name.length > MAX_NAME_LENGTH)
      return `${where}: name is longer than ${MAX_NAME_LENGTH} characters.`
    if (role !== undefined && (typeof role !== 'string' || role === ''))
      return `${where}: role must be a non-empty string.`
    if (typeof role === 'string' && role.length > MAX_ROLE_LENGTH)
      return `${where}: role is longer than ${MAX_ROLE_LENGTH} characters.`
    if (description !== undefined && typeof description !== 'string')
      return `${where}: description must be a string.`
    if (typeof description === 'string' && description.length > MAX_DESCRIPTION_LENGTH)
      return `${where}: description is longer than ${MAX_DESCRIPTION_LENGTH} characters.`
    if (status !== undefined && status !== 'enabled' && status !== 'disabled')
      return `${where}: status must be enabled or disabled.`
    return undefined
  }

  /** Why a role cannot be given to a key, or undefined when it can. */
  private roleProblem(role: string): string | undefined {
    const known = this.roles.get(role)
    if (!known) return `The role ${role} does not exist.`
    if (!known.assignableToApiKeys)
      return role === MASTER_ADMINISTRATOR
        ? 'The Master Administrator role cannot be assigned to API keys.'
        : `The role ${role} cannot be assigned to API keys.`
    return undefined
  }

  private takeItemFault(
    operation: ItemFault['operation'],
    item: Record<string, unknown>
  ): ArmedItemFault | undefined {
    const index = this.itemFaults.findIndex(
      (f) => f.operation === operation && (f.when === undefined || f.when(item))
    )
    if (index < 0) return undefined
    const fault = this.itemFaults[index]
    if (--fault.remaining <= 0) this.itemFaults.splice(index, 1)
    return fault
  }

  private injectedItem(fault: ItemFault): unknown {
    if ('body' in fault)
      return fault.body === undefined
        ? { status: fault.status }
        : { status: fault.status, body: fault.body }
    return fault.status >= 400
      ? failedItem(fault.status, `Injected item fault: HTTP ${fault.status}`)
      : { status: fault.status }
  }

  private batchBody(request: EmulatedRequest, what: string): unknown[] | EmulatedResponse {
    if (!isJson(request)) return error(400, 'Content-Type must be application/json.')
    if (!Array.isArray(request.body) || request.body.length === 0)
      return error(400, `The body must be a non-empty JSON array of ${what}.`)
    const notObject = request.body.findIndex((item) => !isObject(item))
    if (notObject >= 0) return error(400, `Item ${notObject} is not a JSON object.`)
    return request.body as unknown[]
  }

  private create(request: EmulatedRequest): EmulatedResponse {
    const batch = this.batchBody(request, 'keys to create')
    if (!Array.isArray(batch)) return batch
    const items = batch as Record<string, unknown>[]
    for (const [i, item] of items.entries()) {
      const problem = this.fieldProblem(
        item,
        ['name', 'role', 'monthsToExpiration', 'description', 'status'],
        `Item ${i}`
      )
      if (problem) return error(400, problem)
      if (item.name === undefined || item.role === undefined)
        return error(400, `Item ${i}: name and role are required.`)
      if (!(MONTHS_TO_EXPIRATION as readonly unknown[]).includes(item.monthsToExpiration))
        return error(400, `Item ${i}: monthsToExpiration must be one of 0, 1, 3, 6, 12.`)
    }
    const answers = items.map((item) => {
      const fault = this.takeItemFault('create', item)
      if (fault && !fault.act) return this.injectedItem(fault)
      const answer = this.createOne(item)
      return fault ? this.injectedItem(fault) : answer
    })
    return { status: 207, body: answers }
  }

  private createOne(item: Record<string, unknown>): unknown {
    const name = item.name as string
    const role = item.role as string
    const months = item.monthsToExpiration as number
    const roleProblem = this.roleProblem(role)
    if (roleProblem) return failedItem(400, roleProblem)
    if (this.nameTaken(name))
      return failedItem(
        this.duplicateNameError.status,
        `An API key named ${name} already exists.`,
        this.duplicateNameError.code
      )
    const now = Math.floor(this.now() / 1000) * 1000
    // monthsToExpiration 0: a key that never expires (the SDK's default).
    const key = this.addKey({
      name,
      role,
      description: (item.description as string | undefined) ?? '',
      status: (item.status as KeyStatus | undefined) ?? 'enabled',
      createdDateTime: now,
      expiredDateTime: months === 0 ? undefined : addMonths(now, months)
    })
    key.validFrom = now + this.activationDelayMs
    const body: Record<string, unknown> = { id: key.id, value: key.secret }
    this.setTime(body, 'expiredDateTime', key.expiredDateTime, this.noExpiryAs)
    return {
      status: 201,
      headers: [{ name: 'Location', value: `${this.url}/v3.0/iam/apiKeys/${key.id}` }],
      body
    }
  }

  private update(request: EmulatedRequest, id: string, caller: VisionOneKey): EmulatedResponse {
    if (!isJson(request)) return error(400, 'Content-Type must be application/json.')
    const changes = request.body
    if (!isObject(changes) || Object.keys(changes).length === 0)
      return error(400, 'The body must be a JSON object with name, role, status or description.')
    const problem = this.fieldProblem(changes, ['name', 'role', 'status', 'description'], 'Body')
    if (problem) return error(400, problem)
    const key = this.keys.get(id)
    if (!key) return error(404, `The API key ${id} does not exist.`)
    const ifMatch = request.headers['if-match']
    if (ifMatch === undefined || ifMatch === '')
      return error(this.missingIfMatchStatus, 'The If-Match header is required.')
    const quoted = /^"(.*)"$/.exec(ifMatch)
    const tag = quoted && this.acceptQuotedIfMatch ? quoted[1] : ifMatch
    if (tag !== key.etag)
      return {
        status: 412,
        body: {
          error: {
            code: 'ConditionNotMet',
            message:
              'The target resource is not updated because of ETag unmatching. (Error code: 3090018)',
            number: 3090018
          }
        }
      }
    if (key.movedFromUserAccounts)
      return error(400, 'API keys moved from User Accounts cannot be edited.')
    const { name, role, status, description } = changes as Partial<Record<string, string>>
    if (role !== undefined) {
      const roleProblem = this.roleProblem(role)
      if (roleProblem) return error(400, roleProblem)
    }
    if (name !== undefined && this.nameTaken(name, key))
      return error(
        this.duplicateNameError.status,
        `An API key named ${name} already exists.`,
        this.duplicateNameError.code
      )
    if (this.refuseSelfChange && key === caller && status === 'disabled')
      return error(403, 'An API key cannot disable itself.')
    if (name !== undefined) key.name = name
    if (role !== undefined) key.role = role
    if (status !== undefined) key.status = status as KeyStatus
    if (description !== undefined) key.description = description
    key.lastModifiedDateTime = this.now()
    key.etag = newEtag()
    return { status: 204 }
  }

  private delete(request: EmulatedRequest, caller: VisionOneKey): EmulatedResponse {
    const batch = this.batchBody(request, '{"id": ...} objects')
    if (!Array.isArray(batch)) return batch
    const items = batch as Record<string, unknown>[]
    for (const [i, item] of items.entries()) {
      if (Object.keys(item).some((f) => f !== 'id') || typeof item.id !== 'string')
        return error(400, `Item ${i} must be {"id": "<API key ID>"}.`)
    }
    const answers = items.map((item) => {
      const fault = this.takeItemFault('delete', item)
      if (fault && !fault.act) return this.injectedItem(fault)
      const answer = this.deleteOne(item.id as string, caller)
      return fault ? this.injectedItem(fault) : answer
    })
    return { status: 207, body: answers }
  }

  private deleteOne(id: string, caller: VisionOneKey): unknown {
    const key = this.keys.get(id)
    if (!key) return failedItem(404, `The API key ${id} does not exist.`)
    if (this.refuseSelfChange && key === caller)
      return failedItem(403, 'An API key cannot delete itself.')
    this.keys.delete(id)
    return { status: 204 }
  }
}

/** Role names of the seeded world. */
export const VISION_ONE_ROLES = {
  /** A custom role that may view, create, edit and delete API keys. */
  keyManager: 'API Key Manager',
  /** Predefined; may only view keys. */
  auditor: 'Auditor',
  /** Predefined; no API key rights (what a deploying workload's key would have). */
  deployer: 'Senior Analyst',
  /** Predefined; no API key rights. */
  siem: 'SIEM',
  masterAdministrator: MASTER_ADMINISTRATOR
} as const

export interface SeededVisionOneKeys {
  /** `ci-key-manager`: its role may manage keys; expires in 12 months. */
  admin: VisionOneKey
  /** `nightly-auditor`: view only; expires in 6 months. */
  auditor: VisionOneKey
  /** `deployer-a`: the idle key of a pair (expires in 2 months, before deployer-b). */
  deployerA: VisionOneKey
  /** `deployer-b`: the live key of the pair (expires in 8 months, used an hour ago). */
  deployerB: VisionOneKey
  /** `legacy-admin`: Master Administrator from before 2025-10-27, never expires, never used. */
  legacyAdmin: VisionOneKey
  /** `siem-connector`: disabled. */
  siemConnector: VisionOneKey
}

export interface SeededVisionOne extends SeededVisionOneKeys {
  v1: VisionOneEmulator
  stop: () => Promise<void>
}

/** Adds the seeded world's role and keys to an emulator, at times relative to its clock. */
export function seedVisionOne(v1: VisionOneEmulator): SeededVisionOneKeys {
  const now = v1.now()
  const day = 24 * 60 * 60 * 1000
  v1.addRole({ name: VISION_ONE_ROLES.keyManager, apiKeyRights: ALL_KEY_RIGHTS })
  return {
    admin: v1.addKey({
      name: 'ci-key-manager',
      role: VISION_ONE_ROLES.keyManager,
      description: 'rotates other keys',
      createdDateTime: now - 30 * day,
      expiredDateTime: addMonths(now, 12)
    }),
    auditor: v1.addKey({
      name: 'nightly-auditor',
      role: VISION_ONE_ROLES.auditor,
      createdDateTime: now - 90 * day,
      lastUsedDateTime: now - day,
      expiredDateTime: addMonths(now, 6)
    }),
    deployerA: v1.addKey({
      name: 'deployer-a',
      role: VISION_ONE_ROLES.deployer,
      description: 'deploys the app (pair)',
      createdDateTime: now - 300 * day,
      lastUsedDateTime: now - 2 * day,
      expiredDateTime: addMonths(now, 2)
    }),
    deployerB: v1.addKey({
      name: 'deployer-b',
      role: VISION_ONE_ROLES.deployer,
      description: 'deploys the app (pair)',
      createdDateTime: now - 120 * day,
      lastUsedDateTime: now - 60 * 60 * 1000,
      expiredDateTime: addMonths(now, 8)
    }),
    legacyAdmin: v1.addKey({
      name: 'legacy-admin',
      role: MASTER_ADMINISTRATOR,
      createdDateTime: Date.UTC(2025, 0, 15)
    }),
    siemConnector: v1.addKey({
      name: 'siem-connector',
      role: VISION_ONE_ROLES.siem,
      status: 'disabled',
      createdDateTime: now - 200 * day,
      lastUsedDateTime: now - 100 * day,
      expiredDateTime: addMonths(now, 1)
    })
  }
}

/**
 * Starts a seeded Vision One emulator on loopback for tests and the demo: the predefined roles
 * plus `API Key Manager`, and the keys of SeededVisionOneKeys. `now` (default Date.now) is set
 * before seeding so the times follow a test's clock.
 */
export async function startSeededVisionOne(
  options: { now?: () => number } = {}
): Promise<SeededVisionOne> {
  const v1 = new VisionOneEmulator()
  if (options.now) v1.now = options.now
  const keys = seedVisionOne(v1)
  await v1.start()
  return { v1, ...keys, stop: () => v1.stop() }
}
