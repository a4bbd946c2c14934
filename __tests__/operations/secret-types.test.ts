import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { SecretLocation, SecretType } from '../../emulators/github.js'
import {
  leaks,
  replayCommands,
  runInProcess,
  type ActionRun,
  type Inputs
} from '../support/action.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

/*
 * Dependabot and Codespaces secrets: each type has its own endpoints, key pairs and token
 * permission; organization secrets of every type keep or set exactly the repositories that may
 * read them.
 */

const emulators = useEmulators()

const SECRET = 'WS_API_KEY'
const { rotateInputs, env, secretOf } = rotationHelpers(emulators, SECRET)
const PROBE = `${SECRET}_ROTATION_PROBE`
/** A token that may write Actions secrets only. */
const ACTIONS_ONLY_TOKEN = 'ghp_emulatedActionsOnlyToken00000000003'
const TYPES: SecretType[] = ['dependabot', 'codespaces']

function expectNoLeak(run: ActionRun, ...secrets: string[]): void {
  const all = [...emulators.current.ws.keys.values()].map((k) => k.secret)
  expect(leaks(run, [...new Set([...secrets, ...all]), WRITE_TOKEN, ACTIONS_ONLY_TOKEN])).toEqual(
    []
  )
}

/** GitHub requests that change something, as `METHOD path`. */
function githubWrites(): string[] {
  return emulators.current.github.log
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`)
}

/** The body of the printed replay command for `path` (below the GitHub API URL). */
function replayBody(
  run: ActionRun,
  path: string
): { encrypted_value: string; key_id: string; visibility?: string } {
  const url = emulators.current.github.url + path
  const command = replayCommands(run.log).find((c) => c.url === url)
  expect(command).toBeDefined()
  return JSON.parse(command!.body) as { encrypted_value: string; key_id: string }
}

/** The scope a test writes to, how to name it in the inputs, and its REST paths. */
interface Scope {
  name: 'repository' | 'organization'
  inputs: Inputs
  where: SecretLocation
  path: string
}

function scopes(type: SecretType): Scope[] {
  return [
    {
      name: 'repository',
      inputs: { repositories: 'octo/app', 'secret-type': type },
      where: { repository: 'octo/app', type },
      path: `/repos/octo/app/${type}/secrets`
    },
    {
      name: 'organization',
      inputs: { organization: 'octo', 'secret-type': type },
      where: { organization: 'octo', type },
      path: `/orgs/octo/${type}/secrets`
    }
  ]
}

const PERMISSIONS: Record<string, string> = {
  'dependabot repository': 'the repository permission "Dependabot secrets: Read and write"',
  'dependabot organization':
    'the organization permission "Organization dependabot secrets: Read and write"',
  'codespaces repository': 'the repository permission "Codespaces secrets: Read and write"',
  'codespaces organization':
    'the organization permission "Organization codespaces secrets: Read and write"'
}

describe.each(TYPES)('secret-type %s', (type) => {
  describe.each(scopes(type).map((s) => [s.name, s] as const))('%s secret', (_name, scope) => {
    it('stores the new secret of another key, proving write access with a probe of that type', async () => {
      const { deployer, ws, github } = emulators.current
      const old = deployer.secret
      const run = await runInProcess(
        rotateInputs({ 'key-id': String(deployer.ID), ...scope.inputs }),
        env()
      )
      expect(run.failed ? run.log : '').toBe('')
      const fresh = secretOf(deployer.ID)
      expect(fresh).not.toBe(old)
      // Opened with this scope's own private key, as GitHub would.
      expect(github.secret(scope.where, SECRET)?.value).toBe(fresh)
      expect(ws.authenticates(fresh)).toBe(true)
      // No Actions secret was touched.
      expect(github.secret({ ...scope.where, type: 'actions' }, SECRET)).toBeUndefined()
      expect(githubWrites()).toEqual([
        `PUT ${scope.path}/${PROBE}`,
        `PUT ${scope.path}/${SECRET}`,
        `DELETE ${scope.path}/${PROBE}`
      ])
      expect(github.secret(scope.where, PROBE)).toBeUndefined()
      expect(github.requests('GET', `${scope.path}/public-key`)).toHaveLength(1)
      // The replay command names this type's path, and its ciphertext opens to the new secret.
      const replay = replayBody(run, `${scope.path}/${SECRET}`)
      expect(replay.key_id).toBe(github.keyId(scope.where))
      expect(github.open(scope.where, replay.encrypted_value)).toBe(fresh)
      expect(run.outputs['secrets-updated']).toBe('1')
      expectNoLeak(run, old, fresh)
    })

    it('rotating current re-writes the current value to that type as the write proof', async () => {
      const { deployer, github } = emulators.current
      const old = deployer.secret
      github.seedSecret(scope.where, SECRET, {
        value: old,
        ...(scope.name === 'organization' && { visibility: 'all' as const })
      })
      const run = await runInProcess(rotateInputs(scope.inputs, old), env())
      expect(run.failed ? run.log : '').toBe('')
      const fresh = secretOf(deployer.ID)
      expect(github.secret(scope.where, SECRET)?.value).toBe(fresh)
      expect(githubWrites()).toEqual([`PUT ${scope.path}/${SECRET}`, `PUT ${scope.path}/${SECRET}`])
      const [proof] = github.requests('PUT', `${scope.path}/${SECRET}`)
      const body = proof.body as { encrypted_value: string; visibility?: string }
      expect(github.open(scope.where, body.encrypted_value)).toBe(old)
      if (scope.name === 'organization') {
        expect(body.visibility).toBe('all')
        expect(github.secret(scope.where, SECRET)?.visibility).toBe('all')
      }
      const replay = replayBody(run, `${scope.path}/${SECRET}`)
      expect(github.open(scope.where, replay.encrypted_value)).toBe(fresh)
      expectNoLeak(run, old, fresh)
    })

    it('a token that may write Actions secrets only fails in preflight naming the permission; nothing changed', async () => {
      const { deployer, ws, github } = emulators.current
      github.addToken(ACTIONS_ONLY_TOKEN, { write: true, writeTypes: ['actions'] })
      const old = deployer.secret
      const run = await runInProcess(
        rotateInputs({
          'key-id': String(deployer.ID),
          'github-token': ACTIONS_ONLY_TOKEN,
          ...scope.inputs
        }),
        env()
      )
      expect(run.failed).toBe(true)
      expect(run.log).toContain('HTTP 403')
      expect(run.log).toContain(PERMISSIONS[`${type} ${scope.name}`])
      expect(run.log).toContain('was NOT changed')
      expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
      expect(secretOf(deployer.ID)).toBe(old)
      expect(ws.authenticates(old)).toBe(true)
      expect(github.log.filter((e) => e.method !== 'GET' && e.status !== 403)).toEqual([])
      expect(github.secret(scope.where, SECRET)).toBeUndefined()
      expect(github.secret(scope.where, PROBE)).toBeUndefined()
      expectNoLeak(run, old)
    })
  })

  describe('organization visibility', () => {
    const where: SecretLocation = { organization: 'octo', type }
    const path = `/orgs/octo/${type}/secrets/${SECRET}`
    const ids = (...names: string[]): number[] =>
      names.map((n) => emulators.current.github.repositories.get(n)!.id).sort((a, b) => a - b)

    it('visibility: selected with repositories sets exactly those repositories', async () => {
      const { deployer, github } = emulators.current
      github.seedSecret(where, SECRET, {
        value: 'old',
        visibility: 'selected',
        selectedRepositoryIds: ids('octo/web')
      })
      const run = await runInProcess(
        rotateInputs({
          'key-id': String(deployer.ID),
          'secret-type': type,
          organization: 'octo',
          visibility: 'selected',
          repositories: 'octo/app, octo/api'
        }),
        env()
      )
      expect(run.failed ? run.log : '').toBe('')
      const secret = github.secret(where, SECRET)!
      expect(secret.value).toBe(secretOf(deployer.ID))
      expect(secret.visibility).toBe('selected')
      expect([...secret.selectedRepositoryIds!].sort((a, b) => a - b)).toEqual(
        ids('octo/app', 'octo/api')
      )
      expect(github.requests('GET', '/repos/octo/app')).toHaveLength(1)
      expect(github.requests('GET', '/repos/octo/api')).toHaveLength(1)
      const replay = replayBody(run, path)
      expect(replay.visibility).toBe('selected')
      expect(github.open(where, replay.encrypted_value)).toBe(secretOf(deployer.ID))
      expectNoLeak(run)
    })

    it('a misspelt repository fails in preflight with nothing changed', async () => {
      const { deployer, ws, github } = emulators.current
      const old = deployer.secret
      const run = await runInProcess(
        rotateInputs({
          'key-id': String(deployer.ID),
          'secret-type': type,
          organization: 'octo',
          visibility: 'selected',
          repositories: 'octo/app, octo/aip'
        }),
        env()
      )
      expect(run.failed).toBe(true)
      expect(run.log).toContain('could not find repository octo/aip')
      expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
      expect(secretOf(deployer.ID)).toBe(old)
      expect(githubWrites()).toEqual([])
      expect(github.secret(where, SECRET)).toBeUndefined()
      expectNoLeak(run, old)
    })

    it.each([
      ['without visibility', {}],
      ['with visibility: selected', { visibility: 'selected' }]
    ])(
      'an existing selected secret keeps its repositories (%s, no repositories)',
      async (_label, extra: Inputs) => {
        const { deployer, github } = emulators.current
        const selected = ids('octo/api', 'octo/web')
        github.seedSecret(where, SECRET, {
          value: 'old',
          visibility: 'selected',
          selectedRepositoryIds: selected
        })
        const run = await runInProcess(
          rotateInputs({
            'key-id': String(deployer.ID),
            'secret-type': type,
            organization: 'octo',
            ...extra
          }),
          env()
        )
        expect(run.failed ? run.log : '').toBe('')
        const secret = github.secret(where, SECRET)!
        expect(secret.value).toBe(secretOf(deployer.ID))
        expect(secret.visibility).toBe('selected')
        expect([...secret.selectedRepositoryIds!].sort((a, b) => a - b)).toEqual(selected)
        expectNoLeak(run)
      }
    )

    it.each([
      ['a private secret', { value: 'old', visibility: 'private' as const }],
      ['no secret yet', undefined]
    ])(
      'visibility: selected without repositories on %s fails before any regeneration',
      async (_label, seeded) => {
        const { deployer, ws, github } = emulators.current
        if (seeded) github.seedSecret(where, SECRET, seeded)
        const old = deployer.secret
        const run = await runInProcess(
          rotateInputs({
            'key-id': String(deployer.ID),
            'secret-type': type,
            organization: 'octo',
            visibility: 'selected'
          }),
          env()
        )
        expect(run.failed).toBe(true)
        expect(run.log).toContain('visibility: selected needs repositories')
        expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
        expect(secretOf(deployer.ID)).toBe(old)
        expect(githubWrites()).toEqual([])
        expect(github.secret(where, SECRET)).toEqual(
          seeded ? expect.objectContaining(seeded) : undefined
        )
        expectNoLeak(run, old)
      }
    )

    it('a self-rotation with a new visibility keeps the existing one during preflight', async () => {
      const { deployer, ws, github } = emulators.current
      const old = deployer.secret
      const selected = ids('octo/app')
      github.seedSecret(where, SECRET, {
        value: old,
        visibility: 'selected',
        selectedRepositoryIds: selected
      })
      ws.inject({
        method: 'POST',
        path: '/apikeys/current/secretkey',
        status: 403,
        body: { message: 'Regeneration refused for this test.' }
      })
      const inputs = rotateInputs(
        { 'secret-type': type, organization: 'octo', visibility: 'all' },
        old
      )
      const failed = await runInProcess(inputs, env())
      expect(failed.failed).toBe(true)
      expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
      expect(ws.authenticates(old)).toBe(true)
      // The write proof went out, with the existing visibility and repositories.
      const [proof] = github.requests('PUT', path)
      expect(github.requests('PUT', path)).toHaveLength(1)
      expect(proof.body).toMatchObject({
        visibility: 'selected',
        selected_repository_ids: selected
      })
      const after = github.secret(where, SECRET)!
      expect(after.value).toBe(old)
      expect(after.visibility).toBe('selected')
      expect(after.selectedRepositoryIds).toEqual(selected)
      expectNoLeak(failed, old)

      // Once the secret changes, the new visibility comes with the real write.
      const run = await runInProcess(inputs, env())
      expect(run.failed ? run.log : '').toBe('')
      const fresh = secretOf(deployer.ID)
      expect(github.secret(where, SECRET)).toMatchObject({ value: fresh, visibility: 'all' })
      expect(
        github.requests('PUT', path).map((e) => (e.body as { visibility: string }).visibility)
      ).toEqual(['selected', 'selected', 'all'])
      expectNoLeak(run, old, fresh)
    })
  })

  it('environment with this type is an input error before any request', async () => {
    const { deployer, ws, github } = emulators.current
    const run = await runInProcess(
      rotateInputs({
        'key-id': String(deployer.ID),
        'secret-type': type,
        environment: 'production'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `environment applies only with secret-type actions (${type} secrets have no environments)`
    )
    expect(ws.log).toEqual([])
    expect(github.log).toEqual([])
    expectNoLeak(run)
  })
})
