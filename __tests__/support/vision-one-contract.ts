import { readFileSync } from 'node:fs'
import type { Exchange } from '../../emulators/server.js'
import {
  FILTER_FIELDS,
  MASTER_ADMINISTRATOR,
  MAX_DESCRIPTION_LENGTH,
  MAX_FILTER_LENGTH,
  MAX_NAME_LENGTH,
  MAX_ROLE_LENGTH,
  MONTHS_TO_EXPIRATION,
  PAGE_SIZES,
  SORTABLE_FIELDS,
  parseVisionOneFilter
} from '../../emulators/vision-one.js'

/*
 * The Vision One API keys contract, checked against Trend's own sources (there is no OpenAPI
 * description to validate with, as contract.ts does for the other APIs): operations, required
 * headers and body patterns come from Trend's WireMock stubs in ../fixtures/vision-one/, answer
 * shapes are derived from the stubs' bodies, and the rules on fields and values from Trend's
 * Python SDK and MCP server (../fixtures/vision-one/README.md says which file gave what).
 */

const FIXTURES = new URL('../fixtures/vision-one/', import.meta.url)

/** A WireMock mapping file as Trend wrote it. */
export interface TrendStub {
  /** The file below ../fixtures/vision-one/. */
  file: string
  request: {
    method: string
    urlPath?: string
    urlPathPattern?: string
    headers?: Record<string, { matches?: string; contains?: string }>
    bodyPatterns?: { matchesJsonPath?: string }[]
    queryParameters?: Record<string, unknown>
  }
  response: { status: number; jsonBody?: unknown; headers?: Record<string, string> }
}

function readStub(file: string): TrendStub {
  const mapping = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Omit<
    TrendStub,
    'file'
  >
  return { ...mapping, file }
}

/** Trend's stubs, parsed: the API keys and connectivity ones, and error shapes of other v3 APIs. */
export const TREND_STUBS = {
  createApiKeys: readStub('api_keys/create_api_keys_207_202.json'),
  deleteApiKeys: readStub('api_keys/delete_api_keys_207_202.json'),
  getApiKey: readStub('api_keys/get_api_key_200.json'),
  listApiKeys: readStub('api_keys/get_api_key_list_200.json'),
  updateApiKey: readStub('api_keys/update_api_key_200.json'),
  connectivity: readStub('connectivity/check_availability_200.json'),
  connectivityServerError: readStub('connectivity/check_availability_500.json'),
  /** 412 ConditionNotMet of a v3 PATCH with If-Match (workbench alerts). */
  conditionNotMet: readStub('other_v3/edit_status_412_precondition_failed.json'),
  notFound: readStub('other_v3/edit_status_404_not_found.json'),
  accessDenied: readStub('other_v3/get_task_403_access_denied.json'),
  badRequest: readStub('other_v3/get_alert_list_400_bad_request.json'),
  tooManyRequests: readStub('other_v3/add_exception_429_too_many_requests.json'),
  /** A 429 whose body is `{code, message}` without the `error` wrapper (Trend's GET stub). */
  tooManyRequestsUnwrapped: readStub('other_v3/get_exception_list_429_too_many_requests.json'),
  /** A failed 207 item without headers. */
  failedItem: readStub('other_v3/disable_207_403_insufficient_permissions.json'),
  /** A failed 207 item with headers. */
  failedItemWithHeaders: readStub('other_v3/disable_207_400_task_duplication.json'),
  /** A page with nextLink (workbench alerts; items removed). */
  pageWithNextLink: readStub('other_v3/get_alert_list_200_next_link.trimmed.json'),
  /** The page that nextLink leads to (items removed). */
  pageFromSkipToken: readStub('other_v3/get_alert_list_200_skip_token.trimmed.json')
} as const

export interface StubAnswer {
  status: number
  headers: Record<string, string>
  /** Undefined when the stub answers no body (a 204). */
  body: unknown
}

/**
 * A stub's answer as a server at `origin` (e.g. `https://api.xdr.trendmicro.com`) would send it
 * for a request to `path`: WireMock's `{{request.baseUrl}}`, `{{request.host}}` and
 * `{{request.path}}` filled in. For feeding a client answers shaped exactly as Trend's stubs.
 */
