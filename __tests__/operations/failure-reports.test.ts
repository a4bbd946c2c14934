/*
 * What a failed run says (SPEC 3, "After a failure: what the run says"): the state word first,
 * one recovery path that, followed literally, leaves every destination with a working secret,
 * never a replay of copies whose key it deletes, and no request with a secret the run revoked.
 * Each case here is one that v1.0.0 reported wrongly.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { VisionOneKey } from '../../emulators/vision-one.js'
import { valueOf as cloudOneValue, type CloudOneKey } from '../../emulators/cloud-one.js'
import { Cancellation } from '../../src/cancellation.js'
import { runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import {
  cloudOneEnv,
  cloudOneInputs,
  useCloudOne,
  useEmulators,
  useVisionOne,
  visionOneEnv,
  visionOneInputs
} from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

/** The `::error::` message as the runner shows it (workflow-command escapes undone). */
function failure(run: ActionRun): string {
  const line = run.log.split('\n').find((l) => l.startsWith('::error::')) ?? ''
  return line
    .slice('::error::'.length)
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%')
}

/** The numbered steps under "To recover, in order:". */
function steps(run: ActionRun): string[] {
  const lines = failure(run).split('\n')
  const at = lines.indexOf('To recover, in order:')
  return at < 0 ? [] : lines.slice(at + 1).map((l) => l.replace(/^\d+\. /, ''))
}

