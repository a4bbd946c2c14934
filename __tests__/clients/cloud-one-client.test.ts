/*
 * The Cloud One client against its emulator over loopback HTTP: the headers, cursor paging and
 * its bounds, a create never retried once the service may have acted (a secret that arrived
 * whole before the connection dropped is kept), the secret's two forms, answers that name
 * another key, errors that carry the server's message and fields, retries that honour
 * Retry-After, a delete retried after it landed, and the proof of a new secret (with the
 * activation wait, and a key whose network limits keep the runner out). Every exchange is
 * checked against the reference after each test.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudOneEmulator,
  seedCloudOne,
  valueOf,
  type SeededCloudOneKeys
} from '../../emulators/cloud-one.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock, type Clock } from '../../src/clock.js'
import { HttpError } from '../../src/http/http-error.js'
import { CloudOneClient } from '../../src/platforms/cloud-one/client.js'
import { KeyNotFoundError, type NewKey } from '../../src/platforms/key-platform.js'
import { cloudOneContractViolations } from '../support/cloud-one-contract.js'

let c1: CloudOneEmulator
let keys: SeededCloudOneKeys
let now: number
const slept: number[] = []
const clock: Clock = {
  ...systemClock,
  now: () => now,
  sleep: async (ms) => {
    slept.push(ms)
    now += ms
  },
  random: () => 1
}
const clients: CloudOneClient[] = []

beforeEach(async () => {
  now = Date.UTC(2026, 5, 1)
  slept.length = 0
  c1 = new CloudOneEmulator()
  c1.now = () => now
  keys = seedCloudOne(c1)
  await c1.start()
})

afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose()
  await c1.stop()
  expect(c1.log.flatMap(cloudOneContractViolations)).toEqual([])
})

function client(secret = valueOf(keys.admin)): CloudOneClient {
  const c = new CloudOneClient(
    { apiUrl: c1.url, apiSecretKey: secret, authScheme: 'api-secret-key', apiVersion: 'v1' },
    { maxAttempts: 4, timeoutMs: 5000 },
    clock,
    new Cancellation()
  )
  clients.push(c)
  return c
}

const newKey = (over: Partial<NewKey> = {}): NewKey => ({
  name: 'ci-new',
  description: 'made by a test',
  role: { id: 'deployer', name: 'Deployer' },
  ...over
})

describe('reads', () => {
  it('sends Api-Version v1 and ApiKey <id>:<secret>, and knows the authenticating key by its ID', async () => {
    const key = await client().getAuthenticatingKey()
    expect(key).toMatchObject({ id: keys.admin.id, name: 'ci-admin', role: { id: 'full-access' } })
    expect(c1.log[0].headers).toMatchObject({
      'api-version': 'v1',
      authorization: `ApiKey ${valueOf(keys.admin)}`
    })
  })

  it('lists every key across pages of 100, following next as the cursor', async () => {
    for (let i = 0; i < 230; i++) c1.addKey({ alias: `bulk-${i}`, roleID: 'deployer' })
    const listed = await client().listKeys()
    expect(listed).toHaveLength(c1.keys.size)
    const pages = c1.requests('GET', '/apikeys')
    expect(pages.map((e) => new URLSearchParams(e.query).get('limit'))).toEqual([
      '100',
      '100',
      '100'
    ])
    expect(new URLSearchParams(pages[1].query).get('cursor')).toBeTruthy()
  })

  it('stops paging at a cursor it was given before', async () => {
    c1.inject({ method: 'GET', path: '/apikeys', body: { apikeys: [], next: 'again' }, times: 5 })
    await expect(client().listKeys()).rejects.toThrow(/a next cursor it gave before/)
  })

  it('a key that does not exist is KeyNotFoundError; an answer naming another key stops', async () => {
    await expect(client().getKey('AAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toBeInstanceOf(
      KeyNotFoundError
    )
    c1.inject({
      method: 'GET',
      path: `/apikeys/${keys.deployerB.id}`,
      body: c1.publicKey(keys.auditor)
    })
    await expect(client().getKey(keys.deployerB.id)).rejects.toThrow(/answered with key .* not key/)
  })

  it('finds roles by exact name and by short ID; several keys of one alias fail', async () => {
    const c = client()
    expect(await c.findRoleByName('Read Only')).toEqual({ id: 'read-only', name: 'Read Only' })
    expect(await c.findRoleByName('read only')).toBeUndefined()
    expect(await c.getRole('deployer')).toEqual({ id: 'deployer', name: 'Deployer' })
    await expect(c.getRole('nope')).rejects.toThrow(/role-id "nope" is not a role/)
    c1.addKey({ alias: 'deployer-b', roleID: 'deployer' })
    await expect(c.findKeyByName('deployer-b')).rejects.toThrow(/More than one API key named/)
  })

  it('retries a 503 after its Retry-After; an error carries the message and fields', async () => {
    c1.inject({ method: 'GET', path: '/roles', status: 503, retryAfter: '7' })
    expect(await client().listRoles()).toHaveLength(3)
    expect(slept).toContain(7000)
    c1.unsupportedFields = ['enabled']
    const error = await client()
      .updateKey(keys.deployerB.id, { active: false })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as Error).message).toMatch(
      /answered HTTP 400: The request has unknown fields \(enabled: unknown field\).*Sent: \{"enabled":false\}/
    )
  })
})

describe('createKey', () => {
  it.each([
    [201, 'bare'],
    [200, 'id-secret']
  ] as const)(
    'answered %i with the secret %s: the value is <id>:<secret>',
    async (status, form) => {
      c1.createStatus = status
      c1.secretForm = form
      const issued = await client().createKey(newKey())
      const made = c1.keyNamed('ci-new')!
      expect(issued.secret).toBe(valueOf(made))
      expect(issued.key).toMatchObject({ id: made.id, name: 'ci-new', active: true })
    }
  )

  it('copies the language and time zone of the key it replaces, never its limits', async () => {
    await client().createKey(
      newKey({ replacing: { ...keys.deployerA, name: 'deployer-a', role: {}, active: true } })
    )
    expect(c1.keyNamed('ci-new')).toMatchObject({
      locale: 'ja',
      timezone: 'Asia/Tokyo',
      allowedIPs: [],
      allowedCIDRs: []
    })
  })

  it('is never sent twice after a lost answer; a whole secret cut off mid-body is kept', async () => {
    c1.inject({ method: 'POST', path: '/apikeys', drop: 'after' })
    const lost = await client()
      .createKey(newKey())
      .catch((e: unknown) => e)
    expect((lost as HttpError).unclear).toBe(true)
    expect(c1.requests('POST', '/apikeys')).toHaveLength(1)
    c1.inject({
      method: 'POST',
      path: '/apikeys',
      act: true,
      rawBodyFor: (_request, response) => {
        const body = response!.body as Record<string, unknown>
        return `{"id":"${body.id as string}","secret":"${body.secret as string}","alias":"ci-n`
      }
    })
    const salvaged = await client().createKey(newKey({ name: 'ci-other' }))
    expect(salvaged.secret).toBe(valueOf(c1.keyNamed('ci-other')!))
  })

  it('a secret that names another key is unclear, whatever the status', async () => {
    c1.inject({
      method: 'POST',
      path: '/apikeys',
      act: true,
      bodyFor: () => ({ ...c1.publicKey(keys.auditor), secret: `${keys.auditor.id}:x` }),
      status: 201
    })
    const error = await client()
      .createKey(newKey())
      .catch((e: unknown) => e)
    expect((error as HttpError).unclear).toBe(true)
    // The key the answer named is never deleted: it is not the key this run made.
    expect(c1.keys.has(keys.auditor.id)).toBe(true)
    expect(c1.requests('DELETE')).toEqual([])
  })
})

describe('changes, deletes and proofs', () => {
  it('gives a key the limits of another, confirmed by the answer or a read-back', async () => {
    const c = client()
    const target = await c.getKey(keys.deployerB.id)
    const like = await c.getKey(keys.deployerA.id)
    c1.modifyAnswersKey = false
    await c.restrictLike(target, like)
    expect(keys.deployerB).toMatchObject({
      allowedIPs: ['192.168.0.1'],
      allowedCIDRs: ['10.20.0.0/16']
    })
    expect(c1.requests('GET', `/apikeys/${keys.deployerB.id}`).length).toBeGreaterThan(1)
  })

  it('a delete that landed before its answer was lost counts; one that never existed does not', async () => {
    c1.inject({ method: 'DELETE', path: `/apikeys/${keys.deployerB.id}`, status: 502, act: true })
    await client().deleteKey(keys.deployerB.id)
    expect(c1.keys.has(keys.deployerB.id)).toBe(false)
    await expect(client().deleteKey(keys.deployerB.id)).rejects.toBeInstanceOf(KeyNotFoundError)
  })

  it('proves a secret with itself; waits for a 401 to clear; reads a key the runner cannot reach', async () => {
    const c = client()
    await c.verifySecret(valueOf(keys.deployerB), await c.getKey(keys.deployerB.id))
    const key = await c.getKey(keys.deployerB.id)
    c1.inject({ method: 'GET', path: `/apikeys/${keys.deployerB.id}`, status: 401 })
    await c.verifySecret(valueOf(keys.deployerB), key)
    expect(slept).toContain(1000)
    // deployer-a is limited to other networks: its secret cannot be tried from here.
    await c.verifySecret(valueOf(keys.deployerA), await c.getKey(keys.deployerA.id))
    await expect(
      c.verifySecret(`${keys.deployerB.id}:wrong`, await c.getKey(keys.deployerB.id))
    ).rejects.toThrow(/did not authenticate/)
  })
})
