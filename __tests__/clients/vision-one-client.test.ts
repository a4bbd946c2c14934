/*
 * The Vision One client against its emulator over loopback HTTP: every call's wire shape (each
 * request checked against Trend's stubs after each test), answers shaped exactly as Trend's
 * stubs, ETag / If-Match and 412, 207 items deciding success, a create never retried once the
 * platform may have acted, paging and its bounds, exact names, the new token's activation.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EmulatedRequest, Exchange } from '../../emulators/server.js'
import {
  VISION_ONE_ROLES,
  VisionOneEmulator,
  seedVisionOne,
  startSeededVisionOne,
  type SeededVisionOne
} from '../../emulators/vision-one.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock, type Clock } from '../../src/clock.js'
import { HttpError } from '../../src/http/http-error.js'
import { createPlatform } from '../../src/platforms/create-platform.js'
import { KeyNotFoundError, type Key, type NewKey } from '../../src/platforms/key-platform.js'
import { VisionOneClient } from '../../src/platforms/vision-one/client.js'
import { redact } from '../../src/redaction.js'
import type { ConnectionSettings } from '../../src/settings.js'
import { selfSignedCertificate } from '../support/tls.js'
import {
  TREND_STUBS,
  stubAnswer,
  visionOneContractViolations
} from '../support/vision-one-contract.js'

const KEYS = '/v3.0/iam/apiKeys'
const DELETE = '/v3.0/iam/apiKeys/delete'
const CONNECTIVITY = '/v3.0/healthcheck/connectivity'
const START = Date.UTC(2026, 0, 31, 12, 0, 0)
const STUB_ID = 'd367abdd-7739-4129-a36a-862c4ec018b4'

let world: SeededVisionOne
let v1: VisionOneEmulator
/** The clock of the client and the emulator: a sleep records its wait and moves time on. */
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
const clients: VisionOneClient[] = []
/** Emulators of a test besides `v1`, whose exchanges are checked too. */
const others: VisionOneEmulator[] = []

beforeEach(async () => {
  now = START
  slept.length = 0
  world = await startSeededVisionOne({ now: () => now })
  v1 = world.v1
})

afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose()
  const emulators = [v1, ...others.splice(0)]
  for (const emulator of emulators) await emulator.stop()
  // Every request the client sent is one Trend's stubs and SDK allow; every answer the
  // emulator itself gave is shaped as Trend's stubs.
  const exchanges = emulators.flatMap((e) => e.log)
  expect(exchanges.flatMap(visionOneContractViolations)).toEqual([])
})

function client(
  secret = world.admin.secret,
  connection: Partial<ConnectionSettings> = {}
): VisionOneClient {
  const c = new VisionOneClient(
    {
      apiUrl: v1.url,
      apiSecretKey: secret,
      authScheme: 'api-secret-key',
      apiVersion: 'v1',
      ...connection
    },
    { maxAttempts: 4, timeoutMs: 5000 },
    clock,
    new Cancellation()
  )
  clients.push(c)
  return c
}

const keyPath = (id: string) => `${KEYS}/${id}`
const newKey = (over: Partial<NewKey> = {}): NewKey => ({
  name: 'ci-new',
  description: 'made by a test',
  role: { name: VISION_ONE_ROLES.siem },
  lifetimeMonths: 3,
  ...over
})

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

/** What the work wrote to stdout (where `::add-mask::` goes), and its result. */
async function stdoutOf<T>(work: () => Promise<T>): Promise<{ result: T; written: string }> {
  const written: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) =>
    written.push(String(chunk)) > 0) as typeof process.stdout.write
  try {
    return { result: await work(), written: written.join('') }
  } finally {
    process.stdout.write = write
  }
}

