import { beforeAll, describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import type { EmulatedKey } from '../../emulators/workload-security.js'
import { leaks, runBundled, runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { contractViolations, githubContractViolations } from '../support/contract.js'
import { useEmulators } from '../support/emulators.js'

/*
 * The key lifecycle beyond a plain regeneration: expiry-days (also for the authenticating
 * key), zero-downtime rotation of a pair (strategy: alternate), and create.
 */

const emulators = useEmulators()

// The contract checks compile their OpenAPI descriptions on first use, blocking the event loop
// for seconds: done here, so that the first test's requests do not time out and get retried.
beforeAll(async () => {
  const exchange = { method: 'GET', path: '/', headers: {}, body: undefined, acted: false, at: 0 }
  await Promise.all([contractViolations(exchange), githubContractViolations(exchange)])
}, 60_000)
const SECRET = 'WS_API_KEY'
const PROBE = `${SECRET}_ROTATION_PROBE`
const DAY = 86_400_000
/** How far the action's clock and the test's may drift apart within one run. */
const TOLERANCE = 60_000

function baseInputs(operation: string, extra: Inputs, secret?: string): Inputs {
  return {
    operation,
    'api-secret-key': secret ?? emulators.current.admin.secret,
    'api-url': emulators.current.ws.url,
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    ...extra
  }
}

const rotateInputs = (extra: Inputs, secret?: string): Inputs => baseInputs('rotate', extra, secret)
const createInputs = (extra: Inputs, secret?: string): Inputs => baseInputs('create', extra, secret)

function env(repository = 'octo/app'): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: repository }
}

function key(id: number): EmulatedKey {
  return emulators.current.ws.keys.get(id)!
}

function stored(repository: string, name = SECRET): string | undefined {
  return emulators.current.github.secret({ repository }, name)?.value
}

/** Every secret any key has now: recorded before and after a run for the leak check. */
function keySecrets(): string[] {
  return [...emulators.current.ws.keys.values()].map((k) => k.secret)
}

/** Every secretKey the manager handed out during the run (regenerations and creations). */
function issuedSecrets(): string[] {
  return emulators.current.ws.log.flatMap((e) => {
    const body = e.responseBody as { secretKey?: unknown } | undefined
    return typeof body?.secretKey === 'string' ? [body.secretKey] : []
  })
}

function expectNoLeak(run: ActionRun, ...secrets: string[]): void {
  expect(
    leaks(run, [...new Set([...secrets, ...keySecrets(), ...issuedSecrets(), WRITE_TOKEN])])
  ).toEqual([])
}