export function stubAnswer(
  stub: TrendStub,
  origin: string,
  path = stub.request.urlPath ?? '/'
): StubAnswer {
  const { host } = new URL(origin)
  const fill = (text: string): string =>
    text
      .replaceAll('{{request.baseUrl}}', origin)
      .replaceAll('{{request.host}}', host)
      .replaceAll('{{request.path}}', path)
  const body =
    stub.response.jsonBody === undefined
      ? undefined
      : (JSON.parse(fill(JSON.stringify(stub.response.jsonBody))) as unknown)
  return { status: stub.response.status, headers: { ...stub.response.headers }, body }
}

/** One request shape of ../fixtures/vision-one/requests.json. */
export interface RequestShape {
  name: string
  /** Where the shape comes from. */
  source: string
  method: string
  path: string
  query?: string
  headers: Record<string, string>
  body?: unknown
  /** For a broken shape: a word the checker's report must contain. */
  violation?: string
}

/** The request shapes: valid ones from Trend's SDK and MCP server, and ones broken on purpose. */
export const REQUEST_SHAPES = JSON.parse(
  readFileSync(new URL('requests.json', FIXTURES), 'utf8')
) as { valid: RequestShape[]; invalid: RequestShape[] }

/** A request shape as an exchange in an emulator's log (header names lower-case). */
export function exchangeOf(shape: RequestShape): Exchange {
  return {
    method: shape.method,
    path: shape.path,
    query: shape.query ?? '',
    headers: Object.fromEntries(
      Object.entries(shape.headers).map(([name, value]) => [name.toLowerCase(), value])
    ),
    body: shape.body,
    acted: false,
    at: 0
  }
}

type Operation = 'create' | 'delete' | 'list' | 'get' | 'update' | 'connectivity'

const OPERATIONS: [Operation, TrendStub][] = [
  ['create', TREND_STUBS.createApiKeys],
  ['delete', TREND_STUBS.deleteApiKeys],
  ['list', TREND_STUBS.listApiKeys],
  ['get', TREND_STUBS.getApiKey],
  ['update', TREND_STUBS.updateApiKey],
  ['connectivity', TREND_STUBS.connectivity]
]

