import { describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../emulators/seed.js'
import { leaks } from './support/action.js'
import { useEmulators } from './support/emulators.js'
import { callReusableWorkflow, runCallerWorkflow } from './support/workflow.js'

// The example callers of docs/examples/ and the reusable workflow, evaluated with GitHub's own
// expression engine and run against the emulators. The only change to an example is api-url,
// which points the Cloud One region at the Workload Security emulator.
const emulators = useEmulators()

function env(): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

describe('the example callers, with only their two secrets set', () => {
  it('rotate-monthly.yml rotates the key the workflow uses into its repository', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    const call = await runCallerWorkflow(
      'docs/examples/rotate-monthly.yml',
      {
        secrets: { WORKLOAD_SECURITY_API_KEY: old, SECRETS_WRITER_TOKEN: WRITE_TOKEN },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs).toHaveLength(1)
    expect(call.jobs[0].run.failed).toBe(false)
    const fresh = ws.keys.get(deployer.ID)!.secret
    expect(github.secret({ repository: 'octo/app' }, 'WORKLOAD_SECURITY_API_KEY')?.value).toBe(
      fresh
    )
    expect(ws.authenticates(old)).toBe(false)
    expect(call.outputs).toMatchObject({
      'key-id': String(deployer.ID),
      changed: 'true',
      'secrets-updated': '1'
    })
    expect(call.jobs[0].concurrencyGroup).toBe('workload-security-api-key-current')
    expect(leaks(call.jobs[0].run, [old, fresh, WRITE_TOKEN])).toEqual([])
  })

  it('rotate-keys-into-organization.yml rotates each key in its own job into its own organization secret', async () => {
    const { ws, github, admin, deployer } = emulators.current
    const scanner = ws.addKey({ keyName: 'nightly-scanner', roleID: ROLES.deployer.ID })
    const call = await runCallerWorkflow(
      'docs/examples/rotate-keys-into-organization.yml',
      {
        secrets: { WORKLOAD_SECURITY_ADMIN_KEY: admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs.map((j) => j.run.failed)).toEqual([false, false])
    expect(call.jobs.map((j) => j.concurrencyGroup)).toEqual([
      'workload-security-api-key-ci-deployer',
      'workload-security-api-key-nightly-scanner'
    ])
    expect(github.secret({ organization: 'octo' }, 'WORKLOAD_SECURITY_DEPLOYER_KEY')?.value).toBe(
      ws.keys.get(deployer.ID)!.secret
    )
    expect(github.secret({ organization: 'octo' }, 'WORKLOAD_SECURITY_SCANNER_KEY')?.value).toBe(
      ws.keys.get(scanner.ID)!.secret
    )
    expect(ws.authenticates(admin.secret)).toBe(true)
    expect(call.outputs['key-name']).toBe('nightly-scanner')
  })

  it('incident-response.yml locks a key, with the token secret set but not passed to lock', async () => {
    const { ws, admin, deployer } = emulators.current
    const call = await runCallerWorkflow(
      'docs/examples/incident-response.yml',
      {
        secrets: { WORKLOAD_SECURITY_ADMIN_KEY: admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN },
        inputs: {
          operation: 'lock',
          'key-name': 'ci-deployer',
          'key-id': '',
          'secret-name': '',
          'dry-run': false
        },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs[0].inputs['github-token']).toBe('')
    expect(call.jobs[0].run.failed).toBe(false)
    expect(ws.authenticates(deployer.secret)).toBe(false)
    expect(call.outputs).toMatchObject({ active: 'false', changed: 'true' })
  })
})

describe('the reusable workflow', () => {
  it('passes its defaults so that the action sees them as not set', async () => {
    const { ws, admin, auditor } = emulators.current
    const call = await callReusableWorkflow(
      { operation: 'describe', 'key-name': 'nightly-auditor', 'api-url': ws.url },
      { 'api-secret-key': admin.secret },
      env()
    )
    expect(call.jobs[0].run.failed).toBe(false)
    expect(call.jobs[0].inputs).toMatchObject({
      verify: 'true',
      'allow-self': 'false',
      'max-attempts': '5',
      region: 'us-1'
    })
    expect(call.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'expiry-date': '2030-01-01T00:00:00.000Z'
    })
  })

  it('quotes a key name with quotes safely into the single-key matrix', async () => {
    const { ws, admin } = emulators.current
    const odd = ws.addKey({ keyName: `o'brien "quoted" key`, roleID: ROLES.deployer.ID })
    const call = await callReusableWorkflow(
      { operation: 'describe', 'key-name': odd.keyName, 'api-url': ws.url },
      { 'api-secret-key': admin.secret },
      env()
    )
    expect(call.jobs[0].inputs['key-name']).toBe(odd.keyName)
    expect(call.outputs['key-id']).toBe(String(odd.ID))
  })
})