/** GitHub requests that change something, as `METHOD path`. */
function githubWrites(): string[] {
  return emulators.current.github.log
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`)
}

/** Manager requests that change something (searches excluded: they only read). */
function managerWrites(): string[] {
  return emulators.current.ws.log
    .filter((e) => e.method !== 'GET' && !e.path.endsWith('/search'))
    .map((e) => `${e.method} ${e.path}`)
}

function noProbeAnywhere(): void {
  for (const repository of ['octo/app', 'octo/api', 'octo/web'])
    expect(stored(repository, PROBE)).toBeUndefined()
}

function expectExpiryAbout(actual: number | undefined, days: number, from: number, to: number) {
  expect(actual).toBeGreaterThanOrEqual(from + days * DAY - TOLERANCE)
  expect(actual).toBeLessThanOrEqual(to + days * DAY + TOLERANCE)
}

describe('expiry-days with regenerate', () => {
  it('sets the expiry of another key to now + N days right before regenerating it', async () => {
    const { deployer, ws } = emulators.current
    const old = deployer.secret
    const before = Date.now()
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), 'expiry-days': '30' }),
      env()
    )
    const after = Date.now()
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(deployer.ID).secret
    expectExpiryAbout(key(deployer.ID).expiryDate, 30, before, after)
    expect(run.outputs['expiry-date']).toBe(new Date(key(deployer.ID).expiryDate!).toISOString())
    const [expiry] = ws.requests('POST', `/apikeys/${deployer.ID}`)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)).toHaveLength(1)
    expect(expiry.body).toEqual({ expiryDate: key(deployer.ID).expiryDate })
    const [regeneration] = ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    expect(expiry.at).toBeLessThan(regeneration.at)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(old)).toBe(false)
    expect(run.summary).toContain(new Date(key(deployer.ID).expiryDate!).toISOString())
    expectNoLeak(run, old, fresh)
  })

  it('rotating current sets the expiry with POST /apikeys/{id}, never POST /apikeys/current', async () => {
    const { admin, ws } = emulators.current
    const old = admin.secret
    const before = Date.now()
    const run = await runInProcess(rotateInputs({ 'expiry-days': '45' }, old), env())
    const after = Date.now()
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(admin.ID).secret
    expect(ws.requests('POST', '/apikeys/current')).toHaveLength(0)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)[0].body).toEqual({
      expiryDate: key(admin.ID).expiryDate
    })
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)[0].at).toBeLessThan(
      ws.requests('POST', '/apikeys/current/secretkey')[0].at
    )
    expectExpiryAbout(key(admin.ID).expiryDate, 45, before, after)
    expect(run.outputs['expiry-date']).toBe(new Date(key(admin.ID).expiryDate!).toISOString())
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(old)).toBe(false)
    expectNoLeak(run, old, fresh)
  })

  it('a key without the edit right rotating itself with expiry-days fails naming the rights; nothing changed', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: old })
    github.seedSecret({ repository: 'octo/api' }, SECRET, { value: old })
    const run = await runInProcess(
      rotateInputs({ 'expiry-days': '30', repositories: 'octo/app,octo/api' }, old),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/role .*(edit|Edit) API key/)
    expect(run.log).toContain('Nothing was changed')
    // The refused call went to /apikeys/{id}, and nothing after it.
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)[0].status).toBe(403)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(ws.requests('POST', '/apikeys/current')).toHaveLength(0)
    expect(key(deployer.ID).secret).toBe(old)
    expect(key(deployer.ID).expiryDate).toBeUndefined()
    expect(ws.authenticates(old)).toBe(true)
    expect(stored('octo/app')).toBe(old)
    expect(stored('octo/api')).toBe(old)
    noProbeAnywhere()
    expect(run.outputs.changed ?? 'false').toBe('false')
    expect(run.outputs['expiry-date'] ?? '').toBe('')
    expectNoLeak(run, old)
  })

  it('an expiry change the manager refuses (403) for another key: nothing changed, the probes are gone', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: 'what-consumers-use-now' })
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}`, status: 403 })
    const run = await runInProcess(
      rotateInputs({
        'key-id': String(deployer.ID),
        'expiry-days': '30',
        repositories: 'octo/app,octo/api'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/HTTP 403/)
    expect(run.log).toMatch(/role .*(edit|Edit) API key/)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(key(deployer.ID).secret).toBe(old)
    expect(key(deployer.ID).expiryDate).toBeUndefined()
    expect(ws.authenticates(old)).toBe(true)
    expect(stored('octo/app')).toBe('what-consumers-use-now')
    expect(stored('octo/api')).toBeUndefined()
    // The write proof happened, and was cleaned up.
    expect(githubWrites().filter((w) => w.startsWith('PUT'))).toEqual([
      `PUT /repos/octo/app/actions/secrets/${PROBE}`,
      `PUT /repos/octo/api/actions/secrets/${PROBE}`
    ])
    expect(
      githubWrites()
        .filter((w) => w.startsWith('DELETE'))
        .sort()
    ).toEqual([
      `DELETE /repos/octo/api/actions/secrets/${PROBE}`,
      `DELETE /repos/octo/app/actions/secrets/${PROBE}`
    ])
    noProbeAnywhere()
    expectNoLeak(run, old)
  })
})

