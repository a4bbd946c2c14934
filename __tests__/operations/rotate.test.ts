import { describe, expect, it } from '@jest/globals'
import { READ_ONLY_TOKEN, WRITE_TOKEN } from '../../emulators/seed.js'
import {
  leaks,
  runInProcess,
  type ActionRun,
  type Inputs,
  rotationInputs
} from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const SECRET = 'WS_API_KEY'

function rotateInputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
}

function env(repository = 'octo/app'): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: repository }
}

function secretOf(id: number): string {
  return emulators.current.ws.keys.get(id)!.secret
}

function stored(repository: string, name = SECRET): string | undefined {
  return emulators.current.github.secret({ repository }, name)?.value
}

/** GitHub and manager requests that change something, in order. */
function githubWrites(): string[] {
  return emulators.current.github.log
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`)
}

function expectNoLeak(run: ActionRun, ...secrets: string[]): void {
  expect(leaks(run, [...secrets, WRITE_TOKEN, READ_ONLY_TOKEN])).toEqual([])
}

describe('rotate current', () => {
  it('a regeneration the manager refused (403) is clear: the secret did not change, and the run says so', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', status: 403 })
    const run = await runInProcess(rotateInputs({}, old), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain("The key's secret was not changed.")
    expect(run.log).not.toContain('No second secret')
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    expect(ws.authenticates(old)).toBe(true)
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(old)
    expectNoLeak(run, old)
  })

  it('a 200 whose secretKey is not a string is no secret: nothing is stored', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    ws.inject({
      method: 'POST',
      path: '/apikeys/current/secretkey',
      status: 200,
      body: {
        ID: deployer.ID,
        keyName: deployer.keyName,
        roleID: deployer.roleID,
        secretKey: 12345
      }
    })
    const run = await runInProcess(rotateInputs({}, old), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain('without a new secretKey')
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(old)
    expect(run.log).not.toContain('Sealed copies of the new secret')
    expectNoLeak(run, old)
  })

  it('stores a new secret that authenticates, and the old one stops working', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    const run = await runInProcess(rotateInputs({}, old), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = secretOf(deployer.ID)
    expect(fresh).not.toBe(old)
    expect(ws.authenticates(old)).toBe(false)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(stored('octo/app')).toBe(fresh)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'secrets-updated': '1',
      'key-id': String(deployer.ID)
    })
    const result = JSON.parse(run.outputs.result)
    expect(result).toMatchObject({
      secretName: SECRET,
      verified: true,
      destinations: [{ destination: 'repository octo/app', status: 'updated' }]
    })
    // Preflight re-wrote the current value before the secret changed, then stored the new one.
    const [preflight, final] = github.requests('PUT')
    const [regeneration] = ws.requests('POST', '/apikeys/current/secretkey')
    expect(github.requests('PUT')).toHaveLength(2)
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    expect(preflight.at).toBeLessThan(regeneration.at)
    expect(regeneration.at).toBeLessThan(final.at)
    // Verification authenticated with the new secret.
    expect(
      ws.requests('GET', '/apikeys/current').some((e) => e.headers['api-secret-key'] === fresh)
    ).toBe(true)
    expect(run.log).toContain(`::add-mask::${fresh}`)
    expect(run.summary).toContain('repository octo/app')
    expectNoLeak(run, old, fresh)
  })

  it('fails before regeneration when the token cannot write secrets; the secret is unchanged', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      rotateInputs({ 'github-token': READ_ONLY_TOKEN }, deployer.secret),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain('HTTP 403')
    expect(run.log).toContain("The workflow's own GITHUB_TOKEN never can")
    expect(run.log).toContain('was NOT changed')
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(ws.authenticates(deployer.secret)).toBe(true)
    expectNoLeak(run, deployer.secret)
  })

  it('fails before regeneration when a repository does not exist', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      rotateInputs({ repositories: 'octo/app\nocto/missing' }, deployer.secret),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/repository octo\/missing: GET .* answered HTTP 404/)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(ws.authenticates(deployer.secret)).toBe(true)
  })

  it('a regeneration answer lost after the manager acted fails loudly and changes no destination', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', drop: 'after' })
    const run = await runInProcess(rotateInputs({}, old), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain('the manager issued a new secret that never reached this run')
    expect(run.log).toContain(`key-id ${deployer.ID}`)
    // Exactly one regeneration: a blind retry would have thrown away a second secret too.
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    // The destination still holds what preflight wrote: the value the action was given.
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(old)
    expectNoLeak(run, old, secretOf(deployer.ID))
  })

  it('a regeneration connection reset before the manager acted is not retried: a slow manager may still act', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', drop: 'before' })
    const run = await runInProcess(rotateInputs({}, old), env())
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    expect(run.log).toContain('No second secret was issued')
    expect(run.log).toContain('The previous secret still authenticated when checked')
    expect(ws.authenticates(old)).toBe(true)
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(old)
    expectNoLeak(run, old)
  })

  it('verification catches a new secret that does not authenticate', async () => {
    const { deployer, ws } = emulators.current
    const bogus = `${deployer.ID}:bogusSecretThatNeverExisted`
    ws.inject({
      method: 'POST',
      path: '/apikeys/current/secretkey',
      status: 200,
      body: {
        ID: deployer.ID,
        keyName: deployer.keyName,
        roleID: deployer.roleID,
        active: true,
        secretKey: bogus
      }
    })
    const run = await runInProcess(rotateInputs({}, deployer.secret), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `Verification failed: the new secret did not authenticate as key ${deployer.ID}`
    )
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: false })
    expectNoLeak(run, deployer.secret, bogus)
  })
})

describe('rotate another key with an admin key', () => {
  it('by ID into several repositories, with a probe that is removed again', async () => {
    const { admin, deployer, ws } = emulators.current
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), repositories: 'octo/app, octo/api\nocto/web' }),
      env()
    )
    expect(run.failed).toBe(false)
    const fresh = secretOf(deployer.ID)
    for (const repository of ['octo/app', 'octo/api', 'octo/web']) {
      expect(stored(repository)).toBe(fresh)
      expect(stored(repository, `${SECRET}_ROTATION_PROBE`)).toBeUndefined()
    }
    expect(
      githubWrites().filter((w) => w.startsWith('PUT') && w.endsWith('_ROTATION_PROBE'))
    ).toHaveLength(3)
    expect(githubWrites().filter((w) => w.startsWith('DELETE'))).toHaveLength(3)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    expect(ws.authenticates(admin.secret)).toBe(true)
    expect(run.outputs['secrets-updated']).toBe('3')
    expectNoLeak(run, admin.secret, fresh)
  })

  it('by exact name', async () => {
    const { deployer } = emulators.current
    const run = await runInProcess(rotateInputs({ 'key-name': 'ci-deployer' }), env())
    expect(run.failed).toBe(false)
    expect(stored('octo/app')).toBe(secretOf(deployer.ID))
  })

  it('a lost regeneration answer fails the run without a second regeneration, with the recovery', async () => {
    const { deployer, ws } = emulators.current
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, drop: 'after' })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    expect(run.log).toContain('No second secret was issued')
    expect(run.log).toContain(`run this rotation again (with key-id ${deployer.ID})`)
    expect(stored('octo/app')).toBeUndefined()
  })

  it('a destination failing after regeneration: the run fails, the others hold the new secret, the replay opens to it', async () => {
    const { deployer, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 502,
      times: 100
    })
    const run = await runInProcess(
      rotateInputs({
        'key-id': String(deployer.ID),
        repositories: 'octo/app,octo/api,octo/web',
        'max-attempts': '3'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/app')).toBe(fresh)
    expect(stored('octo/web')).toBe(fresh)
    expect(stored('octo/api')).toBeUndefined()
    expect(github.requests('PUT', `/repos/octo/api/actions/secrets/${SECRET}`)).toHaveLength(3)
    expect(run.log).toMatch(
      /Destinations holding the new secret: repository octo\/app, repository octo\/web\. Not written: repository octo\/api\./
    )
    expect(run.log).toContain('1 of 3 destination(s) did not confirm the write')
    const replay = new RegExp(
      `/repos/octo/api/actions/secrets/${SECRET}" \\\\\\n\\s+-d '(\\{.*\\})'`
    ).exec(run.log)
    expect(replay).not.toBeNull()
    const body = JSON.parse(replay![1]) as { encrypted_value: string; key_id: string }
    expect(github.open({ repository: 'octo/api' }, body.encrypted_value)).toBe(fresh)
    expect(run.log).toContain(`${github.url}/repos/octo/api/actions/secrets/${SECRET}`)
    const result = JSON.parse(run.outputs.result)
    expect(result.destinations).toEqual([
      { destination: 'repository octo/app', status: 'created' },
      expect.objectContaining({ destination: 'repository octo/api', status: 'failed' }),
      { destination: 'repository octo/web', status: 'created' }
    ])
    expect(run.outputs['secrets-updated']).toBe('2')
    expect(run.summary).not.toContain(body.encrypted_value)
    expectNoLeak(run, fresh)
  })

  it('reports a write whose answer never arrives as unclear, with a replay', async () => {
    const { deployer, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      drop: 'after',
      times: 100
    })
    const run = await runInProcess(
      rotateInputs({
        'key-id': String(deployer.ID),
        repositories: 'octo/app,octo/api',
        'max-attempts': '2'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    // GitHub stored it each time; only the answers were lost.
    expect(stored('octo/api')).toBe(secretOf(deployer.ID))
    expect(run.log).toContain(
      'Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): repository octo/api.'
    )
    expect(run.log).toContain('Replay for repository octo/api')
    expect(JSON.parse(run.outputs.result).destinations[1]).toMatchObject({
      destination: 'repository octo/api',
      status: 'unclear'
    })
  })

  it('writes survive transient GitHub failures and rate limits', async () => {
    const { deployer, github } = emulators.current
    github.inject({ method: 'PUT', path: `/repos/octo/app/actions/secrets/${SECRET}`, status: 503 })
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 403,
      retryAfter: '1',
      body: { message: 'You have exceeded a secondary rate limit' }
    })
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      drop: 'before'
    })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(false)
    expect(stored('octo/app')).toBe(secretOf(deployer.ID))
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)).toHaveLength(4)
  })

  it('skips verification of a locked key with a notice', async () => {
    const { deployer, ws } = emulators.current
    ws.keys.get(deployer.ID)!.active = false
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(false)
    expect(run.log).toMatch(/::notice::key \d+ "ci-deployer" is locked/)
    expect(stored('octo/app')).toBe(secretOf(deployer.ID))
  })
})

