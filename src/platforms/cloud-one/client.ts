import * as core from '@actions/core'
import { errorText, logSafe, protectSecret } from '../../redaction.js'
import { parseJson } from '../../http/api-transport.js'
import { HttpError } from '../../http/http-error.js'
import { MAX_LIST_BYTES } from '../../http/read-capped.js'
import { ISSUING_TIMEOUT_MS, issuingRetry, platformRetry } from '../../http/retry-decisions.js'
import { withRetry, type RetryDecision } from '../../http/retry.js'
import type { ConnectionSettings } from '../../settings.js'
import { ISSUES_URL } from '../../version.js'
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
  createdInText,
  errorMessageOf,
  isKeyId,
  nextCursorOf,
  pageItemsOf,
  sameSet,
  secretValueOf,
  sentText,
  settingsOf,
  shownText,
  toApiKeyChanges,
  toKey,
  toNewApiKey,
  toRole,
  type KeySettings,
  type NewApiKey
} from './wire.js'

const KEYS = '/apikeys'
/** The largest page asked for; the list is read in full. */
const PAGE_LIMIT = 100
/** Pages followed at most: a service that pages on is stopped. */
const MAX_PAGES = 1_000
/** The waits after a new secret's 401: a new key may take a moment to work. */
const ACTIVATION_WAITS_MS = [1_000, 2_000]

/**
 * Trend Cloud One account API keys (`https://accounts.cloudone.trendmicro.com/api`), as a
 * {@link KeyPlatform}. Every request sends `Api-Version: v1` and `Authorization: ApiKey
 * <id>:<secret>`; the authenticating key's ID is the part of its secret before the first `:`.
 * No key has an expiry and no secret can be regenerated: rotation replaces the key. Every point
 * the reference infers (the fields of a create or a change, their answers) is checked against
 * the answer or a read-back, so that a service that differs fails loudly, with what was sent
 * and what came back.
 */
export class CloudOneClient extends PlatformClient implements KeyPlatform {
  /** The role ID of the role whose keys may do anything. */
  readonly allPowerfulRole = 'full-access'
  readonly canChangeExpiry = false
  readonly keysNeverExpire = true
  private roles?: Promise<Role[]>

  /** Cloud One's headers (`Api-Version`, the key as `Authorization: ApiKey`) and errors. */
  protected wire(connection: ConnectionSettings): Wire {
    return {
      headers: { 'Api-Version': 'v1', Authorization: `ApiKey ${connection.apiSecretKey}` },
      messageOf: errorMessageOf,
      describeFailure,
      malformedHint:
        'is api-url the Cloud One accounts API (https://accounts.cloudone.trendmicro.com/api)?'
    }
  }

  /** The key whose ID leads the secret (`<id>:<secret>`). */
  getAuthenticatingKey(): Promise<Key> {
    const id = this.authenticatingId()
    if (!isKeyId(id))
      return Promise.reject(new Error('api-secret-key is not a Cloud One key (<id>:<secret>).'))
    return this.getKey(id)
  }

  async getKey(id: string): Promise<Key> {
    return (await this.read(id)).key
  }

  async listKeys(): Promise<Key[]> {
    return this.every('GET', KEYS, await this.list('apikeys'), toKey)
  }

  /** The one key whose alias is exactly `name`, from the whole list (there is no search). */
  async findKeyByName(name: string): Promise<Key | undefined> {
    const keys = await this.listKeys()
    return atMostOne(
      keys.filter((k) => k.name === name),
      `API key named "${logSafe(name)}"`,
      'key-name',
      (k) => k.id
    )
  }

  /**
   * `POST /apikeys/{id}` with only the fields that change. The answer (or, when it is not the
   * key or does not show the change, a read-back) must show every change.
   */
  async updateKey(id: string, changes: KeyChanges): Promise<Key> {
    const path = keyPath(id)
    const body = toApiKeyChanges(changes)
    if (Object.keys(body).length === 0) return this.getKey(id)
    const answer = await this.post(path, body)
    const answered = answer === undefined ? undefined : toKey(answer)
    if (answered !== undefined && answered.id !== id) {
      throw new HttpError(
        `POST ${path} answered with key ${answered.id}, not key ${id}: whether key ${id} was changed is not known. Check it (operation describe).`,
        { method: 'POST', path, status: 200 }
      )
    }
    if (answered && showsChanges(answered, changes)) return answered
    const read = await this.read(id)
    if (showsChanges(read.key, changes)) return read.key
    throw new HttpError(
      `POST ${path} sent ${sentText(body)} and answered success, but key ${id} shows ${shownText(read.raw, Object.keys(body))}: the change was not made. ` +
        `The service differs from what this action knows of it: please report it at ${ISSUES_URL}. Check the key (operation describe).`,
      { method: 'POST', path, status: 200 }
    )
  }

