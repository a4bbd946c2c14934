/*
 * Limits and malformed answers: a deadline for the whole request (headers and body), answers
 * capped at 1 MiB, bounded paging, and an answer that is HTML, cut off or holds an impossible
 * timestamp: each run fails cleanly (::error::, summary, outputs), fast, and changes nothing.
 * The regeneration's own malformed answers: operations/rotate-regeneration-answers.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { rotationInputs, runBundled, runInProcess, type Inputs } from '../support/action.js'
import { checks, expectReported } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites, regenerations } = checks(emulators)
const SECRET = 'WS_KEY'

function rotateInputs(extra: Inputs, secret: string): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
}

function env(): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

describe('malformed answers', () => {
  it('a key lookup answered with HTML fails clearly and changes nothing', async () => {
    const { ws, github, deployer, admin } = emulators.current
    ws.inject({
      method: 'GET',
      path: `/apikeys/${deployer.ID}`,
      rawBody: '<html>Sign in to the proxy</html>'
    })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), repositories: 'octo/app' }, admin.secret),
      {
        GITHUB_API_URL: github.url
      }
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `GET /apikeys/${deployer.ID} answered HTTP 200 with a body that is not the expected JSON`
    )
    expect(run.outputs.changed).toBe('false')
    expect(ws.authenticates(deployer.secret)).toBe(true)
    expect(github.requests('PUT')).toHaveLength(0)
  })
})

describe('an answer cut off mid-body', () => {
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
    expect(run.log).toMatch(/::error::unchanged: GET \/apikeys\/\d+ answered HTTP 200, then failed/)
    expectReported(run)
    expectNoLeak(run)
  })
})

describe('an out-of-range timestamp in a key', () => {
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

describe('deadlines and caps', () => {
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
      expect(run.log).toMatch(/::error::unchanged: GET \/apikeys\/\d+ /)
      expect(run.summary).toContain('<h2>unchanged: Workload Security API key')
      expectNoLeak(run)
    }
  )

  it.each([
    ['the manager', 'describe'],
    ['GitHub', 'rotate']
  ])(
    'bundle: the deadline of a request to %s still fires after garbage collections',
    async (_server, operation) => {
      const { ws, github, admin, deployer } = emulators.current
      // A request that never answers, while the action collects garbage every 50 ms.
      if (operation === 'describe')
        ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, hang: true })
      else github.inject({ method: 'GET', path: /public-key$/, hang: true })
      const started = performance.now()
      const run = await runBundled(
        {
          operation,
          'api-secret-key': admin.secret,
          'api-url': ws.url,
          'key-id': String(deployer.ID),
          'timeout-seconds': '1',
          'max-attempts': '1',
          ...(operation === 'rotate' && { 'secret-name': SECRET, 'github-token': WRITE_TOKEN })
        },
        {
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: 'octo/app',
          NODE_OPTIONS:
            '--expose-gc --import=data:text/javascript,setInterval(()=>globalThis.gc(),50).unref()'
        }
      )
      expect(performance.now() - started).toBeLessThan(6000)
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/no complete answer within 1 s/)
      expectReported(run)
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
    const run = await runInProcess(rotateInputs({ organization: 'octo' }, old), env())
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
