import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { errorText, protectSecret, logSafe, untrusted } from '../../redaction.js'
import { parseJson, type Answer } from '../../http/api-transport.js'
import { HttpError } from '../../http/http-error.js'
import { MAX_LIST_BYTES } from '../../http/read-capped.js'
import { ISSUING_TIMEOUT_MS, issuingRetry, platformRetry } from '../../http/retry-decisions.js'
import { withRetry, type RetryDecision } from '../../http/retry.js'
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
  batchItemsOf,
  createdIdsOf,
  errorMessageOf,
  etagOf,
  exactNameFilter,
  isKeyId,
  itemSucceeded,
  nextLinkOf,
  pageItemsOf,
  saysAvailable,
  toApiKeyChanges,
  toKey,
  toNewApiKey,
  tokenInText,
  tokenOf,
  type ApiKeyChanges,
  type BatchItem
} from './wire.js'

const KEYS = '/v3.0/iam/apiKeys'
const DELETE = '/v3.0/iam/apiKeys/delete'
const CONNECTIVITY = '/v3.0/healthcheck/connectivity'
/** The first page of the list: the largest page, oldest keys first (new keys join the end). */
const FIRST_PAGE = `${KEYS}?top=200&orderBy=createdDateTime%20asc`

/** The longest TMV1-Filter Vision One takes. */
const MAX_FILTER_LENGTH = 1024
/** Pages of the list followed at most (200 keys each): a platform that pages on is stopped. */
const MAX_PAGES = 1_000
/** The waits after a new token's 401 (about 10 s in all): a new key takes a moment to work. */
const ACTIVATION_WAITS_MS = [1_000, 2_000, 3_000, 4_000]

/**
 * Trend Vision One platform API keys (`/v3.0/iam/apiKeys`), as a {@link KeyPlatform}. `api-url`
 * is the regional origin; the token goes as `Authorization: Bearer`. Vision One cannot say which
 * key a token belongs to, cannot regenerate a token and fixes a key's expiry at creation; its
 * roles are names.
 */
export class VisionOneClient extends PlatformClient implements KeyPlatform {
  readonly allPowerfulRole = 'Master Administrator'
  readonly canChangeExpiry = false
  /** Set once the connectivity check refused a made-up token. */
  private connectivityProven = false
  /** Reads started for the next update of a key ({@link readAhead}); a failed one is undefined. */
  private readonly readsAhead = new Map<string, Promise<{ key: Key; etag?: string } | undefined>>()

  /** Vision One's headers (the token as `Authorization: Bearer`) and errors. */
  protected wire(connection: ConnectionSettings): Wire {
    return {
      headers: { Authorization: `Bearer ${connection.apiSecretKey}` },
      messageOf: errorMessageOf,
      describeFailure,
      malformedHint:
        'is api-url the regional Vision One origin (e.g. https://api.eu.xdr.trendmicro.com), or region the right one?'
    }
  }

  /** Vision One does not say which key a token belongs to. */
  getAuthenticatingKey(): Promise<undefined> {
    return Promise.resolve(undefined)
  }

  async getKey(id: string): Promise<Key> {
    return (await this.read(id)).key
  }

  listKeys(): Promise<Key[]> {
    return this.list()
  }

  /**
   * The one key whose name is exactly `name`. Vision One is asked with an exact TMV1-Filter,
   * and its answer is compared with the name again: a platform that matches case-insensitively
   * must not hand over another key. A name a header cannot carry as it is (other than printable
   * ASCII) is looked for in the whole list instead.
   */
  async findKeyByName(name: string): Promise<Key | undefined> {
    const filter = exactNameFilter(name)
    if (filter.length > MAX_FILTER_LENGTH) {
      throw new Error(
        `key-name is too long to look up: its TMV1-Filter would be ${filter.length} characters, and Vision One takes at most ${MAX_FILTER_LENGTH}. Nothing was changed.`
      )
    }
    const keys = await this.list(/^[\x20-\x7e]*$/.test(filter) ? filter : undefined)
    return atMostOne(
      keys.filter((k) => k.name === name),
      `API key named "${logSafe(name)}"`,
      'key-name',
      (k) => k.id
    )
  }

