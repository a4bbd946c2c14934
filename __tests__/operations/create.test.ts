/*
 * create: a new key with the role (by ID or name), description and expiry asked for, its secret
 * stored like a rotation's (preflight first, a refused name changes nothing). When no
 * destination could store the secret, the new key is deleted again; when some could, or a write
 * may have landed, it is kept. Its dry run: dry-run.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import type { EmulatedKey } from '../../emulators/workload-security.js'
import { runBundled, runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites, issuedSecrets, managerWrites } = checks(emulators)

const SECRET = 'WS_API_KEY'
const { createInputs, env, stored, noProbeAnywhere, expectExpiryAbout } = rotationHelpers(
  emulators,
  SECRET
)
const PROBE = `${SECRET}_ROTATION_PROBE`

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
        description: 'made by the create test',
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
      description: 'made by the create test',
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
      description: 'made by the create test',
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

  it('when GitHub refused every write, the new key is deleted again and the run fails', async () => {
    const { ws, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 422,
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
    // A refusal is final: never retried.
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)).toHaveLength(1)
    expect(stored('octo/app')).toBeUndefined()
    noProbeAnywhere()
    expect(run.log).toContain(
      `The new key ${id} was deleted again: the sealed copies printed in this step's log are void`
    )
    expectNoLeak(run)
  })

  it('when the new key cannot be deleted again, the recovery deletes it (its copies are void, never offered for replay)', async () => {
    const { ws, github } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 422,
      times: 100
    })
    ws.inject({ method: 'DELETE', path: /^\/apikeys\/\d+$/, status: 403, times: 100 })
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-doomed', 'role-id': '3', 'max-attempts': '2' }),
      env()
    )
    expect(run.failed).toBe(true)
    const id = keyNamed('ci-doomed')!.ID
    expect(run.log).toMatch(new RegExp(`Deleting the new key ${id} failed`))
    expect(run.log).toContain(
      `%0ATo recover, in order:%0A1. Delete key ${id}: this run created it, and no destination holds its secret (operation delete, key-id ${id}).%0A2. Re-run this workflow: re-running is safe`
    )
    expect(run.log).not.toContain('Replay the sealed copies for')
    expect(run.summary).toContain('Sealed copies of the new secret: void')
    expectNoLeak(run)
  })

  it('a write answered 5xx may have landed: the key is kept, not deleted under a secret GitHub may hold', async () => {
    const { ws, github } = emulators.current
    // GitHub stores the secret, then answers 502 to every attempt.
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 502,
      act: true,
      times: 100
    })
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-maybe', 'role-id': '3', 'max-attempts': '2' }),
      env()
    )
    expect(run.failed).toBe(true)
    const created = keyNamed('ci-maybe')!
    expect(ws.requests('DELETE', /^\/apikeys\//)).toHaveLength(0)
    expect(stored('octo/app')).toBe(created.secret)
    expect(ws.authenticates(created.secret)).toBe(true)
    expect(JSON.parse(run.outputs.result).destinations).toEqual([
      expect.objectContaining({ destination: 'repository octo/app', status: 'unclear' })
    ])
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
    expect(run.log).toContain(`The new key ${id} was deleted again: the sealed copies`)
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
      status: 422,
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

  it('an answer that names another key never makes the rollback delete that key', async () => {
    const { ws, github, admin } = emulators.current
    // The manager creates the key but its answer names the admin key (the authenticating key).
    ws.inject({
      method: 'POST',
      path: '/apikeys',
      act: true,
      rawBodyFor: (_request, response) =>
        JSON.stringify({ ...(response?.body as object), ID: admin.ID })
    })
    // GitHub refuses every write, so the run rolls back.
    github.inject({ method: 'PUT', path: `/repos/octo/app/actions/secrets/${SECRET}`, status: 422 })
    const run = await runInProcess(createInputs({ 'key-name': 'ci-forged', 'role-id': '3' }), env())
    expect(run.failed).toBe(true)
    expect(ws.requests('DELETE', /^\/apikeys\//)).toHaveLength(0)
    expect(ws.keys.has(admin.ID)).toBe(true)
    expect(ws.authenticates(admin.secret)).toBe(true)
    expect(keyNamed('ci-forged')).toBeDefined()
    expect(run.log).toContain(
      `Key ${admin.ID} is not the key this run created (it is key ${admin.ID} "ci-admin", the key this action authenticates with): nothing was deleted,`
    )
    expect(run.log).toContain('Find the key named "ci-forged"')
  })
})