/** A loopback server that is not Vision One: it answers 404 to everything and logs what came. */
async function elsewhere(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.writeHead(404, { 'content-type': 'text/html' })
    res.end('<html><body>Not Found</body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  afterEachClose.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}
const afterEachClose: http.Server[] = []
afterEach(async () => {
  for (const server of afterEachClose.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const requests = (method: string, path: string | RegExp): Exchange[] => v1.requests(method, path)

describe('VisionOneClient: what the platform is', () => {
  it('names its all-powerful role, fixes expiry, cannot regenerate, cannot tell the authenticating key, and has roles by name only', async () => {
    const c = client()
    expect(c.allPowerfulRole).toBe('Master Administrator')
    expect(c.canChangeExpiry).toBe(false)
    expect('regenerateSecret' in c).toBe(false)
    expect(await c.getAuthenticatingKey()).toBeUndefined()
    expect(await c.findRoleByName('SIEM')).toEqual({ name: 'SIEM' })
    expect(await c.listRoles()).toEqual([])
    await expect(c.getRole('7')).rejects.toThrow(/role-id "7" does not apply on vision-one/)
    expect(v1.log).toHaveLength(0)
  })

  it('is what createPlatform makes for platform vision-one', () => {
    const platform = createPlatform(
      {
        platform: 'vision-one',
        connection: {
          apiUrl: v1.url,
          apiSecretKey: 't',
          authScheme: 'api-secret-key',
          apiVersion: 'v1'
        },
        request: { maxAttempts: 1, timeoutMs: 1000 }
      },
      clock,
      new Cancellation()
    )
    expect(platform).toBeInstanceOf(VisionOneClient)
    platform.dispose()
  })

  it('withSecret authenticates with the other token', async () => {
    const auditor = client().withSecret(world.auditor.secret)
    clients.push(auditor)
    expect((await auditor.getKey(world.deployerA.id)).name).toBe('deployer-a')
    expect(requests('GET', keyPath(world.deployerA.id))[0].headers.authorization).toBe(
      `Bearer ${world.auditor.secret}`
    )
    // The auditor's role may only view keys.
    await expect(auditor.deleteKey(world.deployerA.id)).rejects.toThrow(
      /HTTP 403: Insufficient permissions\. The key's role lacks the API key right/
    )
  })
})

describe('VisionOneClient.getKey', () => {
  it('reads every field: the role as a name, enabled as active, ISO 8601 times; Bearer auth', async () => {
    const c = client()
    const b = world.deployerB
    expect(await c.getKey(b.id)).toEqual({
      id: b.id,
      name: 'deployer-b',
      description: 'deploys the app (pair)',
      role: { name: VISION_ONE_ROLES.deployer },
      active: true,
      createdAt: b.createdDateTime,
      lastUsedAt: b.lastUsedDateTime,
      expiresAt: b.expiredDateTime
    })
    expect((await c.getKey(world.siemConnector.id)).active).toBe(false)
    expect(requests('GET', keyPath(b.id))[0].headers.authorization).toBe(
      `Bearer ${world.admin.secret}`
    )
  })

  it.each(['absent', 'null', 'empty'] as const)(
    'reads a never-used key without expiry as having neither time when the field is %s',
    async (form) => {
      v1.neverUsedAs = form
      v1.noExpiryAs = form
      const c = client()
      const key = await c.getKey(world.legacyAdmin.id)
      expect(key.lastUsedAt).toBeUndefined()
      expect(key.expiresAt).toBeUndefined()
      expect(key.createdAt).toBe(world.legacyAdmin.createdDateTime)
      const listed = (await c.listKeys()).find((k) => k.id === world.legacyAdmin.id)!
      expect(listed).toEqual(key)
    }
  )

  it('reads a time that is not an ISO 8601 date-time as none', async () => {
    const a = world.deployerA
    v1.inject({
      method: 'GET',
      path: keyPath(a.id),
      body: {
        ...v1.publicKey(a),
        lastUsedDateTime: 'yesterday',
        expiredDateTime: '2026-13-45T00:00:00Z',
        createdDateTime: 1769860800000
      }
    })
    const key = await client().getKey(a.id)
    expect(key).not.toHaveProperty('lastUsedAt')
    expect(key).not.toHaveProperty('expiresAt')
    expect(key).not.toHaveProperty('createdAt')
    expect(key.name).toBe('deployer-a')
  })

  it('refuses an answer about another key', async () => {
    v1.inject({
      method: 'GET',
      path: keyPath(world.deployerA.id),
      body: v1.publicKey(world.deployerB)
    })
    await expect(client().getKey(world.deployerA.id)).rejects.toThrow(
      `answered with key ${world.deployerB.id}, not key ${world.deployerA.id}: this run acts only on the key it named, so it stops here. Nothing was changed.`
    )
  })

  it('fails with KeyNotFoundError for a key that does not exist, once the API is seen to answer', async () => {
    const id = randomUUID()
    const error = await failure(client().getKey(id))
    expect(error).toBeInstanceOf(KeyNotFoundError)
    expect(error.message).toContain(`GET ${keyPath(id)} answered HTTP 404`)
    expect(error.message).toContain('It does not exist on this Vision One.')
    expect(requests('GET', CONNECTIVITY)).toHaveLength(1)
  })

  it('says to check api-url, not that the key is missing, when nothing answers there', async () => {
    const other = await elsewhere()
    const error = await failure(client(undefined, { apiUrl: other.url }).getKey(randomUUID()))
    expect(error).not.toBeInstanceOf(KeyNotFoundError)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 404, path: CONNECTIVITY })
    expect(error.message).toMatch(
      /Nothing answers at this address: check api-url \(the regional origin, e\.g\. https:\/\/api\.eu\.xdr\.trendmicro\.com\) or region/
    )
    expect(other.requests).toEqual([
      expect.stringMatching(/^GET \/v3\.0\/iam\/apiKeys\//),
      `GET ${CONNECTIVITY}`
    ])
  })

  it.each(['../x', 'a/b', '..', '', '-abc', 'abc?x=1', 'a'.repeat(37), 'a b'])(
    'refuses the key ID %j without a request',
    async (id) => {
      const c = client()
      for (const call of [
        () => c.getKey(id),
        () => c.updateKey(id, { active: false }),
        () => c.deleteKey(id)
      ])
        await expect(call()).rejects.toThrow(/is not a Vision One key ID \(a UUID\)/)
      expect(v1.log).toHaveLength(0)
    }
  )
})

describe('VisionOneClient.updateKey', () => {
  it.each([
    ['quoted', true],
    ['bare', false]
  ])(
    'changes a key with If-Match set to the ETag of a fresh read (%s ETag header), then reads it back',
    async (_, quoted) => {
      v1.quoteETags = quoted
      const a = world.deployerA
      const etag = a.etag
      const key = await client().updateKey(a.id, { active: false })
      expect(key).toMatchObject({ id: a.id, active: false })
      expect(a.status).toBe('disabled')
      const [patch] = requests('PATCH', keyPath(a.id))
      expect(patch.headers['if-match']).toBe(etag)
      expect(patch.body).toEqual({ status: 'disabled' })
      expect(requests('GET', keyPath(a.id))).toHaveLength(2)
    }
  )

  it('renames, re-roles and unlocks with the wire names', async () => {
    const s = world.siemConnector
    const key = await client().updateKey(s.id, {
      name: 'siem-2',
      role: { name: VISION_ONE_ROLES.auditor },
      active: true
    })
    expect(requests('PATCH', keyPath(s.id))[0].body).toEqual({
      name: 'siem-2',
      role: VISION_ONE_ROLES.auditor,
      status: 'enabled'
    })
    expect(key).toMatchObject({ name: 'siem-2', role: { name: 'Auditor' }, active: true })
  })

  it('refuses to change an expiry or to name a role by ID, without a request', async () => {
    const c = client()
    await expect(c.updateKey(world.deployerA.id, { expiresAt: START })).rejects.toThrow(
      /keeps the expiry it was created with/
    )
    await expect(c.updateKey(world.deployerA.id, { role: { id: '3', name: '' } })).rejects.toThrow(
      /roles are names/
    )
    expect(v1.log).toHaveLength(0)
  })

  it('reads the key again after a 412 and changes it with the fresh ETag', async () => {
    const a = world.deployerA
    let concurrent = 0
    // Someone else changes the key between this run's read and its first change.
    v1.onArrival = (request) => {
      if (request.method === 'PATCH' && concurrent++ === 0) a.etag = 'changed-by-someone-else'
    }
    const key = await client().updateKey(a.id, { active: false })
    expect(key.active).toBe(false)
    const patches = requests('PATCH', keyPath(a.id))
    expect(patches.map((p) => p.status)).toEqual([412, 204])
    expect(patches[1].headers['if-match']).toBe('changed-by-someone-else')
    expect(requests('GET', keyPath(a.id))).toHaveLength(3)
  })

  it('readAhead: the update begins with the read made ahead; a key changed since is read again (412); a failed read is made again', async () => {
    const a = world.deployerA
    const c = client()
    c.readAhead(a.id)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(requests('GET', keyPath(a.id))).toHaveLength(1)
    const etag = a.etag
    await c.updateKey(a.id, { name: 'renamed-1' })
    // Only the read-back after the PATCH: the ETag came from the read made ahead.
    expect(requests('GET', keyPath(a.id))).toHaveLength(2)
    expect(requests('PATCH', keyPath(a.id))[0].headers['if-match']).toBe(etag)

    // The key changes after the read ahead: If-Match refuses, the key is read again.
    c.readAhead(a.id)
    await new Promise((resolve) => setTimeout(resolve, 50))
    a.etag = 'changed-after-the-read-ahead'
    const key = await c.updateKey(a.id, { name: 'renamed-2' })
    expect(key.name).toBe('renamed-2')
    expect(requests('PATCH', keyPath(a.id)).map((p) => p.status)).toEqual([204, 412, 204])

    // A read ahead that failed is made again by the update.
    v1.inject({ method: 'GET', path: keyPath(a.id), status: 403 })
    c.readAhead(a.id)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await c.updateKey(a.id, { name: 'renamed-3' })).name).toBe('renamed-3')
    // And a read ahead is used once: the next update reads afresh.
    const before = requests('GET', keyPath(a.id)).length
    await c.updateKey(a.id, { name: 'renamed-4' })
    expect(requests('GET', keyPath(a.id))).toHaveLength(before + 2)
  })

  it('fails clearly when the key changes under it twice, and sends no third change', async () => {
    const a = world.deployerA
    let n = 0
    v1.onArrival = (request) => {
      if (request.method === 'PATCH') a.etag = `someone-else-${n++}`
    }
    const error = await failure(client().updateKey(a.id, { active: false }))
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 412, unclear: false })
    expect(error.message).toMatch(
      /answered HTTP 412 twice: someone else keeps changing key .* Nothing was changed/
    )
    expect(requests('PATCH', keyPath(a.id))).toHaveLength(2)
    expect(a.status).toBe('enabled')
  })

  it('takes a 412 to a retried change whose first attempt landed as done, without another change', async () => {
    const a = world.deployerA
    // The first PATCH is made, its answer lost; the retry with the old ETag answers 412.
    v1.inject({ method: 'PATCH', path: keyPath(a.id), drop: 'after' })
    const key = await client().updateKey(a.id, { role: { name: VISION_ONE_ROLES.auditor } })
    expect(key.role).toEqual({ name: 'Auditor' })
    expect(requests('PATCH', keyPath(a.id)).map((p) => p.status)).toEqual([undefined, 412])
    expect(slept).toEqual([500])
  })

  it('fails when a change answered 204 does not show when the key is read back', async () => {
    const a = world.deployerA
    v1.inject({ method: 'PATCH', path: keyPath(a.id), status: 204, rawBody: '' })
    const error = await failure(client().updateKey(a.id, { active: false }))
    expect(error.message).toBe(
      `PATCH ${keyPath(a.id)} answered success, but key ${a.id} does not show the change when read back: it was not made (or was undone at once). Check the key (operation describe) and run again.`
    )
    expect(a.status).toBe('enabled')
  })

  it('changes nothing when the read has no ETag, and says so', async () => {
    const a = world.deployerA
    v1.inject({ method: 'GET', path: keyPath(a.id), body: v1.publicKey(a) })
    await expect(client().updateKey(a.id, { active: false })).rejects.toThrow(
      /answered without an ETag header, which a change needs \(If-Match\)\. Nothing was changed\./
    )
    expect(requests('PATCH', keyPath(a.id))).toHaveLength(0)
    expect(a.status).toBe('enabled')
  })
})