  /**
   * Changes a key with `If-Match` set to the ETag of a fresh read. A 412 (someone changed the
   * key in between, or a retried PATCH whose first attempt landed) reads the key again: when it
   * already shows every change it is done, otherwise the change is sent once more. The key is
   * read back afterwards (the PATCH answers no body) and must show the change.
   */
  async updateKey(id: string, changes: KeyChanges): Promise<Key> {
    const path = keyPath(id)
    const body = toApiKeyChanges(changes)
    // A read made ahead is as good as a fresh one: If-Match refuses the PATCH (412) when the key
    // changed since, and the key is read again then.
    const ahead = await this.readsAhead.get(id)
    this.readsAhead.delete(id)
    const read = ahead ?? (await this.read(id))
    if (Object.keys(body).length === 0) return read.key
    let etag = requireEtag(path, read.etag)
    for (let attempt = 1; ; attempt++) {
      if (await this.patch(path, etag, body)) break
      const fresh = await this.read(id)
      if (showsChanges(fresh.key, changes)) break
      if (attempt === 2) {
        throw new HttpError(
          `PATCH ${path} answered HTTP 412 twice: someone else keeps changing key ${id} between this run's read and its change. Nothing was changed; run again later.`,
          { method: 'PATCH', path, status: 412 }
        )
      }
      etag = requireEtag(path, fresh.etag)
    }
    // A 2xx proves nothing by itself: the change counts when the key shows it.
    const after = await this.getKey(id)
    if (!showsChanges(after, changes)) {
      throw new HttpError(
        `PATCH ${path} answered success, but key ${id} does not show the change when read back: it was not made (or was undone at once). Check the key (operation describe) and run again.`,
        { method: 'PATCH', path, status: 200 }
      )
    }
    return after
  }

  readAhead(id: string): void {
    this.readsAhead.set(
      id,
      this.read(id).catch(() => undefined)
    )
  }

  /**
   * Deletes one key (retried like any call). The 207 item decides: a 404 is a key that does not
   * exist, unless an earlier attempt may have reached the platform: then that attempt deleted it.
   * A success counts when the key can no longer be read.
   */
  async deleteKey(id: string): Promise<void> {
    const method = 'POST'
    const body = [{ id: checkedId(id) }]
    let retriedAfterSending = false
    const { status, text } = await this.transport.call(method, DELETE, {
      body,
      decide: (error) => {
        const decision = platformRetry(error)
        if (decision.retry && error instanceof HttpError && !error.notSent && !error.rateLimited)
          retriedAfterSending = true
        return decision
      }
    })
    const item = this.onlyItem(method, DELETE, status, parseJson(text))
    if (itemSucceeded(item)) return this.confirmGone(id)
    if (item.status === 404 && retriedAfterSending) {
      core.info(
        `${method} ${DELETE} answered that key ${id} does not exist after a retry: the earlier attempt deleted it`
      )
      return this.confirmGone(id)
    }
    const failure = itemFailure(method, DELETE, item, `key ${id}`)
    if (item.status !== 404) throw failure
    // "Does not exist" counts only when the key cannot be read either.
    await this.confirmGone(id, `answered that key ${id} does not exist`, 404)
    throw new KeyNotFoundError(id, failure.message, { cause: failure })
  }

  /**
   * After a delete the platform said it made: the key must be gone. A token rejected right after
   * the delete is the token of the key deleted (nothing else changed in between).
   */
  private async confirmGone(
    id: string,
    said = `answered that key ${id} was deleted`,
    status = 200
  ): Promise<void> {
    try {
      // The API just answered the delete: a 404 here is the key, not api-url (no probe needed).
      await this.transport.call('GET', keyPath(id))
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return
      if (error instanceof HttpError && error.status === 401) {
        core.info(
          `Key ${id} is deleted: the token used stops working with it (it was that key's token)`
        )
        return
      }
      throw error
    }
    throw new HttpError(
      `POST ${DELETE} ${said}, but it can still be read: it was not deleted. Check the key (operation describe) and run again.`,
      { method: 'POST', path: DELETE, status }
    )
  }

