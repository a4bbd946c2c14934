/*
 * The Vision One emulator over loopback HTTP, as Trend's documentation and stubs describe the
 * API: 207 batches with per-item results and faults, ETag / If-Match / 412, unique names, the
 * Master Administrator refused, role rights, disabled, expired and not-yet-valid tokens, the
 * 429 window, nextLink paging with a filter, filter quoting, connectivity. Every answer it gives
 * is checked against Trend's stubs after each test; the checker itself:
 * vision-one-contract.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import type { Exchange } from '../../emulators/server.js'
import {
  MASTER_ADMINISTRATOR,
  VISION_ONE_ROLES,
  startSeededVisionOne,
  type SeededVisionOne,
  type VisionOneEmulator
} from '../../emulators/vision-one.js'
import {
  TREND_STUBS,
  visionOneAnswerViolations,
  visionOneRequestViolations
} from '../support/vision-one-contract.js'

const KEYS = '/v3.0/iam/apiKeys'
const CONNECTIVITY = '/v3.0/healthcheck/connectivity'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Requests sent broken on purpose carry this header; the others must pass the checker. */
const BROKEN = { 'x-test-broken': 'on purpose' }
const START = Date.UTC(2026, 0, 31, 12, 0, 0)

interface ErrorBody {
  error: { code: string; message: string; number?: number }
}
interface Item {
  status: number
  headers?: { name: string; value: string }[]
  body?: { id: string; value: string; expiredDateTime?: string | null } & Partial<ErrorBody>
}
interface Page {
  totalCount: number
  count: number
  items: Record<string, unknown>[]
  nextLink?: string
}
interface Answer<T> {
  status: number
  headers: Headers
  body: T
}

let world: SeededVisionOne
let v1: VisionOneEmulator
let clock: number
let exchanges: Exchange[]

beforeEach(async () => {
  clock = START
  world = await startSeededVisionOne({ now: () => clock })
  v1 = world.v1
  exchanges = []
  v1.onExchange = (exchange) => exchanges.push(exchange)
})

afterEach(async () => {
  await world.stop()
  // Every answer the emulator gave is shaped as Trend's stubs; every request not broken on
  // purpose passes the checker too.
  expect(exchanges.flatMap(visionOneAnswerViolations)).toEqual([])
  expect(
    exchanges.filter((e) => !e.headers['x-test-broken']).flatMap(visionOneRequestViolations)
  ).toEqual([])
})

/** One exchange over loopback HTTP; `path` may be a full URL of the emulator (a nextLink). */
async function call<T = ErrorBody>(
  method: string,
  path: string,
  token: string | undefined,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}
): Promise<Answer<T>> {
  const url = path.startsWith('http') ? path : `${v1.url}${path}`
  expect(url.startsWith(v1.url)).toBe(true)
  const hasBody = options.body !== undefined || options.rawBody !== undefined
  const res = await fetch(url, {
    method,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(hasBody && { 'content-type': 'application/json' }),
      ...options.headers
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : undefined) as T
  }
}

const create = (token: string, items: unknown, headers?: Record<string, string>) =>
  call<Item[]>('POST', KEYS, token, { body: items, headers })
const remove = (token: string, items: unknown, headers?: Record<string, string>) =>
  call<Item[]>('POST', `${KEYS}/delete`, token, { body: items, headers })
const describeKey = (token: string, id: string) =>
  call<Record<string, unknown>>('GET', `${KEYS}/${id}`, token)
const list = (token: string, query = 'top=50', filter?: string, headers?: Record<string, string>) =>
  call<Page>('GET', `${KEYS}?${query}`, token, {
    headers: { ...(filter !== undefined && { 'TMV1-Filter': filter }), ...headers }
  })
const change = (token: string, id: string, body: unknown, headers: Record<string, string>) =>
  call<undefined>('PATCH', `${KEYS}/${id}`, token, { body, headers })
const check = (token: string | undefined) => call<{ status: string }>('GET', CONNECTIVITY, token)

/** The current ETag of a key, read over HTTP, quotes removed. */
async function etagOf(id: string): Promise<string> {
  const answer = await describeKey(world.admin.secret, id)
  expect(answer.status).toBe(200)
  return answer.headers.get('etag')!.replace(/^"(.*)"$/, '$1')
}

const newKey = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  role: 'SIEM',
  monthsToExpiration: 1,
  ...extra
})