describe('VisionOneClient.createKey', () => {
  it('creates one key, masks its token at once, and returns it with the key', async () => {
    const { result: issued, written } = await stdoutOf(() => client().createKey(newKey()))
    const created = v1.keyNamed('ci-new')!
    expect(issued.secret).toBe(created.secret)
    expect(written).toContain(`::add-mask::${created.secret}`)
    expect(redact(`token ${created.secret} here`)).toBe('token *** here')
    expect(issued.key).toEqual({
      id: created.id,
      name: 'ci-new',
      description: 'made by a test',
      role: { name: 'SIEM' },
      active: true,
      createdAt: created.createdDateTime,
      expiresAt: created.expiredDateTime
    })
    expect(created.expiredDateTime).toBe(Date.UTC(2026, 3, 30, 12, 0, 0))
    // The key is the one the platform has under the new name, not whatever the answer says.
    expect(requests('GET', KEYS).map((e) => e.headers['tmv1-filter'])).toEqual(["name eq 'ci-new'"])
    expect(requests('POST', KEYS).map((e) => e.body)).toEqual([
      [
        {
          name: 'ci-new',
          role: 'SIEM',
          monthsToExpiration: 3,
          description: 'made by a test',
          status: 'enabled'
        }
      ]
    ])
  })

  it('needs a lifetime in months and a role name: refused without a request', async () => {
    const c = client()
    await expect(c.createKey(newKey({ lifetimeMonths: undefined }))).rejects.toThrow(
      /needs a lifetime of 1, 3, 6, 12 months \(expiry-months\)/
    )
    await expect(c.createKey(newKey({ lifetimeMonths: 0 }))).rejects.toThrow(/expiry-months/)
    await expect(c.createKey(newKey({ role: { id: '1', name: '' } }))).rejects.toThrow(
      /roles are names/
    )
    expect(v1.log).toHaveLength(0)
  })

  it('takes the ID from the Location header when the body lacks it', async () => {
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as { body: Record<string, unknown> }[]
        delete item.body.id
        return JSON.stringify([item])
      }
    })
    const issued = await client().createKey(newKey())
    expect(issued.key?.id).toBe(v1.keyNamed('ci-new')!.id)
  })

  it('takes an answer whose body and Location name different keys as unclear', async () => {
    const other = world.deployerB
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as { body: Record<string, unknown> }[]
        return JSON.stringify([{ ...item, body: { ...item.body, id: other.id } }])
      }
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ unclear: true })
    expect(error.message).toMatch(/its answer names several keys/)
  })

  it('takes an answer naming another key than the one the new name has as unclear', async () => {
    const other = world.deployerB
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as { body: Record<string, unknown> }[]
        return JSON.stringify([{ body: { ...item.body, id: other.id }, status: 201 }])
      }
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ unclear: true })
    expect(error.message).toBe(
      `POST ${KEYS} answered HTTP 207 with a token, but the answer names key ${other.id} while the key named "ci-new" is ${v1.keyNamed('ci-new')!.id}: which key holds the token is not known.`
    )
  })

  it('takes a token for a key the lookup by the new name cannot find as unclear', async () => {
    // The answer carries a token, but no key named "ci-new" exists (the platform did not act).
    v1.inject({
      method: 'POST',
      path: KEYS,
      status: 207,
      body: [{ status: 201, body: { id: STUB_ID, value: `tok-${randomUUID()}` } }]
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ unclear: true })
    expect(error.message).toBe(
      `POST ${KEYS} answered HTTP 207 with a token, but no key named "ci-new" exists: which key holds the token is not known.`
    )
  })

  it('takes a failed item that still carries a token as unclear (the key may exist)', async () => {
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as { body: Record<string, unknown> }[]
        return JSON.stringify([{ status: 400, body: { value: item.body.value } }])
      }
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ unclear: true })
    expect(error.message).toMatch(/Yet the item carries a token: the platform may have created/)
  })

  it('refuses a failed item of the 207 with its status and message: nothing created', async () => {
    const error = await failure(client().createKey(newKey({ name: 'deployer-a' })))
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 400, unclear: false })
    expect(error.message).toBe(
      'POST /v3.0/iam/apiKeys answered HTTP 207, and its item for key "deployer-a" failed with HTTP 400: An API key named deployer-a already exists.'
    )
  })

  it('never takes a 207 as success: a failed item after the platform acted is unclear, not retried', async () => {
    v1.injectItem({ operation: 'create', status: 500, act: true })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ status: 500, unclear: true })
    expect(v1.keyNamed('ci-new')).toBeDefined()
    expect(requests('POST', KEYS)).toHaveLength(1)
  })

  it.each([
    ['no value', { id: STUB_ID }],
    ['an empty value', { id: STUB_ID, value: '' }],
    ['a value that is not text', { id: STUB_ID, value: 42 }]
  ])('fails on a created item with %s: the key may exist unseen', async (_, body) => {
    // The key is created; the answer (off Trend's shape on purpose) lacks a usable token.
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      status: 207,
      rawBody: JSON.stringify([{ status: 201, body }])
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ status: 201, unclear: true })
    expect(error.message).toMatch(
      /without the new key's token\. The platform may have created a key whose token this run cannot see/
    )
  })

  it.each([
    ['no item', []],
    ['two items', 'two'],
    ['an object', { status: 201 }],
    ['an item without a status', [{ body: {} }]]
  ])('takes a 207 with %s as malformed, and masks every token in it', async (_, answer) => {
    const tokens = [`tok-${randomUUID()}`, `tok-${randomUUID()}`]
    const body =
      answer === 'two'
        ? tokens.map((value) => ({ status: 201, body: { id: randomUUID(), value } }))
        : answer
    v1.inject({ method: 'POST', path: KEYS, status: 207, body })
    const error = await failure(client().createKey(newKey()))
    expect(error.message).toMatch(/answered HTTP 207 with a body that is not the expected JSON/)
    expect(error.message).toMatch(/regional Vision One origin/)
    if (answer === 'two') for (const token of tokens) expect(redact(token)).toBe('***')
  })

  it('does not retry a create whose answer was lost after the platform acted', async () => {
    v1.inject({ method: 'POST', path: KEYS, drop: 'after' })
    const error = await failure(client().createKey(newKey()))
    expect(error).toMatchObject({ status: undefined, unclear: true })
    expect(requests('POST', KEYS)).toHaveLength(1)
    expect(v1.keyNamed('ci-new')).toBeDefined()
    v1.inject({ method: 'POST', path: KEYS, status: 503, act: true })
    await expect(client().createKey(newKey({ name: 'ci-other' }))).rejects.toMatchObject({
      status: 503
    })
    expect(requests('POST', KEYS)).toHaveLength(2)
  })

  it('retries a create refused with 429 (the platform did not act)', async () => {
    v1.inject({
      method: 'POST',
      path: KEYS,
      status: 429,
      body: stubAnswer(TREND_STUBS.tooManyRequests, v1.url).body
    })
    const issued = await client().createKey(newKey())
    expect(issued.secret).toBe(v1.keyNamed('ci-new')!.secret)
    expect(requests('POST', KEYS)).toHaveLength(2)
    expect(slept).toEqual([500])
  })

  it('keeps a whole token that arrived before the answer was cut off (its only copy), masked', async () => {
    // Trend's order (headers, whose Location also has a "value", before body), then padding
    // so that the cut falls after the token.
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      truncate: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as Record<string, unknown>[]
        const { status, headers, body } = item
        return JSON.stringify([{ status, headers, body, padding: 'x'.repeat(2000) }])
      }
    })
    const { result: issued, written } = await stdoutOf(() => client().createKey(newKey()))
    const created = v1.keyNamed('ci-new')!
    expect(issued).toEqual({ secret: created.secret })
    expect(written).toContain(`::add-mask::${created.secret}`)
    expect(redact(created.secret)).toBe('***')
    expect(requests('POST', KEYS)).toHaveLength(1)
  })

  it('fails, unclear, when the cut falls inside the token', async () => {
    v1.inject({
      method: 'POST',
      path: KEYS,
      act: true,
      truncate: true,
      status: 207,
      rawBodyFor: (_, response) => {
        const [item] = response!.body as { body: { value: string } }[]
        return `[{"status":201,"body":{"value":"${item.body.value}${'x'.repeat(2000)}"}}]`
      }
    })
    const error = await failure(client().createKey(newKey()))
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 207, unclear: true })
    expect((error as HttpError).partialBody).toMatch(/^\[\{"status":201,"body":\{"value":"/)
    expect(requests('POST', KEYS)).toHaveLength(1)
  })

  it("says the key's role lacks the right to create keys", async () => {
    await expect(client(world.auditor.secret).createKey(newKey())).rejects.toThrow(
      "POST /v3.0/iam/apiKeys answered HTTP 403: Insufficient permissions. The key's role lacks the API key right this call needs (view, create, edit or delete API keys)."
    )
  })
})