/** Adds the pair deployer-a (ID 7) and deployer-b (ID 8); returns them as they were added. */
function addPair(
  a: Partial<EmulatedKey> = {},
  b: Partial<EmulatedKey> = {}
): { a: EmulatedKey; b: EmulatedKey } {
  const { ws } = emulators.current
  // Copies: the emulator changes its own keys in place, these keep the state before the run.
  return {
    a: { ...ws.addKey({ ID: 7, keyName: 'deployer-a', roleID: ROLES.deployer.ID, ...a }) },
    b: { ...ws.addKey({ ID: 8, keyName: 'deployer-b', roleID: ROLES.deployer.ID, ...b }) }
  }
}

const PAIR_BY_NAME = {
  strategy: 'alternate',
  'key-name': 'deployer-a, deployer-b',
  'expiry-days': '60'
}

describe('strategy: alternate', () => {
  it('two runs rotate A then B; the previously stored secret keeps working after each', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    const liveSecret = b.secret
    const bExpiry = b.expiryDate!
    for (const repository of ['octo/app', 'octo/api'])
      github.seedSecret({ repository }, SECRET, { value: liveSecret })
    const inputs = rotateInputs({ ...PAIR_BY_NAME, repositories: 'octo/app,octo/api' })

    const first = await runInProcess(inputs, env())
    expect(first.failed ? first.log : '').toBe('')
    const aSecret = key(7).secret
    expect(aSecret).not.toBe(a.secret)
    expect(stored('octo/app')).toBe(aSecret)
    expect(stored('octo/api')).toBe(aSecret)
    expect(ws.authenticates(aSecret)).toBe(true)
    // A job that started before the rotation, with B's secret, keeps working.
    expect(ws.authenticates(liveSecret)).toBe(true)
    expect(key(8).secret).toBe(liveSecret)
    expect(key(8).expiryDate).toBe(bExpiry)
    expectExpiryAbout(key(7).expiryDate, 60, now, Date.now())
    expect(first.outputs).toMatchObject({
      'key-id': '7',
      'key-name': 'deployer-a',
      'previous-key-id': '8',
      'secrets-updated': '2',
      changed: 'true',
      'expiry-date': new Date(key(7).expiryDate!).toISOString()
    })
    expect(ws.requests('POST', '/apikeys/7')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/7')[0].at).toBeLessThan(
      ws.requests('POST', '/apikeys/7/secretkey')[0].at
    )
    expect(ws.requests('POST', /^\/apikeys\/8/)).toHaveLength(0)
    // The summary shows both keys of the pair with their expiries.
    expect(first.summary).toMatch(
      new RegExp(`<td>7</td><td>deployer-a</td><td>${new Date(key(7).expiryDate!).toISOString()}`)
    )
    expect(first.summary).toMatch(
      new RegExp(`<td>8</td><td>deployer-b</td><td>${new Date(bExpiry).toISOString()}`)
    )
    expect(JSON.parse(first.outputs.result)).toMatchObject({
      key: { id: '7' },
      previousKey: { id: '8' },
      verified: true
    })
    expectNoLeak(first, liveSecret, a.secret, aSecret)

    const second = await runInProcess(inputs, env())
    expect(second.failed ? second.log : '').toBe('')
    const bSecret = key(8).secret
    expect(bSecret).not.toBe(liveSecret)
    expect(stored('octo/app')).toBe(bSecret)
    expect(stored('octo/api')).toBe(bSecret)
    expect(ws.authenticates(bSecret)).toBe(true)
    // The secret stored by the first run keeps working.
    expect(ws.authenticates(aSecret)).toBe(true)
    expect(key(7).secret).toBe(aSecret)
    expect(ws.authenticates(liveSecret)).toBe(false)
    expectExpiryAbout(key(8).expiryDate, 60, now, Date.now())
    expect(second.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7',
      'secrets-updated': '2',
      'expiry-date': new Date(key(8).expiryDate!).toISOString()
    })
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/8/secretkey')).toHaveLength(1)
    expect(second.summary).toContain(new Date(key(7).expiryDate!).toISOString())
    expect(second.summary).toContain(new Date(key(8).expiryDate!).toISOString())
    expectNoLeak(second, liveSecret, aSecret, bSecret)
  })

  it('by two IDs: a key without expiry counts as the earliest and is the idle one', async () => {
    const { ws } = emulators.current
    const { a, b } = addPair({ expiryDate: Date.now() + 5 * DAY }, {})
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '7, 8', 'expiry-days': '60' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7'
    })
    expect(stored('octo/app')).toBe(key(8).secret)
    expect(key(8).secret).not.toBe(b.secret)
    expect(key(7).secret).toBe(a.secret)
    expect(ws.authenticates(a.secret)).toBe(true)
    expect(ws.requests('POST', /^\/apikeys\/7/)).toHaveLength(0)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('a tie in expiry goes to the lower ID, whatever the order of the input', async () => {
    const expiry = Date.now() + 10 * DAY
    const { a, b } = addPair({ expiryDate: expiry }, { expiryDate: expiry })
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '8\n7', 'expiry-days': '60' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs).toMatchObject({
      'key-id': '7',
      'previous-key-id': '8'
    })
    expect(stored('octo/app')).toBe(key(7).secret)
    expect(key(8).secret).toBe(b.secret)
    expect(key(8).expiryDate).toBe(expiry)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('an expired idle key is revived (expiry pushed out) and rotated', async () => {
    const { ws } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now - 2 * DAY }, { expiryDate: now + 20 * DAY })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed ? run.log : '').toBe('')
    expectExpiryAbout(key(7).expiryDate, 60, now, Date.now())
    const fresh = key(7).secret
    expect(stored('octo/app')).toBe(fresh)
    // The revived key really authenticates: verification proved it with the new secret.
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: true })
    expect(
      ws.requests('GET', '/apikeys/current').some((e) => e.headers['api-secret-key'] === fresh)
    ).toBe(true)
    expect(
      ws.requests('GET', '/apikeys/current').find((e) => e.headers['api-secret-key'] === fresh)
        ?.status
    ).toBe(200)
    expect(key(8).secret).toBe(b.secret)
    expectNoLeak(run, a.secret, b.secret, fresh)
  })

  it('a locked idle key fails the run with nothing changed', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair(
      { expiryDate: now + 5 * DAY, active: false },
      { expiryDate: now + 20 * DAY }
    )
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/idle key of the pair, key 7 "deployer-a", is locked/)
    expect(run.log).toContain('Nothing was changed')
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(key(7)).toMatchObject({ secret: a.secret, expiryDate: now + 5 * DAY, active: false })
    expect(key(8)).toMatchObject({ secret: b.secret, expiryDate: now + 20 * DAY })
    expect(stored('octo/app')).toBe(b.secret)
    expect(ws.authenticates(b.secret)).toBe(true)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('an idle key that is the authenticating key fails the run with nothing changed', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    // Keys that may view keys, so that the idle one can authenticate the action.
    const { a, b } = addPair(
      { expiryDate: now + 5 * DAY, roleID: ROLES.fullAccess.ID },
      { expiryDate: now + 20 * DAY, roleID: ROLES.fullAccess.ID }
    )
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '7,8', 'expiry-days': '60' }, a.secret),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /idle key of the pair, key 7 "deployer-a", is the key this action authenticates with/
    )
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(key(7)).toMatchObject({ secret: a.secret, expiryDate: now + 5 * DAY })
    expect(ws.authenticates(a.secret)).toBe(true)
    expect(ws.authenticates(b.secret)).toBe(true)
    expect(stored('octo/app')).toBe(b.secret)
    expectNoLeak(run, a.secret, b.secret)
  })

  it("a lost answer to the idle key's regeneration fails with the live key and the destinations untouched", async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    for (const repository of ['octo/app', 'octo/api'])
      github.seedSecret({ repository }, SECRET, { value: b.secret })
    ws.inject({ method: 'POST', path: '/apikeys/7/secretkey', drop: 'after' })
    const run = await runInProcess(
      rotateInputs({ ...PAIR_BY_NAME, repositories: 'octo/app,octo/api' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(1)
    expect(run.log).toContain('No second secret was issued')
    expect(run.log).toContain('the destinations still hold the live key')
    // The manager did act: A has a secret nobody holds; B, which the destinations hold, works.
    expect(key(7).secret).not.toBe(a.secret)
    expect(key(8)).toMatchObject({ secret: b.secret, expiryDate: now + 20 * DAY })
    expect(ws.authenticates(b.secret)).toBe(true)
    expect(stored('octo/app')).toBe(b.secret)
    expect(stored('octo/api')).toBe(b.secret)
    expect(githubWrites().filter((w) => w.startsWith('PUT') && !w.endsWith(PROBE))).toEqual([])
    noProbeAnywhere()
    expectNoLeak(run, a.secret, b.secret, key(7).secret)
  })

  it('runs end to end through the committed bundle', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 20 * DAY }, { expiryDate: now + 5 * DAY })
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: a.secret })
    const run = await runBundled(
      rotateInputs({ strategy: 'alternate', 'key-id': '7,8', 'expiry-days': '30' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(8).secret
    expect(fresh).not.toBe(b.secret)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(a.secret)).toBe(true)
    expectExpiryAbout(key(8).expiryDate, 30, now, Date.now())
    expect(run.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7',
      'secrets-updated': '1',
      'expiry-date': new Date(key(8).expiryDate!).toISOString()
    })
    expect(run.summary).toContain(new Date(key(7).expiryDate!).toISOString())
    expect(run.summary).toContain(new Date(key(8).expiryDate!).toISOString())
    expectNoLeak(run, a.secret, b.secret, fresh)
  })
})