describe('Vision One emulator: create (POST /v3.0/iam/apiKeys)', () => {
  it('answers 207 with one 201 item per key: Location, id, the token as value, expiredDateTime', async () => {
    const answer = await create(world.admin.secret, [
      newKey('ci-new', { description: 'made by a test' }),
      newKey('ci-other', { role: 'Auditor', monthsToExpiration: 12, status: 'disabled' })
    ])
    expect(answer.status).toBe(207)
    expect(answer.body).toHaveLength(2)
    const [first, second] = answer.body
    expect(first.status).toBe(201)
    expect(first.body!.id).toMatch(UUID)
    expect(first.headers).toEqual([
      { name: 'Location', value: `${v1.url}/v3.0/iam/apiKeys/${first.body!.id}` }
    ])
    expect(Object.keys(first.body!).sort()).toEqual(['expiredDateTime', 'id', 'value'])
    expect(first.body!.expiredDateTime).toBe('2026-02-28T12:00:00Z')
    expect(second.body!.expiredDateTime).toBe('2027-01-31T12:00:00Z')
    expect(v1.keys.get(first.body!.id)).toMatchObject({
      name: 'ci-new',
      role: 'SIEM',
      description: 'made by a test',
      status: 'enabled',
      secret: first.body!.value
    })
    expect(v1.keys.get(second.body!.id)).toMatchObject({ role: 'Auditor', status: 'disabled' })
    expect(first.body!.value).not.toBe(second.body!.value)
    // The token is shown only in the create answer.
    const described = await describeKey(world.admin.secret, first.body!.id)
    expect(described.body).toEqual({
      id: first.body!.id,
      name: 'ci-new',
      status: 'enabled',
      role: 'SIEM',
      description: 'made by a test',
      lastUsedDateTime: '',
      expiredDateTime: '2026-02-28T12:00:00Z',
      createdDateTime: '2026-01-31T12:00:00Z',
      lastModifiedDateTime: '2026-01-31T12:00:00Z'
    })
    expect((await check(first.body!.value)).body).toEqual({ status: 'available' })
  })

  it('fixes expiry at now + 1, 3, 6 or 12 calendar months (a missing day is the month end)', async () => {
    clock = Date.UTC(2026, 2, 31, 8, 30, 15, 999)
    const answer = await create(
      world.admin.secret,
      [1, 3, 6, 12].map((months) => newKey(`m${months}`, { monthsToExpiration: months }))
    )
    expect(answer.body.map((item) => item.body!.expiredDateTime)).toEqual([
      '2026-04-30T08:30:15Z',
      '2026-06-30T08:30:15Z',
      '2026-09-30T08:30:15Z',
      '2027-03-31T08:30:15Z'
    ])
    expect(v1.keyNamed('m1')!.expiredDateTime).toBe(Date.UTC(2026, 3, 30, 8, 30, 15))
  })

  it('makes a key that never expires for monthsToExpiration 0, shown as configured', async () => {
    const first = await create(world.admin.secret, [newKey('forever', { monthsToExpiration: 0 })])
    expect(first.body[0].body!.expiredDateTime).toBe('')
    const id = first.body[0].body!.id
    expect(v1.keys.get(id)!.expiredDateTime).toBeUndefined()
    clock += 50 * 365 * 24 * 3600 * 1000
    expect(v1.authenticates(first.body[0].body!.value)).toBe(true)
    clock = START

    v1.noExpiryAs = 'null'
    expect((await describeKey(world.admin.secret, id)).body.expiredDateTime).toBeNull()
    const nulled = await create(world.admin.secret, [
      newKey('forever-2', { monthsToExpiration: 0 })
    ])
    expect(nulled.body[0].body!.expiredDateTime).toBeNull()
    v1.noExpiryAs = 'absent'
    expect((await describeKey(world.admin.secret, id)).body).not.toHaveProperty('expiredDateTime')
    const absent = await create(world.admin.secret, [
      newKey('forever-3', { monthsToExpiration: 0 })
    ])
    expect(absent.body[0].body).not.toHaveProperty('expiredDateTime')
  })

  it('decides per item: a taken name, a name twice in the batch, Master Administrator and an unknown role fail; the rest is created', async () => {
    const before = v1.keys.size
    const answer = await create(
      world.admin.secret,
      [
        newKey('deployer-a'),
        newKey('fresh'),
        newKey('fresh'),
        newKey('boss', { role: MASTER_ADMINISTRATOR }),
        newKey('nobody', { role: 'No Such Role' })
      ],
      BROKEN
    )
    expect(answer.status).toBe(207)
    expect(answer.body.map((item) => item.status)).toEqual([400, 201, 400, 400, 400])
    expect(answer.body[0].body!.error).toEqual({
      code: 'BadRequest',
      message: 'An API key named deployer-a already exists.'
    })
    expect(answer.body[2].body!.error!.message).toMatch(/fresh already exists/)
    expect(answer.body[3].body!.error!.message).toBe(
      'The Master Administrator role cannot be assigned to API keys.'
    )
    expect(answer.body[4].body!.error!.message).toMatch(/No Such Role does not exist/)
    expect(v1.keys.size).toBe(before + 1)
    expect(v1.keyNamed('boss')).toBeUndefined()
    expect(v1.keyNamed('deployer-a')).toBe(world.deployerA)
  })

  it('answers a taken name with the configured item status and code', async () => {
    v1.duplicateNameError = { status: 409, code: 'Conflict' }
    const answer = await create(world.admin.secret, [newKey('deployer-b')])
    expect(answer.body[0]).toEqual({
      status: 409,
      body: { error: { code: 'Conflict', message: 'An API key named deployer-b already exists.' } }
    })
  })

  it('compares names exactly unless caseInsensitiveNames is set', async () => {
    expect((await create(world.admin.secret, [newKey('DEPLOYER-A')])).body[0].status).toBe(201)
    v1.caseInsensitiveNames = true
    expect((await create(world.admin.secret, [newKey('Deployer-B')])).body[0].status).toBe(400)
  })

  it.each([
    ['an object instead of an array', newKey('x'), /array/],
    ['an empty array', [], /non-empty JSON array/],
    ['an item that is not an object', ['x'], /not a JSON object/],
    ['no monthsToExpiration', [{ name: 'x', role: 'SIEM' }], /monthsToExpiration/],
    ['monthsToExpiration 2', [newKey('x', { monthsToExpiration: 2 })], /monthsToExpiration/],
    ['no role', [{ name: 'x', monthsToExpiration: 1 }], /name and role are required/],
    ['an empty name', [newKey('')], /name must be a non-empty string/],
    ['a name of 129 characters', [newKey('n'.repeat(129))], /longer than 128/],
    [
      'a description of 2049 characters',
      [newKey('x', { description: 'd'.repeat(2049) })],
      /longer than 2048/
    ],
    ['status active', [newKey('x', { status: 'active' })], /enabled or disabled/],
    [
      'an expiry date',
      [newKey('x', { expiredDateTime: '2030-01-01T00:00:00Z' })],
      /expiredDateTime is not accepted/
    ]
  ])('refuses the whole batch with 400 for %s, creating nothing', async (_, body, message) => {
    const before = v1.keys.size
    const answer = await call<ErrorBody>('POST', KEYS, world.admin.secret, {
      // A valid key beside the broken one: the batch is refused whole.
      body: Array.isArray(body) && body.length > 0 ? [newKey('valid-one'), ...body] : body,
      headers: BROKEN
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.code).toBe('BadRequest')
    expect(answer.body.error.message).toMatch(message)
    expect(v1.keys.size).toBe(before)
  })

  it('refuses a body not sent as application/json', async () => {
    const answer = await call('POST', KEYS, world.admin.secret, {
      rawBody: JSON.stringify([newKey('x')]),
      headers: { 'content-type': 'text/plain', ...BROKEN }
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/Content-Type/)
    expect(v1.keyNamed('x')).toBeUndefined()
  })

  it('refuses a body over 1 MB with 413', async () => {
    const answer = await create(
      world.admin.secret,
      [newKey('big', { description: 'd'.repeat(1024 * 1024) })],
      BROKEN
    )
    expect(answer.status).toBe(413)
    expect(answer.body).toMatchObject({ error: { code: 'RequestEntityTooLarge' } })
  })
})

describe('Vision One emulator: per-item faults in 207 batches', () => {
  it('fails the next create item with the injected status while the batch answers 207, creating nothing for it', async () => {
    v1.injectItem({ operation: 'create', status: 500 })
    const answer = await create(world.admin.secret, [newKey('first'), newKey('second')])
    expect(answer.status).toBe(207)
    expect(answer.body[0]).toEqual({
      status: 500,
      body: { error: { code: 'InternalServerError', message: 'Injected item fault: HTTP 500' } }
    })
    expect(answer.body[1].status).toBe(201)
    expect(v1.keyNamed('first')).toBeUndefined()
    expect(v1.keyNamed('second')).toBeDefined()
  })

  it('with act, creates the key but answers the failure (the token is lost)', async () => {
    v1.injectItem({
      operation: 'create',
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'try later' } },
      act: true
    })
    const answer = await create(world.admin.secret, [newKey('unclear')])
    expect(answer.body).toEqual([
      { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } }
    ])
    expect(v1.keyNamed('unclear')).toMatchObject({ role: 'SIEM' })
  })

  it('fails only the delete item `when` selects; with act the key is gone anyway', async () => {
    const { deployerA, deployerB, auditor } = world
    v1.injectItem({ operation: 'delete', status: 403, when: (item) => item.id === deployerB.id })
    v1.injectItem({ operation: 'delete', status: 500, act: true, when: (i) => i.id === auditor.id })
    const answer = await remove(world.admin.secret, [
      { id: deployerA.id },
      { id: deployerB.id },
      { id: auditor.id }
    ])
    expect(answer.status).toBe(207)
    expect(answer.body.map((item) => item.status)).toEqual([204, 403, 500])
    expect(answer.body[1].body!.error!.code).toBe('AccessDenied')
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(v1.keys.has(deployerB.id)).toBe(true)
    expect(v1.keys.has(auditor.id)).toBe(false)
  })

  it('lasts `times` items and is removed by clearFaults', async () => {
    v1.injectItem({ operation: 'create', status: 500, times: 2 })
    const answer = await create(world.admin.secret, [newKey('a'), newKey('b'), newKey('c')])
    expect(answer.body.map((item) => item.status)).toEqual([500, 500, 201])
    v1.injectItem({ operation: 'create', status: 500 })
    v1.clearFaults()
    expect((await create(world.admin.secret, [newKey('d')])).body[0].status).toBe(201)
  })
})

