import { describe, expect, it } from '@jest/globals'
import { ROLES } from '../../emulators/seed.js'
import { useEmulators } from '../support/emulators.js'
import {
  callReusableWorkflow,
  evaluateStepInputs,
  planReusableWorkflow,
  readYaml,
  type CallerContexts
} from '../support/workflow.js'

// The reusable workflow (.github/workflows/manage-api-key.yml), evaluated with GitHub's own
// expression engine and run against the emulators: its defaults, the single-key matrix, the
// batch (max-parallel, failures, outputs), and its concurrency groups. Its callers in
// docs/examples/: example-workflows.test.ts; its metadata (inputs, outputs, pinning):
// metadata.test.ts.
//
// Tests that run an operation run dist/index.js for each job.
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

describe('the reusable workflow', () => {
  it('passes its defaults so that the action sees them as not set', async () => {
    const { ws, admin, auditor } = emulators.current
    const call = await callReusableWorkflow(
      { operation: 'describe', 'key-name': 'nightly-auditor', 'api-url': ws.url },
      { 'api-secret-key': admin.secret },
      env()
    )
    expect(call.jobs[0].run?.failed).toBe(false)
    expect(call.jobs[0].inputs).toMatchObject({
      verify: 'true',
      'allow-self': 'false',
      'max-attempts': '5',
      // Empty: the action applies the platform's default (SPEC 1).
      platform: 'workload-security',
      region: '',
      strategy: '',
      'expiry-months': '3',
      'expiry-days': '',
      'secret-type': 'actions',
      description: '',
      'warn-days': '30',
      'stale-days': '90',
      flag: 'expired,stale,never-used',
      'fail-if-flagged': 'false'
    })
    expect(call.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'role-name': 'Auditor',
      'expiry-date': '2030-01-01T00:00:00.000Z'
    })
    expect(call.jobs[0].run?.log).not.toMatch(/::warning::/)
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

  it.each([
    ['rotate', 'tok'],
    ['create', 'tok'],
    ['Rotate', 'tok'],
    ['CREATE', 'tok'],
    ['lock', ''],
    ['unlock', ''],
    ['delete', ''],
    ['describe', ''],
    ['set-role', ''],
    ['audit', '']
  ])('passes the GitHub token to %s: %j', (operation, token) => {
    const plan = planReusableWorkflow(
      { operation, 'key-id': '7' },
      { 'api-secret-key': 'k', 'github-token': 'tok' }
    )
    expect(plan.jobs[0].inputs['github-token']).toBe(token)
  })

  it('never cancels a job half way, for every operation', () => {
    for (const operation of ['rotate', 'create', 'lock', 'delete', 'audit']) {
      const plan = planReusableWorkflow({ operation, 'key-name': 'k' }, { 'api-secret-key': 'k' })
      expect([operation, plan.jobs[0].cancelInProgress]).toEqual([operation, false])
      expect(plan.jobs[0].concurrencyGroup).toMatch(/^workload-security-api-key-./)
    }
  })

  it('runs at most max-parallel key jobs at once (4 unless the caller says otherwise)', () => {
    const keys = '[{"key-id": "1"}, {"key-id": "2"}, {"key-id": "3"}]'
    const secrets = { 'api-secret-key': 'k' }
    expect(planReusableWorkflow({ operation: 'lock', keys }, secrets).maxParallel).toBe(4)
    expect(
      planReusableWorkflow({ operation: 'lock', keys, 'max-parallel': 1 }, secrets).maxParallel
    ).toBe(1)
  })

  it('still runs the other key jobs when one fails', async () => {
    const { ws, admin, deployer } = emulators.current
    const call = await callReusableWorkflow(
      {
        operation: 'describe',
        keys: '[{"key-name": "no-such-key"}, {"key-name": "ci-deployer"}]',
        'max-parallel': 1,
        'api-url': ws.url
      },
      { 'api-secret-key': admin.secret },
      env()
    )
    expect(call.failFast).toBe(false)
    expect(call.jobs[0].run?.failed).toBe(true)
    expect(call.jobs[1].run?.failed).toBe(false)
    expect(call.jobs[1].run?.outputs['key-id']).toBe(String(deployer.ID))
  })

  it('takes its batch outputs from the key job that finished last', async () => {
    const { ws, admin, deployer, auditor } = emulators.current
    const batch = {
      operation: 'describe',
      keys: '[{"key-name": "ci-deployer"}, {"key-name": "nightly-auditor"}]',
      'api-url': ws.url
    }
    const secrets = { 'api-secret-key': admin.secret }
    const deployerLast = await callReusableWorkflow(batch, secrets, env(), { finishOrder: [1, 0] })
    expect(deployerLast.outputs).toMatchObject({
      'key-id': String(deployer.ID),
      'key-name': 'ci-deployer'
    })
    const auditorLast = await callReusableWorkflow(batch, secrets, env(), { finishOrder: [0, 1] })
    expect(auditorLast.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'key-name': 'nightly-auditor',
      'expiry-date': '2030-01-01T00:00:00.000Z'
    })
  })
})