  /**
   * Creates one key, waited for at least {@link ISSUING_TIMEOUT_MS} and retried only where the
   * platform certainly did not act. The token is masked the moment it is read; a whole token
   * that arrived before the connection dropped is kept (it is the only copy).
   */
  async createKey(newKey: NewKey): Promise<IssuedSecret> {
    const method = 'POST'
    const body = [toNewApiKey(newKey)]
    let answer: Answer
    try {
      answer = await this.transport.call(method, KEYS, {
        body,
        timeoutMs: Math.max(ISSUING_TIMEOUT_MS, this.request.timeoutMs),
        decide: issuingRetry
      })
    } catch (error) {
      const partial = error instanceof HttpError ? error.partialBody : undefined
      const secret = partial === undefined ? undefined : tokenInText(partial)
      if (!secret) throw error
      protectSecret(secret)
      return { secret }
    }
    const parsed = parseJson(answer.text)
    // Every token in the answer is masked before anything else reads it.
    for (const item of Array.isArray(parsed) ? parsed : []) {
      const token = tokenOf(item)
      if (token) protectSecret(token)
    }
    if (parsed === undefined) {
      const secret = tokenInText(answer.text)
      if (secret) {
        protectSecret(secret)
        return { secret }
      }
    }
    const item = this.onlyItem(method, KEYS, answer.status, parsed)
    const secret = tokenOf(item)
    if (!itemSucceeded(item)) {
      const failure = itemFailure(method, KEYS, item, `key "${logSafe(newKey.name)}"`)
      if (!secret) throw failure
      // A refusal that carries a token contradicts itself: the key may exist.
      throw new HttpError(
        `${failure.message} Yet the item carries a token: the platform may have created the key.`,
        { method, path: KEYS, status: answer.status, cause: failure }
      )
    }
    if (!secret) {
      throw new HttpError(
        `${method} ${KEYS} answered HTTP ${answer.status} with item status ${item.status} but without the new key's token. The platform may have created a key whose token this run cannot see.`,
        { method, path: KEYS, status: item.status }
      )
    }
    // The lookup of the key made and, when asked, one try of its token share a round trip.
    const [key, proven] = await Promise.allSettled([
      this.createdKey(newKey.name, createdIdsOf(item), answer.status),
      newKey.proveBeside ? this.tryOnce(secret) : Promise.resolve(false)
    ])
    if (key.status === 'rejected') throw key.reason
    return {
      secret,
      key: key.value,
      ...(newKey.proveBeside && { proven: proven.status === 'fulfilled' && proven.value })
    }
  }

  /**
   * The key a create made, found by its (unique) name and checked against the IDs the answer
   * gave: an answer that names another key must never make this run rename, delete or report
   * that key. Undefined when the lookup itself failed (the token is still delivered; the caller
   * looks again). A contradiction is an unclear answer: the key made is not known for sure.
   */
  private async createdKey(name: string, ids: string[], status: number): Promise<Key | undefined> {
    const unclear = (why: string): HttpError =>
      new HttpError(
        `POST ${KEYS} answered HTTP ${status} with a token, but ${why}: which key holds the token is not known.`,
        { method: 'POST', path: KEYS, status }
      )
    if (ids.length > 1) throw unclear(`its answer names several keys (${ids.join(', ')})`)
    let found: Key | undefined
    try {
      found = await this.findKeyByName(name)
    } catch (error) {
      core.warning(
        `The new key "${logSafe(name)}" could not be looked up after its creation (${errorText(error)}).`
      )
      return undefined
    }
    if (!found) throw unclear(`no key named "${logSafe(name)}" exists`)
    if (ids.length === 1 && ids[0] !== found.id)
      throw unclear(
        `the answer names key ${ids[0]} while the key named "${logSafe(name)}" is ${found.id}`
      )
    return found
  }

