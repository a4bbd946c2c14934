import { scrubbed } from '../../redaction.js'
import type { Key, KeyChanges, NewKey, Role } from '../key-platform.js'

/*
 * The Workload Security wire format (`/apikeys`, `/roles`), and its mapping to the action's
 * keys and roles. No other folder knows these field names.
 */

/** The body of `POST /apikeys/{id}`: the fields this action changes. */
interface ApiKeyChanges {
  roleID?: number
  active?: boolean
  /** Milliseconds since the epoch. */
  expiryDate?: number
}

/** The body of `POST /apikeys`. */
interface NewApiKey {
  keyName: string
  description: string
  roleID: number
  expiryDate?: number
}

/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const MAX_DATE_MS = 8.64e15

function time(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_DATE_MS
    ? value
    : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? scrubbed(value) : undefined
}

/** A key answer as a {@link Key}; undefined when it lacks what the action relies on. */
export function toKey(value: unknown): Key | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (!Number.isInteger(raw.ID) || typeof raw.keyName !== 'string') return undefined
  const key: Key = {
    id: String(raw.ID),
    name: scrubbed(raw.keyName),
    role:
      Number.isInteger(raw.roleID) && (raw.roleID as number) > 0 ? { id: String(raw.roleID) } : {},
    active: typeof raw.active === 'boolean' ? raw.active : true
  }
  const optional: Partial<Key> = {
    description: text(raw.description),
    createdAt: time(raw.created),
    lastUsedAt: time(raw.lastSignIn),
    expiresAt: time(raw.expiryDate),
    failedSignIns: Number.isInteger(raw.unsuccessfulSignInAttempts)
      ? (raw.unsuccessfulSignInAttempts as number)
      : undefined
  }
  for (const [field, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(key, { [field]: value })
  return key
}

/** A role answer as a {@link Role}; undefined when it lacks an ID or a name. */
export function toRole(value: unknown): Role | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (!Number.isInteger(raw.ID) || typeof raw.name !== 'string') return undefined
  return { id: String(raw.ID), name: scrubbed(raw.name) }
}

/** The `POST /apikeys/{id}` body of a change. */
export function toApiKeyChanges(changes: KeyChanges): ApiKeyChanges {
  return {
    ...(changes.role?.id !== undefined && { roleID: Number(changes.role.id) }),
    ...(changes.active !== undefined && { active: changes.active }),
    ...(changes.expiresAt !== undefined && { expiryDate: changes.expiresAt })
  }
}

/** The `POST /apikeys` body of a new key. */
export function toNewApiKey(key: NewKey): NewApiKey {
  return {
    keyName: key.name,
    description: key.description,
    roleID: Number(key.role.id),
    ...(key.expiresAt !== undefined && { expiryDate: key.expiresAt })
  }
}

/** The secret in an answer's text, even when the rest of the body does not parse. */
export function secretKeyOf(text: string, parsed: unknown): string | undefined {
  let secretKey: unknown = (parsed as { secretKey?: unknown } | undefined)?.secretKey
  if (parsed === undefined) {
    const match = /"secretKey"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)
    if (match) {
      try {
        secretKey = JSON.parse(match[1])
      } catch {
        secretKey = undefined
      }
    }
  }
  return typeof secretKey === 'string' && secretKey !== '' ? secretKey : undefined
}

/** The search filter of an exact match on one string field (wildcards off). */
export function exactNameFilter(fieldName: string, value: string): unknown {
  return {
    maxItems: 100,
    searchCriteria: [{ fieldName, stringTest: 'equal', stringValue: value, stringWildcards: false }]
  }
}

/** The list in an answer's `field` (`apiKeys`, `roles`); empty when absent. */
export function listOf(answer: unknown, field: string): unknown[] {
  const list = (answer as Record<string, unknown> | undefined)?.[field]
  return Array.isArray(list) ? list : []
}
