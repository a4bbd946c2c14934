/*
 * The Cloud One emulator over loopback HTTP, as ../shared/reference/cloud-one-api-keys.md
 * describes the account API keys: Api-Version and ApiKey authentication, limit/cursor/next
 * paging of keys and roles, create (200 or 201; secret bare or `<id>:<secret>`), change by POST
 * (or a 405 when the service takes another method), delete (200 or 204), unknown fields refused
 * or ignored, and network limits that keep a limited key out of the runner. Every exchange is
 * checked against the reference after each test (support/cloud-one-contract.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudOneEmulator,
  seedCloudOne,
  valueOf,
  type SeededCloudOneKeys
} from '../../emulators/cloud-one.js'
import type { Exchange } from '../../emulators/server.js'
import {
  cloudOneAnswerViolations,
  cloudOneRequestViolations
} from '../support/cloud-one-contract.js'

interface Answer {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

let c1: CloudOneEmulator
let keys: SeededCloudOneKeys
let exchanges: Exchange[]
let admin: string

beforeEach(async () => {
  c1 = new CloudOneEmulator()
  keys = seedCloudOne(c1)
  admin = valueOf(keys.admin)
  await c1.start()
  exchanges = []
  c1.onExchange = (exchange) => exchanges.push(exchange)
})

afterEach(async () => {
  await c1.stop()
  expect(exchanges.flatMap(cloudOneAnswerViolations)).toEqual([])
  expect(
    exchanges.filter((e) => !e.headers['x-test-broken']).flatMap(cloudOneRequestViolations)
  ).toEqual([])
})

async function call(
  method: string,
  path: string,
  secret: string | null = admin,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<Answer> {
  const res = await fetch(`${c1.url}${path}`, {
    method,
    headers: {
      'api-version': 'v1',
      accept: 'application/json',
      ...(secret !== null && { authorization: `ApiKey ${secret}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {}
  }
}

const BROKEN = { 'x-test-broken': 'on purpose' }

describe('transport', () => {
  it('needs Api-Version: v1 and Authorization: ApiKey <id>:<secret>', async () => {
    expect(
      (await call('GET', '/apikeys', admin, undefined, { 'api-version': 'v2', ...BROKEN })).status
    ).toBe(400)
    expect((await call('GET', '/apikeys', null, undefined, BROKEN)).status).toBe(401)
    expect((await call('GET', '/apikeys', keys.admin.secret, undefined, BROKEN)).status).toBe(401)
    expect(
      (await call('GET', '/apikeys', `${keys.admin.id}:wrong`, undefined, BROKEN)).status
    ).toBe(401)
    expect((await call('GET', '/apikeys', valueOf(keys.oldIntegration), undefined)).body).toEqual({
      message: 'The API key is disabled.'
    })
    expect((await call('GET', '/apikeys')).status).toBe(200)
  })

  it('records the last activity of the key that authenticates', async () => {
    c1.now = () => Date.UTC(2026, 5, 1)
    await call('GET', `/apikeys/${keys.admin.id}`)
    expect(keys.admin.lastActivity).toBe(Date.UTC(2026, 5, 1))
  })

  it('lets a key read itself whatever its role, and nothing else its role does not allow', async () => {
    const deployer = valueOf(keys.deployerB)
    expect((await call('GET', `/apikeys/${keys.deployerB.id}`, deployer)).body.id).toBe(
      keys.deployerB.id
    )
    expect((await call('GET', `/apikeys/${keys.admin.id}`, deployer)).status).toBe(403)
    expect((await call('GET', '/apikeys', deployer)).status).toBe(403)
    const auditor = valueOf(keys.auditor)
    expect((await call('GET', '/apikeys', auditor)).status).toBe(200)
    expect((await call('DELETE', `/apikeys/${keys.deployerB.id}`, auditor)).status).toBe(403)
  })

  it('serves injected faults like the other emulators (429 with Retry-After)', async () => {
    c1.inject({ method: 'GET', path: '/apikeys', status: 429, retryAfter: '3' })
    const limited = await call('GET', '/apikeys')
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3'])
    expect((await call('GET', '/apikeys')).status).toBe(200)
  })
})

describe('paging', () => {
  it('pages keys with limit and cursor; next is absent on the last page', async () => {
    for (let i = 0; i < 30; i++) c1.addKey({ alias: `bulk-${i}`, roleID: 'deployer' })
    const first = await call('GET', '/apikeys')
    expect((first.body.apikeys as unknown[]).length).toBe(25)
    const ids: string[] = []
    let path = '/apikeys?limit=10'
    for (;;) {
      const page = await call('GET', path)
      ids.push(...(page.body.apikeys as { id: string }[]).map((k) => k.id))
      if (page.body.next === undefined) break
      path = `/apikeys?limit=10&cursor=${encodeURIComponent(page.body.next as string)}`
    }
    expect(new Set(ids)).toEqual(new Set(c1.keys.keys()))
    expect((await call('GET', '/apikeys?limit=-1', admin, undefined, BROKEN)).status).toBe(400)
    expect((await call('GET', '/apikeys?cursor=nonsense')).status).toBe(400)
  })

  it('pages roles the same way', async () => {
    const page = await call('GET', '/roles?limit=2')
    expect((page.body.roles as { id: string }[]).map((r) => r.id)).toHaveLength(2)
    const rest = await call('GET', `/roles?limit=2&cursor=${page.body.next as string}`)
    expect(rest.body.next).toBeUndefined()
    expect((rest.body.roles as { id: string }[]).length).toBe(1)
  })
})

describe('create', () => {
  const newKey = { alias: 'fresh', roleID: 'deployer', description: 'd' }

  it('answers 201 with the key and its bare secret by default', async () => {
    const created = await call('POST', '/apikeys', admin, newKey)
    expect(created.status).toBe(201)
    const id = created.body.id as string
    expect(created.body).toMatchObject({ alias: 'fresh', roleID: 'deployer', enabled: true })
    expect(created.body.secret).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(c1.authenticates(`${id}:${created.body.secret as string}`)).toBe(true)
    // The secret is shown once: never in a read.
    expect((await call('GET', `/apikeys/${id}`)).body.secret).toBeUndefined()
  })

  it('answers 200 and the secret as <id>:<secret> when set so', async () => {
    c1.createStatus = 200
    c1.secretForm = 'id-secret'
    const created = await call('POST', '/apikeys', admin, newKey)
    expect(created.status).toBe(200)
    expect(created.body.secret).toMatch(
      new RegExp(`^${created.body.id as string}:[A-Za-z0-9]{64}$`)
    )
    expect(c1.authenticates(created.body.secret as string)).toBe(true)
  })

  it('refuses an unknown field with 400 naming it, or ignores it when set so', async () => {
    c1.unsupportedFields = ['timezone']
    const refused = await call('POST', '/apikeys', admin, { ...newKey, timezone: 'UTC' })
    expect(refused).toMatchObject({
      status: 400,
      body: { fields: { timezone: 'unknown field' } }
    })
    expect(c1.keyNamed('fresh')).toBeUndefined()
    c1.unknownFields = 'ignore'
    const ignored = await call('POST', '/apikeys', admin, { ...newKey, timezone: 'Asia/Tokyo' })
    expect(ignored.status).toBe(201)
    expect(c1.keyNamed('fresh')!.timezone).toBe('UTC')
  })

  it('refuses a role that does not exist and a malformed limit', async () => {
    expect(
      (await call('POST', '/apikeys', admin, { ...newKey, roleID: 'nope' })).body.fields
    ).toEqual({
      roleID: 'is not a role of this account'
    })
    expect(
      (await call('POST', '/apikeys', admin, { ...newKey, allowedCIDRs: ['10.0.0.0/33'] })).status
    ).toBe(400)
  })
})

describe('change and delete', () => {
  it('changes a key by POST /apikeys/{id} and answers the key', async () => {
    const changed = await call('POST', `/apikeys/${keys.deployerB.id}`, admin, {
      enabled: false,
      alias: 'renamed'
    })
    expect(changed).toMatchObject({ status: 200, body: { enabled: false, alias: 'renamed' } })
    expect(c1.authenticates(valueOf(keys.deployerB))).toBe(false)
    c1.modifyAnswersKey = false
    expect(
      (await call('POST', `/apikeys/${keys.deployerB.id}`, admin, { enabled: true })).status
    ).toBe(204)
    expect(keys.deployerB.enabled).toBe(true)
  })

  it('answers 405 naming the methods allowed when the service changes keys another way', async () => {
    c1.modifyMethods = ['PATCH']
    const refused = await call('POST', `/apikeys/${keys.deployerB.id}`, admin, { enabled: false })
    expect([refused.status, refused.headers.get('allow')]).toEqual([405, 'GET, DELETE, PATCH'])
    expect(keys.deployerB.enabled).toBe(true)
  })

  it('deletes with 204, or 200 when set so; a key that does not exist is a 404', async () => {
    expect((await call('DELETE', `/apikeys/${keys.deployerB.id}`)).status).toBe(204)
    expect((await call('GET', `/apikeys/${keys.deployerB.id}`)).status).toBe(404)
    c1.deleteStatus = 200
    expect((await call('DELETE', `/apikeys/${keys.auditor.id}`)).status).toBe(200)
    expect((await call('DELETE', `/apikeys/${keys.auditor.id}`)).status).toBe(404)
  })
})

describe('network limits', () => {
  it('keeps a key limited to other addresses out of the runner (127.0.0.1)', async () => {
    const limited = valueOf(keys.deployerA)
    expect((await call('GET', `/apikeys/${keys.deployerA.id}`, limited)).status).toBe(403)
    expect(c1.secretState(limited)).toBe('blocked')
    expect(c1.secretState(limited, '10.20.3.4')).toBe('valid')
    expect(c1.secretState(limited, '192.168.0.1')).toBe('valid')
    expect(c1.secretState(limited, '10.21.0.1')).toBe('blocked')
    c1.blockedStatus = 401
    expect((await call('GET', `/apikeys/${keys.deployerA.id}`, limited)).status).toBe(401)
  })

  it('lets the runner in once its address is allowed', async () => {
    await call('POST', `/apikeys/${keys.deployerA.id}`, admin, { allowedIPs: ['127.0.0.1'] })
    const self = await call('GET', `/apikeys/${keys.deployerA.id}`, valueOf(keys.deployerA))
    expect(self.status).toBe(200)
  })
})
