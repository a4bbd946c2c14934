import { protectSecret, logSafe } from '../../redaction.js'
import { parseJson, type ApiTransport } from '../../http/api-transport.js'
import { HttpError } from '../../http/http-error.js'
import { MAX_LIST_BYTES } from '../../http/read-capped.js'
import { ISSUING_TIMEOUT_MS, issuingRetry } from '../../http/retry-decisions.js'
import { docLink } from '../../version.js'
import type { ConnectionSettings } from '../../settings.js'
import {
  atMostOne,
  KeyNotFoundError,
  showsChanges,
  type IssuedSecret,
  type Key,
  type KeyChanges,
  type KeyPlatform,
  type NewKey,
  type Role
} from '../key-platform.js'
import { PlatformClient, type Wire } from '../platform-client.js'
import {
  exactNameFilter,
  listOf,
  secretKeyOf,
  toApiKeyChanges,
  toKey,
  toNewApiKey,
  toRole
} from './wire.js'

/**
 * The Workload Security / Deep Security Manager / Server & Workload Protection `/apikeys` and
 * `/roles` API, as a {@link KeyPlatform}.
 */
export class WorkloadSecurityClient extends PlatformClient implements KeyPlatform {
  readonly allPowerfulRole = 'Full Access'
  readonly canChangeExpiry = true

  /** The secret as `api-secret-key` (or Cloud One's `ApiKey`), and the manager's errors. */
  protected wire(connection: ConnectionSettings): Wire {
    return {
      headers: {
        'api-version': connection.apiVersion,
        ...(connection.authScheme === 'cloud-one'
          ? { Authorization: `ApiKey ${connection.apiSecretKey}` }
          : { 'api-secret-key': connection.apiSecretKey })
      },
      messageOf: (body) => (body as { message?: unknown } | undefined)?.message,
      describeFailure,
      malformedHint: "is api-url the manager's API base URL (ending in /api)?"
    }
  }

  async getAuthenticatingKey(): Promise<Key> {
    return this.expectKey('GET', '/apikeys/current', await this.json('GET', '/apikeys/current'))
  }

  async getKey(id: string): Promise<Key> {
    const path = keyPath(id)
    try {
      return this.expectKey('GET', path, await this.json('GET', path), id)
    } catch (error) {
      if (await this.isMissing(error))
        throw new KeyNotFoundError(id, errorMessage(error), { cause: error })
      throw error
    }
  }

  async listKeys(): Promise<Key[]> {
    const answer = await this.json('GET', '/apikeys', { maxBytes: MAX_LIST_BYTES })
    return this.every('GET', '/apikeys', listOf(answer, 'apiKeys'), toKey)
  }

  /**
   * The one key whose name is exactly `name`. The manager is asked without wildcards, and its
   * answer is compared with the name again: a manager that matches case-insensitively must not
   * hand over another key.
   */
  async findKeyByName(name: string): Promise<Key | undefined> {
    const path = '/apikeys/search'
    const answer = await this.json('POST', path, { body: exactNameFilter('keyName', name) })
    const keys = this.every('POST', path, listOf(answer, 'apiKeys'), toKey)
    return atMostOne(
      keys.filter((k) => k.name === name),
      `API key named "${logSafe(name)}"`,
      'key-name',
      (k) => k.id
    )
  }

  async updateKey(id: string, changes: KeyChanges): Promise<Key> {
    const path = keyPath(id)
    const answer = await this.json('POST', path, { body: toApiKeyChanges(changes) })
    const key = this.expectKey('POST', path, answer, id)
    // A 200 counts when the key it answers with shows the change.
    if (!showsChanges(key, changes)) {
      throw new HttpError(
        `POST ${path} answered success, but key ${id} in its answer does not show the change: whether the manager made it is not known. Check the key (operation describe) and run again.`,
        { method: 'POST', path, status: 200 }
      )
    }
    return key
  }

  /** Deletes a key; a success counts when the key can no longer be read. */
  async deleteKey(id: string): Promise<void> {
    await this.transport.call('DELETE', keyPath(id))
    try {
      // The manager just answered the delete: a 404 here is the key, not api-url.
      await this.transport.call('GET', keyPath(id))
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return
      // The key deleted was the one authenticating: its secret stops working with it.
      if (error instanceof HttpError && error.status === 401) return
      throw error
    }
    throw new HttpError(
      `DELETE ${keyPath(id)} answered success, but key ${id} can still be read: it was not deleted. Check the key (operation describe) and run again.`,
      { method: 'DELETE', path: keyPath(id), status: 200 }
    )
  }

  /**
   * The authenticating key's secret is regenerated through `/apikeys/current/secretkey`, which
   * needs no API key rights; any other key's through `/apikeys/{id}/secretkey`.
   */
  regenerateSecret(key: Key, authenticating: boolean): Promise<IssuedSecret> {
    const target = authenticating ? '/apikeys/current' : keyPath(key.id)
    return this.issue('POST', `${target}/secretkey`)
  }

  createKey(key: NewKey): Promise<IssuedSecret> {
    return this.issue('POST', '/apikeys', toNewApiKey(key))
  }

  async verifySecret(secret: string, key: Key): Promise<void> {
    const client = this.withSecret(secret)
    try {
      const authenticated = await client.getAuthenticatingKey()
      if (authenticated.id !== key.id) {
        throw new Error(
          `the new secret authenticates as key ${authenticated.id}, not key ${key.id}`
        )
      }
    } finally {
      client.dispose()
    }
  }

  async getRole(id: string): Promise<Role> {
    const path = rolePath(id)
    let answer: unknown
    try {
      answer = await this.json('GET', path)
    } catch (error) {
      // A missing role keeps its own error; a wrong api-url gets the probe's.
      await this.isMissing(error)
      throw error
    }
    const role = toRole(answer)
    if (!role) throw this.transport.malformed('GET', path)
    return role
  }