describe('VisionOneClient.deleteKey', () => {
  it('deletes one key with a batch of one, the 207 item deciding', async () => {
    const a = world.deployerA
    await client().deleteKey(a.id)
    expect(v1.keys.has(a.id)).toBe(false)
    expect(requests('POST', DELETE).map((e) => e.body)).toEqual([[{ id: a.id }]])
  })

  it('fails when the key can still be read after an item 204', async () => {
    const a = world.deployerA
    v1.injectItem({ operation: 'delete', status: 204, body: undefined })
    const error = await failure(client().deleteKey(a.id))
    expect(error.message).toBe(
      `POST ${DELETE} answered that key ${a.id} was deleted, but it can still be read: it was not deleted. Check the key (operation describe) and run again.`
    )
  })

  it("takes the token's rejection right after deleting its own key as the key gone", async () => {
    const a = world.admin
    await client(a.secret).deleteKey(a.id)
    expect(v1.keys.has(a.id)).toBe(false)
    expect(requests('GET', keyPath(a.id)).map((e) => e.status)).toEqual([401])
  })

  it('fails with KeyNotFoundError on an item 404', async () => {
    const id = randomUUID()
    const error = await failure(client().deleteKey(id))
    expect(error).toBeInstanceOf(KeyNotFoundError)
    expect(error.message).toBe(
      `POST ${DELETE} answered HTTP 207, and its item for key ${id} failed with HTTP 404: The API key ${id} does not exist.`
    )
  })

  it('takes an item 404 after a retry that followed a sent attempt as deleted by that attempt', async () => {
    const a = world.deployerA
    v1.inject({ method: 'POST', path: DELETE, drop: 'after' })
    await client().deleteKey(a.id)
    expect(v1.keys.has(a.id)).toBe(false)
    expect(requests('POST', DELETE)).toHaveLength(2)
  })

  it('still fails with KeyNotFoundError when the retry followed a 429 (nothing was done)', async () => {
    v1.inject({ method: 'POST', path: DELETE, status: 429 })
    await expect(client().deleteKey(randomUUID())).rejects.toBeInstanceOf(KeyNotFoundError)
    expect(requests('POST', DELETE)).toHaveLength(2)
  })

  it('never takes a 207 as success: a failed item fails with its status and message', async () => {
    const a = world.deployerA
    v1.injectItem({ operation: 'delete', status: 403 })
    const error = await failure(client().deleteKey(a.id))
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 403 })
    expect(error.message).toContain(
      `answered HTTP 207, and its item for key ${a.id} failed with HTTP 403: Injected item fault: HTTP 403. The key's role lacks the API key right`
    )
    expect(v1.keys.has(a.id)).toBe(true)
    v1.injectItem({ operation: 'delete', status: 500, act: true })
    await expect(client().deleteKey(a.id)).rejects.toMatchObject({ status: 500, unclear: true })
    expect(v1.keys.has(a.id)).toBe(false)
  })

  it.each([
    ['no item', { status: 207, body: [] }],
    ['two items', { status: 207, body: [{ status: 204 }, { status: 204 }] }],
    ['an object', { status: 207, body: { status: 204 } }],
    ['no body', { status: 204, rawBody: '' }]
  ])('takes an answer with %s as malformed', async (_, answer) => {
    v1.inject({ method: 'POST', path: DELETE, ...answer })
    await expect(client().deleteKey(world.deployerA.id)).rejects.toThrow(
      /not the expected JSON; is api-url the regional Vision One origin/
    )
  })
})

