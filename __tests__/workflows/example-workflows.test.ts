import { describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import { leaks } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'
import {
  callerJob,
  callerJobRuns,
  evaluateStepInputs,
  planCallerWorkflow,
  runCallerWorkflow,
  readYaml,
  type CallerContexts
} from '../support/workflow.js'

// The example callers of docs/examples/, evaluated with GitHub's own expression engine and run
// against the emulators. The only change to an example is api-url, which points the Cloud One
// region at the Workload Security emulator. The reusable workflow they call:
// reusable-workflow.test.ts.
//
// Each test checks the plan (what GitHub would start, with which inputs and in which concurrency
// group) and runs dist/index.js for each job of the example, but for the lock that needs a
// reviewer (its plan only).
const emulators = useEmulators()

function env(): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

const SECRETS = {
  WORKLOAD_SECURITY_ADMIN_KEY: 'admin-secret',
  WORKLOAD_SECURITY_AUDIT_KEY: 'audit-secret',
  SECRETS_WRITER_TOKEN: 'writer-token'
}
const scheduled: CallerContexts = { secrets: SECRETS, github: { repository_owner: 'octo' } }

describe('the example callers, with only their secrets set', () => {
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
    expect(call.jobs[0].run?.failed).toBe(false)
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
    expect(call.jobs[0].concurrencyGroup).toBe(
      'workload-security-api-key-secret-actions-repo:WORKLOAD_SECURITY_API_KEY'
    )
    expect(leaks(call.jobs[0].run!, [old, fresh, WRITE_TOKEN])).toEqual([])
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
    expect(call.jobs.map((j) => j.run?.failed)).toEqual([false, false])
    expect(call.maxParallel).toBe(2)
    expect(call.jobs.map((j) => j.concurrencyGroup)).toEqual([
      'workload-security-api-key-secret-actions-org:octo:WORKLOAD_SECURITY_DEPLOYER_KEY',
      'workload-security-api-key-secret-actions-org:octo:WORKLOAD_SECURITY_SCANNER_KEY'
    ])
    expect(github.secret({ organization: 'octo' }, 'WORKLOAD_SECURITY_DEPLOYER_KEY')?.value).toBe(
      ws.keys.get(deployer.ID)!.secret
    )
    expect(github.secret({ organization: 'octo' }, 'WORKLOAD_SECURITY_SCANNER_KEY')?.value).toBe(
      ws.keys.get(scanner.ID)!.secret
    )
    expect(ws.authenticates(admin.secret)).toBe(true)
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
          'role-name': '',
          'dry-run': false
        },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs[0].inputs['github-token']).toBe('')
    expect(call.jobs[0].run?.failed).toBe(false)
    expect(ws.authenticates(deployer.secret)).toBe(false)
    expect(call.outputs).toMatchObject({ active: 'false', changed: 'true' })
  })

  it('incident-response.yml demotes a key to the role chosen in the form', async () => {
    const { ws, admin, deployer } = emulators.current
    const call = await runCallerWorkflow(
      'docs/examples/incident-response.yml',
      {
        secrets: { WORKLOAD_SECURITY_ADMIN_KEY: admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN },
        inputs: { operation: 'set-role', 'key-name': 'ci-deployer', 'role-name': 'Auditor' },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs[0].run?.failed).toBe(false)
    expect(ws.keys.get(deployer.ID)!.roleID).toBe(ROLES.auditor.ID)
    expect(call.outputs).toMatchObject({ 'role-id': String(ROLES.auditor.ID), changed: 'true' })
  })

  it('incident-response.yml offers every operation its inputs can drive, and no other', () => {
    const form = readYaml<{
      on: { workflow_dispatch: { inputs: { operation: { options: string[] } } } }
    }>('docs/examples/incident-response.yml')
    // create needs a role and a new name, alternate two keys: they have examples of their own.
    expect([...form.on.workflow_dispatch.inputs.operation.options].sort()).toEqual([
      'audit',
      'delete',
      'describe',
      'lock',
      'rotate',
      'set-role',
      'unlock'
    ])
  })

  it('rotate-pair-monthly.yml rotates the idle key of the pair with 60 more days', async () => {
    const path = 'docs/examples/rotate-pair-monthly.yml'
    const plan = planCallerWorkflow(path, scheduled)
    expect(plan.jobs).toHaveLength(1)
    expect(plan.jobs[0].inputs).toMatchObject({
      operation: 'rotate',
      strategy: 'alternate',
      'key-name': 'deployer-a, deployer-b',
      'key-id': '',
      'expiry-days': '60',
      'secret-name': 'WORKLOAD_SECURITY_DEPLOYER_KEY',
      'api-secret-key': 'admin-secret',
      'github-token': 'writer-token',
      'dry-run': 'false'
    })
    expect(plan.jobs[0].concurrencyGroup).toBe(
      'workload-security-api-key-secret-actions-repo:WORKLOAD_SECURITY_DEPLOYER_KEY'
    )
    expect(plan.jobs[0].cancelInProgress).toBe(false)

    const { ws, github, admin } = emulators.current
    const day = 86_400_000
    const idle = ws.addKey({
      keyName: 'deployer-a',
      roleID: ROLES.deployer.ID,
      expiryDate: Date.now() + 10 * day
    })
    const live = ws.addKey({
      keyName: 'deployer-b',
      roleID: ROLES.deployer.ID,
      expiryDate: Date.now() + 40 * day
    })
    const secret = 'WORKLOAD_SECURITY_DEPLOYER_KEY'
    github.seedSecret({ repository: 'octo/app' }, secret, { value: live.secret })
    const old = idle.secret
    const call = await runCallerWorkflow(
      path,
      {
        ...scheduled,
        secrets: { WORKLOAD_SECURITY_ADMIN_KEY: admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN }
      },
      { 'api-url': ws.url },
      env()
    )
    expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    const fresh = ws.keys.get(idle.ID)!
    expect(fresh.secret).not.toBe(old)
    expect(github.secret({ repository: 'octo/app' }, secret)?.value).toBe(fresh.secret)
    expect(fresh.expiryDate).toBeGreaterThan(Date.now() + 59 * day)
    expect(ws.authenticates(live.secret)).toBe(true)
    expect(call.outputs).toMatchObject({
      'key-id': String(idle.ID),
      'previous-key-id': String(live.ID)
    })
  })

  it('create-pair.yml creates deployer-a, then deployer-b, both into the secret', async () => {
    const path = 'docs/examples/create-pair.yml'
    const contexts: CallerContexts = {
      ...scheduled,
      inputs: { 'role-name': 'Deployer', 'expiry-days': '60', 'dry-run': false }
    }
    const [a, b] = ['create-a', 'create-b'].map((job) => {
      const plan = planCallerWorkflow(path, contexts, {}, job)
      expect(plan.jobs).toHaveLength(1)
      return plan.jobs[0]
    })
    for (const [job, name] of [
      [a, 'deployer-a'],
      [b, 'deployer-b']
    ] as const) {
      expect(job.inputs).toMatchObject({
        operation: 'create',
        'key-name': name,
        'role-name': 'Deployer',
        'role-id': '',
        'expiry-days': '60',
        'secret-name': 'WORKLOAD_SECURITY_DEPLOYER_KEY',
        'github-token': 'writer-token',
        'dry-run': 'false'
      })
      expect(job.inputs.description).toContain(name === 'deployer-a' ? 'key A' : 'key B')
      // Both write one secret: they share its group whatever the keys are called.
      expect(job.concurrencyGroup).toBe(
        'workload-security-api-key-secret-actions-repo:WORKLOAD_SECURITY_DEPLOYER_KEY'
      )
    }
    // deployer-b must be created second: its later expiry makes it the live key.
    expect(callerJob(path, 'create-b').needs).toBe('create-a')
    expect(callerJobRuns(path, 'create-b', { ...contexts, needs: {} })).toBe(false)

    const { ws, github, admin } = emulators.current
    const run = (job: string) =>
      runCallerWorkflow(
        path,
        {
          ...contexts,
          secrets: { WORKLOAD_SECURITY_ADMIN_KEY: admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN }
        },
        { 'api-url': ws.url },
        env(),
        { job }
      )
    for (const job of ['create-a', 'create-b']) {
      const call = await run(job)
      expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    }
    const made = (name: string) => [...ws.keys.values()].find((k) => k.keyName === name)!
    const [keyA, keyB] = [made('deployer-a'), made('deployer-b')]
    expect(keyB.expiryDate).toBeGreaterThanOrEqual(keyA.expiryDate!)
    expect(github.secret({ repository: 'octo/app' }, 'WORKLOAD_SECURITY_DEPLOYER_KEY')?.value).toBe(
      keyB.secret
    )
  })

  it('rotate-into-dependabot-org-secret.yml passes the App token minted in the same job ', () => {
    const path = 'docs/examples/rotate-into-dependabot-org-secret.yml'
    const job = callerJob(path, 'rotate')
    const ids = job.steps?.map((s) => s.id)
    expect(ids?.indexOf('app-token')).toBeLessThan(ids?.indexOf('rotate') ?? -1)
    expect(job.steps?.find((s) => s.id === 'rotate')?.uses).toBe(
      'keyops-actions/workload-security-api-key-action@v1'
    )
    const inputs = evaluateStepInputs(path, 'rotate', 'rotate', {
      ...scheduled,
      steps: { 'app-token': { outputs: { token: 'ghs_minted' } } }
    })
    expect(inputs).toEqual({
      operation: 'rotate',
      'api-secret-key': 'admin-secret',
      'key-name': 'dependabot-registry',
      'expiry-days': '60',
      'secret-name': 'WORKLOAD_SECURITY_REGISTRY_KEY',
      'secret-type': 'dependabot',
      organization: 'octo',
      visibility: 'selected',
      repositories: 'octo/app, octo/api',
      'github-token': 'ghs_minted'
    })
    expect(
      evaluateStepInputs(path, 'rotate', 'app-token', {
        ...scheduled,
        vars: { SECRETS_WRITER_APP_CLIENT_ID: 'Iv23example' }
      })
    ).toMatchObject({ 'client-id': 'Iv23example', owner: 'octo' })
  })
})