  /**
   * Resolves when `secret` authenticates: `GET /v3.0/healthcheck/connectivity` answers
   * `{"status": "available"}`. A 401 is asked again after 1, 2, 3 and 4 s, as a new key takes a
   * moment to become valid. Vision One cannot say which key a token belongs to, so the key is
   * not compared. The check that a made-up token is refused goes beside the first try.
   */
  async verifySecret(secret: string, _key: Key): Promise<void> {
    const client = this.withSecret(secret)
    let waits = 0
    let gaveUp = false
    const activation = (error: unknown): RetryDecision => {
      if (!(error instanceof HttpError) || error.status !== 401) return { retry: false }
      gaveUp = waits === ACTIVATION_WAITS_MS.length
      return gaveUp ? { retry: false } : { retry: true, afterMs: ACTIVATION_WAITS_MS[waits++] }
    }
    try {
      const [proven, madeUpRefused] = await Promise.allSettled([
        // The first signal ends the activation wait: the token is then neither proven nor refused.
        withRetry(() => client.checkConnectivity(), {
          maxAttempts: ACTIVATION_WAITS_MS.length + 1,
          clock: this.clock,
          signal: this.cancellation.requested,
          decide: activation
        }),
        this.checkRefusesMadeUpToken()
      ])
      if (proven.status === 'rejected') throw proven.reason
      if (madeUpRefused.status === 'rejected') throw madeUpRefused.reason
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error
      // A wait the signal cut short proves nothing either way: the run was cancelled.
      if (!gaveUp) this.cancellation.throwIfRequested()
      const said = error.serverMessage ? ` (${error.serverMessage})` : ''
      const seconds = ACTIVATION_WAITS_MS.slice(0, waits).reduce((a, b) => a + b, 0) / 1000
      throw new HttpError(
        `The new key's token never authenticated: GET ${CONNECTIVITY} answered HTTP 401${said} for ${seconds} s.`,
        {
          method: 'GET',
          path: CONNECTIVITY,
          status: 401,
          serverMessage: error.serverMessage,
          cause: error
        }
      )
    } finally {
      client.dispose()
    }
  }

  /**
   * Whether `secret` authenticates at the first try, a made-up token being refused beside it;
   * false on any failure (a new key not valid yet included: {@link verifySecret} waits for it).
   */
  private async tryOnce(secret: string): Promise<boolean> {
    const client = this.withSecret(secret)
    try {
      await Promise.all([client.checkConnectivity(), this.checkRefusesMadeUpToken()])
      return true
    } catch {
      return false
    } finally {
      client.dispose()
    }
  }

  /** Vision One roles are names: there is no role to read by ID. */
  getRole(id: string): Promise<Role> {
    return Promise.reject(
      new Error(
        `role-id "${logSafe(id)}" does not apply on vision-one: roles are names (role-name).`
      )
    )
  }

  /**
   * The role as a name, without a request: Vision One has no list of roles to look in, and
   * refuses a name it does not know when a key is given it.
   */
  findRoleByName(name: string): Promise<Role | undefined> {
    return Promise.resolve({ name })
  }

  listRoles(): Promise<Role[]> {
    return Promise.resolve([])
  }

