/*
 * The Workload Security client against its emulator: what it retries (429 and 5xx with backoff,
 * Retry-After, a dropped connection, a timeout) and what it never retries (other statuses, a
 * regeneration whose answer may have been lost, a TLS failure); exact names; ca-certificate.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { FULL_RIGHTS, WorkloadSecurityEmulator } from '../../emulators/workload-security.js'
import type { ConnectionSettings, RequestSettings } from '../../src/settings.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import { HttpError } from '../../src/http/http-error.js'
import { issuingRetry } from '../../src/http/retry-decisions.js'
import type { Key } from '../../src/platforms/key-platform.js'
import { WorkloadSecurityClient } from '../../src/platforms/workload-security/client.js'
import { contractViolations } from '../support/contract.js'
import { selfSignedCertificate } from '../support/tls.js'

/** Key 2 as the operations hold it after resolving it. */
const key2: Key = { id: '2', name: 'other', role: { id: '1' }, active: true }

describe('WorkloadSecurityClient', () => {
  let ws: WorkloadSecurityEmulator
  let secret: string
  const slept: number[] = []

  async function client(
    overrides: Partial<ConnectionSettings & RequestSettings> = {},
    emulator?: WorkloadSecurityEmulator
  ) {
    ws = emulator ?? new WorkloadSecurityEmulator()
    ws.addRole({ ID: 1, name: 'Full Access', apiKeyRights: FULL_RIGHTS })
    secret = ws.addKey({ keyName: 'admin', roleID: 1 }).secret
    ws.addKey({ keyName: 'other', roleID: 1 })
    await ws.start()
    slept.length = 0
    const { maxAttempts = 4, timeoutMs = 5000, ...connection } = overrides
    return new WorkloadSecurityClient(
      {
        apiUrl: ws.url,
        apiSecretKey: secret,
        authScheme: 'api-secret-key',
        apiVersion: 'v1',
        ...connection
      },
      { maxAttempts, timeoutMs },
      { ...systemClock, sleep: async (ms: number) => void slept.push(ms), random: () => 1 },
      new Cancellation()
    )
  }

  afterEach(async () => {
    for (const exchange of ws.log) expect(await contractViolations(exchange)).toEqual([])
    await ws.stop()
  })

  it.each([429, 502, 503, 504])('retries %i with backoff', async (status) => {
    const c = await client()
    ws.inject({ path: '/apikeys/2', status, times: 2 })
    expect((await c.getKey('2')).name).toBe('other')
    expect(ws.requests('GET', '/apikeys/2')).toHaveLength(3)
    expect(slept).toEqual([500, 1000])
    c.dispose()
  })

  it('honours Retry-After', async () => {
    const c = await client()
    ws.inject({ path: '/apikeys/2', status: 429, retryAfter: '7' })
    await c.getKey('2')
    expect(slept).toEqual([7000])
    c.dispose()
  })

  it.each([400, 401, 403, 404, 409, 500])('never retries %i', async (status) => {
    const c = await client()
    ws.inject({ path: '/apikeys/2', status, body: { message: 'server says no' } })
    const failure = (await c.getKey('2').catch((e: unknown) => e)) as Error
    // A 404 means the key does not exist: the client says so with its own error.
    const error = (status === 404 ? failure.cause : failure) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({
      status,
      method: 'GET',
      path: '/apikeys/2',
      serverMessage: 'server says no'
    })
    expect(error.message).toContain(`GET /apikeys/2 answered HTTP ${status}: server says no`)
    expect(ws.requests('GET', '/apikeys/2')).toHaveLength(1)
    c.dispose()
  })

  it('retries a dropped connection, and gives up after max-attempts', async () => {
    const c = await client({ maxAttempts: 3 })
    ws.inject({ path: '/apikeys/2', drop: 'before', times: 5 })
    const error = (await c.getKey('2').catch((e: unknown) => e)) as HttpError
    expect(error.status).toBeUndefined()
    expect(ws.requests('GET', '/apikeys/2')).toHaveLength(3)
    c.dispose()
  })

  it('times out a request that never answers and retries it', async () => {
    const c = await client({ timeoutMs: 300, maxAttempts: 2 })
    ws.inject({ path: '/apikeys/2', hang: true })
    expect((await c.getKey('2')).id).toBe('2')
    expect(ws.requests('GET', '/apikeys/2')).toHaveLength(2)
    c.dispose()
  })

  it('does not retry a secret regeneration whose answer may have been lost', async () => {
    const c = await client()
    ws.inject({ path: '/apikeys/2/secretkey', status: 503 })
    await expect(c.regenerateSecret(key2, false)).rejects.toMatchObject({ status: 503 })
    ws.inject({ path: '/apikeys/2/secretkey', drop: 'after' })
    await expect(c.regenerateSecret(key2, false)).rejects.toBeInstanceOf(HttpError)
    expect(ws.requests('POST', '/apikeys/2/secretkey')).toHaveLength(2)
    c.dispose()
  })

  it('retries a regeneration only where the manager did not act: 429 and a connection never opened', async () => {
    const c = await client()
    ws.inject({ path: '/apikeys/2/secretkey', status: 429, retryAfter: '2' })
    const { secret, key } = await c.regenerateSecret(key2, false)
    expect(ws.requests('POST', '/apikeys/2/secretkey')).toHaveLength(2)
    expect(slept).toEqual([2000])
    expect(key?.id).toBe('2')
    expect(secret).toBe(ws.keys.get(2)!.secret)
    ws.inject({ path: '/apikeys/2/secretkey', status: 503 })
    const unclear = await c.regenerateSecret(key2, false).catch((e: unknown) => e)
    expect(issuingRetry(unclear)).toEqual({ retry: false })
    expect(ws.requests('POST', '/apikeys/2/secretkey')).toHaveLength(3)
    const neverOpened = new HttpError('refused', {
      method: 'POST',
      path: '/apikeys/2/secretkey',
      code: 'ECONNREFUSED'
    })
    expect(issuingRetry(neverOpened)).toEqual({ retry: true })
    const tlsFailure = new HttpError('tls', {
      method: 'POST',
      path: '/apikeys/2/secretkey',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT'
    })
    expect(issuingRetry(tlsFailure)).toEqual({ retry: false })
    c.dispose()
  })

  it('fails clearly on an answer that is not JSON, and on a regeneration without secretKey', async () => {
    const c = await client()
    ws.inject({ path: '/apikeys/2', rawBody: '<html>proxy login</html>' })
    await expect(c.getKey('2')).rejects.toThrow(
      /not the expected JSON; is api-url the manager's API base URL/
    )
    ws.inject({
      path: '/apikeys/2/secretkey',
      status: 200,
      body: { ID: 2, keyName: 'other', roleID: 1, active: true }
    })
    await expect(c.regenerateSecret(key2, false)).rejects.toThrow(/without a new secretKey/)
    c.dispose()
  })

  it('finds names exactly: zero or several matches fail', async () => {
    const c = await client()
    ws.addKey({ keyName: 'dup', roleID: 1 })
    ws.addKey({ keyName: 'dup', roleID: 1 })
    await expect(c.findKeyByName('dup')).rejects.toThrow(
      /More than one API key named "dup" exists \(IDs 3, 4\); use the ID instead of key-name/
    )
    expect(await c.findKeyByName('oth%')).toBeUndefined()
    expect((await c.findRoleByName('Full Access'))?.id).toBe('1')
    c.dispose()
  })

  it('fails when a change answered 200 does not show in the key it answers with', async () => {
    const c = await client()
    const before = await c.getKey('2')
    // The manager answers with the key as it was, without the change.
    ws.inject({
      method: 'POST',
      path: '/apikeys/2',
      status: 200,
      body: ws.log.at(-1)!.responseBody
    })
    await expect(c.updateKey('2', { active: false })).rejects.toThrow(
      'POST /apikeys/2 answered success, but key 2 in its answer does not show the change: whether the manager made it is not known.'
    )
    expect(before.active).toBe(true)
    c.dispose()
  })

  it('fails when a deleted key can still be read; takes its own key gone once its secret fails', async () => {
    const c = await client()
    ws.inject({ method: 'DELETE', path: '/apikeys/2', status: 204 })
    await expect(c.deleteKey('2')).rejects.toThrow(
      'DELETE /apikeys/2 answered success, but key 2 can still be read: it was not deleted.'
    )
    await c.deleteKey('1')
    expect(ws.requests('GET', '/apikeys/1').map((e) => e.status)).toEqual([401])
    c.dispose()
  })

  describe('over TLS', () => {
    let tls: { key: string; cert: string }
    beforeAll(() => {
      tls = selfSignedCertificate('localhost')
    })

    it('refuses a self-signed manager certificate, without retrying, and says what to set', async () => {
      const c = await client({}, new WorkloadSecurityEmulator(tls))
      await expect(c.getAuthenticatingKey()).rejects.toThrow(/not trusted; .*set ca-certificate/)
      expect(ws.log).toHaveLength(0)
      c.dispose()
    })

    it('trusts the certificate given as ca-certificate', async () => {
      const c = await client({ caCertificate: tls.cert }, new WorkloadSecurityEmulator(tls))
      expect((await c.getAuthenticatingKey()).name).toBe('admin')
      c.dispose()
    })
  })
})
