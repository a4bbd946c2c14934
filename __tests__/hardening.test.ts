/**
 * Hardening: one test per failure once seen in the wild (or on paper), reproduced against the
 * pipeline in-process with the emulators, and for the ones a runner would hit first through
 * the committed bundle. Every run is leak-checked. Each test says what it asserts; each would
 * fail if the behaviour it names were missing.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import * as net from 'node:net'
import { networkInterfaces } from 'node:os'
import { READ_ONLY_TOKEN, ROLES, WRITE_TOKEN } from '../emulators/seed.js'
import { FULL_RIGHTS, WorkloadSecurityEmulator } from '../emulators/workload-security.js'
import {
  leaks,
  runBundled,
  runInProcess,
  type ActionRun,
  type Inputs,
  rotationInputs
} from './support/action.js'
import { useEmulators } from './support/emulators.js'
import { selfSignedCertificate } from './support/tls.js'
import './support/loopback-only.js'

const emulators = useEmulators()
const SECRET = 'WS_KEY'

/** Everything started by a test and stopped after it. */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** Every secret of the world, now and before the test (as given), plus the tokens. */
function expectNoLeak(run: ActionRun, ...extra: string[]): void {
  const { ws } = emulators.current
  const secrets = [
    ...[...ws.keys.values()].map((k) => k.secret),
    ...extra,
    WRITE_TOKEN,
    READ_ONLY_TOKEN
  ]
  expect(leaks(run, secrets)).toEqual([])
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_API_URL: emulators.current.github.url,
    GITHUB_REPOSITORY: 'octo/app',
    ...extra
  }
}

function rotateInputs(secret: string, extra: Inputs = {}): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
}

const secretOf = (id: number): string => emulators.current.ws.keys.get(id)!.secret
const stored = (repository: string): string | undefined =>
  emulators.current.github.secret({ repository }, SECRET)?.value
const regenerations = (): number => emulators.current.ws.requests('POST', /secretkey$/).length
/** Manager requests that could change something (anything but GETs and searches). */
const wsWrites = (): string[] =>
  emulators.current.ws.log
    .filter((e) => e.method !== 'GET' && !/\/search$/.test(e.path))
    .map((e) => `${e.method} ${e.path}`)
