import { describe, expect, it } from '@jest/globals'
import { runInProcess, type Inputs, rotationInputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const SECRET = 'WS_KEY'

function rotate(extra: Inputs, secret: string): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
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
      rotate({ 'key-id': String(deployer.ID), repositories: 'octo/app' }, admin.secret),
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

  it('a regeneration answered without secretKey is checked, not taken as success', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    ws.inject({
      method: 'POST',
      path: '/apikeys/current/secretkey',
      status: 200,
      body: { ID: deployer.ID, keyName: deployer.keyName, roleID: deployer.roleID, active: true }
    })
    const run = await runInProcess(rotate({ repositories: 'octo/app' }, old), {
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
    const run = await runInProcess(rotate({ repositories: 'octo/app' }, old), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain('the manager issued a new secret that never reached this run')
    expect(ws.authenticates(old)).toBe(false)
  })

  it('verification answered with another key fails without claiming success', async () => {
    const { ws, github, deployer, admin } = emulators.current
    const old = deployer.secret
    ws.inject({
      method: 'GET',
      path: '/apikeys/current',
      when: (r) => r.headers['api-secret-key'] !== old,
      status: 200,
      body: { ID: admin.ID, keyName: admin.keyName, roleID: admin.roleID, active: true }
    })
    const run = await runInProcess(rotate({ repositories: 'octo/app' }, old), {
      GITHUB_API_URL: github.url
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `the new secret authenticates as key ${admin.ID}, not key ${deployer.ID}`
    )
    expect(run.log).toContain('The new secret is stored in repository octo/app')
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: false, changed: true })
  })
})