describe('the concurrency groups of the reusable workflow', () => {
  const secrets = { 'api-secret-key': 'k', 'github-token': 'tok' }
  const groups = (withValues: Record<string, unknown>): string[] =>
    planReusableWorkflow(withValues, secrets).jobs.map((j) => j.concurrencyGroup)
  const group = (withValues: Record<string, unknown>): string => {
    const all = groups(withValues)
    expect(all).toHaveLength(1)
    return all[0]
  }
  /** GitHub compares concurrency group names case-insensitively. */
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()
  const pair = { operation: 'rotate', strategy: 'alternate', 'expiry-days': '60' }
  const destination = { 'secret-name': 'DEPLOYER_KEY' }

  it('rotate and create: one group per destination, however the keys were written', () => {
    const written = [
      { 'key-id': '21,22' },
      { 'key-id': '22, 21' },
      { 'key-id': '21\n22' },
      { 'key-name': 'deployer-a, deployer-b' },
      { 'key-name': 'deployer-b\ndeployer-a' },
      { keys: '[{"key-name": "deployer-a, deployer-b", "secret-name": "DEPLOYER_KEY"}]' }
    ].map((keys) => group({ ...pair, ...destination, ...keys }))
    expect(new Set(written)).toEqual(
      new Set(['workload-security-api-key-secret-actions-repo:DEPLOYER_KEY'])
    )
    // A single-key rotation, a creation and an operation written in capitals write the same
    // secret: the same group again.
    for (const other of [
      { operation: 'rotate', 'key-id': '21', ...destination },
      { operation: 'rotate', ...destination },
      { operation: 'create', 'key-name': 'deployer-c', 'role-name': 'Deployer', ...destination },
      { operation: 'Rotate', 'key-id': '22', ...destination }
    ])
      expect([other, group(other)]).toEqual([other, written[0]])
  })

  it('rotate and create: case-insensitive names share a group (GitHub compares group names so)', () => {
    const lower = group({
      operation: 'rotate',
      'secret-name': 'deployer_key',
      organization: 'Octo'
    })
    const upper = group({
      operation: 'rotate',
      'secret-name': 'DEPLOYER_KEY',
      organization: 'octo'
    })
    expect(same(lower, upper)).toBe(true)
    // No case folding exists in GitHub's expressions: the text differs, GitHub's comparison does not.
    expect(lower).not.toBe(upper)
  })

  it('rotate and create: different destinations, different groups', () => {
    const destinations = [
      { 'secret-name': 'DEPLOYER_KEY' },
      { 'secret-name': 'SCANNER_KEY' },
      { 'secret-name': 'DEPLOYER_KEY', organization: 'octo' },
      { 'secret-name': 'DEPLOYER_KEY', organization: 'other' },
      { 'secret-name': 'DEPLOYER_KEY', environment: 'production' },
      { 'secret-name': 'DEPLOYER_KEY', environment: 'org:octo' },
      { 'secret-name': 'DEPLOYER_KEY', 'secret-type': 'dependabot' },
      { 'secret-name': 'DEPLOYER_KEY', 'secret-type': 'codespaces', organization: 'octo' }
    ].map((d) => group({ operation: 'rotate', 'key-id': '21', ...d }))
    expect(new Set(destinations.map((g) => g.toLowerCase())).size).toBe(destinations.length)
    expect(destinations[5]).toBe(
      'workload-security-api-key-secret-actions-env:org:octo:DEPLOYER_KEY'
    )
  })

  it('rotate and create: the repositories written do not split a group (overlapping lists must queue)', () => {
    const base = { operation: 'rotate', 'key-id': '21', ...destination }
    expect(group({ ...base, repositories: 'octo/app' })).toBe(
      group({ ...base, repositories: 'octo/app, octo/web' })
    )
    expect(group({ ...base, repositories: 'octo/app' })).toBe(group(base))
    // An empty secret-type is the action's default.
    expect(group({ ...base, 'secret-type': '' })).toBe(group({ ...base, 'secret-type': 'actions' }))
  })

  it('a batch: each key job in the group of its own secret, or of the shared secret-name', () => {
    const keys = JSON.stringify([
      { 'key-name': 'ci-deployer', 'secret-name': 'DEPLOYER_KEY' },
      { 'key-name': 'nightly-scanner', 'secret-name': 'SCANNER_KEY' },
      { 'key-name': 'ci-other' }
    ])
    expect(
      groups({ operation: 'rotate', keys, 'secret-name': 'SHARED_KEY', organization: 'octo' })
    ).toEqual([
      'workload-security-api-key-secret-actions-org:octo:DEPLOYER_KEY',
      'workload-security-api-key-secret-actions-org:octo:SCANNER_KEY',
      'workload-security-api-key-secret-actions-org:octo:SHARED_KEY'
    ])
  })

  it('every other operation: one group per key', () => {
    for (const operation of ['lock', 'unlock', 'delete', 'describe', 'set-role']) {
      const [a, b] = [group({ operation, 'key-id': '21' }), group({ operation, 'key-id': '22' })]
      expect([operation, a, same(a, b)]).toEqual([
        operation,
        'workload-security-api-key-key-21',
        false
      ])
    }
    expect(group({ operation: 'lock', 'key-name': 'ci-deployer' })).toBe(
      'workload-security-api-key-key-ci-deployer'
    )
    expect(group({ operation: 'describe' })).toBe('workload-security-api-key-key-current')
    expect(
      groups({ operation: 'lock', keys: '[{"key-id": "21"}, {"key-name": "ci-deployer"}]' })
    ).toEqual(['workload-security-api-key-key-21', 'workload-security-api-key-key-ci-deployer'])
    // A secret name does not change a lock's group: a lock waits for work on its key only.
    expect(group({ operation: 'lock', 'key-id': '21', ...destination })).toBe(
      group({ operation: 'lock', 'key-id': '21' })
    )
  })

  it('audit: one group, whatever else the call says, apart from every key group', () => {
    const audits = [
      group({ operation: 'audit' }),
      group({ operation: 'audit', 'key-id': '21', ...destination }),
      group({ operation: 'AUDIT' })
    ]
    expect(new Set(audits)).toEqual(new Set(['workload-security-api-key-audit']))
    expect(group({ operation: 'lock', 'key-name': 'audit' })).not.toBe(audits[0])
  })

  it('the example that runs the action directly queues with the reusable workflow on its destination', () => {
    const path = 'docs/examples/rotate-into-dependabot-org-secret.yml'
    const job = readYaml<{ jobs: { rotate: { concurrency: { group: string } } } }>(path).jobs.rotate
    const inputs = evaluateStepInputs(path, 'rotate', 'rotate', {
      ...scheduled,
      steps: { 'app-token': { outputs: { token: 'ghs_minted' } } }
    })
    const viaWorkflow = group({
      operation: inputs.operation,
      'key-name': inputs['key-name'],
      'secret-name': inputs['secret-name'],
      'secret-type': inputs['secret-type'],
      organization: inputs.organization,
      visibility: inputs.visibility,
      repositories: inputs.repositories
    })
    expect(job.concurrency.group).toBe(viaWorkflow)
  })
})

