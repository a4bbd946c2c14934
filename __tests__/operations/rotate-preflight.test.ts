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