describe('Vision One emulator: delete (POST /v3.0/iam/apiKeys/delete)', () => {
  it('answers 207 with 204 for a deleted key and 404 NotFound for an unknown one; the token stops working', async () => {
    const { deployerA } = world
    const unknown = randomUUID()
    const answer = await remove(world.admin.secret, [{ id: deployerA.id }, { id: unknown }])
    expect(answer.status).toBe(207)
    expect(answer.body).toEqual([
      { status: 204 },
      {
        status: 404,
        body: { error: { code: 'NotFound', message: `The API key ${unknown} does not exist.` } }
      }
    ])
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(v1.tokenState(deployerA.secret)).toBe('unknown')
    expect((await check(deployerA.secret)).status).toBe(401)
  })

  it('refuses items other than {id} with 400, deleting nothing', async () => {
    const answer = await remove(world.admin.secret, [world.deployerA.id], BROKEN)
    expect(answer.status).toBe(400)
    expect(v1.keys.has(world.deployerA.id)).toBe(true)
  })

  it('lets a key delete itself unless refuseSelfChange is set', async () => {
    const { admin, deployerA } = world
    v1.refuseSelfChange = true
    const refused = await remove(admin.secret, [{ id: admin.id }, { id: deployerA.id }])
    expect(refused.body.map((item) => item.status)).toEqual([403, 204])
    expect(v1.keys.has(admin.id)).toBe(true)
    v1.refuseSelfChange = false
    expect((await remove(admin.secret, [{ id: admin.id }])).body).toEqual([{ status: 204 }])
    expect(v1.keys.has(admin.id)).toBe(false)
  })
})

