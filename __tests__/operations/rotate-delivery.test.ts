/*
 * Delivering the new secret: the replay block is in the log before the first write; writes
 * survive transient failures and rate limits; a destination that still fails, or whose write
 * went unanswered, fails the run, which names the destinations holding the new secret and
 * prints a replay that stores it.
 */
import { describe, expect, it } from '@jest/globals'
import { replayCommands, runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak } = checks(emulators)
const SECRET = 'WS_API_KEY'
const { rotateInputs, env, secretOf, stored } = rotationHelpers(emulators, SECRET)

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
      expect(before).toMatch(
        new RegExp(
          `^  curl .* '[^']*/repos/${repository}/actions/secrets/${SECRET}' -d '[^'\\n]+'$`,
          'm'
        )
      )
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
    // The sealed copies are in the summary only inside the collapsed replay block.
    const [outside, inside] = run.summary.split('<details>')
    expect(outside).not.toContain(body.encrypted_value)
    expect(inside).toContain(
      `Replay for repository octo/api (sealed for its public key ${body.key_id})`
    )
    expect(inside).toContain(body.encrypted_value)
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

describe("GitHub's answers are checked like any server text", () => {
  it('a public key whose key_id is not a plain token is refused before anything changes, and never printed', async () => {
    const { github, ws, deployer } = emulators.current
    const old = deployer.secret
    const forged = `1"\n::stop-commands::pwned\n' ; touch /tmp/forged-key-id ; '`
    github.inject({
      method: 'GET',
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 200,
      body: { key_id: forged, key: 'A'.repeat(43) + '=' }
    })
    const run = await runInProcess(rotateOther(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toContain('without a plain key_id and a 32-byte key')
    expect(run.log).not.toMatch(/^::stop-commands::/m)
    expect(run.log).not.toContain('touch /tmp/forged-key-id')
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(secretOf(deployer.ID)).toBe(old)
  })

  it('a write answered 200 (not 201 or 204) proves nothing: the destination is unclear and the run fails', async () => {
    const { github, deployer } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      status: 200,
      body: {},
      act: true
    })
    const run = await runInProcess(rotateOther(), env())
    expect(run.failed).toBe(true)
    expect(JSON.parse(run.outputs.result).destinations).toEqual([
      expect.objectContaining({ destination: 'repository octo/app', status: 'unclear' })
    ])
    expect(run.outputs['secrets-updated']).toBe('0')
    expect(run.log).toContain('answered HTTP 200, not 201 or 204')
    expect(stored('octo/app')).toBe(secretOf(deployer.ID))
  })
})

describe('GitHub changes a public key between preflight and the write', () => {
  it('the secret is sealed again for the new key, the new copy printed before it is sent, and stored', async () => {
    const { github, deployer } = emulators.current
    const before = github.keyId({ repository: 'octo/api' })
    // GitHub replaces octo/api's key pair right before the real write arrives.
    let rotated = false
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      when: () => {
        if (!rotated) github.rotatePublicKey({ repository: 'octo/api' })
        rotated = true
        return false
      },
      times: 10
    })
    const run = await runInProcess(rotateOther({ repositories: 'octo/app\nocto/api' }), env())
    expect(run.failed ? run.log : '').toBe('')
    const after = github.keyId({ repository: 'octo/api' })
    expect(after).not.toBe(before)
    const fresh = secretOf(deployer.ID)
    expect(stored('octo/api')).toBe(fresh)
    expect(stored('octo/app')).toBe(fresh)
    expect(
      github.requests('PUT', `/repos/octo/api/actions/secrets/${SECRET}`).map((e) => e.status)
    ).toEqual([422, 201])
    expect(run.log).toContain(
      `GitHub's public key of repository octo/api changed since preflight (now ${after})`
    )
    // Both copies are printed: the first for the old key, the second (which GitHub opens) for the new.
    const copies = replayCommands(run.log).filter((c) => c.label === 'repository octo/api')
    expect(copies.map((c) => c.keyId)).toEqual([before, after])
    const body = JSON.parse(copies[1].body) as { encrypted_value: string }
    expect(github.open({ repository: 'octo/api' }, body.encrypted_value)).toBe(fresh)
    expectNoLeak(run)
  })
})