describe("VisionOneClient: Trend's stub answers", () => {
  it('reads the get, change, delete, create and list stubs', async () => {
    const get = stubAnswer(TREND_STUBS.getApiKey, v1.url, keyPath(STUB_ID))
    v1.inject({ method: 'GET', path: keyPath(STUB_ID), times: 2, ...get })
    v1.inject({ method: 'PATCH', path: keyPath(STUB_ID), status: 204, rawBody: '' })
    // Read back after the change: the stub's key, now disabled.
    v1.inject({
      method: 'GET',
      path: keyPath(STUB_ID),
      ...get,
      body: { ...(get.body as object), status: 'disabled' }
    })
    const c = client()
    expect(await c.getKey(STUB_ID)).toEqual({
      id: STUB_ID,
      name: 'test',
      description: 'this is a test apikey',
      role: { name: 'Master Administrator' },
      active: true,
      lastUsedAt: Date.UTC(2023, 1, 6, 10),
      expiresAt: Date.UTC(2025, 1, 6, 10)
    })
    await c.updateKey(STUB_ID, { active: false })
    expect(requests('PATCH', keyPath(STUB_ID))[0].headers['if-match']).toBe(
      'd41d8cd98f00b204e9800998ecf8427e'
    )

    const deleted = stubAnswer(TREND_STUBS.deleteApiKeys, v1.url)
    v1.inject({ method: 'POST', path: DELETE, ...deleted })
    await c.deleteKey(STUB_ID)

    const created = stubAnswer(TREND_STUBS.createApiKeys, v1.url)
    v1.inject({ method: 'POST', path: KEYS, ...created })
    // The lookup of the new key by its name: the list stub's key, under the new name.
    const list = stubAnswer(TREND_STUBS.listApiKeys, v1.url)
    const page = list.body as { items: { name: string }[] }
    page.items[0].name = 'ci-new'
    v1.inject({ method: 'GET', path: KEYS, ...list })
    const issued = await c.createKey(newKey())
    expect(issued).toEqual({
      secret: 'string',
      key: expect.objectContaining({ id: STUB_ID, expiresAt: Date.UTC(2025, 1, 6, 10) })
    })

    v1.inject({ method: 'GET', path: KEYS, ...stubAnswer(TREND_STUBS.listApiKeys, v1.url) })
    expect(await c.listKeys()).toEqual([
      expect.objectContaining({ id: STUB_ID, name: 'test', description: 'this is a test' })
    ])

    v1.inject({
      method: 'GET',
      path: CONNECTIVITY,
      ...stubAnswer(TREND_STUBS.connectivity, v1.url)
    })
    await c.verifySecret(world.admin.secret, {} as Key)
  })

  it('reads the error stubs, wrapped in "error" or not, and a failed 207 item', async () => {
    const id = world.deployerA.id
    const c = client()
    v1.inject({ method: 'GET', path: keyPath(id), ...stubAnswer(TREND_STUBS.accessDenied, v1.url) })
    await expect(c.getKey(id)).rejects.toThrow(
      `GET ${keyPath(id)} answered HTTP 403: Insufficient permissions. The key's role lacks`
    )
    v1.inject({
      method: 'GET',
      path: keyPath(id),
      times: 4,
      ...stubAnswer(TREND_STUBS.tooManyRequestsUnwrapped, v1.url)
    })
    await expect(c.getKey(id)).rejects.toThrow(
      `GET ${keyPath(id)} answered HTTP 429: Too many requests. Vision One's rate limit was reached (requests per endpoint in a rolling 60-second window).`
    )
    expect(slept).toEqual([500, 1000, 2000])
    v1.inject({ method: 'POST', path: DELETE, ...stubAnswer(TREND_STUBS.failedItem, v1.url) })
    await expect(c.deleteKey(id)).rejects.toMatchObject({
      status: 403,
      serverMessage: 'Insufficient permissions.'
    })
  })

  it("follows Trend's nextLink (https://<host><path>?skipToken=...) at an HTTPS origin", async () => {
    const tls = selfSignedCertificate('localhost')
    const secure = new VisionOneEmulator(tls)
    others.push(secure)
    const { admin } = seedVisionOne(secure)
    await secure.start()
    secure.inject({
      method: 'GET',
      path: KEYS,
      ...stubAnswer(TREND_STUBS.pageWithNextLink, secure.url, KEYS)
    })
    secure.inject({
      method: 'GET',
      path: KEYS,
      ...stubAnswer(TREND_STUBS.pageFromSkipToken, secure.url, KEYS)
    })
    const c = client(admin.secret, { apiUrl: secure.url, caCertificate: tls.cert })
    expect(await c.listKeys()).toEqual([])
    expect(secure.requests('GET', KEYS).map((e) => e.query)).toEqual([
      'top=200&orderBy=createdDateTime%20asc',
      'skipToken=c2tpcFRva2Vu'
    ])
  })
})