describe('Vision One replace', () => {
  const world = useVisionOne()
  const SECRET = 'V1_TOKEN'
  const REPOS = ['octo/app', 'octo/api']
  const inputs = (extra: Inputs = {}): Inputs =>
    visionOneInputs(world.current, 'rotate', {
      'key-name': 'deployer-a',
      'secret-name': SECRET,
      'github-token': WRITE_TOKEN,
      repositories: REPOS.join(','),
      ...extra
    })
  const env = (): Record<string, string> => visionOneEnv(world.current)
  const seed = (key: VisionOneKey): void => {
    for (const repository of REPOS)
      world.current.github.seedSecret({ repository }, SECRET, { value: key.secret })
  }
  const stored = (repository: string): string | undefined =>
    world.current.github.secret({ repository }, SECRET)?.value
  const next = (): VisionOneKey[] =>
    [...world.current.v1.keys.values()].filter((k) => k.name.startsWith('deployer-a-next-'))

  it('cancelled after the new key exists, before any write: the key goes, its copies are void, and the one step is a re-run', async () => {
    const { v1, github } = world.current
    const old = v1.keyNamed('deployer-a')!
    seed(old)
    const cancellation = new Cancellation()
    // SIGINT while the new token proves itself: no write may follow, the proof is cut short.
    v1.inject({
      method: 'GET',
      path: '/v3.0/healthcheck/connectivity',
      when: () => (cancellation.receive('SIGINT'), true),
      status: 401
    })
    const run = await runInProcess(inputs(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(github.requests('PUT', new RegExp(`/secrets/${SECRET}$`))).toEqual([])
    // The clean-up went out after the signal: no key is left that nothing holds.
    expect(next()).toEqual([])
    expect(v1.requests('POST', '/v3.0/iam/apiKeys/delete')).toHaveLength(1)
    for (const repository of REPOS) expect(stored(repository)).toBe(old.secret)
    const said = failure(run)
    expect(said).toMatch(/^unchanged: /)
    expect(said).not.toMatch(/failed too|Deleting the new key .* failed/)
    expect(said).toContain('are void (do not replay them)')
    expect(steps(run)).toEqual([
      expect.stringMatching(
        /^Re-run this workflow: re-running is safe \(every destination holds the old, working token/
      )
    ])
    expect(run.summary).toMatch(/^<h2>unchanged: Vision One API key: rotate<\/h2>/)
    expect(run.summary).toContain('Sealed copies of the new secret: void')
  })

  it('a rename that acted but answered 5xx is a warning that says it may have happened, and the run is green', async () => {
    const { v1 } = world.current
    seed(v1.keyNamed('deployer-a')!)
    v1.inject({ method: 'PATCH', status: 502, act: true, times: 10 })
    const run = await runInProcess(inputs({ 'max-attempts': '1' }), env())
    expect(run.failed).toBe(false)
    const [fresh] = [...v1.keys.values()].filter((k) => k.secret === stored('octo/app'))
    expect(fresh.name).toBe('deployer-a')
    expect(run.log).toMatch(/::warning::.*it may or may not be renamed/)
    expect(run.log).not.toMatch(/::warning::.*renaming it to "deployer-a" failed/)
  })

  it('a signal before the rename: no PATCH after it, the run fails as done and a re-run finishes', async () => {
    const { v1 } = world.current
    const old = v1.keyNamed('deployer-a')!
    seed(old)
    const cancellation = new Cancellation()
    // SIGINT during the old key's confirmation read, once the rename's read of the new key's
    // ETag (which goes beside the delete) is in: the PATCH must not follow.
    const deleted = (): boolean => v1.requests('POST', '/v3.0/iam/apiKeys/delete').length > 0
    v1.inject({
      method: 'GET',
      path: /^\/v3\.0\/iam\/apiKeys\/[^/]+$/,
      when: (request) =>
        deleted() && request.path.endsWith(old.id) && (cancellation.receive('SIGINT'), true),
      respondAfterMs: 1
    })
    const run = await runInProcess(inputs(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(v1.requests('PATCH')).toEqual([])
    expect(failure(run)).toMatch(
      /^done: Every destination holds the token of key .* the old key is deleted; the run was cancelled \(SIGINT\) before renaming it/
    )
    expect(steps(run)).toEqual([expect.stringMatching(/^Re-run this workflow: re-running is safe/)])
    // Followed: a re-run takes the key for the one to replace and ends green.
    const again = await runInProcess(inputs(), env(), {
      now: () => Date.now() + 2000
    })
    expect(again.failed ? again.log : '').toBe('')
    expect(v1.keyNamed('deployer-a')?.secret).toBe(stored('octo/app'))
    expect(next()).toEqual([])
  })

  it('the list before the delete fails: the error says every destination holds the new token and nothing was deleted', async () => {
    const { v1 } = world.current
    const old = v1.keyNamed('deployer-a')!
    seed(old)
    // The first list is preflight's, the second the create's look-up; the third is the re-list.
    const written = (): boolean =>
      world.current.github.requests('PUT', new RegExp(`/secrets/${SECRET}$`)).length ===
      REPOS.length
    v1.inject({
      method: 'GET',
      path: '/v3.0/iam/apiKeys',
      status: 500,
      times: 10,
      when: written
    })
    const run = await runInProcess(inputs({ 'max-attempts': '1' }), env())
    expect(run.failed).toBe(true)
    expect(v1.keys.has(old.id)).toBe(true)
    const said = failure(run)
    expect(said).toMatch(
      /^done: Every destination holds the token of the new key .*: nothing was deleted/
    )
    expect(steps(run)).toEqual([expect.stringMatching(/^Re-run this workflow: re-running is safe/)])
  })
})

describe('Workload Security rotation', () => {
  const emulators = useEmulators()
  const SECRET = 'WS_API_KEY'
  const { rotateInputs, env, stored } = rotationHelpers(emulators, SECRET)

  it('of the key the action authenticates with: no request carries its revoked secret, and the role is still named', async () => {
    const { ws, admin } = emulators.current
    const old = admin.secret
    const run = await runInProcess(rotateInputs({ repositories: 'octo/app' }, old), env())
    expect(run.failed ? run.log : '').toBe('')
    const issuedAt = ws.log.findIndex((e) => /secretkey$/.test(e.path))
    expect(issuedAt).toBeGreaterThan(0)
    const late = ws.log
      .slice(issuedAt + 1)
      .filter((e) => e.headers['api-secret-key'] === old)
      .map((e) => `${e.method} ${e.path} -> ${e.status}`)
    expect(late).toEqual([])
    expect(ws.log.filter((e) => e.status === 401)).toEqual([])
    expect(run.outputs['role-name']).toBe(ws.roles.get(admin.roleID)!.name)
    expect(stored('octo/app')).toBe(ws.keys.get(admin.ID)!.secret)
  })

  it('a probe that could not be removed is deleted first, then the missing destination replayed', async () => {
    const { github, deployer } = emulators.current
    github.inject({
      method: 'DELETE',
      path: `/repos/octo/app/actions/secrets/${SECRET}_ROTATION_PROBE`,
      status: 403,
      times: 10
    })
    github.inject({ method: 'PUT', path: `/repos/octo/api/actions/secrets/${SECRET}`, status: 403 })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), repositories: 'octo/app, octo/api' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(failure(run)).toMatch(/^partial: /)
    expect(steps(run)).toEqual([
      expect.stringMatching(
        new RegExp(`^Delete the secret ${SECRET}_ROTATION_PROBE of repository octo/app: `)
      ),
      // A copy is good only until a newer secret: a replay after a later run would kill it.
      expect.stringMatching(
        /^Replay the sealed copies for: repository octo\/api\. .* Only until a later run issues a newer secret for this key: its copies are void then/
      )
    ])
    expect(stored('octo/app', `${SECRET}_ROTATION_PROBE`)).toBeDefined()
  })
})

describe('Cloud One replace: what a run stopped half way leaves, a re-run can replace', () => {
  const world = useCloudOne()
  const SECRET = 'C1_KEY'
  const REPOS = ['octo/app', 'octo/api']
  const inputs = (extra: Inputs = {}): Inputs =>
    cloudOneInputs(world.current, 'rotate', {
      'key-name': 'deployer-a',
      'secret-name': SECRET,
      'github-token': WRITE_TOKEN,
      repositories: REPOS.join(','),
      'max-attempts': '1',
      ...extra
    })
  const env = (): Record<string, string> => cloudOneEnv(world.current)
  const stored = (repository: string): string | undefined =>
    world.current.github.secret({ repository }, SECRET)?.value
  const seed = (key: CloudOneKey): void => {
    for (const repository of REPOS)
      world.current.github.seedSecret({ repository }, SECRET, { value: cloudOneValue(key) })
  }
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14)
  /** The re-run the recovery promises: green, and one key of the name that every destination holds. */
  async function rerunFinishes(): Promise<void> {
    const { c1 } = world.current
    c1.clearFaults()
    const again = await runInProcess(inputs(), env(), { now: () => Date.now() + 2000 })
    expect(again.failed ? again.log : '').toBe('')
    const named = c1.keyNamed('deployer-a')!
    for (const repository of REPOS) expect(stored(repository)).toBe(cloudOneValue(named))
    expect([...c1.keys.values()].filter((k) => k.alias.startsWith('deployer-a'))).toHaveLength(1)
  }

  it('a 404 to the delete of a key that can still be read is no "already gone": the run fails, the key stays, a re-run finishes', async () => {
    const { c1, deployerA } = world.current
    seed(deployerA)
    c1.inject({ method: 'DELETE', path: `/apikeys/${deployerA.id}`, status: 404 })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(c1.keys.has(deployerA.id)).toBe(true)
    expect(failure(run)).toMatch(/^done: .*answered HTTP 404, but key .* can still be read/)
    expect(steps(run)).toEqual([expect.stringMatching(/^Re-run this workflow: re-running is safe/)])
    await rerunFinishes()
  })

  it('with a leftover beside the key of the name, the leftover goes first: a failed delete leaves the key of the name, and a re-run finishes', async () => {
    const { c1, deployerA } = world.current
    seed(deployerA)
    const at = Date.now() - 86_400_000
    const left = c1.addKey({
      alias: `deployer-a-next-${stamp(at)}`,
      roleID: deployerA.roleID,
      created: at
    })
    // The leftover's delete fails; had the key of the name gone first, no key would have it.
    c1.inject({ method: 'DELETE', path: `/apikeys/${left.id}`, status: 500, times: 5 })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(c1.keyNamed('deployer-a')?.id).toBe(deployerA.id)
    await rerunFinishes()
  })

  it('with no key of the name, the new key takes it before the old one is deleted: a failed delete leaves what a re-run finishes', async () => {
    const { c1, deployerA } = world.current
    const at = Date.now() - 86_400_000
    const left = c1.addKey({
      alias: `deployer-a-next-${stamp(at)}`,
      roleID: deployerA.roleID,
      created: at
    })
    c1.keys.delete(deployerA.id)
    seed(left)
    c1.inject({ method: 'DELETE', path: `/apikeys/${left.id}`, status: 500, times: 5 })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    const named = c1.keyNamed('deployer-a')!
    expect(named.id).not.toBe(left.id)
    for (const repository of REPOS) expect(stored(repository)).toBe(cloudOneValue(named))
    await rerunFinishes()
  })

  it('alternate warns when the pair took turns less than a day ago (jobs that read the idle key lose it now)', async () => {
    const { deployerA, deployerB } = world.current
    // deployer-b took over an hour ago; deployer-a, created before it, is idle.
    deployerA.created = Date.now() - 40 * 86_400_000
    deployerB.created = Date.now() - 3_600_000
    const run = await runInProcess(
      cloudOneInputs(world.current, 'rotate', {
        'key-name': 'deployer-a\ndeployer-b',
        strategy: 'alternate',
        'secret-name': SECRET,
        'github-token': WRITE_TOKEN,
        repositories: REPOS.join(',')
      }),
      env()
    )
    expect(run.log).toMatch(
      /::warning::key \w+ "deployer-b" took over less than a day ago; .*lose their credential now/
    )
  })
})
