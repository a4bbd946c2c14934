/*
 * rotate preflight: before the secret changes, the key is resolved, every destination's public
 * key is fetched and write access is proved. Any failure stops the run with the key's secret
 * unchanged and every destination as it was (its value and its visibility).
 */
import { describe, expect, it } from '@jest/globals'
import { READ_ONLY_TOKEN } from '../../emulators/seed.js'
import { rotationInputs, runBundled, runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites, regenerations } = checks(emulators)
const SECRET = 'WS_API_KEY'

function rotateInputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
}

function env(repository = 'octo/app'): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: repository }
}

describe('rotate current', () => {
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
})

describe('preflight keeps an organization secret as it is', () => {
  it('visibility: all with a private secret and a refused regeneration: still private, still the old value', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    github.seedSecret({ organization: 'octo' }, SECRET, { value: old, visibility: 'private' })
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', status: 403 })
    const run = await runInProcess(
      rotateInputs({ organization: 'octo', visibility: 'all' }, old),
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

describe('visibility: selected without repositories on a secret that is not selected', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)('%s: fails before any regeneration', async (_how, runner) => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    github.seedSecret({ organization: 'octo' }, SECRET, { value: old, visibility: 'private' })
    const run = await runner(rotateInputs({ organization: 'octo', visibility: 'selected' }, old), {
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

describe('preflight never gives the live key a wider audience', () => {
  it('rotating the authenticating key into a new organization secret proves access with a probe, never by writing the live key', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    // The regeneration is refused: whatever preflight wrote stays behind.
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', status: 403 })
    const run = await runInProcess(
      rotateInputs({ organization: 'octo', visibility: 'selected', repositories: 'octo/app' }, old),
      env()
    )
    expect(run.failed).toBe(true)
    // The organization secret was never written: no repository of the organization can read
    // the live key. Only the probe (a random value) was, and it is gone.
    expect(github.requests('PUT', `/orgs/octo/actions/secrets/${SECRET}`)).toHaveLength(0)
    expect(github.secret({ organization: 'octo' }, SECRET)).toBeUndefined()
    expect(
      github.requests('PUT', `/orgs/octo/actions/secrets/${SECRET}_ROTATION_PROBE`)
    ).toHaveLength(1)
    expect(github.secret({ organization: 'octo' }, `${SECRET}_ROTATION_PROBE`)).toBeUndefined()
    expect(ws.authenticates(old)).toBe(true)
    expectNoLeak(run, old)
  })
})

describe("an organization secret's audience only from an answer that states it", () => {
  const PATH = `/orgs/octo/actions/secrets/${SECRET}`
  /** The live key's organization secret, readable by octo/app only. */
  function seedSelected(value: string): number[] {
    const ids = [emulators.current.github.addRepository('octo/app').id]
    emulators.current.github.seedSecret({ organization: 'octo' }, SECRET, {
      value,
      visibility: 'selected',
      selectedRepositoryIds: ids
    })
    return ids
  }

  it.each([
    ['no visibility', { name: SECRET }, 'it names "WS_API_KEY", visibility none'],
    [
      'another secret',
      { name: 'OTHER_SECRET', visibility: 'all' },
      'it names "OTHER_SECRET", visibility "all"'
    ],
    ['no name', { visibility: 'all' }, 'it names none, visibility "all"'],
    ['a visibility GitHub has not', { name: SECRET, visibility: 'public' }, 'visibility "public"'],
    ['not an object', null, 'it names none, visibility none'],
    [
      'server text that forges a command',
      { name: 'X\n::warning::forged', visibility: 'private' },
      'it names "X ::warning::forged"'
    ],
    [
      "404 while the organization's list names it (explorer seed 5259)",
      { status: 404, body: { message: 'Not Found' } },
      `answered HTTP 404, but the organization's list of secrets names ${SECRET}`
    ]
  ])(
    '%s: fails in preflight naming the secret, the answer and the visibility input; nothing changed',
    async (_case, body, answered) => {
      const { ws, github, deployer } = emulators.current
      const old = deployer.secret
      const ids = seedSelected(old)
      const fault = body !== null && 'status' in body ? body : { body }
      github.inject({ method: 'GET', path: PATH, ...fault })
      const run = await runInProcess(rotateInputs({ organization: 'octo' }, old), env())
      expect(run.failed).toBe(true)
      const error = run.log.split('\n').find((l) => l.startsWith('::error::'))
      expect(error).toContain(
        `Preflight could not tell who may read ${SECRET} of organization octo`
      )
      expect(error).toContain(answered)
      expect(error).toContain('Set the visibility input')
      expect(error).toContain("The key's secret was NOT changed.")
      expect(run.log).not.toMatch(/^::warning::forged/m)
      expect(regenerations()).toBe(0)
      expect(githubWrites()).toEqual([])
      expect(github.secret({ organization: 'octo' }, SECRET)).toMatchObject({
        value: old,
        visibility: 'selected',
        selectedRepositoryIds: ids
      })
      expect(ws.authenticates(old)).toBe(true)
      expectNoLeak(run, old)
    }
  )

  it('a selected secret whose repository list comes without ids fails in preflight; nothing changed', async () => {
    const { github, deployer } = emulators.current
    const old = deployer.secret
    seedSelected(old)
    github.inject({ method: 'GET', path: `${PATH}/repositories`, body: { total_count: 1 } })
    const run = await runInProcess(rotateInputs({ organization: 'octo' }, old), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /::error::.*Preflight could not tell who may read WS_API_KEY of organization octo: GET .*\/repositories\?per_page=100&page=1 answered HTTP 200 without a list of repositories/
    )
    expect(regenerations()).toBe(0)
    expect(githubWrites()).toEqual([])
  })

  it('with the visibility input, nothing of that answer is used: a probe proves access, the secret gets the asked audience', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    seedSelected(old)
    // An answer about another secret that all repositories may read.
    github.inject({ method: 'GET', path: PATH, body: { name: 'OTHER', visibility: 'all' } })
    const run = await runInProcess(
      rotateInputs({ organization: 'octo', visibility: 'private' }, old),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.log).toContain(
      `::warning::GitHub did not say who may read ${SECRET} of organization octo`
    )
    // The live key was never re-written (its audience unknown): a probe proved write access.
    const puts = github
      .requests('PUT')
      .map((e) => [e.path, (e.body as { visibility?: string }).visibility])
    expect(puts).toEqual([
      [`${PATH}_ROTATION_PROBE`, 'private'],
      [PATH, 'private']
    ])
    expect(github.secret({ organization: 'octo' }, SECRET)).toMatchObject({
      value: ws.keys.get(deployer.ID)!.secret,
      visibility: 'private'
    })
    expect(github.secret({ organization: 'octo' }, `${SECRET}_ROTATION_PROBE`)).toBeUndefined()
    expectNoLeak(run, old)
  })
})

describe('two runs never deliver to the same destination at once', () => {
  const PROBE = `${SECRET}_ROTATION_PROBE`

  it('a probe written minutes ago means another run is delivering: this run stops before anything changes', async () => {
    const { github, deployer } = emulators.current
    const recent = new Date(Date.now() - 3 * 60_000).toISOString()
    github.seedSecret({ repository: 'octo/api' }, PROBE, {
      value: 'another run',
      createdAt: recent,
      updatedAt: recent
    })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), repositories: 'octo/app\nocto/api' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `The probe secret ${PROBE} was written 3 minute(s) ago: another run seems to be delivering ${SECRET} to repository octo/api`
    )
    expect(run.log).toContain(
      `delete the secret ${PROBE} of repository octo/api, or wait 10 minutes`
    )
    expect(regenerations()).toBe(0)
    // The other run's probe is left alone; this run's own probe (octo/app) is removed.
    expect(github.secret({ repository: 'octo/api' }, PROBE)?.value).toBe('another run')
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeUndefined()
  })

  it('a probe that appears between the look and the write is another run too', async () => {
    const { github, deployer } = emulators.current
    // Another run writes its probe right after this run looked.
    github.inject({
      method: 'GET',
      path: `/repos/octo/app/actions/secrets/${PROBE}`,
      when: () => {
        setImmediate(() => github.seedSecret({ repository: 'octo/app' }, PROBE, { value: 'x' }))
        return false
      }
    })
    github.inject({ method: 'PUT', path: `/repos/octo/app/actions/secrets/${PROBE}`, delayMs: 50 })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain(`The probe secret ${PROBE} appeared while this run was writing it`)
    expect(regenerations()).toBe(0)
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeDefined()
  })

  it('a probe older than ten minutes is a leftover: the run takes it over, rotates, and removes it', async () => {
    const { github, deployer, ws } = emulators.current
    const old = new Date(Date.now() - 11 * 60_000).toISOString()
    github.seedSecret({ repository: 'octo/app' }, PROBE, {
      value: 'x',
      createdAt: old,
      updatedAt: old
    })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(
      ws.keys.get(deployer.ID)!.secret
    )
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeUndefined()
  })

  it("a probe write that landed but answered 5xx is this run's own: its retry finds it, and the run goes on", async () => {
    const { github, deployer, ws } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${PROBE}`,
      status: 500,
      act: true
    })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${PROBE}`)).toHaveLength(2)
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(
      ws.keys.get(deployer.ID)!.secret
    )
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeUndefined()
    expect(githubWrites()).toContain(`DELETE /repos/octo/app/actions/secrets/${PROBE}`)
  })

  it('a probe write that landed but answered 5xx, whose retry GitHub refused, is removed (explorer seed 7703)', async () => {
    const { github, deployer } = emulators.current
    const path = `/repos/octo/app/actions/secrets/${PROBE}`
    github.inject({ method: 'PUT', path, status: 500, act: true })
    github.inject({ method: 'PUT', path, status: 422 })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::unchanged: Preflight could not write/)
    expect(regenerations()).toBe(0)
    // The first attempt stored it: the refusal of the retry does not make it not this run's.
    expect(githubWrites()).toContain(`DELETE ${path}`)
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeUndefined()
  })

  it('a probe write that may have landed (every answer lost) is removed when preflight fails', async () => {
    const { github, deployer } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${PROBE}`,
      drop: 'after',
      times: 10
    })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain("the key's secret was NOT changed")
    expect(regenerations()).toBe(0)
    // GitHub stored it although no answer said so: the run removes it as its own.
    expect(
      github.requests('PUT', `/repos/octo/app/actions/secrets/${PROBE}`).length
    ).toBeGreaterThan(0)
    expect(githubWrites()).toContain(`DELETE /repos/octo/app/actions/secrets/${PROBE}`)
    expect(github.secret({ repository: 'octo/app' }, PROBE)).toBeUndefined()
  })
})

describe('a plan beyond writes-per-hour', () => {
  it('fails before any request, with the numbers and what to do instead', async () => {
    const { deployer, ws, github } = emulators.current
    const repositories = Array.from({ length: 200 }, (_, i) => `octo/r-${i}`)
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), repositories: repositories.join('\n') }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      '::error::unchanged: This run needs up to 600 GitHub writes (a write proof, the write and, for a probe, its removal, for each of 200 destination(s)); writes-per-hour allows 500.'
    )
    expect(run.log).toContain(
      'An organization secret with visibility: selected for these 200 repositories needs 3 writes in all.'
    )
    expect(run.log).toContain('Or write the repositories in batches of at most 166.')
    expect(ws.log).toHaveLength(0)
    expect(github.log).toHaveLength(0)
  })
})