const githubWrites = (): string[] =>
  emulators.current.github.log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`)

/** Outputs and summary exist, and the run failed exactly when it printed `::error::`. */
function expectReported(run: ActionRun): void {
  expect(run.summary).toContain('<h2>Workload Security API key')
  expect(run.outputs.result).toBeDefined()
  expect(run.failed).toBe(/^::error::/m.test(run.log))
}

describe('a. a slow manager completes a regeneration after the request timed out', () => {
  it.each([
    ['another key (admin key)', false],
    ['the key itself (self)', true]
  ])(
    'rotating %s: fails, one regeneration, no second secret, says what to do, destinations unchanged',
    async (_name, self) => {
      const { ws, github, admin, deployer } = emulators.current
      const old = deployer.secret
      for (const repository of ['octo/app', 'octo/api'])
        github.seedSecret({ repository }, SECRET, { value: old })
      // testClock caps the regeneration's deadline at 2 s; the manager acts at once and answers
      // after 2.5 s.
      ws.inject({ method: 'POST', path: /secretkey$/, respondAfterMs: 2500 })
      const run = await runInProcess(
        rotateInputs(self ? old : admin.secret, {
          ...(!self && { 'key-id': String(deployer.ID) }),
          repositories: 'octo/app\nocto/api'
        }),
        env()
      )
      expect(run.failed).toBe(true)
      // Exactly one regeneration: a second would silently kill the first, or vice versa.
      expect(regenerations()).toBe(1)
      expect(ws.log.find((e) => /secretkey$/.test(e.path))?.acted).toBe(true)
      expect(run.log).toMatch(/No second secret was issued/)
      expect(run.log).toMatch(/To recover: .*(run this rotation again|operation rotate)/)
      // Nothing was ever stored: both destinations hold what they held before the run.
      expect(stored('octo/app')).toBe(old)
      expect(stored('octo/api')).toBe(old)
      expect(run.log).not.toContain('Sealed copies of the new secret')
      expect(github.secret({ repository: 'octo/app' }, `${SECRET}_ROTATION_PROBE`)).toBeUndefined()
      expectNoLeak(run, old)
    },
    15_000
  )

  it('bundle: the regeneration is not abandoned at timeout-seconds (1 s, answer after 2.5 s): the run succeeds', async () => {
    const { ws, deployer } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', respondAfterMs: 2500 })
    const run = await runBundled(rotateInputs(old, { 'timeout-seconds': '1' }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(regenerations()).toBe(1)
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(run.outputs).toMatchObject({ changed: 'true', 'secrets-updated': '1' })
    expectNoLeak(run, old)
  }, 20_000)
})

describe('b. delete never reads "nothing there" as success', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: a key ID that does not exist fails and deletes nothing',
    async (_how, runner) => {
      const { ws, admin } = emulators.current
      const keys = ws.keys.size
      const run = await runner({
        operation: 'delete',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': '99'
      })
      expect(run.failed).toBe(true)
      expect(run.log).toContain('::error::API key 99 does not exist; nothing was deleted')
      expect(ws.requests('DELETE')).toHaveLength(0)
      expect(ws.keys.size).toBe(keys)
      expect(run.summary).toContain('does not exist; nothing was deleted')
      expectNoLeak(run)
    }
  )

  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: a 404 from GET /apikeys/current during delete is an error, never success; the key stays',
    async (_how, runner) => {
      const { ws, admin, deployer } = emulators.current
      ws.inject({ method: 'GET', path: '/apikeys/current', status: 404, times: 10 })
      const run = await runner({
        operation: 'delete',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID)
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::.*GET \/apikeys\/current answered HTTP 404/)
      expect(run.log).not.toContain('does not exist; nothing was deleted')
      expect(ws.keys.has(deployer.ID)).toBe(true)
      expect(ws.requests('DELETE')).toHaveLength(0)
      expect(run.outputs.changed).not.toBe('true')
      expectNoLeak(run)
    }
  )
})

describe('c. an answer cut off mid-body', () => {
  it('on a key lookup: fails cleanly with ::error::, summary and outputs, without hanging', async () => {
    const { ws, admin, deployer } = emulators.current
    ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, truncate: true, times: 10 })
    const started = performance.now()
    const run = await runInProcess({
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(deployer.ID),
      'max-attempts': '2'
    })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::GET \/apikeys\/\d+ answered HTTP 200, then failed/)
    expectReported(run)
    expectNoLeak(run)
  })

  it('on a regeneration: an unclear answer; fails after exactly one request', async () => {
    const { ws, admin, deployer } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, truncate: true })
    const run = await runInProcess(
      rotateInputs(admin.secret, { 'key-id': String(deployer.ID) }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(regenerations()).toBe(1)
    expect(run.log).toMatch(/unclear[\s\S]*No second secret was issued/)
    expect(stored('octo/app')).toBeUndefined()
    expectReported(run)
    expectNoLeak(run, old)
  })
})

describe('d. a 200 to a regeneration with a malformed body that still carries secretKey', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: the secret is kept, stored and verified',
    async (_how, runner) => {
      const { ws, deployer } = emulators.current
      const old = deployer.secret
      const issued = `${deployer.ID}:${randomBytes(24).toString('base64')}`
      // The emulator cannot compute a raw body from its own state, so the fault's `when` does
      // the manager's part (the key's secret becomes `issued`) and the raw body carries it.
      ws.inject({
        method: 'POST',
        path: '/apikeys/current/secretkey',
        when: () => {
          ws.keys.get(deployer.ID)!.secret = issued
          return true
        },
        status: 200,
        rawBody: `{"ID":${deployer.ID},"keyName":"ci-deployer","secretKey":"${issued}","roleID":3,"active":tru`
      })
      const run = await runner(rotateInputs(old), env())
      expect(run.failed ? run.log : '').toBe('')
      expect(regenerations()).toBe(1)
      expect(stored('octo/app')).toBe(issued)
      expect(ws.authenticates(issued)).toBe(true)
      expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: true, secretsUpdated: 1 })
      expect(
        ws.requests('GET', '/apikeys/current').some((e) => e.headers['api-secret-key'] === issued)
      ).toBe(true)
      expectNoLeak(run, old, issued)
    },
    20_000
  )
})

describe('e. preflight keeps an organization secret as it is', () => {
  it('visibility: all with a private secret and a refused regeneration: still private, still the old value', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    github.seedSecret({ organization: 'octo' }, SECRET, { value: old, visibility: 'private' })
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', status: 403 })
    const run = await runInProcess(
      rotateInputs(old, { organization: 'octo', visibility: 'all' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(regenerations()).toBe(1)
    const secret = github.secret({ organization: 'octo' }, SECRET)!
    expect(secret.visibility).toBe('private')
    expect(secret.value).toBe(old)
    // No request ever asked GitHub for `all`.
    expect(
      github.requests('PUT').some((e) => (e.body as { visibility?: string }).visibility === 'all')
    ).toBe(false)
    expect(ws.authenticates(old)).toBe(true)
    expectNoLeak(run, old)
  })
})

describe('f. deadlines and caps', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: a manager dripping one byte every 200 ms fails at the 1 s deadline, not after the whole body',
    async (how, runner) => {
      const { ws, admin, deployer } = emulators.current
      ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, dripMs: 200, times: 10 })
      const started = performance.now()
      const run = await runner({
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID),
        'timeout-seconds': '1',
        'max-attempts': '1'
      })
      const elapsed = performance.now() - started
      expect(run.failed).toBe(true)
      expect(elapsed).toBeLessThan(5000)
      // In-process, jest's realm makes the deadline's DOMException fail `instanceof Error` in
      // read-capped.ts, so the reason reads "aborted" there; the bundle shows what users see.
      if (how === 'bundle') expect(run.log).toMatch(/no complete answer within 1 s/)
      expect(run.log).toMatch(/::error::GET \/apikeys\/\d+ /)
      expect(run.summary).toContain('<h2>Workload Security API key')
      expectNoLeak(run)
    }
  )

  it('a 2 MiB body fails fast with "larger than 1 MiB"', async () => {
    const { ws, admin, deployer } = emulators.current
    ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, hugeBodyBytes: 2 * 1024 * 1024 })
    const started = performance.now()
    const run = await runInProcess({
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(deployer.ID)
    })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*larger than 1 MiB/)
    // Not retried: a body that is too large will be too large again.
    expect(ws.requests('GET', `/apikeys/${deployer.ID}`)).toHaveLength(1)
    expectNoLeak(run)
  })

  it('GitHub paging that returns the same full page forever stops with an error and changes nothing', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    github.seedSecret({ organization: 'octo' }, SECRET, {
      value: old,
      visibility: 'selected',
      selectedRepositoryIds: [github.repositories.get('octo/app')!.id]
    })
    const page = {
      total_count: 100_000,
      repositories: Array.from({ length: 100 }, (_, i) => ({
        id: 5000 + i,
        name: `r${i}`,
        full_name: `octo/r${i}`
      }))
    }
    github.inject({
      method: 'GET',
      path: `/orgs/octo/actions/secrets/${SECRET}/repositories`,
      status: 200,
      body: page,
      times: 1000
    })
    const run = await runInProcess(rotateInputs(old, { organization: 'octo' }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*(same page|more than \d+ pages)/)
    expect(github.requests('GET', /\/repositories$/).length).toBeLessThanOrEqual(101)
    expect(regenerations()).toBe(0)
    expect(githubWrites()).toEqual([])
    expect(github.secret({ organization: 'octo' }, SECRET)).toMatchObject({
      value: old,
      visibility: 'selected'
    })
    expect(ws.authenticates(old)).toBe(true)
    expectNoLeak(run, old)
  })
})

describe('g. visibility: selected without repositories on a secret that is not selected', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)('%s: fails before any regeneration', async (_how, runner) => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    github.seedSecret({ organization: 'octo' }, SECRET, { value: old, visibility: 'private' })
    const run = await runner(rotateInputs(old, { organization: 'octo', visibility: 'selected' }), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*visibility: selected needs repositories/)
    expect(regenerations()).toBe(0)
    expect(githubWrites()).toEqual([])
    expect(github.secret({ organization: 'octo' }, SECRET)).toMatchObject({
      value: old,
      visibility: 'private'
    })
    expect(ws.authenticates(old)).toBe(true)
    expectNoLeak(run, old)
  })
})

describe('h. set-role on the authenticating key', () => {
  it('is refused without allow-self (role unchanged) and done with it', async () => {
    const { ws, admin } = emulators.current
    const inputs = {
      operation: 'set-role',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(admin.ID),
      'role-id': String(ROLES.auditor.ID)
    }
    const refused = await runInProcess(inputs)
    expect(refused.failed).toBe(true)
    expect(refused.log).toMatch(/::error::.*the key this action authenticates with.*allow-self/)
    expect(ws.keys.get(admin.ID)!.roleID).toBe(ROLES.fullAccess.ID)
    expect(wsWrites()).toEqual([])
    expectNoLeak(refused)

    const allowed = await runInProcess({ ...inputs, 'allow-self': 'true' })
    expect(allowed.failed ? allowed.log : '').toBe('')
    expect(ws.keys.get(admin.ID)!.roleID).toBe(ROLES.auditor.ID)
    expect(allowed.outputs).toMatchObject({ changed: 'true', 'role-id': String(ROLES.auditor.ID) })
    expectNoLeak(allowed)
  })
})

describe('i. a manager that matches names case-insensitively', () => {
  it('delete of key-name ci-deployer-prod when only CI-Deployer-PROD exists fails and deletes nothing', async () => {
    const { ws, admin } = emulators.current
    ws.caseInsensitiveNames = true
    const other = ws.addKey({ keyName: 'CI-Deployer-PROD', roleID: ROLES.deployer.ID })
    const run = await runInProcess({
      operation: 'delete',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-name': 'ci-deployer-prod'
    })
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::No API key named "ci-deployer-prod"/)
    // The manager did hand the other key over; the action must have compared names itself.
    const search = ws.requests('POST', '/apikeys/search')[0]
    expect((search.responseBody as { apiKeys: unknown[] }).apiKeys).toHaveLength(1)
    expect(ws.keys.has(other.ID)).toBe(true)
    expect(ws.requests('DELETE')).toHaveLength(0)
    expectNoLeak(run)
  })
})

describe('j. ca-certificate through HTTPS_PROXY', () => {
  it('trusts the private CA inside a CONNECT tunnel; without it, fails with the "not trusted" advice', async () => {
    const name = 'dsm.example.test'
    const tls = selfSignedCertificate(name)
    const manager = new WorkloadSecurityEmulator(tls)
    manager.addRole({ ID: 1, name: 'Full Access', apiKeyRights: FULL_RIGHTS })
    const admin = manager.addKey({ keyName: 'admin', roleID: 1 })
    await manager.start()
    cleanups.push(() => manager.stop())
    const managerPort = Number(new URL(manager.url).port)

    // A CONNECT proxy that tunnels any host to the TLS manager on loopback, and nowhere else.
    const connects: string[] = []
    const tunnels = new Set<net.Socket>()
    const proxy = http.createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      connects.push(req.url ?? '')
      tunnels.add(client)
      const upstream = net.connect(managerPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () => new Promise<void>((resolve) => proxy.close(() => resolve())),
      () => tunnels.forEach((socket) => socket.destroy())
    )
    const proxyPort = (proxy.address() as net.AddressInfo).port
    const proxyEnv = {
      HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
      https_proxy: `http://127.0.0.1:${proxyPort}`,
      NO_PROXY: '',
      no_proxy: ''
    }
    const inputs = {
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': `https://${name}:${managerPort}/api`,
      'key-id': 'current',
      'max-attempts': '1'
    }

    const trusted = await runInProcess({ ...inputs, 'ca-certificate': tls.cert }, proxyEnv)
    expect(trusted.failed ? trusted.log : '').toBe('')
    expect(trusted.outputs['key-name']).toBe('admin')
    expect(connects).toContain(`${name}:${managerPort}`)
    expect(manager.requests('GET', '/apikeys/current')).toHaveLength(1)
    expect(leaks(trusted, [admin.secret])).toEqual([])

    connects.length = 0
    const untrusted = await runInProcess(inputs, proxyEnv)
    expect(untrusted.failed).toBe(true)
    expect(untrusted.log).toMatch(/::error::.*not trusted.*set ca-certificate/)
    expect(connects).toContain(`${name}:${managerPort}`)
    expect(manager.requests('GET', '/apikeys/current')).toHaveLength(1)
    expect(leaks(untrusted, [admin.secret])).toEqual([])
  }, 20_000)
})