  /**
   * `DELETE /apikeys/{id}` (answered 200 or 204), retried like any call: a 404 is a key that
   * does not exist, unless an earlier attempt may have reached the service (then that attempt
   * deleted it). A success counts when a read answers 404.
   */
  async deleteKey(id: string): Promise<void> {
    const path = keyPath(id)
    let retriedAfterSending = false
    try {
      await this.transport.call('DELETE', path, {
        decide: (error) => {
          const decision = platformRetry(error)
          if (decision.retry && error instanceof HttpError && !error.notSent && !error.rateLimited)
            retriedAfterSending = true
          return decision
        }
      })
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404) throw error
      if (!retriedAfterSending) {
        // "Does not exist" counts only when the key cannot be read either.
        await this.confirmGone(id, 'answered HTTP 404', 404)
        throw new KeyNotFoundError(id, error.message, { cause: error })
      }
      core.info(
        `DELETE ${path} answered that key ${id} does not exist after a retry: the earlier attempt deleted it`
      )
    }
    await this.confirmGone(id, 'answered success', 200)
  }

  /** After a delete: the key must be gone (a 404, or a 401 when it was the authenticating key). */
  private async confirmGone(id: string, said: string, status: number): Promise<void> {
    const path = keyPath(id)
    try {
      // The service just answered the delete: a 404 here is the key, not api-url.
      await this.transport.call('GET', path)
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return
      // The key deleted was the one authenticating: its secret stops working with it.
      if (error instanceof HttpError && error.status === 401) return
      throw error
    }
    throw new HttpError(
      `DELETE ${path} ${said}, but key ${id} can still be read: it was not deleted. Check the key (operation describe) and run again.`,
      { method: 'DELETE', path, status }
    )
  }

  /**
   * Creates a key once (waited for at least {@link ISSUING_TIMEOUT_MS}, retried only where the
   * service certainly did not act), without network limits. The secret is masked the moment it
   * is read and returned as `<id>:<secret>`. The new key must show what was sent (the fields are
   * inferred): otherwise it is deleted again and the run fails with what was sent and what came
   * back.
   */
  async createKey(newKey: NewKey): Promise<IssuedSecret> {
    let copied: KeySettings | undefined
    if (newKey.replacing) {
      try {
        copied = (await this.read(newKey.replacing.id)).settings
      } catch (error) {
        throw new Error(
          `Reading key ${newKey.replacing.id} to copy its language and time zone failed (${errorText(error)}). No key was created.`,
          { cause: error }
        )
      }
    }
    const body = toNewApiKey(newKey, copied)
    let status: number
    let text: string
    try {
      ;({ status, text } = await this.transport.call('POST', KEYS, {
        body,
        timeoutMs: Math.max(ISSUING_TIMEOUT_MS, this.request.timeoutMs),
        decide: issuingRetry
      }))
    } catch (error) {
      // A whole id and secret that arrived before the connection dropped are kept: the only copy.
      const partial = error instanceof HttpError ? error.partialBody : undefined
      const salvaged = partial === undefined ? undefined : this.salvage(createdInText(partial))
      if (salvaged) return salvaged
      if (error instanceof HttpError && !error.unclear) throw withSent(error, body)
      throw error
    }
    const parsed = parseJson(text)
    const fields =
      parsed === undefined
        ? createdInText(text)
        : (parsed as { id?: unknown; secret?: unknown } | null)
    const rawSecret = fields && typeof fields.secret === 'string' ? fields.secret : undefined
    if (rawSecret) protectSecret(rawSecret)
    const answeredId = fields && isKeyId(fields.id) ? fields.id : undefined
    const id = answeredId ?? rawSecret?.slice(0, Math.max(rawSecret.indexOf(':'), 0))
    const unclear = (why: string): HttpError =>
      new HttpError(
        `POST ${KEYS} answered HTTP ${status} ${why}. The service may have created a key whose secret this run cannot use.`,
        { method: 'POST', path: KEYS, status }
      )
    if (!rawSecret) throw unclear("without the new key's secret")
    if (!id || !isKeyId(id)) throw unclear("with a secret but without the new key's ID")
    const secret = secretValueOf(id, rawSecret)
    if (secret === null) throw unclear(`with a secret that names another key than ${id}`)
    protectSecret(secret!)
    if (parsed === undefined) return { secret: secret! }
    return { secret: secret!, key: await this.checkCreated(id, body, parsed) }
  }

  /**
   * Resolves when `secret` authenticates as `key`: `GET /apikeys/{id}` with the secret itself
   * answers that key. A 401 is asked again after 1 and 2 s (a new key may take a moment). A key
   * whose network limits keep this runner out cannot be tried from here: it is read with
   * api-secret-key instead, and must exist and be enabled.
   */
  async verifySecret(secret: string, key: Key): Promise<void> {
    const client = this.withSecret(secret)
    const path = keyPath(key.id)
    let waits = 0
    let gaveUp = false
    const activation = (error: unknown): RetryDecision => {
      if (!(error instanceof HttpError) || error.status !== 401) return { retry: false }
      gaveUp = waits === ACTIVATION_WAITS_MS.length
      return gaveUp ? { retry: false } : { retry: true, afterMs: ACTIVATION_WAITS_MS[waits++] }
    }
    try {
      // The first signal ends the activation wait: the secret is then neither proven nor refused.
      await withRetry(() => client.read(key.id, false), {
        maxAttempts: ACTIVATION_WAITS_MS.length + 1,
        clock: this.clock,
        signal: this.cancellation.requested,
        decide: activation
      })
    } catch (error) {
      if (!(error instanceof HttpError) || !error.rejected) throw error
      // A wait the signal cut short proves nothing either way: the run was cancelled.
      if (error.status === 401 && !gaveUp) this.cancellation.throwIfRequested()
      const { key: read, settings } = await this.read(key.id)
      if (read.active && settings && hasLimits(settings)) {
        core.info(
          `Key ${key.id} accepts requests only from its allowed addresses, which keep this runner out: its secret cannot be tried from here. Read with api-secret-key, it exists and is enabled.`
        )
        return
      }
      throw new HttpError(
        `The new secret did not authenticate: GET ${path} with it answered HTTP ${error.status}${error.serverMessage ? ` (${error.serverMessage})` : ''}.`,
        {
          method: 'GET',
          path,
          status: error.status,
          serverMessage: error.serverMessage,
          cause: error
        }
      )
    } finally {
      client.dispose()
    }
  }

  /**
   * Gives `key` the allowed IPs and CIDRs `like` has now (read afresh): `POST /apikeys/{id}`,
   * confirmed by the answer or a read-back. Nothing to do when `like` has none.
   */
  async restrictLike(key: Key, like: Key): Promise<Key> {
    const { settings } = await this.read(like.id)
    if (!settings) throw this.transport.malformed('GET', keyPath(like.id))
    const body = { allowedIPs: settings.allowedIPs, allowedCIDRs: settings.allowedCIDRs }
    if (!hasLimits(settings)) {
      core.info(`Key ${like.id} has no network limits: key ${key.id} gets none either`)
      return key
    }
    const path = keyPath(key.id)
    const answer = await this.post(path, body)
    const shows = (raw: unknown): boolean => {
      const limits = settingsOf(raw)
      return (
        toKey(raw)?.id === key.id &&
        limits !== undefined &&
        sameSet(limits.allowedIPs, body.allowedIPs) &&
        sameSet(limits.allowedCIDRs, body.allowedCIDRs)
      )
    }
    let shown = answer
    if (!shows(shown)) shown = (await this.read(key.id)).raw
    if (!shows(shown)) {
      throw new HttpError(
        `POST ${path} sent ${sentText(body)} and answered success, but key ${key.id} shows ${shownText(shown, ['allowedIPs', 'allowedCIDRs'])}: ` +
          `it does not have the old key's network limits. The service differs from what this action knows of it: please report it at ${ISSUES_URL}.`,
        { method: 'POST', path, status: 200 }
      )
    }
    core.info(
      `Key ${key.id} now accepts requests only from the addresses key ${like.id} does (${body.allowedIPs.length} IP(s), ${body.allowedCIDRs.length} CIDR range(s))`
    )
    return toKey(shown) ?? key
  }

  async getRole(id: string): Promise<Role> {
    const roles = await this.listRoles()
    const role = roles.find((r) => r.id === id)
    if (role) return role
    throw new Error(
      `role-id "${logSafe(id)}" is not a role of this Cloud One account (roles: ${roles
        .slice(0, 20)
        .map((r) => r.id)
        .join(', ')}). Nothing was changed.`
    )
  }

  async findRoleByName(name: string): Promise<Role | undefined> {
    return atMostOne(
      (await this.listRoles()).filter((r) => r.name === name),
      `role named "${logSafe(name)}"`,
      'role-name',
      (r) => r.id ?? ''
    )
  }

  /** Every role, read once per client (a run reads them for a lookup and for its report). */
  listRoles(): Promise<Role[]> {
    this.roles ??= this.list('roles').then(
      (items) => this.every('GET', '/roles', items, toRole),
      (error: unknown) => {
        this.roles = undefined
        throw error
      }
    )
    return this.roles
  }

  /** The ID part of api-secret-key: the key it belongs to. */
  private authenticatingId(): string {
    const secret = this.connection.apiSecretKey
    return secret.slice(0, Math.max(secret.indexOf(':'), 0))
  }

  /** `<id>:<secret>` from what arrived of a create answer, masked; undefined when incomplete. */
  private salvage({ id, secret }: { id?: string; secret?: string }): IssuedSecret | undefined {
    if (!secret) return undefined
    protectSecret(secret)
    const keyId = id ?? secret.slice(0, Math.max(secret.indexOf(':'), 0))
    const value = isKeyId(keyId) ? secretValueOf(keyId, secret) : undefined
    if (!value) return undefined
    protectSecret(value)
    return { secret: value }
  }

  /**
   * The key a create made, which must show what was sent (the answer, or a read-back when the
   * answer is not the whole key): enabled, without network limits, every field as asked. A key
   * that differs is deleted again (its secret never left this run) and the run fails.
   */
  private async checkCreated(id: string, body: NewApiKey, answer: unknown): Promise<Key> {
    const shows = (raw: unknown): boolean => {
      const key = toKey(raw)
      const limits = settingsOf(raw)
      const asSent = Object.entries(body).every(
        ([field, value]) => ((raw as Record<string, unknown>)[field] ?? '') === value
      )
      return key?.id === id && key.active && limits !== undefined && !hasLimits(limits) && asSent
    }
    let shown = answer
    if (!shows(shown)) {
      try {
        shown = (await this.read(id)).raw
      } catch (error) {
        core.warning(
          `The new key ${id} could not be read back after its creation (${errorText(error)}).`
        )
        const key = toKey(answer)
        if (key?.id === id) return key
        throw new HttpError(
          `POST ${KEYS} created key ${id}, but neither its answer nor a read-back shows the key: it is not known what was made.`,
          { method: 'POST', path: KEYS, status: 200, cause: error }
        )
      }
    }
    if (shows(shown)) return toKey(shown)!
    // Only the key this run made may be deleted: one that bears another alias (or authenticates
    // this run) is not known to be it.
    const other = toKey(shown)
    if (other?.name !== body.alias || id === this.authenticatingId()) {
      throw new HttpError(
        `POST ${KEYS} answered HTTP 2xx with a secret for key ${id}, which is ${other ? `"${logSafe(other.name)}"` : 'not readable'}, not the new key "${logSafe(body.alias)}": which key holds the secret is not known.`,
        { method: 'POST', path: KEYS, status: 200 }
      )
    }
    const fields = [...Object.keys(body), 'enabled', 'allowedIPs', 'allowedCIDRs']
    const what = `POST ${KEYS} sent ${sentText(body)}, but the new key ${id} shows ${shownText(shown, fields)}: the service differs from what this action knows of it (please report it at ${ISSUES_URL}).`
    try {
      await this.deleteKey(id)
    } catch (error) {
      throw new Error(
        `${what} Deleting that key failed too (${errorText(error)}): delete it (operation delete, key-id ${id}). No GitHub secret was changed.`,
        { cause: error }
      )
    }
    throw new Error(`${what} The new key was deleted again; nothing else was changed.`)
  }

  /**
   * One key, its answer and what a replacement copies; {@link KeyNotFoundError} when it does not
   * exist. A 404 counts only when the API answers at all (when the roles are not found either,
   * api-url is wrong and that error is thrown). `probe: false` skips that (a secret being proven
   * may be refused anywhere).
   */
  private async read(
    id: string,
    probe = true
  ): Promise<{ key: Key; raw: unknown; settings?: KeySettings }> {
    const path = keyPath(id)
    try {
      const { status, text } = await this.transport.call('GET', path)
      const raw = parseJson(text)
      const key = toKey(raw)
      if (!key) throw this.transport.malformed('GET', path, status)
      if (key.id !== id) {
        throw new HttpError(
          `GET ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here. Nothing was changed.`,
          { method: 'GET', path, status }
        )
      }
      return { key, raw, settings: settingsOf(raw) }
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404 || !probe) throw error
      const check = await this.transport
        .send('GET', '/roles?limit=1')
        .then(() => undefined)
        .catch((e: unknown) => e)
      if (check instanceof HttpError && check.status === 404) throw check
      throw new KeyNotFoundError(id, error.message, { cause: error })
    }
  }

  /** A change: the parsed answer (undefined when empty); a failure says what was sent. */
  private async post(path: string, body: object): Promise<unknown> {
    try {
      return await this.transport.callJson('POST', path, { body })
    } catch (error) {
      if (error instanceof HttpError && error.status !== undefined && error.status >= 400)
        throw withSent(error, body)
      throw error
    }
  }

  /**
   * Every item of a list, page after page (`limit`, then `cursor` = the page's `next` until it
   * is absent); stops with an error at a repeated cursor, after {@link MAX_PAGES} pages or past
   * {@link MAX_LIST_BYTES} in all.
   */
  private async list(field: 'apikeys' | 'roles'): Promise<unknown[]> {
    const first = `/${field}?limit=${PAGE_LIMIT}`
    const items: unknown[] = []
    const seen = new Set<string>()
    let path = first
    let budget = MAX_LIST_BYTES
    for (let page = 1; ; page++) {
      const answer = await this.page(path, page, budget)
      budget -= answer.bytes
      const got = pageItemsOf(answer.json, field)
      if (!got) throw this.transport.malformed('GET', path)
      items.push(...got)
      const next = nextCursorOf(answer.json)
      if (next === undefined) return items
      if (next === null || seen.has(next) || page >= MAX_PAGES) {
        throw new HttpError(
          `GET /${field} (page ${page}) answered with ${next === null ? 'a next cursor that is not text' : seen.has(next) ? 'a next cursor it gave before' : `a next cursor after ${MAX_PAGES} pages`}, so listing stopped.`,
          { method: 'GET', path, status: 200 }
        )
      }
      seen.add(next)
      path = `${first}&cursor=${encodeURIComponent(next)}`
    }
  }

  /** One page of a list, read within what is left of the list's byte budget. */
  private async page(
    path: string,
    page: number,
    budget: number
  ): Promise<{ json: unknown; bytes: number }> {
    try {
      const { status, text } = await this.transport.call('GET', path, { maxBytes: budget })
      const json = parseJson(text)
      if (json === undefined) throw this.transport.malformed('GET', path, status)
      return { json, bytes: Buffer.byteLength(text) }
    } catch (error) {
      if (page === 1 || !(error instanceof HttpError) || error.code !== 'EBODYTOOLARGE') throw error
      throw new HttpError(
        `GET ${path} (page ${page}): the list's pages add up to more than ${MAX_LIST_BYTES / (1024 * 1024)} MiB, so listing stopped.`,
        { method: 'GET', path, code: error.code, cause: error }
      )
    }
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

/** `/apikeys/{id}`: a path is never built from anything but a key ID. */
function keyPath(id: string): string {
  if (!isKeyId(id)) throw new Error(`"${logSafe(id)}" is not a Cloud One key ID`)
  return `${KEYS}/${id}`
}

function hasLimits(settings: KeySettings): boolean {
  return settings.allowedIPs.length > 0 || settings.allowedCIDRs.length > 0
}

/** The same error, saying what the request sent (bodies here never carry a secret). */
function withSent(error: HttpError, body: unknown): HttpError {
  return new HttpError(`${error.message} Sent: ${sentText(body)}.`, {
    method: error.method,
    path: error.path,
    status: error.status,
    serverMessage: error.serverMessage,
    code: error.code,
    retryAfterMs: error.retryAfterMs,
    rateLimited: error.rateLimited,
    partialBody: error.partialBody,
    cause: error
  })
}

function describeFailure(method: string, path: string, status: number, said: string): string {
  const base = `${method} ${path} answered HTTP ${status}${said}`
  if (status === 401) {
    return `${base}. The api-secret-key was rejected: its key may be locked, deleted, or replaced by an earlier rotation (a rotation deletes the old key: check which run rotated it last), or it is not the whole <id>:<secret>: check api-secret-key.`
  }
  if (status === 403) {
    return `${base}. The key's role lacks the API key right this call needs, or its network limits (allowed IPs / CIDRs) keep this runner out.`
  }
  if (status === 404) {
    return /^\/apikeys\/[^/?]+$/.test(path)
      ? `${base}. It does not exist in this Cloud One account.`
      : `${base}. Nothing answers at this address: check api-url (https://accounts.cloudone.trendmicro.com/api).`
  }
  if (status === 405) {
    return `${base}. The service does not take this method here: it differs from what this action knows of the Cloud One API (please report it at ${ISSUES_URL}).`
  }
  if (status === 400) {
    return `${base}. If it names a field this action sent as unknown, the service differs from what this action knows of the Cloud One API (please report it at ${ISSUES_URL}).`
  }
  if (status === 429) return `${base}. Cloud One's rate limit was reached.`
  return base
}