describe('Vision One emulator: get (GET /v3.0/iam/apiKeys/{id})', () => {
  it('answers the key with a quoted ETag by default, a bare one when quoteETags is off', async () => {
    const { deployerB } = world
    const answer = await describeKey(world.admin.secret, deployerB.id)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('etag')).toBe(`"${deployerB.etag}"`)
    expect(answer.body).toEqual({
      id: deployerB.id,
      name: 'deployer-b',
      status: 'enabled',
      role: VISION_ONE_ROLES.deployer,
      description: 'deploys the app (pair)',
      lastUsedDateTime: '2026-01-31T11:00:00Z',
      expiredDateTime: '2026-09-30T12:00:00Z',
      createdDateTime: '2025-10-03T12:00:00Z',
      lastModifiedDateTime: '2025-10-03T12:00:00Z'
    })
    v1.quoteETags = false
    expect((await describeKey(world.admin.secret, deployerB.id)).headers.get('etag')).toBe(
      deployerB.etag
    )
  })

  it('leaves out createdDateTime and lastModifiedDateTime when told (Trend stubs have neither)', async () => {
    v1.showCreatedDateTime = false
    v1.showLastModifiedDateTime = false
    const answer = await describeKey(world.admin.secret, world.deployerA.id)
    expect(Object.keys(answer.body).sort()).toEqual(
      Object.keys(TREND_STUBS.getApiKey.response.jsonBody as object).sort()
    )
  })

  it('answers 404 NotFound for an unknown ID', async () => {
    const id = randomUUID()
    const answer = await call('GET', `${KEYS}/${id}`, world.admin.secret)
    expect(answer.status).toBe(404)
    expect(answer.body).toEqual({
      error: { code: 'NotFound', message: `The API key ${id} does not exist.` }
    })
  })
})

