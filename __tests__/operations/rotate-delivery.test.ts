/*
 * Delivering the new secret: the replay block is in the log before the first write; writes
 * survive transient failures and rate limits; a destination that still fails, or whose write
 * went unanswered, fails the run, which names the destinations holding the new secret and
 * prints a replay that stores it.
 */
import { describe, expect, it } from '@jest/globals'
import { replayCommands, rotationInputs, runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak } = checks(emulators)
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

/** The admin key rotating the deployer key. */
function rotateOther(extra: Inputs = {}): Inputs {
  return rotateInputs({ 'key-id': String(emulators.current.deployer.ID), ...extra })
}

/** Written to the run's log by the GitHub emulator when a real write of the new secret arrives. */
const WRITE_ARRIVED = '<<the first write of the new secret reached GitHub>>'

describe('the replay block', () => {
  it('is in the log, for every destination, before the first write of the new secret reaches GitHub', async () => {
    const { github } = emulators.current
    const repositories = ['octo/app', 'octo/api', 'octo/web']
    let marked = false
    // The emulator runs in this process: when the first real write arrives, it marks the
    // log the run is writing at that moment. Everything above the mark was printed before.
    github.inject({
      method: 'PUT',
      path: new RegExp(`/actions/secrets/${SECRET}$`),
      times: repositories.length,
      when: () => {
        if (!marked) process.stdout.write(`${WRITE_ARRIVED}\n`)
        marked = true
        return false
      }
    })
    const run = await runInProcess(rotateOther({ repositories: repositories.join(',') }), env())
    expect(run.failed ? run.log : '').toBe('')
    const mark = run.log.indexOf(WRITE_ARRIVED)
    expect(mark).toBeGreaterThan(-1)
    const before = run.log.slice(0, mark)
    for (const repository of repositories) {
      expect(before).toContain(`Replay for repository ${repository}`)
      expect(before).toContain(`/repos/${repository}/actions/secrets/${SECRET}' \\`)
    }
  })
})

describe('rotate another key with an admin key', () => {
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
      // A 5xx proves nothing: GitHub may have stored it, so the destination is "not confirmed".
      /Destinations holding the new secret: repository octo\/app, repository octo\/web\. Not confirmed \(no answer arrived; the write may have landed, and replaying it is safe\): repository octo\/api\./
    )
    expect(run.log).toContain('1 of 3 destination(s) did not confirm the write')
    const replay = replayCommands(run.log).find((c) =>
      c.url.endsWith(`/repos/octo/api/actions/secrets/${SECRET}`)
    )
    expect(replay).toBeDefined()
    const body = JSON.parse(replay!.body) as { encrypted_value: string; key_id: string }
    expect(github.open({ repository: 'octo/api' }, body.encrypted_value)).toBe(fresh)
    expect(run.log).toContain(`${github.url}/repos/octo/api/actions/secrets/${SECRET}`)
    const result = JSON.parse(run.outputs.result)
    expect(result.destinations).toEqual([
      { destination: 'repository octo/app', status: 'created' },
      expect.objectContaining({ destination: 'repository octo/api', status: 'unclear' }),
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
})