describe('VisionOneClient.listKeys', () => {
  it('follows nextLink across pages of 200', async () => {
    for (let i = 0; i < 450; i++)
      v1.addKey({ name: `bulk-${i}`, role: VISION_ONE_ROLES.siem, createdDateTime: START + i })
    const keys = await client().listKeys()
    expect(keys).toHaveLength(456)
    expect(new Set(keys.map((k) => k.id)).size).toBe(456)
    const pages = requests('GET', KEYS)
    expect(pages).toHaveLength(3)
    expect(pages.map((p) => p.responseBody && (p.responseBody as { count: number }).count)).toEqual(
      [200, 200, 56]
    )
    expect(pages[1].query).toMatch(/^skipToken=/)
    // Oldest first: a key created while the list is read joins the end.
    expect(keys.at(-1)?.name).toBe('bulk-449')
  })

  it.each([
    ['another origin', (other: string) => `${other}${KEYS}?skipToken=abc`],
    ['another path at api-url', () => `${v1.url}/v3.0/iam/roles?skipToken=abc`],
    ['a protocol-relative link elsewhere', () => `//elsewhere.invalid${KEYS}?skipToken=abc`],
    ['localhost for 127.0.0.1', () => v1.url.replace('127.0.0.1', 'localhost') + KEYS]
  ])('refuses a nextLink to %s: the token goes nowhere else', async (_, link) => {
    const other = await elsewhere()
    v1.inject({
      method: 'GET',
      path: KEYS,
      body: { totalCount: 400, count: 0, items: [], nextLink: link(other.url) }
    })
    await expect(client().listKeys()).rejects.toThrow(
      /answered with a nextLink that does not lead to \/v3\.0\/iam\/apiKeys at api-url .*: the token is sent nowhere else/
    )
    expect(other.requests).toEqual([])
    expect(requests('GET', KEYS)).toHaveLength(1)
  })

  it('stops at a nextLink it was given before', async () => {
    v1.inject({
      method: 'GET',
      path: KEYS,
      times: 5,
      body: { totalCount: 1, count: 0, items: [], nextLink: `${v1.url}${KEYS}?skipToken=same` }
    })
    await expect(client().listKeys()).rejects.toThrow(
      /\(page 2\) answered with a nextLink it gave before: the platform keeps paging/
    )
    expect(requests('GET', KEYS)).toHaveLength(2)
  })

  it('stops after 1,000 pages', async () => {
    let n = 0
    v1.inject({
      method: 'GET',
      path: KEYS,
      times: 2000,
      bodyFor: () => ({
        totalCount: 1,
        count: 0,
        items: [],
        nextLink: `${v1.url}${KEYS}?skipToken=p${++n}`
      })
    })
    await expect(client().listKeys()).rejects.toThrow(
      /\(page 1000\) answered with a nextLink after 1000 pages: the platform keeps paging/
    )
    expect(requests('GET', KEYS)).toHaveLength(1000)
  })

  it('takes a page without items, or with a key it cannot read, as malformed', async () => {
    v1.inject({ method: 'GET', path: KEYS, body: { totalCount: 0, count: 0 } })
    await expect(client().listKeys()).rejects.toThrow(/not the expected JSON/)
    v1.inject({
      method: 'GET',
      path: KEYS,
      body: { totalCount: 1, count: 1, items: [{ id: '../../x', name: 'x' }] }
    })
    await expect(client().listKeys()).rejects.toThrow(/not the expected JSON/)
  })
})

