import { scrubbed } from '../redaction.js'

/** An API key as the manager returns it (never its `secretKey`, which is kept apart). */
export interface ApiKey {
  ID: number
  keyName: string
  description?: string
  locale?: string
  roleID: number
  timeZone?: string
  /** false: locked out. */
  active: boolean
  created?: number
  lastSignIn?: number
  expiryDate?: number
  unlockTime?: number
  unsuccessfulSignInAttempts?: number
  serviceAccount?: boolean
}

export interface Role {
  ID: number
  name: string
  description?: string
  immutable?: boolean
  urn?: string
}

/** The fields `POST /apikeys/{id}` may change here. */
export interface ApiKeyChanges {
  roleID?: number
  active?: boolean
  /** Milliseconds since the epoch. */
  expiryDate?: number
}

/** The body of `POST /apikeys`. */
export interface NewApiKey {
  keyName: string
  description: string
  roleID: number
  expiryDate?: number
}

/** The timestamps of a key: a value that is not a date the action can show is dropped. */
const TIMESTAMP_FIELDS = ['created', 'lastSignIn', 'expiryDate', 'unlockTime']
const MAX_DATE_MS = 8.64e15

const KEY_FIELDS = [
  'ID',
  'keyName',
  'description',
  'locale',
  'roleID',
  'timeZone',
  'active',
  'created',
  'lastSignIn',
  'expiryDate',
  'unlockTime',
  'unsuccessfulSignInAttempts',
  'serviceAccount'
] as const

/** Copies the known fields of a key answer, refusing one that lacks what the action relies on. */
export function toApiKey(value: unknown): ApiKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (!Number.isInteger(raw.ID) || typeof raw.keyName !== 'string') return undefined
  const key: Record<string, unknown> = {}
  for (const field of KEY_FIELDS) if (raw[field] !== undefined) key[field] = raw[field]
  for (const field of TIMESTAMP_FIELDS) {
    const value = key[field]
    if (
      value !== undefined &&
      !(Number.isFinite(value) && Math.abs(value as number) <= MAX_DATE_MS)
    )
      delete key[field]
  }
  for (const field of ['keyName', 'description', 'locale', 'timeZone'])
    if (typeof key[field] === 'string') key[field] = scrubbed(key[field] as string)
  if (!Number.isInteger(key.roleID)) key.roleID = 0
  if (typeof key.active !== 'boolean') key.active = true
  return key as unknown as ApiKey
}

export function toRole(value: unknown): Role | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (!Number.isInteger(raw.ID) || typeof raw.name !== 'string') return undefined
  return {
    ID: raw.ID as number,
    name: scrubbed(raw.name),
    description: typeof raw.description === 'string' ? scrubbed(raw.description) : undefined,
    immutable: typeof raw.immutable === 'boolean' ? raw.immutable : undefined,
    urn: typeof raw.urn === 'string' ? raw.urn : undefined
  }
}