  /**
   * The connectivity check proves a token only if it refuses one that cannot work (a cache or a
   * gateway in between may answer 200 to anything): asked once per run with a random token.
   */
  private async checkRefusesMadeUpToken(): Promise<void> {
    if (this.connectivityProven) return
    const madeUp = this.withSecret(`eyJ${randomBytes(48).toString('base64url')}`)
    try {
      await madeUp.checkConnectivity()
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        this.connectivityProven = true
        return
      }
      throw error
    } finally {
      madeUp.dispose()
    }
    throw new HttpError(
      `GET ${CONNECTIVITY} answered "available" to a made-up token too: it proves nothing about the new token (is a cache or gateway in between?). The new token is taken for unverified.`,
      { method: 'GET', path: CONNECTIVITY, status: 200 }
    )
  }

  private async checkConnectivity(): Promise<void> {
    if (!saysAvailable(await this.transport.callJson('GET', CONNECTIVITY))) {
      throw new HttpError(
        `GET ${CONNECTIVITY} answered HTTP 200 without {"status": "available"}: Vision One says the API is not available.`,
        { method: 'GET', path: CONNECTIVITY, status: 200 }
      )
    }
  }

  /**
   * One key and its ETag; {@link KeyNotFoundError} when it does not exist. A 404 counts only
   * when the API answers at all (when the connectivity check is not found either, api-url is
   * wrong and that error is thrown).
   */
  private async read(id: string): Promise<{ key: Key; etag?: string }> {
    const path = keyPath(id)
    try {
      const { status, headers, text } = await this.transport.call('GET', path)
      return { key: this.expectKey(path, status, parseJson(text), id), etag: etagOf(headers.etag) }
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404) throw error
      const probe = await this.transport
        .send('GET', CONNECTIVITY)
        .then(() => undefined)
        .catch((e: unknown) => e)
      if (probe instanceof HttpError && probe.status === 404) throw probe
      throw new KeyNotFoundError(id, error.message, { cause: error })
    }
  }

  /** Sends a change with If-Match: true when it was made, false on a 412. */
  private async patch(path: string, etag: string, body: ApiKeyChanges): Promise<boolean> {
    // No change starts after the first signal: checked here, after the ETag read, right before
    // the change itself.
    this.cancellation.throwIfRequested()
    try {
      await this.transport.call('PATCH', path, { body, headers: { 'If-Match': etag } })
      return true
    } catch (error) {
      if (error instanceof HttpError && error.status === 412) return false
      throw error
    }
  }

  /**
   * Every key of the list, page after page: each `nextLink` must lead to the same list at
   * api-url (the token goes nowhere else), is asked with the same filter, and paging stops with
   * an error at a repeated link, after {@link MAX_PAGES} pages or past {@link MAX_LIST_BYTES} in
   * all.
   */
  private async list(filter?: string): Promise<Key[]> {
    const headers = filter === undefined ? undefined : { 'TMV1-Filter': filter }
    const keys: Key[] = []
    const seen = new Set<string>()
    let path = FIRST_PAGE
    let budget = MAX_LIST_BYTES
    for (let page = 1; ; page++) {
      const answer = await this.page(path, page, headers, budget)
      budget -= answer.bytes
      const items = pageItemsOf(answer.json)
      if (!items) throw this.transport.malformed('GET', path)
      keys.push(...this.every(path, items))
      const link = nextLinkOf(answer.json)
      if (link === undefined) return keys
      const next = link === null ? undefined : this.samePlace(link)
      if (next === undefined) {
        throw new HttpError(
          `GET ${KEYS} (page ${page}) answered with a nextLink that does not lead to ${KEYS} at api-url (${link === null ? 'not a URL' : untrusted(link, 200)}): the token is sent nowhere else, so listing stopped.`,
          { method: 'GET', path, status: 200 }
        )
      }
      if (seen.has(next) || page >= MAX_PAGES) {
        throw new HttpError(
          `GET ${KEYS} (page ${page}) answered with ${seen.has(next) ? 'a nextLink it gave before' : `a nextLink after ${MAX_PAGES} pages`}: the platform keeps paging, so listing stopped.`,
          { method: 'GET', path, status: 200 }
        )
      }
      seen.add(next)
      path = next
    }
  }

  /** One page of the list, read within what is left of the list's byte budget. */
  private async page(
    path: string,
    page: number,
    headers: Record<string, string> | undefined,
    budget: number
  ): Promise<{ json: unknown; bytes: number }> {
    try {
      const { status, text } = await this.transport.call('GET', path, { headers, maxBytes: budget })
      const json = parseJson(text)
      if (json === undefined) throw this.transport.malformed('GET', path, status)
      return { json, bytes: Buffer.byteLength(text) }
    } catch (error) {
      if (page === 1 || !(error instanceof HttpError) || error.code !== 'EBODYTOOLARGE') throw error
      throw new HttpError(
        `GET ${KEYS} (page ${page}): the list's pages add up to more than ${MAX_LIST_BYTES / (1024 * 1024)} MiB, so listing stopped.`,
        { method: 'GET', path, code: error.code, cause: error }
      )
    }
  }

  /**
   * The path and query of `link` (resolved against the list, should it be relative) when it is
   * the list at api-url; undefined otherwise.
   */
  private samePlace(link: string): string | undefined {
    const list = new URL(`${this.connection.apiUrl}${KEYS}`)
    const url = URL.canParse(link, list.href) ? new URL(link, list) : undefined
    return url?.origin === list.origin && url.pathname === list.pathname
      ? `${KEYS}${url.search}`
      : undefined
  }

  /** The one item of a 207 answer to a call about one key. */
  private onlyItem(method: string, path: string, status: number, answer: unknown): BatchItem {
    const items = batchItemsOf(answer)
    if (!items || items.length !== 1) throw this.transport.malformed(method, path, status)
    return items[0]
  }

  /**
   * The key of an answer, which must be the key asked for: a platform (or anything in between)
   * that answers with another key must never make this run act on it.
   */
  private expectKey(path: string, status: number, answer: unknown, id: string): Key {
    const key = toKey(answer)
    if (!key) throw this.transport.malformed('GET', path, status)
    if (key.id !== id) {
      throw new HttpError(
        `GET ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here. Nothing was changed.`,
        { method: 'GET', path, status }
      )
    }
    return key
  }

  /** Every key of a page, or an error when one of them is not what the API documents. */
  private every(path: string, items: unknown[]): Key[] {
    const keys = items.map(toKey)
    if (keys.some((k) => k === undefined)) throw this.transport.malformed('GET', path)
    return keys as Key[]
  }
}

