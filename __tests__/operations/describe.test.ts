/*
 * describe: reads one key (by ID, or the authenticating key with key-id current) into the
 * outputs and the job summary, with either auth scheme. Finding a key by name: key-lookup.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ROLES } from '../../emulators/seed.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { managerWrites } = checks(emulators)
const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

describe('describe', () => {
  it('reads a key by ID into outputs and the summary', async () => {
    const { auditor, admin } = emulators.current
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': String(auditor.ID) }))
    expect(run.failed).toBe(false)
    expect(run.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'key-name': 'nightly-auditor',
      'role-id': String(ROLES.auditor.ID),
      active: 'true',
      changed: 'false',
      'expiry-date': '2030-01-01T00:00:00.000Z',
      'last-sign-in': ''
    })
    expect(run.outputs.created).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(JSON.parse(run.outputs.result)).toMatchObject({
      operation: 'describe',
      key: { id: String(auditor.ID) }
    })
    expect(run.summary).toContain('nightly-auditor')
    expect(run.summary).toContain('describe')
    expect(managerWrites()).toEqual([])
    expect(leaks(run, [admin.secret])).toEqual([])
  })

  it('describes the authenticating key with key-id current and the cloud-one scheme', async () => {
    const cloudOne = emulators.current.ws.addKey({
      keyName: 'cloud-one-deployer',
      roleID: 3,
      kind: 'cloud-one'
    })
    const run = await runInProcess(
      inputs(
        { operation: 'describe', 'key-id': 'current', 'auth-scheme': 'cloud-one' },
        cloudOne.secret
      )
    )
    expect(run.failed).toBe(false)
    expect(run.outputs['key-id']).toBe(String(cloudOne.ID))
    const request = emulators.current.ws.requests('GET', '/apikeys/current')[0]
    expect(request.headers.authorization).toBe(`ApiKey ${cloudOne.secret}`)
    expect(request.headers['api-secret-key']).toBeUndefined()
    expect(request.headers['user-agent']).toBe(`workload-security-api-key-action/${packageVersion}`)
    expect(request.headers['api-version']).toBe('v1')
    expect(request.headers.accept).toBe('application/json')
    expect(request.headers['content-type']).toBe('application/json')
  })

  it('reports a legacy key sent with auth-scheme cloud-one as rejected, naming auth-scheme', async () => {
    const { deployer } = emulators.current
    const run = await runInProcess(
      inputs(
        { operation: 'describe', 'key-id': 'current', 'auth-scheme': 'cloud-one' },
        deployer.secret
      )
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/api-secret-key was rejected/)
    expect(run.log).toMatch(/auth-scheme/)
  })

  it('reports a rejected secret as such, without printing it', async () => {
    const wrong = '9:not-the-secret-at-all'
    const run = await runInProcess(inputs({ operation: 'describe', 'key-id': '1' }, wrong))
    expect(run.failed).toBe(true)
    expect(run.log).toContain('The api-secret-key was rejected')
    expect(run.log).toContain('GET /apikeys/1 answered HTTP 401')
    expect(leaks(run, [wrong])).toEqual([])
  })
})