describe("GitHub's write limits across the key jobs of the reusable workflow", () => {
  const secrets = { 'api-secret-key': 'k', 'github-token': 't' }
  const keys = JSON.stringify([1, 2, 3, 4, 5, 6].map((id) => ({ 'key-id': String(id) })))

  it('gives each of max-parallel jobs an equal share of writes-per-minute and writes-per-hour', () => {
    const plan = planReusableWorkflow({ operation: 'rotate', keys, 'secret-name': 'K' }, secrets)
    expect(plan.jobs).toHaveLength(6)
    for (const job of plan.jobs)
      expect(job.inputs).toMatchObject({ 'writes-per-minute': '20', 'writes-per-hour': '125' })
    // Together, the jobs that may run at once never exceed GitHub's 80 a minute and 500 an hour.
    expect(20 * plan.maxParallel!).toBeLessThanOrEqual(80)
    const three = planReusableWorkflow(
      { operation: 'create', keys, 'secret-name': 'K', 'max-parallel': 3, 'writes-per-minute': 40 },
      secrets
    )
    expect(three.jobs[0].inputs).toMatchObject({
      'writes-per-minute': '13',
      'writes-per-hour': '166'
    })
  })

  it('gives a single key job the whole budget, and other operations none of it', () => {
    const single = planReusableWorkflow({ operation: 'rotate', 'secret-name': 'K' }, secrets)
    expect(single.jobs[0].inputs).toMatchObject({
      'writes-per-minute': '80',
      'writes-per-hour': '500'
    })
    const lock = planReusableWorkflow({ operation: 'lock', 'key-id': '7' }, secrets)
    expect(lock.jobs[0].inputs).toMatchObject({ 'writes-per-minute': '', 'writes-per-hour': '' })
  })
})