/** The ID, checked: a path or a body is never built from anything but a key ID. */
function checkedId(id: string): string {
  if (!isKeyId(id)) throw new Error(`"${logSafe(id)}" is not a Vision One key ID (a UUID)`)
  return id
}

/** `/v3.0/iam/apiKeys/{id}`. */
function keyPath(id: string): string {
  return `${KEYS}/${checkedId(id)}`
}

/** The ETag a change needs; without one nothing can be changed safely. */
function requireEtag(path: string, etag: string | undefined): string {
  if (etag !== undefined) return etag
  throw new HttpError(
    `GET ${path} answered without an ETag header, which a change needs (If-Match). Nothing was changed.`,
    { method: 'GET', path, status: 200 }
  )
}

/** The error of a failed 207 item: its own status and message. */
function itemFailure(method: string, path: string, item: BatchItem, subject: string): HttpError {
  const message = errorMessageOf(item.body)
  const serverMessage = typeof message === 'string' ? untrusted(message) : undefined
  const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''
  const hint = item.status === 404 ? '' : advice(method, path, item.status)
  return new HttpError(
    `${method} ${path} answered HTTP 207, and its item for ${subject} failed with HTTP ${item.status}${said}${hint || '.'}`,
    { method, path, status: item.status, serverMessage }
  )
}

function describeFailure(method: string, path: string, status: number, said: string): string {
  const expired =
    status === 401 && /expired/i.test(said)
      ? ". The token's key has expired; Vision One cannot extend a key: create a new one (operation create, with another key whose role may create keys) and update the secret."
      : undefined
  return `${method} ${path} answered HTTP ${status}${said}${expired ?? advice(method, path, status)}`
}

/** What to do about a failure status (empty when there is nothing to add). */
function advice(method: string, path: string, status: number): string {
  if (status === 401) {
    return '. The token was rejected: its key may be expired, locked, or replaced by an earlier rotation (a rotation deletes the old key: check which run rotated it last); else check api-secret-key, and that region/api-url is the region the key belongs to.'
  }
  if (status === 403) {
    return ". The key's role lacks the API key right this call needs (view, create, edit or delete API keys)."
  }
  if (status === 404) {
    return (method === 'GET' || method === 'PATCH') && path.startsWith(`${KEYS}/`)
      ? '. It does not exist on this Vision One.'
      : '. Nothing answers at this address: check api-url (the regional origin, e.g. https://api.eu.xdr.trendmicro.com) or region.'
  }
  if (status === 429) {
    return ". Vision One's rate limit was reached (requests per endpoint in a rolling 60-second window)."
  }
  return ''
}