describe('Vision One emulator: change (PATCH /v3.0/iam/apiKeys/{id})', () => {
  it('applies name, role, status and description with the current ETag: 204, no body, a new ETag', async () => {
    const { deployerA } = world
    const etag = await etagOf(deployerA.id)
    clock += 1000
    const answer = await change(
      world.admin.secret,
      deployerA.id,
      { name: 'deployer-a2', role: 'Auditor', status: 'disabled', description: 'retired' },
      { 'If-Match': etag }
    )
    expect(answer.status).toBe(204)
    expect(answer.body).toBeUndefined()
    expect(answer.headers.get('etag')).toBeNull()
    expect(v1.keys.get(deployerA.id)).toMatchObject({
      name: 'deployer-a2',
      role: 'Auditor',
      status: 'disabled',
      description: 'retired',
      lastModifiedDateTime: START + 1000
    })
    const fresh = await etagOf(deployerA.id)
    expect(fresh).not.toBe(etag)
    expect((await describeKey(world.admin.secret, deployerA.id)).body.expiredDateTime).toBe(
      '2026-03-31T12:00:00Z'
    )
  })

  it('answers 412 ConditionNotMet to a stale ETag and changes nothing', async () => {
    const { deployerA } = world
    const stale = await etagOf(deployerA.id)
    const first = await change(
      world.admin.secret,
      deployerA.id,
      { description: 'one' },
      {
        'If-Match': stale
      }
    )
    expect(first.status).toBe(204)
    const second = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body: { description: 'two' },
      headers: { 'If-Match': stale }
    })
    expect(second.status).toBe(412)
    expect(second.body).toEqual(TREND_STUBS.conditionNotMet.response.jsonBody)
    expect(deployerA.description).toBe('one')
  })

  it('does not count a use of the key as a change: its own GET then PATCH succeeds', async () => {
    const { admin } = world
    const got = await describeKey(admin.secret, admin.id)
    clock += 5000
    const etag = got.headers.get('etag')!.replace(/"/g, '')
    expect(
      (await change(admin.secret, admin.id, { description: 'x' }, { 'If-Match': etag })).status
    ).toBe(204)
  })

  it('answers a PATCH without If-Match with missingIfMatchStatus (400 by default)', async () => {
    const { deployerA } = world
    const answer = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body: { description: 'x' },
      headers: BROKEN
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/If-Match/)
    v1.missingIfMatchStatus = 428
    const again = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body: { description: 'x' },
      headers: BROKEN
    })
    expect(again.status).toBe(428)
    expect(deployerA.description).not.toBe('x')
  })

  it('refuses a quoted If-Match with 412 unless acceptQuotedIfMatch is set', async () => {
    const { deployerA } = world
    const quoted = `"${await etagOf(deployerA.id)}"`
    const refused = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body: { description: 'x' },
      headers: { 'If-Match': quoted, ...BROKEN }
    })
    expect(refused.status).toBe(412)
    v1.acceptQuotedIfMatch = true
    const accepted = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body: { description: 'x' },
      headers: { 'If-Match': quoted, ...BROKEN }
    })
    expect(accepted.status).toBe(204)
    expect(deployerA.description).toBe('x')
  })

  it.each([
    ['the expiry', { expiredDateTime: '2030-01-01T00:00:00Z' }, /expiredDateTime is not accepted/],
    ['nothing', {}, /name, role, status or description/],
    [
      'the role to Master Administrator',
      { role: MASTER_ADMINISTRATOR },
      /Master Administrator role cannot be assigned/
    ],
    ['the role to an unknown one', { role: 'Nope' }, /Nope does not exist/],
    ['the name to one taken', { name: 'deployer-b' }, /deployer-b already exists/],
    ['the status to locked', { status: 'locked' }, /enabled or disabled/]
  ])('refuses to change %s with 400', async (_, body, message) => {
    const { deployerA } = world
    const before = { ...deployerA }
    const answer = await call('PATCH', `${KEYS}/${deployerA.id}`, world.admin.secret, {
      body,
      headers: { 'If-Match': await etagOf(deployerA.id), ...BROKEN }
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(message)
    expect(v1.keys.get(deployerA.id)).toEqual(before)
  })

  it('lets a legacy Master Administrator key be changed without changing its role', async () => {
    const { legacyAdmin } = world
    const answer = await change(
      world.admin.secret,
      legacyAdmin.id,
      { description: 'to retire' },
      {
        'If-Match': await etagOf(legacyAdmin.id)
      }
    )
    expect(answer.status).toBe(204)
    expect(legacyAdmin).toMatchObject({ role: MASTER_ADMINISTRATOR, description: 'to retire' })
  })

  it('answers 404 for an unknown key and 400 for a key moved from User Accounts', async () => {
    const missing = await call('PATCH', `${KEYS}/${randomUUID()}`, world.admin.secret, {
      body: { description: 'x' },
      headers: { 'If-Match': 'anything' }
    })
    expect(missing.status).toBe(404)
    const moved = v1.addKey({ name: 'old-token', role: 'SIEM', movedFromUserAccounts: true })
    const refused = await call('PATCH', `${KEYS}/${moved.id}`, world.admin.secret, {
      body: { description: 'x' },
      headers: { 'If-Match': moved.etag }
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/moved from User Accounts/)
  })

  it('disabling a key makes its token refused', async () => {
    const { deployerB } = world
    expect((await check(deployerB.secret)).status).toBe(200)
    await change(
      world.admin.secret,
      deployerB.id,
      { status: 'disabled' },
      {
        'If-Match': await etagOf(deployerB.id)
      }
    )
    const refused = await check(deployerB.secret)
    expect(refused.status).toBe(401)
    expect(refused.body).toEqual({
      error: { code: 'Unauthorized', message: 'The API key is disabled.' }
    })
  })

  it('lets a key disable itself unless refuseSelfChange is set', async () => {
    const { admin } = world
    v1.refuseSelfChange = true
    const refused = await change(
      admin.secret,
      admin.id,
      { status: 'disabled' },
      {
        'If-Match': await etagOf(admin.id)
      }
    )
    expect(refused.status).toBe(403)
    expect(admin.status).toBe('enabled')
  })
})

describe('Vision One emulator: roles', () => {
  it('lets a view-only role list and get but answers 403 AccessDenied to create, change and delete', async () => {
    const { auditor, deployerA } = world
    expect((await list(auditor.secret)).status).toBe(200)
    expect((await describeKey(auditor.secret, deployerA.id)).status).toBe(200)
    const created = await call('POST', KEYS, auditor.secret, { body: [newKey('nope')] })
    expect(created.status).toBe(403)
    expect(created.body).toEqual({
      error: { code: 'AccessDenied', message: 'Insufficient permissions.' }
    })
    const changed = await change(
      auditor.secret,
      deployerA.id,
      { description: 'x' },
      {
        'If-Match': deployerA.etag
      }
    )
    expect(changed.status).toBe(403)
    const deleted = await call('POST', `${KEYS}/delete`, auditor.secret, {
      body: [{ id: deployerA.id }]
    })
    expect(deleted.status).toBe(403)
    expect(v1.keyNamed('nope')).toBeUndefined()
    expect(v1.keys.has(deployerA.id)).toBe(true)
    expect(deployerA.description).toBe('deploys the app (pair)')
  })

  it('refuses a role without API key rights even a list, while its token checks out', async () => {
    const { deployerB } = world
    expect((await list(deployerB.secret)).status).toBe(403)
    expect((await check(deployerB.secret)).status).toBe(200)
  })

  it('grants exactly the rights of a custom role, and a legacy Master Administrator key all', async () => {
    v1.addRole({ name: 'Key Creator', apiKeyRights: { create: true } })
    const creator = v1.addKey({ name: 'creator', role: 'Key Creator' })
    expect((await create(creator.secret, [newKey('by-creator')])).status).toBe(207)
    expect((await list(creator.secret)).status).toBe(403)
    expect((await list(world.legacyAdmin.secret)).status).toBe(200)
  })

  it('refuses a role that is not assignable to keys', async () => {
    v1.addRole({ name: 'People Only', assignableToApiKeys: false })
    const answer = await create(world.admin.secret, [newKey('x', { role: 'People Only' })])
    expect(answer.body[0].body!.error!.message).toBe(
      'The role People Only cannot be assigned to API keys.'
    )
  })
})

describe('Vision One emulator: authentication', () => {
  it('answers 401 with distinct messages: no token, another scheme, an unknown token, disabled, expired', async () => {
    const expired = v1.addKey({ name: 'old', role: 'SIEM', expiredDateTime: START - 1000 })
    const messages = []
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `ApiKey ${world.admin.secret}` },
      { authorization: 'Bearer not-a-token' },
      { authorization: `Bearer ${world.siemConnector.secret}` },
      { authorization: `Bearer ${expired.secret}` }
    ]
    for (const headers of attempts) {
      const answer = await call('GET', CONNECTIVITY, undefined, {
        headers: { ...headers, ...BROKEN }
      })
      expect(answer.status).toBe(401)
      expect(answer.body.error.code).toBe('Unauthorized')
      messages.push(answer.body.error.message)
    }
    expect(messages.slice(2)).toEqual([
      'The authentication token is invalid.',
      'The API key is disabled.',
      'The API key has expired.'
    ])
    expect(new Set(messages).size).toBe(5)
  })

  it('refuses a key once its expiry passes', async () => {
    const { deployerA } = world
    expect((await check(deployerA.secret)).status).toBe(200)
    clock = deployerA.expiredDateTime!
    expect(v1.tokenState(deployerA.secret)).toBe('expired')
    const answer = await call('GET', CONNECTIVITY, deployerA.secret)
    expect(answer.status).toBe(401)
    expect(answer.body.error.message).toMatch(/expired/)
  })

  it('records lastUsedDateTime when a token authenticates; a never-used key shows as configured', async () => {
    const { deployerA, legacyAdmin } = world
    clock += 90_000
    await check(deployerA.secret)
    expect(deployerA.lastUsedDateTime).toBe(START + 90_000)
    expect((await describeKey(world.admin.secret, deployerA.id)).body.lastUsedDateTime).toBe(
      '2026-01-31T12:01:30Z'
    )
    expect((await describeKey(world.admin.secret, legacyAdmin.id)).body.lastUsedDateTime).toBe('')
    v1.neverUsedAs = 'null'
    expect((await describeKey(world.admin.secret, legacyAdmin.id)).body.lastUsedDateTime).toBeNull()
    v1.neverUsedAs = 'absent'
    expect((await describeKey(world.admin.secret, legacyAdmin.id)).body).not.toHaveProperty(
      'lastUsedDateTime'
    )
    // A refused token is not a use.
    await check(world.siemConnector.secret)
    expect(world.siemConnector.lastUsedDateTime).toBe(START - 100 * 24 * 3600 * 1000)
  })

  it('makes a new token valid only activationDelayMs after creation', async () => {
    v1.activationDelayMs = 5000
    const answer = await create(world.admin.secret, [newKey('slow')])
    const token = answer.body[0].body!.value
    expect(v1.tokenState(token)).toBe('not-yet-valid')
    expect((await check(token)).status).toBe(401)
    clock += 4999
    expect((await check(token)).status).toBe(401)
    clock += 1
    expect(v1.authenticates(token)).toBe(true)
    expect((await check(token)).status).toBe(200)
    // Keys added directly (as if made earlier) are valid at once.
    expect(v1.authenticates(v1.addKey({ name: 'direct', role: 'SIEM' }).secret)).toBe(true)
  })

  it('gives every key its own random JWT-shaped token', () => {
    const tokens = [...v1.keys.values()].map((k) => k.secret)
    expect(new Set(tokens).size).toBe(tokens.length)
    for (const token of tokens) expect(token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{43}$/)
  })
})