describe('k. NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)('%s: fails with a clear message before any request', async (_how, runner) => {
    const { ws, github, admin } = emulators.current
    const run = await runner(
      {
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': 'current'
      },
      { NODE_TLS_REJECT_UNAUTHORIZED: '0' }
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*NODE_TLS_REJECT_UNAUTHORIZED=0/)
    expect(ws.log).toHaveLength(0)
    expect(github.log).toHaveLength(0)
    expect(run.summary).toContain('<h2>Workload Security API key')
    expectNoLeak(run)
  })
})

describe('l. an IPv6 loopback api-url', () => {
  const hasIPv6Loopback = Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.address === '::1')
  )
  ;(hasIPv6Loopback ? it : it.skip)(
    hasIPv6Loopback
      ? 'http://[::1]:<port>/api works'
      : 'http://[::1]:<port>/api works (skipped: this machine has no IPv6 loopback ::1)',
    async () => {
      const { ws, admin } = emulators.current
      const target = new URL(ws.url)
      // A tiny reverse proxy on ::1 in front of the emulator on 127.0.0.1.
      const front = http.createServer((req, res) => {
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        upstream.on('error', () => res.destroy())
        req.pipe(upstream)
      })
      await new Promise<void>((resolve) => front.listen(0, '::1', resolve))
      cleanups.push(() => new Promise<void>((resolve) => front.close(() => resolve())))
      cleanups.push(() => void front.closeAllConnections())
      const port = (front.address() as net.AddressInfo).port
      const run = await runInProcess({
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': `http://[::1]:${port}/api`,
        'key-id': 'current'
      })
      expect(run.failed ? run.log : '').toBe('')
      expect(run.outputs['key-id']).toBe(String(admin.ID))
      expect(ws.requests('GET', '/apikeys/current')).toHaveLength(1)
      expectNoLeak(run)
    }
  )
})

