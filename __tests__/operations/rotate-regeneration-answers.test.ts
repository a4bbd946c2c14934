/*
 * The regeneration's answer, whatever it is: refused (the secret did not change, and the run
 * says so), lost, cut off, malformed or slow. Never a second secret after an answer that may
 * have issued one; a 200 that carries a secretKey is kept; the recovery is printed.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { timerDeadline } from '../../src/clock.js'
import { runBundled, runInProcess, type Inputs } from '../support/action.js'
import { checks, expectReported } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, regenerations } = checks(emulators)
const SECRET = 'WS_API_KEY'
const { rotateInputs, env, secretOf, stored } = rotationHelpers(emulators, SECRET)

/** The admin key rotating the deployer key. */
function rotateOther(extra: Inputs = {}): Inputs {
  return rotateInputs({ 'key-id': String(emulators.current.deployer.ID), ...extra })
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
})

describe('rotate another key with an admin key', () => {
  it('a lost regeneration answer fails the run without a second regeneration, with the recovery', async () => {
    const { deployer, ws } = emulators.current
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, drop: 'after' })
    const run = await runInProcess(rotateInputs({ 'key-id': String(deployer.ID) }), env())
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    expect(run.log).toContain('No second secret was issued')
    expect(run.log).toContain(
      `::error::unknown: The answer to the regeneration of key ${deployer.ID}`
    )
    expect(run.log).toContain(
      `%0ATo recover, in order:%0A1. Re-run this workflow: re-running is safe (it issues a fresh secret for key ${deployer.ID}`
    )
    expect(run.outputs.changed).toBe('unknown')
    expect(stored('octo/app')).toBeUndefined()
  })
})

describe('a slow manager completes a regeneration after the request timed out', () => {
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
        rotateInputs(
          {
            ...(!self && { 'key-id': String(deployer.ID) }),
            repositories: 'octo/app\nocto/api'
          },
          self ? old : admin.secret
        ),
        env()
      )
      expect(run.failed).toBe(true)
      // Exactly one regeneration: a second would silently kill the first, or vice versa.
      expect(regenerations()).toBe(1)
      expect(ws.log.find((e) => /secretkey$/.test(e.path))?.acted).toBe(true)
      expect(run.log).toMatch(/No second secret was issued/)
      expect(run.log).toMatch(
        /%0ATo recover, in order:%0A1\. (Re-run this workflow: re-running is safe|With another key .* operation rotate)/
      )
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
    const run = await runBundled(rotateInputs({ 'timeout-seconds': '1' }, old), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(regenerations()).toBe(1)
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(run.outputs).toMatchObject({ changed: 'true', 'secrets-updated': '1' })
    expectNoLeak(run, old)
  }, 20_000)
})

describe('a secret regeneration', () => {
  it('is waited for at least 120 s, whatever timeout-seconds says', async () => {
    const { ws, deployer } = emulators.current
    const deadlines: number[] = []
    // The run's clock sets each request's deadline: record the ones it asks for.
    const run = await runInProcess(rotateOther({ 'timeout-seconds': '1' }), env(), {
      deadline: (ms) => {
        deadlines.push(ms)
        return timerDeadline(Math.min(ms, 2000))
      }
    })
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    // Every other request keeps timeout-seconds; one deadline (the regeneration's) is 120 s.
    expect(deadlines.filter((ms) => ms !== 1000)).toEqual([120_000])
  })
})

describe('an answer cut off mid-body', () => {
  it('on a regeneration: an unclear answer; fails after exactly one request', async () => {
    const { ws, admin, deployer } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, truncate: true })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID) }, admin.secret),
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

describe('a 200 to a regeneration with a malformed body that still carries secretKey', () => {
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
      const run = await runner(rotateInputs({}, old), env())
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

describe('malformed answers', () => {
  it('a regeneration answered without secretKey is checked, not taken as success', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    ws.inject({
      method: 'POST',
      path: '/apikeys/current/secretkey',
      status: 200,
      body: { ID: deployer.ID, keyName: deployer.keyName, roleID: deployer.roleID, active: true }
    })
    const run = await runInProcess(rotateInputs({ repositories: 'octo/app' }, old), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain('without a new secretKey')
    expect(run.log).toContain('The previous secret still authenticated when checked')
    expect(run.log).toContain('no GitHub secret was changed')
    expect(ws.authenticates(old)).toBe(true)
    expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(old)
  })

  it('a non-JSON regeneration answer after the manager acted is reported as a lost answer', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    // The manager acts, then a proxy replaces its answer: inject after acting by dropping the
    // real answer and checking what the action concludes from the old secret.
    ws.inject({ method: 'POST', path: '/apikeys/current/secretkey', drop: 'after' })
    const run = await runInProcess(rotateInputs({ repositories: 'octo/app' }, old), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain('the manager issued a new secret that never reached this run')
    expect(ws.authenticates(old)).toBe(false)
  })
})

describe('an answer cut off after its secretKey', () => {
  it('keeps the whole secret that arrived, stores it and verifies it', async () => {
    const { ws, deployer } = emulators.current
    const old = deployer.secret
    // The manager issues the secret; the connection drops halfway through an answer whose
    // secretKey comes first.
    ws.inject({
      method: 'POST',
      path: `/apikeys/${deployer.ID}/secretkey`,
      act: true,
      truncate: true,
      rawBodyFor: (_request, response) => {
        const { secretKey, ...rest } = (response?.body ?? {}) as Record<string, unknown>
        return JSON.stringify({ secretKey, ...rest, padding: 'x'.repeat(4_000) })
      }
    })
    const run = await runInProcess(rotateOther(), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(regenerations()).toBe(1)
    const fresh = secretOf(deployer.ID)
    expect(fresh).not.toBe(old)
    expect(stored('octo/app')).toBe(fresh)
    expect(run.outputs).toMatchObject({ 'secrets-updated': '1' })
    expect(JSON.parse(run.outputs.result).verified).toBe(true)
    expectNoLeak(run, old, fresh)
  })
})