describe('Vision One emulator: list (GET /v3.0/iam/apiKeys)', () => {
  function addSoarKeys(count: number): void {
    for (let i = 0; i < count; i++)
      v1.addKey({
        name: `soar-${String(i).padStart(2, '0')}`,
        role: 'SOAR',
        createdDateTime: START - i * 1000
      })
  }

  it('pages with nextLink, a full URL with a skipToken; following it with the same filter gives the rest', async () => {
    addSoarKeys(60)
    const filter = "role eq 'SOAR'"
    const first = await list(world.admin.secret, 'top=50', filter)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ totalCount: 60, count: 50 })
    expect(first.body.items).toHaveLength(50)
    const next = new URL(first.body.nextLink!)
    expect(`${next.origin}${next.pathname}`).toBe(`${v1.url}/v3.0/iam/apiKeys`)
    expect([...next.searchParams.keys()]).toEqual(['skipToken'])
    const second = await call<Page>('GET', first.body.nextLink!, world.admin.secret, {
      headers: { 'TMV1-Filter': filter }
    })
    expect(second.body).toMatchObject({ totalCount: 60, count: 10 })
    expect(second.body).not.toHaveProperty('nextLink')
    const names = [...first.body.items, ...second.body.items].map((k) => k.name)
    expect(new Set(names).size).toBe(60)
    expect(names.every((name) => String(name).startsWith('soar-'))).toBe(true)
    // orderBy defaults to createdDateTime desc: the newest first.
    expect(names.slice(0, 2)).toEqual(['soar-00', 'soar-01'])
  })

  it('refuses a next page asked without the first page’s filter', async () => {
    addSoarKeys(60)
    const first = await list(world.admin.secret, 'top=50', "role eq 'SOAR'")
    const without = await call('GET', first.body.nextLink!, world.admin.secret, {
      headers: BROKEN
    })
    expect(without.status).toBe(400)
    expect(without.body.error.message).toMatch(/TMV1-Filter differs/)
    const bogus = await call('GET', `${KEYS}?skipToken=bm90LWEtdG9rZW4`, world.admin.secret, {
      headers: BROKEN
    })
    expect(bogus.status).toBe(400)
  })

  it('gives up to top items a page: 50, 100 or 200, nothing else', async () => {
    addSoarKeys(60)
    const all = await list(world.admin.secret, 'top=100', "role eq 'SOAR'")
    expect(all.body).toMatchObject({ totalCount: 60, count: 60 })
    expect(all.body).not.toHaveProperty('nextLink')
    for (const top of ['10', '75', '500', 'abc']) {
      const answer = await call('GET', `${KEYS}?top=${top}`, world.admin.secret, {
        headers: BROKEN
      })
      expect(answer.status).toBe(400)
    }
  })

  it('sorts by orderBy; a key without the time sorts as the earliest', async () => {
    const answer = await list(world.admin.secret, 'top=50&orderBy=expiredDateTime+asc')
    expect(answer.body.items.map((k) => k.name)).toEqual([
      'legacy-admin',
      'siem-connector',
      'deployer-a',
      'nightly-auditor',
      'deployer-b',
      'ci-key-manager'
    ])
    const desc = await list(world.admin.secret, 'top=50&orderBy=lastUsedDateTime desc')
    expect(desc.body.items[0].name).toBe('ci-key-manager')
    const bad = await call('GET', `${KEYS}?orderBy=name`, world.admin.secret, { headers: BROKEN })
    expect(bad.status).toBe(400)
  })

  it.each([
    ["name eq 'o''brien'", ["o'brien"]],
    ["name eq 'deployer'", []],
    ["name eq 'DEPLOYER-A'", []],
    ["name eq 'deployer-a'", ['deployer-a']],
    [
      "(name eq 'deployer-a' or name eq 'deployer-b') and status eq 'enabled'",
      ['deployer-a', 'deployer-b']
    ],
    ["not role eq 'Senior Analyst' and status eq 'disabled'", ['siem-connector']],
    ["not (status eq 'enabled' or name eq 'o''brien')", ['siem-connector']],
    ["  role   eq   'Auditor'  ", ['nightly-auditor']]
  ])('filters with %s exactly (no prefixes)', async (filter, expected) => {
    v1.addKey({ name: "o'brien", role: 'SIEM' })
    const answer = await list(world.admin.secret, 'top=50', filter)
    expect(answer.status).toBe(200)
    expect(answer.body.items.map((k) => k.name).sort()).toEqual(expected.sort())
    expect(answer.body.totalCount).toBe(expected.length)
  })

  it('filters by id too, and ignores case only when caseInsensitiveNames is set', async () => {
    const byId = await list(world.admin.secret, 'top=50', `id eq '${world.deployerB.id}'`)
    expect(byId.body.items.map((k) => k.name)).toEqual(['deployer-b'])
    v1.caseInsensitiveNames = true
    const anyCase = await list(world.admin.secret, 'top=50', "name eq 'DEPLOYER-A'")
    expect(anyCase.body.items.map((k) => k.name)).toEqual(['deployer-a'])
  })

  it.each([
    ['double quotes', 'name eq "x"'],
    ['a quote not doubled', "name eq 'o'brien'"],
    ['an unclosed quote', "name eq 'x"],
    ['another operator', "name ne 'x'"],
    ['a prefix function', "startswith(name, 'ci-')"],
    ['a field the filter lacks', "description eq 'x'"],
    ['upper-case operators', "name EQ 'x'"],
    ['an unclosed parenthesis', "(name eq 'x'"],
    ['a dangling and', "name eq 'x' and"],
    ['1025 characters', `name eq '${'x'.repeat(1015)}'`]
  ])('refuses a TMV1-Filter with %s (400)', async (_, filter) => {
    const answer = await call('GET', `${KEYS}?top=50`, world.admin.secret, {
      headers: { 'TMV1-Filter': filter, ...BROKEN }
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/TMV1-Filter/)
  })

  it('takes a filter of exactly 1024 characters', async () => {
    const filter = `name eq '${'x'.repeat(1014)}'`
    expect(filter).toHaveLength(1024)
    expect((await list(world.admin.secret, 'top=50', filter)).status).toBe(200)
  })
})

