import { scrubbed, untrusted } from '../../redaction.js'
import type { Key, KeyChanges, NewKey } from '../key-platform.js'

/*
 * The Cloud One account API keys wire format (`/apikeys`, `/roles`: keys, pages, errors), and its
 * mapping to the action's keys and roles. No other folder knows these field names. Facts and how
 * sure each is: ../shared/reference/cloud-one-api-keys.md.
 */

/** The body of `POST /apikeys/{id}`: the fields this action changes. */
export interface ApiKeyChanges {
  alias?: string
  roleID?: string
  enabled?: boolean
  allowedIPs?: string[]
  allowedCIDRs?: string[]
}

/** The body of `POST /apikeys`. */
export interface NewApiKey {
  alias: string
  description: string
  roleID: string
  locale?: string
  timezone?: string
}

/** What a key keeps beside what every platform's keys have: copied by a key that replaces it. */
export interface KeySettings {
  locale?: string
  timezone?: string
  allowedIPs: string[]
  allowedCIDRs: string[]
}

/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const MAX_DATE_MS = 8.64e15
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * A key ID (Trend's are 27 letters and digits): anything else is refused before it can become
 * part of a path or a log line.
 */
export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value)
}

/** A role's short ID (`full-access`). */
export function isRoleId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(value)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function time(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined

/**
 * A key answer as a {@link Key}; undefined when it lacks what the action relies on (an ID, an
 * alias, `enabled`, a role ID).
 */
export function toKey(value: unknown): Key | undefined {
  if (!isObject(value) || !isKeyId(value.id) || typeof value.alias !== 'string') return undefined
  if (typeof value.enabled !== 'boolean' || !isRoleId(value.roleID)) return undefined
  const key: Key = {
    id: value.id,
    name: scrubbed(value.alias),
    role: { id: value.roleID },
    active: value.enabled
  }
  const optional: Partial<Key> = {
    description: typeof value.description === 'string' ? scrubbed(value.description) : undefined,
    createdAt: time(value.created),
    lastUsedAt: time(value.lastActivity)
  }
  for (const [field, v] of Object.entries(optional))
    if (v !== undefined) Object.assign(key, { [field]: v })
  return key
}

/**
 * The settings of a key answer that a replacement copies; undefined when its network limits
 * are not lists of text (a key whose limits are unknown must not be replaced by one without).
 */
export function settingsOf(value: unknown): KeySettings | undefined {
  if (!isObject(value)) return undefined
  const allowedIPs = value.allowedIPs === undefined ? [] : strings(value.allowedIPs)
  const allowedCIDRs = value.allowedCIDRs === undefined ? [] : strings(value.allowedCIDRs)
  if (!allowedIPs || !allowedCIDRs) return undefined
  return {
    ...(typeof value.locale === 'string' && value.locale !== '' && { locale: value.locale }),
    ...(typeof value.timezone === 'string' &&
      value.timezone !== '' && { timezone: value.timezone }),
    allowedIPs,
    allowedCIDRs
  }
}

/** A role answer: its short ID and its name. */
export function toRole(value: unknown): { id: string; name: string } | undefined {
  if (!isObject(value) || !isRoleId(value.id) || typeof value.name !== 'string') return undefined
  return { id: value.id, name: scrubbed(value.name) }
}

/** The `POST /apikeys/{id}` body of a change; throws for what a Cloud One key cannot change. */
export function toApiKeyChanges(changes: KeyChanges): ApiKeyChanges {
  if (changes.expiresAt !== undefined)
    throw new Error('A Cloud One account key has no expiry: it cannot be changed.')
  if (changes.role !== undefined && !isRoleId(changes.role.id))
    throw new Error('A Cloud One role is named by its short ID (role-id, e.g. full-access).')
  return {
    ...(changes.name !== undefined && { alias: changes.name }),
    ...(changes.role !== undefined && { roleID: changes.role.id }),
    ...(changes.active !== undefined && { enabled: changes.active })
  }
}

/**
 * The `POST /apikeys` body of a new key: no network limits (a limited key could not be proven
 * from the runner; a replacement gets the old key's limits after its proof), and the language
 * and time zone of `copied` when it replaces a key.
 */
export function toNewApiKey(key: NewKey, copied?: KeySettings): NewApiKey {
  if (!isRoleId(key.role.id))
    throw new Error('A Cloud One role is named by its short ID (role-id, e.g. full-access).')
  return {
    alias: key.name,
    description: key.description,
    roleID: key.role.id,
    ...(copied?.locale !== undefined && { locale: copied.locale }),
    ...(copied?.timezone !== undefined && { timezone: copied.timezone })
  }
}

/**
 * The value a consumer holds, `<id>:<secret>`, from a create answer's `secret` (bare, or
 * already `<id>:<secret>`: never the ID twice). Undefined when there is no secret; null when
 * the secret names another key (the answer contradicts itself).
 */
export function secretValueOf(id: string, secret: unknown): string | null | undefined {
  if (typeof secret !== 'string' || secret === '') return undefined
  const colon = secret.indexOf(':')
  if (colon < 0) return `${id}:${secret}`
  return secret.slice(0, colon) === id && colon < secret.length - 1 ? secret : null
}

/**
 * The `id` and `secret` of a create answer whose text does not parse (cut off mid-body): only
 * complete string values count.
 */
export function createdInText(text: string): { id?: string; secret?: string } {
  const field = (name: string): string | undefined => {
    const match = new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text)
    if (!match) return undefined
    try {
      const value = JSON.parse(match[1]) as unknown
      return typeof value === 'string' && value !== '' ? value : undefined
    } catch {
      return undefined
    }
  }
  return { id: field('id'), secret: field('secret') }
}

/** The server's message, with its `fields` when present: `{"message", "fields": {...}}`. */
export function errorMessageOf(body: unknown): unknown {
  if (!isObject(body) || typeof body.message !== 'string') return undefined
  if (!isObject(body.fields)) return body.message
  const fields = Object.entries(body.fields)
    .map(([name, why]) => `${name}: ${typeof why === 'string' ? why : JSON.stringify(why)}`)
    .join('; ')
  return `${body.message.replace(/[.\s]+$/, '')} (${fields})`
}

/** The items of one page (`apikeys` or `roles`); undefined when the field is not a list. */
export function pageItemsOf(page: unknown, field: 'apikeys' | 'roles'): unknown[] | undefined {
  return isObject(page) && Array.isArray(page[field]) ? page[field] : undefined
}

/** The page's `next` cursor: undefined on the last page, null when it is not text. */
export function nextCursorOf(page: unknown): string | null | undefined {
  const next = isObject(page) ? page.next : undefined
  if (next === undefined || next === null || next === '') return undefined
  return typeof next === 'string' ? next : null
}

/** What a key shows of the fields a request sent, for an error that compares the two. */
export function shownText(answer: unknown, fields: string[]): string {
  if (!isObject(answer)) return 'no key'
  return untrusted(
    JSON.stringify(Object.fromEntries(fields.map((f) => [f, answer[f] ?? null]))),
    300
  )
}

/** A request body for an error message (never a secret: bodies carry none). */
export function sentText(body: unknown): string {
  return untrusted(JSON.stringify(body), 300)
}

/** Whether two lists hold the same texts, in any order. */
export function sameSet(a: string[], b: string[]): boolean {
  const [x, y] = [new Set(a), new Set(b)]
  return x.size === y.size && [...x].every((v) => y.has(v))
}