describe('weekly-audit.yml', () => {
  const path = 'docs/examples/weekly-audit.yml'
  const afterAudit = (outputs: Record<string, string>, approval = 'success'): CallerContexts => ({
    ...scheduled,
    needs: {
      audit: { result: 'success', outputs },
      'approve-lock': { result: approval, outputs: {} }
    }
  })

  it('audits every key read-only, without a token and without failing on findings', async () => {
    const plan = planCallerWorkflow(path, scheduled, {}, 'audit')
    expect(plan.jobs).toHaveLength(1)
    expect(plan.jobs[0].inputs).toMatchObject({
      operation: 'audit',
      'api-secret-key': 'audit-secret',
      'key-id': '',
      'key-name': '',
      'github-token': '',
      'warn-days': '30',
      'stale-days': '90',
      flag: 'expired,stale,never-used',
      'fail-if-flagged': 'false'
    })
    expect(plan.jobs[0].name).toBe('audit all keys')
    expect(plan.jobs[0].concurrencyGroup).toBe('workload-security-api-key-audit')

    const { ws, auditor } = emulators.current
    const call = await runCallerWorkflow(
      path,
      { ...scheduled, secrets: { ...SECRETS, WORKLOAD_SECURITY_AUDIT_KEY: auditor.secret } },
      { 'api-url': ws.url },
      env(),
      { job: 'audit' }
    )
    expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    expect(ws.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(Number(call.outputs['flagged-count'])).toBeGreaterThanOrEqual(0)
    expect(JSON.parse(call.outputs.findings ?? '')).toEqual(expect.any(Array))
  })

  it('asks a reviewer before any lock, and locks nothing when nothing is flagged', () => {
    expect(callerJob(path, 'approve-lock').environment).toBe('approve-lock')
    expect(callerJob(path, 'lock').needs).toEqual(expect.arrayContaining(['approve-lock']))
    const none = afterAudit({ 'flagged-count': '0', 'flagged-keys': '[]' })
    expect(callerJobRuns(path, 'approve-lock', none)).toBe(false)
    expect(callerJobRuns(path, 'lock', none)).toBe(false)
    // An audit that set no output (an older action) locks nothing either.
    expect(callerJobRuns(path, 'lock', afterAudit({}))).toBe(false)
    const two = { 'flagged-count': '2', 'flagged-keys': '[{"key-id":"12"},{"key-id":"15"}]' }
    expect(callerJobRuns(path, 'approve-lock', afterAudit(two))).toBe(true)
    expect(callerJobRuns(path, 'lock', afterAudit(two))).toBe(true)
    // A reviewer who rejects (or never approves) leaves every key alone.
    expect(callerJobRuns(path, 'lock', afterAudit(two, 'failure'))).toBe(false)
    expect(callerJobRuns(path, 'lock', afterAudit(two, 'skipped'))).toBe(false)
  })

  it("feeds the audit's flagged-keys to the lock job: one lock job per flagged key", () => {
    const flagged = '[{"key-id": "12"}, {"key-id": "15"}, {"key-id": "40"}]'
    const plan = planCallerWorkflow(
      path,
      afterAudit({ 'flagged-count': '3', 'flagged-keys': flagged }),
      {},
      'lock'
    )
    expect(
      plan.jobs.map((j) => [j.inputs.operation, j.inputs['key-id'], j.inputs['key-name']])
    ).toEqual([
      ['lock', '12', ''],
      ['lock', '15', ''],
      ['lock', '40', '']
    ])
    expect(plan.jobs.map((j) => j.concurrencyGroup)).toEqual([
      'workload-security-api-key-key-12',
      'workload-security-api-key-key-15',
      'workload-security-api-key-key-40'
    ])
    expect(plan.jobs.every((j) => j.inputs['api-secret-key'] === 'admin-secret')).toBe(true)
    expect(plan.jobs.every((j) => j.inputs['allow-self'] === 'false')).toBe(true)
    expect(plan.failFast).toBe(false)
  })

  it('locks each flagged key on the manager once approved', async () => {
    const { ws, admin, deployer, auditor } = emulators.current
    const flagged = JSON.stringify([
      { 'key-id': String(deployer.ID) },
      { 'key-id': String(auditor.ID) }
    ])
    const call = await runCallerWorkflow(
      path,
      {
        ...afterAudit({ 'flagged-count': '2', 'flagged-keys': flagged }),
        secrets: { ...SECRETS, WORKLOAD_SECURITY_ADMIN_KEY: admin.secret }
      },
      { 'api-url': ws.url },
      env(),
      { job: 'lock' }
    )
    expect(call.jobs.map((j) => j.run?.failed)).toEqual([false, false])
    expect(ws.keys.get(deployer.ID)!.active).toBe(false)
    expect(ws.keys.get(auditor.ID)!.active).toBe(false)
    expect(ws.authenticates(admin.secret)).toBe(true)
  })
})