describe('Vision One emulator: connectivity and rate limits', () => {
  it('answers GET /v3.0/healthcheck/connectivity with {"status": "available"} for a valid token', async () => {
    const answer = await check(world.deployerA.secret)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ status: 'available' })
    expect((await check('wrong')).status).toBe(401)
  })

  it('answers 429 TooManyRequests without Retry-After past an endpoint’s limit in a rolling 60 s', async () => {
    v1.rateLimits = { list: 2 }
    expect((await list(world.admin.secret)).status).toBe(200)
    clock += 30_000
    expect((await list(world.admin.secret)).status).toBe(200)
    const limited = await list(world.admin.secret)
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({
      error: { code: 'TooManyRequests', message: 'Too many requests' }
    })
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(v1.limited).toBe(1)
    // Other endpoints have their own windows.
    expect((await describeKey(world.admin.secret, world.admin.id)).status).toBe(200)
    clock += 30_001
    expect((await list(world.admin.secret)).status).toBe(200)
    expect((await list(world.admin.secret)).status).toBe(429)
  })

  it('answers an unknown path with 404 in Trend’s error shape', async () => {
    const answer = await call('GET', '/v3.0/iam/roles', world.admin.secret, { headers: BROKEN })
    expect(answer.status).toBe(404)
    expect(answer.body.error.code).toBe('NotFound')
  })
})