describe('VisionOneClient.findKeyByName', () => {
  it('asks with an exact TMV1-Filter, every quote doubled', async () => {
    const key = v1.addKey({ name: "o'brien's key", role: VISION_ONE_ROLES.siem })
    expect((await client().findKeyByName("o'brien's key"))?.id).toBe(key.id)
    expect(requests('GET', KEYS)[0].headers['tmv1-filter']).toBe("name eq 'o''brien''s key'")
    expect(await client().findKeyByName('nobody')).toBeUndefined()
  })

  it('refuses a name whose filter would exceed 1024 characters, without a request', async () => {
    await expect(client().findKeyByName("'".repeat(510))).rejects.toThrow(
      /key-name is too long to look up: its TMV1-Filter would be 1030 characters, and Vision One takes at most 1024/
    )
    expect(v1.log).toHaveLength(0)
  })

  it('compares the answer exactly again, and sends the filter with every page', async () => {
    const exact = v1.addKey({ name: 'pagedname', role: VISION_ONE_ROLES.siem })
    for (let mask = 1; mask <= 250; mask++) {
      const name = [...'pagedname']
        .map((ch, i) => ((mask >> i) & 1 ? ch.toUpperCase() : ch))
        .join('')
      v1.addKey({ name, role: VISION_ONE_ROLES.siem })
    }
    v1.caseInsensitiveNames = true
    expect((await client().findKeyByName('pagedname'))?.id).toBe(exact.id)
    const pages = requests('GET', KEYS)
    expect(pages).toHaveLength(2)
    for (const page of pages) expect(page.headers['tmv1-filter']).toBe("name eq 'pagedname'")
  })

  it('looks a name a header cannot carry up in the whole list', async () => {
    const key = v1.addKey({ name: 'ключ-café', role: VISION_ONE_ROLES.siem })
    expect((await client().findKeyByName('ключ-café'))?.id).toBe(key.id)
    expect(requests('GET', KEYS)[0].headers['tmv1-filter']).toBeUndefined()
  })

  it('fails when several keys have the name', async () => {
    const [a, b] = [world.deployerA, world.deployerB].map((k) => ({
      ...v1.publicKey(k),
      name: 'dup'
    }))
    v1.inject({ method: 'GET', path: KEYS, body: { totalCount: 2, count: 2, items: [a, b] } })
    await expect(client().findKeyByName('dup')).rejects.toThrow(
      `More than one API key named "dup" exists (IDs ${world.deployerA.id}, ${world.deployerB.id}); use the ID instead of key-name. Nothing was changed.`
    )
  })
})

