import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ROLES } from '../../emulators/seed.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

/** The requests that could change something on the manager. */
function writes(): string[] {
  return emulators.current.ws.log
    .filter((e) => e.method !== 'GET' && !e.path.endsWith('/search'))
    .map((e) => `${e.method} ${e.path}`)
}

describe('describe', () => {
  it('reads a key by ID into outputs and the summary', async () => {
    const { auditor, admin } = emulators.current
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': String(auditor.ID) }))
    expect(run.failed).toBe(false)
    expect(run.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'key-name': 'nightly-auditor',
      'role-id': String(ROLES.auditor.ID),
      active: 'true',
      changed: 'false',
      'expiry-date': '2030-01-01T00:00:00.000Z',
      'last-sign-in': ''
    })
    expect(run.outputs.created).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(JSON.parse(run.outputs.result)).toMatchObject({
      operation: 'describe',
      key: { id: String(auditor.ID) }
    })
    expect(run.summary).toContain('nightly-auditor')
    expect(run.summary).toContain('describe')
    expect(writes()).toEqual([])
    expect(leaks(run, [admin.secret])).toEqual([])
  })

  it('finds a key by exact name even where _ would be a wildcard', async () => {
    const run = await runInProcess(inputs({ operation: 'describe', 'key-name': 'ci_key' }))
    expect(run.failed).toBe(false)
    expect(run.outputs['key-name']).toBe('ci_key')
    const search = emulators.current.ws.requests('POST', '/apikeys/search')[0]
    expect(search.body).toMatchObject({ searchCriteria: [{ stringWildcards: false }] })
  })

  it('escapes names from the manager in the job summary', async () => {
    const key = emulators.current.ws.addKey({ keyName: '<img src=x onerror=alert(1)>', roleID: 1 })
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': String(key.ID) }))
    expect(run.failed).toBe(false)
    expect(run.summary).toContain('&lt;img src=x onerror=alert&#40;1&#41;&gt;')
    expect(run.summary).not.toContain('<img')
  })

  it('fails naming the input when no key has that name', async () => {
    const run = await runInProcess(inputs({ operation: 'describe', 'key-name': 'nobody' }))
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/No API key named "nobody" exists \(key-name\)/)
  })

  it('describes the authenticating key with key-id current and the cloud-one scheme', async () => {
    const cloudOne = emulators.current.ws.addKey({
      keyName: 'cloud-one-deployer',
      roleID: 3,
      kind: 'cloud-one'
    })
    const run = await runInProcess(
      inputs(
        { operation: 'describe', 'key-id': 'current', 'auth-scheme': 'cloud-one' },
        cloudOne.secret
      )
    )
    expect(run.failed).toBe(false)
    expect(run.outputs['key-id']).toBe(String(cloudOne.ID))
    const request = emulators.current.ws.requests('GET', '/apikeys/current')[0]
    expect(request.headers.authorization).toBe(`ApiKey ${cloudOne.secret}`)
    expect(request.headers['api-secret-key']).toBeUndefined()
    expect(request.headers['user-agent']).toBe(`workload-security-api-key-action/${packageVersion}`)
    expect(request.headers['api-version']).toBe('v1')
    expect(request.headers.accept).toBe('application/json')
    expect(request.headers['content-type']).toBe('application/json')
  })

  it('reports a legacy key sent with auth-scheme cloud-one as rejected, naming auth-scheme', async () => {
    const { deployer } = emulators.current
    const run = await runInProcess(
      inputs(
        { operation: 'describe', 'key-id': 'current', 'auth-scheme': 'cloud-one' },
        deployer.secret
      )
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/api-secret-key was rejected/)
    expect(run.log).toMatch(/auth-scheme/)
  })

  it('never repeats a secret that the server echoes in its error message', async () => {
    const { ws, admin } = emulators.current
    ws.inject({
      path: '/apikeys/1',
      status: 401,
      body: { message: `Invalid API key ${admin.secret}` }
    })
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': '1' }))
    expect(run.failed).toBe(true)
    expect(run.log).toContain('Invalid API key ***')
    expect(leaks(run, [admin.secret])).toEqual([])
  })

  it('reports a rejected secret as such, without printing it', async () => {
    const wrong = '9:not-the-secret-at-all'
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': '1' }, wrong))
    expect(run.failed).toBe(true)
    expect(run.log).toContain('The api-secret-key was rejected')
    expect(run.log).toContain('GET /apikeys/1 answered HTTP 401')
    expect(leaks(run, [wrong])).toEqual([])
  })
})