describe('Vision One emulator: EmulatorServer faults keep working', () => {
  it('injects a status after acting: the key exists though the client saw 500', async () => {
    v1.inject({ method: 'POST', path: KEYS, status: 500, act: true })
    const answer = await call('POST', KEYS, world.admin.secret, { body: [newKey('acted')] })
    expect(answer.status).toBe(500)
    expect(v1.keyNamed('acted')).toBeDefined()
    expect(v1.requests('POST', KEYS)[0]).toMatchObject({ acted: true, status: 500 })
  })

  it('drops the connection after a delete: the key is gone, the client sees no answer', async () => {
    v1.inject({ method: 'POST', path: `${KEYS}/delete`, drop: 'after' })
    await expect(remove(world.admin.secret, [{ id: world.deployerA.id }])).rejects.toThrow()
    expect(v1.keys.has(world.deployerA.id)).toBe(false)
  })

  it('drops before acting, and hangs until the client gives up', async () => {
    v1.inject({ method: 'PATCH', drop: 'before' })
    await expect(
      change(
        world.admin.secret,
        world.deployerA.id,
        { description: 'x' },
        {
          'If-Match': world.deployerA.etag
        }
      )
    ).rejects.toThrow()
    expect(world.deployerA.description).toBe('deploys the app (pair)')
    v1.inject({ path: CONNECTIVITY, hang: true })
    await expect(
      fetch(`${v1.url}${CONNECTIVITY}`, {
        headers: { authorization: `Bearer ${world.admin.secret}` },
        signal: AbortSignal.timeout(100)
      })
    ).rejects.toThrow()
  })
})

describe('Vision One emulator: seeded world', () => {
  it('holds a key manager, a view-only key, a rotation pair, a legacy Master Administrator and a disabled key', () => {
    const { admin, auditor, deployerA, deployerB, legacyAdmin, siemConnector } = world
    expect(v1.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(v1.roles.get(admin.role)!.apiKeyRights).toEqual({
      view: true,
      create: true,
      edit: true,
      delete: true
    })
    expect(v1.roles.get(auditor.role)!.apiKeyRights).toEqual({
      view: true,
      create: false,
      edit: false,
      delete: false
    })
    expect([deployerA.name, deployerB.name]).toEqual(['deployer-a', 'deployer-b'])
    expect(deployerA.role).toBe(deployerB.role)
    expect(deployerA.expiredDateTime!).toBeLessThan(deployerB.expiredDateTime!)
    expect(legacyAdmin).toMatchObject({ role: MASTER_ADMINISTRATOR, expiredDateTime: undefined })
    expect(legacyAdmin.lastUsedDateTime).toBeUndefined()
    expect(siemConnector.status).toBe('disabled')
    for (const key of [admin, auditor, deployerA, deployerB, legacyAdmin])
      expect(v1.authenticates(key.secret)).toBe(true)
    expect(v1.tokenState(siemConnector.secret)).toBe('disabled')
  })
})
