/*
 * expiry-days with strategy regenerate: the key's expiry becomes now + N days right before its
 * new secret, through POST /apikeys/{id} even for the authenticating key; a refused expiry
 * change stops the run with nothing changed. With alternate: alternate.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites } = checks(emulators)

const SECRET = 'WS_API_KEY'
const { rotateInputs, env, key, stored, noProbeAnywhere, expectExpiryAbout } = rotationHelpers(
  emulators,
  SECRET
)
const PROBE = `${SECRET}_ROTATION_PROBE`

describe('expiry-days with regenerate', () => {
  it('sets the expiry of another key to now + N days right before regenerating it', async () => {
    const { deployer, ws } = emulators.current
    const old = deployer.secret
    const before = Date.now()
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), 'expiry-days': '30' }),
      env()
    )
    const after = Date.now()
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(deployer.ID).secret
    expectExpiryAbout(key(deployer.ID).expiryDate, 30, before, after)
    expect(run.outputs['expiry-date']).toBe(new Date(key(deployer.ID).expiryDate!).toISOString())
    const [expiry] = ws.requests('POST', `/apikeys/${deployer.ID}`)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)).toHaveLength(1)
    expect(expiry.body).toEqual({ expiryDate: key(deployer.ID).expiryDate })
    const [regeneration] = ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    expect(expiry.at).toBeLessThan(regeneration.at)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(old)).toBe(false)
    expect(run.summary).toContain(new Date(key(deployer.ID).expiryDate!).toISOString())
    expectNoLeak(run, old, fresh)
  })

  it('rotating current sets the expiry with POST /apikeys/{id}, never POST /apikeys/current', async () => {
    const { admin, ws } = emulators.current
    const old = admin.secret
    const before = Date.now()
    const run = await runInProcess(rotateInputs({ 'expiry-days': '45' }, old), env())
    const after = Date.now()
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(admin.ID).secret
    expect(ws.requests('POST', '/apikeys/current')).toHaveLength(0)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)[0].body).toEqual({
      expiryDate: key(admin.ID).expiryDate
    })
    expect(ws.requests('POST', '/apikeys/current/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${admin.ID}`)[0].at).toBeLessThan(
      ws.requests('POST', '/apikeys/current/secretkey')[0].at
    )
    expectExpiryAbout(key(admin.ID).expiryDate, 45, before, after)
    expect(run.outputs['expiry-date']).toBe(new Date(key(admin.ID).expiryDate!).toISOString())
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(old)).toBe(false)
    expectNoLeak(run, old, fresh)
  })

  it('a key without the edit right rotating itself with expiry-days fails naming the rights; nothing changed', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: old })
    github.seedSecret({ repository: 'octo/api' }, SECRET, { value: old })
    const run = await runInProcess(
      rotateInputs({ 'expiry-days': '30', repositories: 'octo/app,octo/api' }, old),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/role .*(edit|Edit) API key/)
    expect(run.log).toContain('Nothing was changed')
    // The refused call went to /apikeys/{id}, and nothing after it.
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)).toHaveLength(1)
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)[0].status).toBe(403)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(ws.requests('POST', '/apikeys/current')).toHaveLength(0)
    expect(key(deployer.ID).secret).toBe(old)
    expect(key(deployer.ID).expiryDate).toBeUndefined()
    expect(ws.authenticates(old)).toBe(true)
    expect(stored('octo/app')).toBe(old)
    expect(stored('octo/api')).toBe(old)
    noProbeAnywhere()
    expect(run.outputs.changed ?? 'false').toBe('false')
    expect(run.outputs['expiry-date'] ?? '').toBe('')
    expectNoLeak(run, old)
  })

  it('an expiry change the manager refuses (403) for another key: nothing changed, the probes are gone', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: 'what-consumers-use-now' })
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}`, status: 403 })
    const run = await runInProcess(
      rotateInputs({
        'key-id': String(deployer.ID),
        'expiry-days': '30',
        repositories: 'octo/app,octo/api'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/HTTP 403/)
    expect(run.log).toMatch(/role .*(edit|Edit) API key/)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(key(deployer.ID).secret).toBe(old)
    expect(key(deployer.ID).expiryDate).toBeUndefined()
    expect(ws.authenticates(old)).toBe(true)
    expect(stored('octo/app')).toBe('what-consumers-use-now')
    expect(stored('octo/api')).toBeUndefined()
    // The write proof happened, and was cleaned up.
    expect(githubWrites().filter((w) => w.startsWith('PUT'))).toEqual([
      `PUT /repos/octo/app/actions/secrets/${PROBE}`,
      `PUT /repos/octo/api/actions/secrets/${PROBE}`
    ])
    expect(
      githubWrites()
        .filter((w) => w.startsWith('DELETE'))
        .sort()
    ).toEqual([
      `DELETE /repos/octo/api/actions/secrets/${PROBE}`,
      `DELETE /repos/octo/app/actions/secrets/${PROBE}`
    ])
    noProbeAnywhere()
    expectNoLeak(run, old)
  })

  it('an expiry update answered 500 that did not land: the key is read back, and nothing is regenerated', async () => {
    const { deployer, ws } = emulators.current
    const old = deployer.secret
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}`, status: 500 })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), 'expiry-days': '30', 'max-attempts': '1' }),
      env()
    )
    expect(run.failed).toBe(true)
    // Read back after the unclear answer: the expiry is not there, so the run stops.
    expect(ws.requests('GET', `/apikeys/${deployer.ID}`).length).toBeGreaterThanOrEqual(2)
    expect(run.log).toMatch(
      /The key's expiry may or may not be .* now; its secret was not changed\./
    )
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(key(deployer.ID).secret).toBe(old)
    noProbeAnywhere()
  })

  it('an expiry update answered 500 after it landed: the read-back finds it, and the rotation goes on', async () => {
    const { deployer, ws } = emulators.current
    const now = Date.now()
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}`, status: 500, act: true })
    const run = await runInProcess(
      rotateInputs({ 'key-id': String(deployer.ID), 'expiry-days': '30', 'max-attempts': '1' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expectExpiryAbout(key(deployer.ID).expiryDate, 30, now, Date.now())
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(1)
    expect(stored('octo/app')).toBe(key(deployer.ID).secret)
    // The read-back settled it: a green run that changed the key says so, not "unknown".
    expect(run.outputs.changed).toBe('true')
  })
})