describe('rotate into environments and organizations', () => {
  it('writes an environment secret, URL-encoding the environment name', async () => {
    const { deployer, github } = emulators.current
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), environment: 'prod/eu' }),
      env()
    )
    expect(run.failed).toBe(false)
    expect(github.secret({ repository: 'octo/app', environment: 'prod/eu' }, SECRET)?.value).toBe(
      secretOf(deployer.ID)
    )
    expect(
      github.requests('PUT', `/repos/octo/app/environments/prod%2Feu/secrets/${SECRET}`)
    ).toHaveLength(1)
    expect(stored('octo/app')).toBeUndefined()
  })

  it('keeps an organization secret visible to the same selected repositories', async () => {
    const { deployer, github } = emulators.current
    const selected = [
      github.repositories.get('octo/api')!.id,
      github.repositories.get('octo/web')!.id
    ]
    github.seedSecret({ organization: 'octo' }, SECRET, {
      value: 'old',
      visibility: 'selected',
      selectedRepositoryIds: selected
    })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), organization: 'octo' }),
      env()
    )
    expect(run.failed).toBe(false)
    const secret = github.secret({ organization: 'octo' }, SECRET)!
    expect(secret.value).toBe(secretOf(deployer.ID))
    expect(secret.visibility).toBe('selected')
    expect(secret.selectedRepositoryIds).toEqual(selected)
    expect(run.outputs['secrets-updated']).toBe('1')
  })

  it('creates a new organization secret as private unless visibility says otherwise', async () => {
    const { deployer, github } = emulators.current
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), organization: 'octo' }),
      env()
    )
    expect(run.failed).toBe(false)
    expect(github.secret({ organization: 'octo' }, SECRET)?.visibility).toBe('private')
    const again = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), organization: 'octo', visibility: 'all' }),
      env()
    )
    expect(again.failed).toBe(false)
    expect(github.secret({ organization: 'octo' }, SECRET)?.visibility).toBe('all')
  })
})

describe('rotate dry run', () => {
  it('reads everything and writes nothing anywhere', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    const run = await runInProcess(
      rotateInputs({ 'dry-run': 'true', repositories: 'octo/app,octo/api' }, old),
      env()
    )
    expect(run.failed).toBe(false)
    expect(github.requests('GET', /public-key$/)).toHaveLength(2)
    expect(githubWrites()).toEqual([])
    expect(ws.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(ws.authenticates(old)).toBe(true)
    expect(run.outputs).toMatchObject({ changed: 'false', 'secrets-updated': '0' })
    expect(run.summary).toContain('(dry run)')
    expect(JSON.parse(run.outputs.result).destinations).toEqual([
      { destination: 'repository octo/app', status: 'planned' },
      { destination: 'repository octo/api', status: 'planned' }
    ])
  })
})
