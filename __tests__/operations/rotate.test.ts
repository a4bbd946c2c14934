/*
 * rotate with strategy regenerate: the key (the authenticating one, or another by ID or exact
 * name) gets a new secret, stored in every destination (repositories, an environment, an
 * organization), then verified; the old secret stops working. What happens before the secret
 * changes: rotate-preflight; when the regeneration answer is refused, lost or malformed:
 * rotate-regeneration-answers; when a destination fails: rotate-delivery.
 */
import { describe, expect, it } from '@jest/globals'
import { runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites } = checks(emulators)
const SECRET = 'WS_API_KEY'
const { rotateInputs, env, secretOf, stored } = rotationHelpers(emulators, SECRET)

describe('rotate current', () => {
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

describe('verification of the new secret', () => {
  it('catches a new secret that does not authenticate', async () => {
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

  it('answered with another key fails without claiming success', async () => {
    const { ws, github, deployer, admin } = emulators.current
    const old = deployer.secret
    ws.inject({
      method: 'GET',
      path: '/apikeys/current',
      when: (r) => r.headers['api-secret-key'] !== old,
      status: 200,
      body: { ID: admin.ID, keyName: admin.keyName, roleID: admin.roleID, active: true }
    })
    const run = await runInProcess(rotateInputs({ repositories: 'octo/app' }, old), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `the new secret authenticates as key ${admin.ID}, not key ${deployer.ID}`
    )
    expect(run.log).toContain('The new secret is stored in repository octo/app')
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: false, changed: true })
  })

  it('is skipped for a locked key with a notice', async () => {
    const { deployer, ws } = emulators.current
    ws.keys.get(deployer.ID)!.active = false
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(false)
    expect(run.log).toMatch(/::notice::key \d+ "ci-deployer" is locked/)
    expect(stored('octo/app')).toBe(secretOf(deployer.ID))
  })

  it('verify: false is honoured: the new secret is never sent to the manager', async () => {
    const { ws, deployer } = emulators.current
    const old = deployer.secret
    const run = await runInProcess(rotateInputs({ verify: 'false' }, old), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.log.filter((e) => e.headers['api-secret-key'] === fresh)).toEqual([])
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: false })
    expectNoLeak(run, old)
  })
})