describe('m. an out-of-range timestamp in a key', () => {
  it('describe still ends with a summary and outputs, failing only with ::error::', async () => {
    const { ws, admin, deployer } = emulators.current
    const key = ws.keys.get(deployer.ID)!
    ws.inject({
      method: 'GET',
      path: `/apikeys/${deployer.ID}`,
      body: {
        ID: key.ID,
        keyName: key.keyName,
        roleID: key.roleID,
        active: true,
        created: -1e20,
        lastSignIn: 1e20,
        expiryDate: 8.64e15 + 1
      }
    })
    const run = await runInProcess({
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(deployer.ID)
    })
    expectReported(run)
    expect(run.log).not.toMatch(/RangeError|Invalid time value/)
    expect(run.log).not.toContain('No job summary was written')
    expect(run.outputs['key-id']).toBe(String(deployer.ID))
    expectNoLeak(run)
  })
})

describe('n. a mistyped key name while the self-check is in flight', () => {
  it.each(['delete', 'lock', 'set-role'])(
    '%s: no "socket hang up", "disposed" or "retrying" noise',
    async (operation) => {
      const { ws, admin } = emulators.current
      // The self-check is still in flight when the name lookup fails.
      ws.inject({ method: 'GET', path: '/apikeys/current', delayMs: 300 })
      const run = await runInProcess({
        operation,
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-name': 'ci-deplyer',
        ...(operation === 'set-role' && { 'role-id': String(ROLES.auditor.ID) })
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::No API key named "ci-deplyer"/)
      expect(run.log).not.toMatch(/socket hang up|disposed|retrying|abandoned/i)
      expect(wsWrites()).toEqual([])
      expectNoLeak(run)
    }
  )
})

describe('o. an api-url without /api', () => {
  it.each(['describe', 'delete', 'lock'])(
    '%s: the error points at api-url/region, not at a missing key',
    async (operation) => {
      const { ws, admin, deployer } = emulators.current
      // The emulator answers the wrong paths 404; they are not API operations to contract-check.
      ws.onExchange = undefined
      const run = await runInProcess({
        operation,
        'api-secret-key': admin.secret,
        'api-url': new URL(ws.url).origin,
        'key-id': String(deployer.ID)
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::.*api-url/)
      expect(run.log).not.toMatch(/does not exist/)
      expect(ws.keys.has(deployer.ID)).toBe(true)
      expectNoLeak(run)
    }
  )
})

describe('p. dry-run changes nothing', () => {
  it.each([
    ['delete', {}],
    ['lock', {}],
    ['unlock', {}],
    ['set-role', { 'role-id': String(ROLES.auditor.ID) }],
    ['rotate', { 'secret-name': SECRET, 'github-token': WRITE_TOKEN }]
  ] as const)('%s: no write request anywhere, changed=false', async (operation, extra) => {
    const { ws, admin, deployer } = emulators.current
    if (operation === 'unlock') ws.keys.get(deployer.ID)!.active = false
    const before = JSON.stringify([...ws.keys.values()])
    const run = await runInProcess(
      {
        operation,
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID),
        'dry-run': 'true',
        ...extra
      },
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs.changed).toBe('false')
    expect(wsWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    // Sign-in times aside, every key is as it was.
    const strip = (json: string): unknown =>
      (JSON.parse(json) as Record<string, unknown>[]).map(({ lastSignIn: _l, ...k }) => k)
    expect(strip(JSON.stringify([...ws.keys.values()]))).toEqual(strip(before))
    expect(run.summary).toContain('Dry run')
    expectNoLeak(run)
  })
})

describe('q. verify: false', () => {
  it('is honoured: the new secret is never sent to the manager', async () => {
    const { ws, deployer } = emulators.current
    const old = deployer.secret
    const run = await runInProcess(rotateInputs(old, { verify: 'false' }), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.log.filter((e) => e.headers['api-secret-key'] === fresh)).toEqual([])
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: false })
    expectNoLeak(run, old)
  })
})