describe('set-role', () => {
  it('moves a key to a role found by exact name', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'set-role', 'key-id': String(deployer.ID), 'role-name': 'Auditor' })
    )
    expect(run.failed).toBe(false)
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.auditor.ID)
    expect(run.outputs).toMatchObject({ changed: 'true', 'role-id': String(ROLES.auditor.ID) })
    expect(writes()).toEqual([`POST /apikeys/${deployer.ID}`])
  })

  it('sends no write when the key already has the role', async () => {
    const { deployer } = emulators.current
    const run = await runInProcess(
      inputs({
        operation: 'set-role',
        'key-id': String(deployer.ID),
        'role-id': String(ROLES.deployer.ID)
      })
    )
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(writes()).toEqual([])
  })

  it('fails on an unknown role ID without changing the key', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'set-role', 'key-id': String(deployer.ID), 'role-id': '99' })
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain('GET /roles/99 answered HTTP 404')
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.deployer.ID)
    expect(writes()).toEqual([])
  })

  it('dry run reports the change and sends no write', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({
        operation: 'set-role',
        'key-id': String(deployer.ID),
        'role-id': '1',
        'dry-run': 'true'
      })
    )
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(JSON.parse(run.outputs.result).changes[0]).toMatch(/^would change role 3 -> 1/)
    expect(run.summary).toContain('(dry run)')
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.deployer.ID)
    expect(writes()).toEqual([])
  })
})

describe('lock and unlock', () => {
  it('locks a key, which then cannot authenticate, and unlocks it again', async () => {
    const { deployer, ws } = emulators.current
    const locked = await runInProcess(inputs({ operation: 'lock', 'key-name': 'ci-deployer' }))
    expect(locked.failed).toBe(false)
    expect(locked.outputs).toMatchObject({ active: 'false', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(false)
    const self = await runInProcess(
      inputs({ operation: 'describe', 'key-id': 'current' }, deployer.secret)
    )
    expect(self.failed).toBe(true)

    const unlocked = await runInProcess(
      inputs({ operation: 'unlock', 'key-id': String(deployer.ID) })
    )
    expect(unlocked.failed).toBe(false)
    expect(unlocked.outputs).toMatchObject({ active: 'true', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(true)
  })

  it('is idempotent: locking a locked key sends no write', async () => {
    const { deployer, ws } = emulators.current
    ws.keys.get(deployer.ID)!.active = false
    const run = await runInProcess(inputs({ operation: 'lock', 'key-id': String(deployer.ID) }))
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(writes()).toEqual([])
  })

  it('refuses to lock the authenticating key unless allow-self is true', async () => {
    const { admin, ws } = emulators.current
    const refused = await runInProcess(inputs({ operation: 'lock', 'key-id': String(admin.ID) }))
    expect(refused.failed).toBe(true)
    expect(refused.log).toContain('allow-self')
    expect(ws.keys.get(admin.ID)?.active).toBe(true)
    expect(writes()).toEqual([])

    const allowed = await runInProcess(
      inputs({ operation: 'lock', 'key-id': 'current', 'allow-self': 'true' })
    )
    expect(allowed.failed).toBe(false)
    expect(ws.keys.get(admin.ID)?.active).toBe(false)
  })
})

describe('delete', () => {
  it('deletes a key by name', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(inputs({ operation: 'delete', 'key-name': 'ci-deployer' }))
    expect(run.failed).toBe(false)
    expect(ws.keys.has(deployer.ID)).toBe(false)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'key-id': String(deployer.ID),
      'key-name': 'ci-deployer'
    })
  })

  it('fails for a key that does not exist: a green run means the key is gone', async () => {
    const run = await runInProcess(inputs({ operation: 'delete', 'key-id': '424242' }))
    expect(run.failed).toBe(true)
    expect(run.log).toContain('::error::API key 424242 does not exist; nothing was deleted.')
    expect(writes()).toEqual([])
  })

  it('a 404 from the self-check is an error, never "already deleted"', async () => {
    const { ws, deployer } = emulators.current
    ws.inject({ method: 'GET', path: '/apikeys/current', status: 404, body: { message: 'gone' } })
    const run = await runInProcess(inputs({ operation: 'delete', 'key-id': String(deployer.ID) }))
    expect(run.failed).toBe(true)
    expect(run.log).not.toContain('does not exist; nothing was deleted')
    expect(run.log).toMatch(/GET \/apikeys\/current answered HTTP 404.*check api-url/)
    expect(ws.keys.has(deployer.ID)).toBe(true)
    expect(writes()).toEqual([])
  })

  it('refuses to delete the authenticating key unless allow-self is true', async () => {
    const { admin, ws } = emulators.current
    const run = await runInProcess(inputs({ operation: 'delete', 'key-name': 'ci-admin' }))
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/authenticates with .*allow-self: true/)
    expect(ws.keys.has(admin.ID)).toBe(true)
  })

  it('reports a role without the delete right', async () => {
    const { auditor, deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'delete', 'key-id': String(deployer.ID) }, auditor.secret)
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(`DELETE /apikeys/${deployer.ID} answered HTTP 403`)
    expect(run.log).toContain('lacks the API key right')
    expect(ws.keys.has(deployer.ID)).toBe(true)
  })
})