  async listRoles(): Promise<Role[]> {
    const answer = await this.json('GET', '/roles', { maxBytes: MAX_LIST_BYTES })
    return this.every('GET', '/roles', listOf(answer, 'roles'), toRole)
  }

  async findRoleByName(name: string): Promise<Role | undefined> {
    const path = '/roles/search'
    const answer = await this.json('POST', path, { body: exactNameFilter('name', name) })
    const roles = this.every('POST', path, listOf(answer, 'roles'), toRole)
    return atMostOne(
      roles.filter((r) => r.name === name),
      `role named "${logSafe(name)}"`,
      'role-name',
      (r) => r.id ?? ''
    )
  }

  /**
   * A call that issues a secret, waited for at least {@link ISSUING_TIMEOUT_MS} and retried only
   * where the manager certainly did not act. The secret is masked before this returns; any
   * non-empty `secretKey` in a 2xx answer is kept.
   */
  private async issue(method: string, path: string, body?: unknown): Promise<IssuedSecret> {
    let answer: { status: number; text: string }
    try {
      answer = await this.transport.call(method, path, {
        body,
        timeoutMs: Math.max(ISSUING_TIMEOUT_MS, this.request.timeoutMs),
        decide: issuingRetry
      })
    } catch (error) {
      // A whole secretKey that arrived before the connection dropped is kept: the manager
      // issued it, and it is the only copy there is.
      const partial = error instanceof HttpError ? error.partialBody : undefined
      const secret = partial === undefined ? undefined : secretKeyOf(partial, undefined)
      if (!secret) throw error
      protectSecret(secret)
      return { secret }
    }
    const { status, text } = answer
    const parsed = parseJson(text)
    const secret = secretKeyOf(text, parsed)
    if (!secret) {
      throw new HttpError(
        `${method} ${path} answered HTTP ${status} without a new secretKey. The manager may have` +
          ' issued a new secret that this run cannot see.',
        { method, path, status }
      )
    }
    protectSecret(secret)
    return { secret, key: toKey(parsed) }
  }

  private json(
    method: string,
    path: string,
    options: Parameters<ApiTransport['call']>[2] = {}
  ): Promise<unknown> {
    return this.transport.callJson(method, path, options)
  }

  /**
   * True when `error` says the key or role does not exist: a 404 counts only when the API
   * answers at all (when `/apikeys/current` is not found either, api-url is wrong).
   */
  private async isMissing(error: unknown): Promise<boolean> {
    if (!(error instanceof HttpError) || error.status !== 404) return false
    const probe = await this.transport
      .send('GET', '/apikeys/current')
      .then(() => undefined)
      .catch((e: unknown) => e)
    if (probe instanceof HttpError && probe.status === 404) throw probe
    return true
  }

  /**
   * The key of an answer. With `id`, it must be that key: a manager (or anything in between)
   * that answers with another key must never make this run act on it.
   */
  private expectKey(method: string, path: string, answer: unknown, id?: string): Key {
    const key = toKey(answer)
    if (!key) throw this.transport.malformed(method, path)
    if (id !== undefined && key.id !== id) {
      throw new HttpError(
        `${method} ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here.` +
          (method === 'GET'
            ? ' Nothing was changed.'
            : ` Whether the manager changed key ${id} is not known.`),
        { method, path, status: 200 }
      )
    }
    return key
  }

  /** Every item mapped, or an error when one of them is not what the API documents. */
  private every<T>(
    method: string,
    path: string,
    items: unknown[],
    map: (item: unknown) => T | undefined
  ): T[] {
    const mapped = items.map(map)
    if (mapped.some((m) => m === undefined)) throw this.transport.malformed(method, path)
    return mapped as T[]
  }
}

/** `/apikeys/{id}`: the ID is digits (inputs.ts checks it; a path is never built from other text). */
function keyPath(id: string): string {
  if (!/^\d+$/.test(id)) throw new Error(`"${logSafe(id)}" is not a Workload Security key ID`)
  return `/apikeys/${id}`
}

function rolePath(id: string): string {
  if (!/^\d+$/.test(id)) throw new Error(`"${logSafe(id)}" is not a Workload Security role ID`)
  return `/roles/${id}`
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function describeFailure(method: string, path: string, status: number, said: string): string {
  const base = `${method} ${path} answered HTTP ${status}${said}`
  if (status === 401 && /expired/i.test(said)) {
    return `${base}. The key of the api-secret-key has expired: give it a later expiry with another admin key (operation rotate with expiry-days, or the console), or create a new key, and update the secret.`
  }
  if (status === 401) {
    return `${base}. The api-secret-key was rejected: its key may be expired, locked, or replaced by an earlier rotation (a rotation into another secret leaves this one stale: check which run rotated the key last); else check auth-scheme (api-secret-key for legacy and on-premises keys, cloud-one for Cloud One keys) and api-url/region.`
  }
  // A locked key is refused with 403 too: its role is not the cause then.
  if (status === 403 && /\blocked\b/i.test(said)) {
    return `${base}. The key of the api-secret-key is locked: unlock it with another admin key (operation unlock, or the console), or use another key.`
  }
  if (status === 403) {
    return `${base}. The api-secret-key was rejected, or its role lacks the API key right this call needs (${docLink('docs/setup.md')} lists the rights of each operation).`
  }
  if (status === 404) {
    return /^\/(apikeys|roles)\/\d+$/.test(path)
      ? `${base}. It does not exist on this manager.`
      : `${base}. Nothing answers at this address: check api-url (the manager's API base URL, ending in /api) or region.`
  }
  if (status === 429) return `${base}. The manager's API rate limit was reached.`
  return base
}