function operationOf(exchange: Exchange): [Operation, TrendStub] | undefined {
  return OPERATIONS.find(
    ([, stub]) =>
      stub.request.method === exchange.method &&
      (stub.request.urlPath === exchange.path ||
        (stub.request.urlPathPattern !== undefined &&
          new RegExp(`^${stub.request.urlPathPattern}$`).test(exchange.path)))
  )
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ORDER_BY = new RegExp(`^(?:${SORTABLE_FIELDS.join('|')})(?: (?:asc|desc))?$`)

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Problems of one key's fields in a create item or a change (`where` names it). */
function keyFieldProblems(
  fields: Record<string, unknown>,
  allowed: readonly string[],
  where: string
): string[] {
  const problems: string[] = []
  for (const field of Object.keys(fields))
    if (!allowed.includes(field)) problems.push(`${where}: field ${field} is not accepted`)
  const text = (field: string, max: number): void => {
    const value = fields[field]
    if (value === undefined) return
    if (typeof value !== 'string' || value === '')
      problems.push(`${where}: ${field} must be a non-empty string`)
    else if (value.length > max)
      problems.push(`${where}: ${field} is ${value.length} characters, at most ${max}`)
  }
  text('name', MAX_NAME_LENGTH)
  text('role', MAX_ROLE_LENGTH)
  if (fields.role === MASTER_ADMINISTRATOR)
    problems.push(`${where}: role Master Administrator cannot be given to a key (since 2025-10-27)`)
  const { description, status } = fields
  if (description !== undefined && typeof description !== 'string')
    problems.push(`${where}: description must be a string`)
  if (typeof description === 'string' && description.length > MAX_DESCRIPTION_LENGTH)
    problems.push(
      `${where}: description is ${description.length} characters, at most ${MAX_DESCRIPTION_LENGTH}`
    )
  if (status !== undefined && status !== 'enabled' && status !== 'disabled')
    problems.push(`${where}: status must be enabled or disabled, not ${JSON.stringify(status)}`)
  return problems
}

/** Fields every item of an array body must have, from a stub's `$[?(@.field)]` patterns. */
function requiredItemFields(stub: TrendStub): string[] {
  return (stub.request.bodyPatterns ?? []).flatMap((p) => {
    const match = /^\$\[\?\(@\.(\w+)\)\]$/.exec(p.matchesJsonPath ?? '')
    return match ? [match[1]] : []
  })
}

/**
 * Checks a request to the Vision One API keys API: the operation is one of Trend's stubs
 * (method and path), `Authorization: Bearer <token>`, the headers the stub requires (If-Match
 * on PATCH, bare: quotes removed), `Content-Type: application/json` with a body, and the
 * body, query and TMV1-Filter by the SDK's and MCP server's rules. Returns the violations.
 */
export function visionOneRequestViolations(exchange: Exchange): string[] {
  const where = `${exchange.method} ${exchange.path}`
  const operation = operationOf(exchange)
  if (!operation) return [`${where}: no such operation in Trend's stubs`]
  const [name, stub] = operation
  const problems: string[] = []
  const authorization = header(exchange, 'authorization')
  if (authorization === undefined) problems.push(`${where}: no Authorization header`)
  else if (!/^Bearer \S+$/.test(authorization))
    problems.push(`${where}: Authorization must be "Bearer <token>"`)
  for (const [headerName, rule] of Object.entries(stub.request.headers ?? {})) {
    const value = header(exchange, headerName)
    if (value === undefined) problems.push(`${where}: no ${headerName} header`)
    else if (rule.matches !== undefined && !new RegExp(`^(?:${rule.matches})$`).test(value))
      problems.push(`${where}: ${headerName} does not match ${rule.matches}`)
  }
  const ifMatch = header(exchange, 'if-match')
  if (name === 'update' && ifMatch !== undefined && /^(W\/)?".*"$/.test(ifMatch))
    problems.push(`${where}: If-Match must be the ETag with its quotes removed`)
  const hasBody = exchange.body !== undefined
  if (name === 'create' || name === 'delete' || name === 'update') {
    const type = header(exchange, 'content-type')
    if (!type || !/^application\/json\s*(;|$)/i.test(type))
      problems.push(`${where}: Content-Type must be application/json`)
    if (!hasBody) problems.push(`${where}: no body`)
  } else if (hasBody) {
    problems.push(`${where}: a ${exchange.method} has no body`)
  }
  if (name === 'get' || name === 'update') {
    const id = exchange.path.split('/').at(-1) ?? ''
    if (!UUID.test(id)) problems.push(`${where}: the key ID "${id}" is not a UUID`)
  }
  const query = new URLSearchParams(exchange.query ?? '')
  if (name !== 'list' && [...query.keys()].length > 0)
    problems.push(`${where}: unexpected query ${exchange.query}`)
  const required = requiredItemFields(stub)
  const batch = (what: string): Record<string, unknown>[] => {
    if (!Array.isArray(exchange.body)) {
      if (hasBody) problems.push(`${where}: the body must be a JSON array of ${what}`)
      return []
    }
    if (exchange.body.length === 0) problems.push(`${where}: the body is an empty array`)
    return exchange.body.flatMap((item, i) => {
      if (isObject(item)) {
        for (const field of required)
          if (item[field] === undefined) problems.push(`${where} item ${i}: no ${field}`)
        return [item]
      }
      problems.push(`${where} item ${i}: not an object with ${required.join(', ')}`)
      return []
    })
  }
  switch (name) {
    case 'create':
      batch('keys to create').forEach((item, i) => {
        problems.push(
          ...keyFieldProblems(
            item,
            ['name', 'role', 'monthsToExpiration', 'description', 'status'],
            `${where} item ${i}`
          )
        )
        if (!(MONTHS_TO_EXPIRATION as readonly unknown[]).includes(item.monthsToExpiration))
          problems.push(
            `${where} item ${i}: monthsToExpiration must be one of ${MONTHS_TO_EXPIRATION.join(', ')}`
          )
      })
      break
    case 'delete':
      batch('{"id": ...} objects').forEach((item, i) => {
        if (Object.keys(item).some((f) => f !== 'id') || typeof item.id !== 'string')
          problems.push(`${where} item ${i}: must be {"id": "<API key ID>"}`)
        else if (!UUID.test(item.id))
          problems.push(`${where} item ${i}: the key ID "${item.id}" is not a UUID`)
      })
      break
    case 'update':
      if (!isObject(exchange.body)) {
        if (hasBody) problems.push(`${where}: the body must be a JSON object`)
      } else if (Object.keys(exchange.body).length === 0) {
        problems.push(
          `${where}: the body must change at least one of name, role, status, description`
        )
      } else {
        problems.push(
          ...keyFieldProblems(exchange.body, ['name', 'role', 'status', 'description'], where)
        )
      }
      break
    case 'list':
      problems.push(...listQueryProblems(where, query, header(exchange, 'tmv1-filter')))
      break
  }
  return problems
}

function listQueryProblems(
  where: string,
  query: URLSearchParams,
  filter: string | undefined
): string[] {
  const problems: string[] = []
  for (const key of query.keys())
    if (!['top', 'orderBy', 'skipToken'].includes(key))
      problems.push(`${where}: unexpected query parameter ${key} (a filter goes in TMV1-Filter)`)
  const top = query.get('top')
  if (top !== null && !PAGE_SIZES.map(String).includes(top))
    problems.push(`${where}: top must be one of ${PAGE_SIZES.join(', ')}, not ${top}`)
  const orderBy = query.get('orderBy')
  if (orderBy !== null && !ORDER_BY.test(orderBy))
    problems.push(`${where}: orderBy must be one of ${SORTABLE_FIELDS.join(', ')} [asc|desc]`)
  if (filter !== undefined) {
    if (filter.length > MAX_FILTER_LENGTH)
      problems.push(
        `${where}: TMV1-Filter is ${filter.length} characters, at most ${MAX_FILTER_LENGTH}`
      )
    try {
      parseVisionOneFilter(filter)
    } catch (e) {
      problems.push(
        `${where}: TMV1-Filter is not "<${FILTER_FIELDS.join('|')}> eq '<text>'" joined with and, or, not, parentheses: ${(e as Error).message}`
      )
    }
  }
  return problems
}

/** A JSON shape, derived from an example in a stub. */
type Shape =
  | { type: 'string'; format?: 'date-time' | 'uuid' | 'url'; values?: string[] }
  | { type: 'number' | 'boolean' | 'null' }
  | { type: 'array'; items?: Shape }
  | { type: 'object'; fields: Record<string, Field>; open?: boolean }

interface Field {
  shape: Shape
  optional?: boolean
  nullable?: boolean
  /** The empty string is allowed (a date-time the key does not have). */
  empty?: boolean
}

/** The shape of a stub's example value: same fields, same JSON types, date-times, UUIDs, URLs. */
function shapeOf(example: unknown): Shape {
  if (example === null) return { type: 'null' }
  if (Array.isArray(example))
    return { type: 'array', items: example.length ? shapeOf(example[0]) : undefined }
  if (typeof example === 'string') {
    if (DATE_TIME.test(example)) return { type: 'string', format: 'date-time' }
    if (UUID.test(example)) return { type: 'string', format: 'uuid' }
    if (/^(https?:\/\/|\{\{request\.)/.test(example)) return { type: 'string', format: 'url' }
    return { type: 'string' }
  }
  if (typeof example === 'object') {
    const fields = Object.fromEntries(
      Object.entries(example).map(([name, value]) => [name, { shape: shapeOf(value) }])
    )
    return { type: 'object', fields }
  }
  return { type: typeof example as 'number' | 'boolean' }
}

/** An object shape with some fields changed or added. */
function withFields(shape: Shape, changes: Record<string, Partial<Field>>): Shape {
  if (shape.type !== 'object') throw new Error('withFields takes an object shape')
  const fields = { ...shape.fields }
  for (const [name, change] of Object.entries(changes)) {
    const base = fields[name] ?? { shape: { type: 'string' } }
    fields[name] = { ...base, ...change }
  }
  return { ...shape, fields }
}

function fieldOf(shape: Shape, name: string): Shape {
  if (shape.type !== 'object' || !shape.fields[name]) throw new Error(`No field ${name}`)
  return shape.fields[name].shape
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** Where `value` departs from `shape`. */
function shapeProblems(value: unknown, shape: Shape, where: string): string[] {
  if (kindOf(value) !== shape.type) return [`${where}: ${kindOf(value)}, expected ${shape.type}`]
  switch (shape.type) {
    case 'string': {
      const text = value as string
      if (shape.values && !shape.values.includes(text))
        return [`${where}: "${text}" is not one of ${shape.values.join(', ')}`]
      if (shape.format === 'date-time' && !DATE_TIME.test(text))
        return [`${where}: "${text}" is not an ISO 8601 date-time`]
      if (shape.format === 'uuid' && !UUID.test(text)) return [`${where}: "${text}" is not a UUID`]
      if (shape.format === 'url' && !URL.canParse(text))
        return [`${where}: "${text}" is not an absolute URL`]
      return []
    }
    case 'array':
      return shape.items
        ? (value as unknown[]).flatMap((item, i) =>
            shapeProblems(item, shape.items!, `${where}[${i}]`)
          )
        : []
    case 'object': {
      const object = value as Record<string, unknown>
      const problems: string[] = []
      for (const [name, field] of Object.entries(shape.fields)) {
        const at = `${where}.${name}`
        const v = object[name]
        if (v === undefined) {
          if (!field.optional) problems.push(`${at}: missing`)
        } else if (v === null && field.nullable) {
          continue
        } else if (v === '' && field.empty) {
          continue
        } else {
          problems.push(...shapeProblems(v, field.shape, at))
        }
      }
      if (!shape.open)
        for (const name of Object.keys(object))
          if (!(name in shape.fields)) problems.push(`${where}.${name}: not in Trend's stubs`)
      return problems
    }
    default:
      return []
  }
}

const stubBody = (stub: TrendStub): unknown => stub.response.jsonBody
const firstItem = (stub: TrendStub): unknown => (stubBody(stub) as unknown[])[0]
/** A date-time a key may not have: absent, null or empty (unconfirmed which). */
const MAYBE_TIME: Partial<Field> = { optional: true, nullable: true, empty: true }
const DATE: Field = { shape: { type: 'string', format: 'date-time' }, optional: true }

/**
 * Answer shapes, each derived from Trend's stub and widened only where a source says so (the
 * comments name it).
 */
export const ANSWER_SHAPES = (() => {
  const key = withFields(shapeOf(stubBody(TREND_STUBS.getApiKey)), {
    // pytmv1 model/enum.py ApiStatus.
    status: { shape: { type: 'string', values: ['enabled', 'disabled'] } },
    // pytmv1 model/common.py ApiKey: description is Optional[str].
    description: { optional: true, nullable: true },
    // Reference: unconfirmed for a key never used / never expiring.
    lastUsedDateTime: MAYBE_TIME,
    expiredDateTime: MAYBE_TIME,
    // Sortable fields (pytmv1 orderBy, the MCP server's orderBy enum); absent from the stubs.
    createdDateTime: DATE,
    lastModifiedDateTime: DATE
  })
  const page = shapeOf(stubBody(TREND_STUBS.pageWithNextLink))
  const list = withFields(shapeOf(stubBody(TREND_STUBS.listApiKeys)), {
    items: { shape: { type: 'array', items: key } },
    nextLink: { shape: fieldOf(page, 'nextLink'), optional: true }
  })
  const created = shapeOf(firstItem(TREND_STUBS.createApiKeys))
  const createdItem = withFields(created, {
    body: { shape: withFields(fieldOf(created, 'body'), { expiredDateTime: MAYBE_TIME }) }
  })
  const failedItem = withFields(shapeOf(firstItem(TREND_STUBS.failedItem)), {
    headers: {
      shape: fieldOf(shapeOf(firstItem(TREND_STUBS.failedItemWithHeaders)), 'headers'),
      optional: true
    }
  })
  const wrapped = shapeOf(stubBody(TREND_STUBS.conditionNotMet))
  const error = withFields(wrapped, {
    error: {
      shape: withFields(fieldOf(wrapped, 'error'), {
        // The 412 stub has a number; the 403 and 400 ones do not.
        number: { optional: true },
        // The connectivity 500 stub has {code, service}; any object is taken.
        innererror: { shape: { type: 'object', fields: {}, open: true }, optional: true }
      })
    }
  })
  return {
    key,
    list,
    createdItem,
    deletedItem: shapeOf(firstItem(TREND_STUBS.deleteApiKeys)),
    failedItem,
    error,
    unwrappedError: shapeOf(stubBody(TREND_STUBS.tooManyRequestsUnwrapped)),
    connectivity: withFields(shapeOf(stubBody(TREND_STUBS.connectivity)), {
      status: { shape: { type: 'string', values: ['available'] } }
    })
  }
})()

/** Where an answer body departs from its shape (exported to check stubs and other answers). */
export function answerShapeProblems(
  body: unknown,
  shape: keyof typeof ANSWER_SHAPES,
  where = 'answer'
): string[] {
  return shapeProblems(body, ANSWER_SHAPES[shape], where)
}

const SUCCESS: Record<Operation, number> = {
  create: 207,
  delete: 207,
  list: 200,
  get: 200,
  update: 204,
  connectivity: 200
}

/**
 * Checks the answer of one exchange against the shapes of Trend's stubs: the success status of
 * the operation, the body (207 items one per request item, 201 / 204 items as in the stubs,
 * failed items `{status, body: {error: {code, message}}}`), a list's count and nextLink, and
 * error bodies `{"error": {code, message}}`. Answers injected by a fault are not checked.
 */
export function visionOneAnswerViolations(exchange: Exchange): string[] {
  if (exchange.fault || exchange.status === undefined) return []
  const operation = operationOf(exchange)
  if (!operation) return []
  const [name] = operation
  const status = exchange.status
  const body = exchange.responseBody
  const where = `${exchange.method} ${exchange.path} answer`
  if (status >= 400) {
    const wrapped = shapeProblems(body, ANSWER_SHAPES.error, where)
    if (status === 429 && wrapped.length > 0 && !answerShapeProblems(body, 'unwrappedError').length)
      return []
    return wrapped
  }
  if (status !== SUCCESS[name])
    return [`${where}: HTTP ${status}, Trend answers ${SUCCESS[name]} to ${name}`]
  switch (name) {
    case 'get':
      return shapeProblems(body, ANSWER_SHAPES.key, where)
    case 'connectivity':
      return shapeProblems(body, ANSWER_SHAPES.connectivity, where)
    case 'update':
      return body === undefined ? [] : [`${where}: a 204 has no body`]
    case 'list': {
      const problems = shapeProblems(body, ANSWER_SHAPES.list, where)
      if (problems.length) return problems
      const page = body as {
        totalCount: number
        count: number
        items: unknown[]
        nextLink?: string
      }
      if (page.count !== page.items.length)
        problems.push(`${where}: count ${page.count} but ${page.items.length} items`)
      if (page.totalCount < page.count)
        problems.push(`${where}: totalCount ${page.totalCount} is less than count ${page.count}`)
      if (page.nextLink !== undefined && !new URL(page.nextLink).searchParams.has('skipToken'))
        problems.push(`${where}: nextLink has no skipToken`)
      return problems
    }
    case 'create':
    case 'delete': {
      if (!Array.isArray(body)) return [`${where}: a 207 body must be an array`]
      const problems: string[] = []
      if (Array.isArray(exchange.body) && body.length !== exchange.body.length)
        problems.push(`${where}: ${body.length} items for ${exchange.body.length} requested`)
      body.forEach((item: unknown, i) => {
        const at = `${where}[${i}]`
        const itemStatus = isObject(item) ? item.status : undefined
        if (typeof itemStatus !== 'number') {
          problems.push(`${at}: no numeric status`)
        } else if (itemStatus >= 400) {
          problems.push(...shapeProblems(item, ANSWER_SHAPES.failedItem, at))
        } else if (name === 'create') {
          if (itemStatus !== 201) problems.push(`${at}: status ${itemStatus}, Trend's stub has 201`)
          else problems.push(...createdItemProblems(item as Record<string, unknown>, at))
        } else if (itemStatus !== 204) {
          problems.push(`${at}: status ${itemStatus}, Trend's stub has 204`)
        } else {
          problems.push(...shapeProblems(item, ANSWER_SHAPES.deletedItem, at))
        }
      })
      return problems
    }
  }
}

function createdItemProblems(item: Record<string, unknown>, where: string): string[] {
  const problems = shapeProblems(item, ANSWER_SHAPES.createdItem, where)
  if (problems.length) return problems
  const { headers, body } = item as {
    headers: { name: string; value: string }[]
    body: { id: string }
  }
  const location = headers.find((h) => h.name === 'Location')?.value
  if (!location) return [`${where}: no Location header`]
  if (!location.endsWith(`/v3.0/iam/apiKeys/${body.id}`))
    return [`${where}: Location ${location} does not name the key ${body.id}`]
  return []
}

/** Both checks of one exchange: the request, then the answer. */
export function visionOneContractViolations(exchange: Exchange): string[] {
  return [...visionOneRequestViolations(exchange), ...visionOneAnswerViolations(exchange)]
}
