import { scrubbed } from '../../redaction.js'
import type { Key, KeyChanges, NewKey } from '../key-platform.js'
import { LIFETIME_MONTHS } from '../../settings.js'

/*
 * The Vision One wire format (`/v3.0/iam/apiKeys`: keys, 207 batch items, pages, errors), and
 * its mapping to the action's keys. No other folder knows these field names.
 */

/** `status` of a key. */
type ApiKeyStatus = 'enabled' | 'disabled'

/** The body of `PATCH /v3.0/iam/apiKeys/{id}`: the fields this action changes. */
export interface ApiKeyChanges {
  name?: string
  /** A role's name: Vision One roles have no IDs. */
  role?: string
  status?: ApiKeyStatus
}

/** One item of the body of `POST /v3.0/iam/apiKeys`. */
interface NewApiKey {
  name: string
  role: string
  monthsToExpiration: number
  description?: string
  status: ApiKeyStatus
}

/** One item of a 207 answer: its own status, and for a created key its headers and body. */
export interface BatchItem {
  status: number
  headers?: unknown
  body?: unknown
}

/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const MAX_DATE_MS = 8.64e15

/** An ISO 8601 date-time with a zone, as Trend writes them (`2025-02-06T10:00:00Z`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * A key ID: Trend's are UUIDs (36 characters). Anything else is refused before it can become
 * part of a path or a log line.
 */
export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9-]{0,35}$/.test(value)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Milliseconds of an ISO 8601 date-time; undefined when absent, null, empty or not a date. */
function time(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? scrubbed(value) : undefined
}

/**
 * A key answer as a {@link Key}; undefined when it lacks what the action relies on (an ID, a
 * name). A key is active only when its status says `enabled`.
 */
export function toKey(value: unknown): Key | undefined {
  if (!isObject(value) || !isKeyId(value.id) || typeof value.name !== 'string') return undefined
  const key: Key = {
    id: value.id,
    name: scrubbed(value.name),
    role: typeof value.role === 'string' && value.role !== '' ? { name: scrubbed(value.role) } : {},
    active: value.status === 'enabled'
  }
  const optional: Partial<Key> = {
    description: text(value.description),
    createdAt: time(value.createdDateTime),
    lastUsedAt: time(value.lastUsedDateTime),
    expiresAt: time(value.expiredDateTime)
  }
  for (const [field, v] of Object.entries(optional))
    if (v !== undefined) Object.assign(key, { [field]: v })
  return key
}

/** The `PATCH` body of a change; throws for what Vision One cannot change or name. */
export function toApiKeyChanges(changes: KeyChanges): ApiKeyChanges {
  if (changes.expiresAt !== undefined)
    throw new Error('A Vision One key keeps the expiry it was created with: it cannot be changed.')
  if (changes.role !== undefined && !changes.role.name)
    throw new Error('Vision One roles are names (role-name); a role ID does not apply.')
  return {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.role !== undefined && { role: changes.role.name }),
    ...(changes.active !== undefined && { status: changes.active ? 'enabled' : 'disabled' })
  }
}

/** The one item of the `POST /v3.0/iam/apiKeys` body of a new key (created enabled). */
export function toNewApiKey(key: NewKey): NewApiKey {
  if (
    key.lifetimeMonths === undefined ||
    !(LIFETIME_MONTHS as readonly number[]).includes(key.lifetimeMonths)
  ) {
    throw new Error(
      `A new Vision One key needs a lifetime of ${LIFETIME_MONTHS.join(', ')} months (expiry-months), not ${key.lifetimeMonths}.`
    )
  }
  if (!key.role.name)
    throw new Error('Vision One roles are names (role-name); a role ID does not apply.')
  return {
    name: key.name,
    role: key.role.name,
    monthsToExpiration: key.lifetimeMonths,
    ...(key.description !== '' && { description: key.description }),
    status: 'enabled'
  }
}

/** The items of a 207 answer; undefined when it is not an array of items with a status. */
export function batchItemsOf(answer: unknown): BatchItem[] | undefined {
  if (!Array.isArray(answer)) return undefined
  const valid = answer.every((item) => isObject(item) && Number.isInteger(item.status))
  return valid ? (answer as BatchItem[]) : undefined
}

/** Whether a 207 item says its part succeeded (200 to 399, as Trend's SDK reads it). */
export function itemSucceeded(item: BatchItem): boolean {
  return item.status >= 200 && item.status < 400
}

/** A created key's token (`body.value`); undefined unless it is a non-empty string. */
export function tokenOf(item: unknown): string | undefined {
  const value = isObject(item) && isObject(item.body) ? item.body.value : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The IDs a create answer gives for the key it made (`body.id` and the last segment of its
 * `Location` header), each once; more than one is a contradiction.
 */
export function createdIdsOf(item: BatchItem): string[] {
  const id = isObject(item.body) ? item.body.id : undefined
  const headers = Array.isArray(item.headers) ? item.headers : []
  const location = headers.find((h) => isObject(h) && h.name === 'Location')?.value
  const match =
    typeof location === 'string' ? /\/v3\.0\/iam\/apiKeys\/([^/?#]+)$/.exec(location) : null
  return [...new Set([id, match?.[1]].filter(isKeyId))]
}

/**
 * The token of a created key in an answer's text that does not parse (cut off mid-body): the
 * `value` of a complete `"body": {...}` object, never a header's `value`.
 */
export function tokenInText(answer: string): string | undefined {
  const body = /"body"\s*:\s*\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)/.exec(answer)
  const value = body && /"value"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(body[1])
  if (!value) return undefined
  try {
    return tokenOf({ body: { value: JSON.parse(value[1]) as unknown } })
  } catch {
    return undefined
  }
}

/**
 * The server's message in an error body: `{"error": {"code", "message"}}`, or `{code, message}`
 * without the wrapper (some of Trend's 429 answers); also a failed 207 item's `body`.
 */
export function errorMessageOf(body: unknown): unknown {
  if (!isObject(body)) return undefined
  return (isObject(body.error) ? body.error.message : undefined) ?? body.message
}

/** The keys of one page of the list; undefined when the page has no `items` array. */
export function pageItemsOf(page: unknown): unknown[] | undefined {
  return isObject(page) && Array.isArray(page.items) ? page.items : undefined
}

/**
 * The page's `nextLink` (a full URL): undefined when there is no next page, null when the field
 * is there but is not a URL's text.
 */
export function nextLinkOf(page: unknown): string | null | undefined {
  const link = isObject(page) ? page.nextLink : undefined
  if (link === undefined || link === null || link === '') return undefined
  return typeof link === 'string' ? link : null
}

/** Whether a connectivity check's answer is `{"status": "available"}`. */
export function saysAvailable(answer: unknown): boolean {
  return isObject(answer) && answer.status === 'available'
}

/** The TMV1-Filter of an exact name: `name eq '<name>'`, every `'` in it doubled. */
export function exactNameFilter(name: string): string {
  return `name eq '${name.replaceAll("'", "''")}'`
}

/**
 * The ETag as If-Match takes it: the surrounding quotes removed (and a weak `W/` prefix, which
 * Trend does not send); undefined when there is none.
 */
export function etagOf(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim()
  const tag = value?.replace(/^(?:W\/)?"(.*)"$/, '$1')
  return tag ? tag : undefined
}