/** The one key named `name`, or undefined; fails when there are several. */
function keyNamed(name: string): EmulatedKey | undefined {
  const found = [...emulators.current.ws.keys.values()].filter((k) => k.keyName === name)
  expect(found.length).toBeLessThanOrEqual(1)
  return found[0]
}

describe('create', () => {
  it('stores a working secret of a new key with the role (by name), description and expiry asked for', async () => {
    const { admin, ws, github } = emulators.current
    const before = Date.now()
    const run = await runInProcess(
      createInputs({
        'key-name': 'ci-new',
        'role-name': 'Deployer',
        description: 'made by the lifecycle test',
        'expiry-days': '90',
        repositories: 'octo/app,octo/api'
      }),
      env()
    )
    const after = Date.now()
    expect(run.failed ? run.log : '').toBe('')
    const created = keyNamed('ci-new')!
    expect(created).toMatchObject({
      roleID: ROLES.deployer.ID,
      description: 'made by the lifecycle test',
      active: true
    })
    expectExpiryAbout(created.expiryDate, 90, before, after)
    expect(stored('octo/app')).toBe(created.secret)
    expect(stored('octo/api')).toBe(created.secret)
    expect(ws.authenticates(stored('octo/app')!)).toBe(true)
    expect(run.outputs).toMatchObject({
      'key-id': String(created.ID),
      'key-name': 'ci-new',
      'role-id': String(ROLES.deployer.ID),
      'expiry-date': new Date(created.expiryDate!).toISOString(),
      'secrets-updated': '2',
      changed: 'true'
    })
    expect(ws.requests('POST', '/apikeys')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys')[0].body).toMatchObject({
      keyName: 'ci-new',
      roleID: ROLES.deployer.ID,
      description: 'made by the lifecycle test',
      expiryDate: created.expiryDate
    })
    expect(ws.requests('POST', '/roles/search')).toHaveLength(1)
    // Probes first, then the real writes, then the probes removed.
    expect(githubWrites().filter((w) => w.endsWith(PROBE))).toHaveLength(4)
    noProbeAnywhere()
    expect(ws.requests('POST', '/apikeys')[0].at).toBeGreaterThan(
      github.requests('PUT', `/repos/octo/app/actions/secrets/${PROBE}`)[0].at
    )
    // Verified with the new secret.
    expect(
      ws
        .requests('GET', '/apikeys/current')
        .some((e) => e.headers['api-secret-key'] === created.secret && e.status === 200)
    ).toBe(true)
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: true, changed: true })
    expect(ws.authenticates(admin.secret)).toBe(true)
    expectNoLeak(run, created.secret)
  })

  it('by role ID and without expiry-days makes a key without expiry', async () => {
    const { ws } = emulators.current
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-audit', 'role-id': String(ROLES.auditor.ID) }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const created = keyNamed('ci-audit')!
    expect(created.roleID).toBe(ROLES.auditor.ID)
    expect(created.expiryDate).toBeUndefined()
    expect(ws.requests('POST', '/apikeys')[0].body).not.toHaveProperty('expiryDate')
    expect(ws.requests('GET', `/roles/${ROLES.auditor.ID}`)).toHaveLength(1)
    expect(stored('octo/app')).toBe(created.secret)
    expect(ws.authenticates(created.secret)).toBe(true)
    expect(run.outputs['expiry-date'] ?? '').toBe('')
    expect(run.outputs).toMatchObject({ 'key-id': String(created.ID), 'secrets-updated': '1' })
    expectNoLeak(run, created.secret)
  })

  it('refuses a name a key already has before any change', async () => {
    const { ws, deployer } = emulators.current
    const keysBefore = ws.keys.size
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-deployer', 'role-id': String(ROLES.deployer.ID) }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(`An API key named "ci-deployer" already exists (key ${deployer.ID}`)
    expect(ws.requests('POST', '/apikeys')).toHaveLength(0)
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(ws.keys.size).toBe(keysBefore)
    expectNoLeak(run)
  })

  it('when no destination could be written, the new key is deleted again and the run fails', async () => {
    const { ws, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 502,
      times: 100
    })
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-doomed', 'role-id': '3', 'max-attempts': '2' }),
      env()
    )
    expect(run.failed).toBe(true)
    const [creation] = ws.requests('POST', '/apikeys')
    expect(ws.requests('POST', '/apikeys')).toHaveLength(1)
    const id = (creation.responseBody as { ID: number }).ID
    expect(ws.requests('DELETE', `/apikeys/${id}`)).toHaveLength(1)
    expect(ws.keys.has(id)).toBe(false)
    expect(keyNamed('ci-doomed')).toBeUndefined()
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)).toHaveLength(2)
    expect(stored('octo/app')).toBeUndefined()
    noProbeAnywhere()
    expect(run.log).toContain(`The new key ${id} was deleted again.`)
    expectNoLeak(run)
  })

  it('when the token turns read-only between preflight and the write, the new key is deleted again', async () => {
    const { ws, github } = emulators.current
    // Revoked right before the real write reaches GitHub.
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      when: () => {
        github.tokens.get(WRITE_TOKEN)!.write = false
        return false
      }
    })
    const run = await runInProcess(createInputs({ 'key-name': 'ci-doomed', 'role-id': '3' }), env())
    expect(run.failed).toBe(true)
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)[0].status).toBe(403)
    const id = (ws.requests('POST', '/apikeys')[0].responseBody as { ID: number }).ID
    expect(ws.requests('DELETE', `/apikeys/${id}`)).toHaveLength(1)
    expect(ws.keys.has(id)).toBe(false)
    expect(stored('octo/app')).toBeUndefined()
    expect(run.log).toContain(`The new key ${id} was deleted again.`)
    expectNoLeak(run)
  })

  it('a write whose answer was lost may have landed: the key is kept, not deleted under the secret GitHub now holds', async () => {
    const { ws, github } = emulators.current
    // What octo/app's consumers use today; the lost write replaces it with the new key's secret.
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: 'in-use-before' })
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      drop: 'after',
      times: 100
    })
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-unconfirmed', 'role-id': '3', 'max-attempts': '2' }),
      env()
    )
    expect(run.failed).toBe(true)
    const id = (ws.requests('POST', '/apikeys')[0].responseBody as { ID: number }).ID
    // GitHub stored it: deleting the key would leave octo/app with a dead secret.
    expect(stored('octo/app')).toBe(issuedSecrets()[0])
    expect(run.log).toContain(
      'Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): repository octo/app.'
    )
    expect(ws.requests('DELETE', `/apikeys/${id}`)).toHaveLength(0)
    expect(ws.keys.has(id)).toBe(true)
    expect(ws.authenticates(stored('octo/app')!)).toBe(true)
    expectNoLeak(run)
  })

  it('when some destinations could be written, the key is kept and the run fails listing the holders', async () => {
    const { ws, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 502,
      times: 100
    })
    const run = await runInProcess(
      createInputs({
        'key-name': 'ci-half',
        'role-id': '3',
        repositories: 'octo/app,octo/api',
        'max-attempts': '2'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    const created = keyNamed('ci-half')!
    expect(created).toBeDefined()
    expect(ws.requests('DELETE', /^\/apikeys\//)).toHaveLength(0)
    expect(stored('octo/app')).toBe(created.secret)
    expect(stored('octo/api')).toBeUndefined()
    expect(ws.authenticates(created.secret)).toBe(true)
    expect(run.log).toContain(
      'Destinations holding the new secret: repository octo/app. Not written: repository octo/api.'
    )
    expect(run.log).toContain('Replay for repository octo/api')
    expect(run.outputs).toMatchObject({ 'key-id': String(created.ID), 'secrets-updated': '1' })
    noProbeAnywhere()
    expectNoLeak(run, created.secret)
  })

  it('a lost answer to POST /apikeys fails without a second key and names the key that now exists', async () => {
    const { ws } = emulators.current
    ws.inject({ method: 'POST', path: '/apikeys', drop: 'after' })
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-lost', 'role-id': '3', 'max-attempts': '5' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', '/apikeys')).toHaveLength(1)
    const created = keyNamed('ci-lost')!
    expect(created).toBeDefined()
    expect(run.log).toContain(`key ${created.ID} "ci-lost" now exists`)
    expect(run.log).toContain(`key-id ${created.ID}`)
    expect(githubWrites().filter((w) => w.startsWith('PUT') && !w.endsWith(PROBE))).toEqual([])
    expect(stored('octo/app')).toBeUndefined()
    noProbeAnywhere()
    expectNoLeak(run, created.secret)
  })

  it('dry-run creates nothing anywhere', async () => {
    const { ws } = emulators.current
    const keysBefore = ws.keys.size
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-dry', 'role-name': 'Deployer', 'dry-run': 'true' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.keys.size).toBe(keysBefore)
    expect(ws.requests('POST', '/apikeys')).toHaveLength(0)
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(run.outputs).toMatchObject({ changed: 'false', 'secrets-updated': '0' })
    expect(run.summary).toContain('(dry run)')
    expectNoLeak(run)
  })

  it('runs end to end through the committed bundle', async () => {
    const { ws } = emulators.current
    const run = await runBundled(
      createInputs({
        'key-name': 'ci-bundled',
        'role-name': 'Auditor',
        'expiry-days': '10',
        repositories: 'octo/app,octo/web'
      }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const created = keyNamed('ci-bundled')!
    expect(created.roleID).toBe(ROLES.auditor.ID)
    expect(stored('octo/app')).toBe(created.secret)
    expect(stored('octo/web')).toBe(created.secret)
    expect(ws.authenticates(created.secret)).toBe(true)
    expect(run.outputs).toMatchObject({
      'key-id': String(created.ID),
      'key-name': 'ci-bundled',
      'expiry-date': new Date(created.expiryDate!).toISOString(),
      'secrets-updated': '2'
    })
    noProbeAnywhere()
    expectNoLeak(run, created.secret)
  })
})