describe('VisionOneClient.verifySecret', () => {
  /** A key this client created (its token not valid yet when activationDelayMs is set). */
  async function created(): Promise<{ secret: string; key: Key }> {
    const issued = await client().createKey(newKey())
    return { secret: issued.secret, key: issued.key! }
  }

  it('waits for a new key to become valid (1, 2, 3 s), then resolves', async () => {
    v1.activationDelayMs = 5000
    const { secret, key } = await created()
    await client().verifySecret(secret, key)
    const checks = requests('GET', CONNECTIVITY)
    const mine = checks.filter((e) => e.headers.authorization === `Bearer ${secret}`)
    expect(mine.map((e) => e.status)).toEqual([401, 401, 401, 200])
    // A made-up token must be refused too (else the check proves nothing): asked once, beside
    // the first try, not after the last.
    const madeUp = checks.filter((e) => !mine.includes(e))
    expect(madeUp.map((e) => e.status)).toEqual([401])
    expect(madeUp[0].at).toBeLessThan(mine[1].at)
    expect(slept).toEqual([1000, 2000, 3000])
  })

  it('createKey with proveBeside tries the token once beside the lookup of the key made, and says whether it worked', async () => {
    v1.latencyMs = 100
    const issued = await client().createKey(newKey({ proveBeside: true }))
    v1.latencyMs = 0
    expect(issued.proven).toBe(true)
    const created = requests('POST', KEYS)[0]
    const after = v1.log.filter((e) => e.at > created.answeredAt!)
    const lookup = after.find((e) => e.method === 'GET' && e.path === KEYS)!
    const tried = after.find((e) => e.headers.authorization === `Bearer ${issued.secret}`)!
    expect(tried.path).toBe(CONNECTIVITY)
    // Both went out before either was answered: one round trip; a made-up token beside them.
    expect(Math.max(lookup.at, tried.at)).toBeLessThan(
      Math.min(lookup.answeredAt!, tried.answeredAt!)
    )
    expect(requests('GET', CONNECTIVITY)).toHaveLength(2)
    // A token not valid yet: tried once, no wait (verifySecret waits, after the copies are
    // printed); the key is still found.
    v1.activationDelayMs = 60_000
    const triesOf = (secret: string): number =>
      requests('GET', CONNECTIVITY).filter((e) => e.headers.authorization === `Bearer ${secret}`)
        .length
    const notYet = await client().createKey(newKey({ name: 'not-yet', proveBeside: true }))
    expect(notYet.key?.name).toBe('not-yet')
    expect(notYet.proven).toBe(false)
    expect(slept).toEqual([])
    expect(triesOf(notYet.secret)).toBe(1)
    // Without proveBeside nothing is tried at creation.
    const plain = await client().createKey(newKey({ name: 'plain' }))
    expect(plain.proven).toBeUndefined()
    expect(triesOf(plain.secret)).toBe(0)
  })

  it('fails after about 10 s when the token never authenticates', async () => {
    v1.activationDelayMs = 60_000
    const { secret, key } = await created()
    const error = await failure(client().verifySecret(secret, key))
    expect(error.message).toBe(
      `The new key's token never authenticated: GET ${CONNECTIVITY} answered HTTP 401 (The authentication token is invalid.) for 10 s.`
    )
    const checks = requests('GET', CONNECTIVITY)
    expect(checks.filter((e) => e.headers.authorization === `Bearer ${secret}`)).toHaveLength(5)
    expect(checks).toHaveLength(6)
    expect(slept).toEqual([1000, 2000, 3000, 4000])
  })

  it.each([
    ['a disabled key', () => world.siemConnector.secret, /The API key is disabled/],
    ['an unknown token', () => `x${randomUUID()}`, /The authentication token is invalid/]
  ])('fails for %s', async (_, secret, message) => {
    const error = await failure(client().verifySecret(secret(), {} as Key))
    expect(error.message).toMatch(/^The new key's token never authenticated/)
    expect(error.message).toMatch(message)
  })

  it('fails when the check also accepts a made-up token (it proves nothing then)', async () => {
    v1.inject({
      method: 'GET',
      path: CONNECTIVITY,
      status: 200,
      body: { status: 'available' },
      times: 2
    })
    const error = await failure(client().verifySecret(`x${randomUUID()}`, {} as Key))
    expect(error.message).toMatch(/answered "available" to a made-up token too: it proves nothing/)
  })

  it('fails at once on any other answer', async () => {
    const auditor = `Bearer ${world.auditor.secret}`
    const when = (request: EmulatedRequest): boolean => request.headers.authorization === auditor
    v1.inject({ method: 'GET', path: CONNECTIVITY, status: 403, when })
    await expect(client().verifySecret(world.auditor.secret, {} as Key)).rejects.toMatchObject({
      status: 403
    })
    v1.inject({ method: 'GET', path: CONNECTIVITY, body: { status: 'unavailable' }, when })
    await expect(client().verifySecret(world.auditor.secret, {} as Key)).rejects.toThrow(
      /without \{"status": "available"\}/
    )
    expect(
      requests('GET', CONNECTIVITY).filter((e) => e.headers.authorization === auditor)
    ).toHaveLength(2)
    expect(slept).toEqual([])
  })
})
