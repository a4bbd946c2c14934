/*
 * dry-run: every operation that could change something reads and checks everything, reports
 * what it would do, and sends no write to the manager or to GitHub (changed=false).
 */
import { describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import { runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, managerWrites, githubWrites } = checks(emulators)

const SECRET = 'WS_API_KEY'
const { rotateInputs, env } = rotationHelpers(emulators, SECRET)

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

function createInputs(extra: Inputs): Inputs {
  return {
    operation: 'create',
    'api-secret-key': emulators.current.admin.secret,
    'api-url': emulators.current.ws.url,
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    ...extra
  }
}

describe('dry-run changes nothing', () => {
  it.each([
    ['delete', {}],
    ['lock', {}],
    ['unlock', {}],
    ['set-role', { 'role-id': String(ROLES.auditor.ID) }],
    ['rotate', { 'secret-name': SECRET, 'github-token': WRITE_TOKEN }]
  ] as const)('%s: no write request anywhere, changed=false', async (operation, extra) => {
    const { ws, admin, deployer } = emulators.current
    if (operation === 'unlock') ws.keys.get(deployer.ID)!.active = false
    const before = JSON.stringify([...ws.keys.values()])
    const run = await runInProcess(
      {
        operation,
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID),
        'dry-run': 'true',
        ...extra
      },
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs.changed).toBe('false')
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    // Sign-in times aside, every key is as it was.
    const strip = (json: string): unknown =>
      (JSON.parse(json) as Record<string, unknown>[]).map(({ lastSignIn: _l, ...k }) => k)
    expect(strip(JSON.stringify([...ws.keys.values()]))).toEqual(strip(before))
    expect(run.summary).toContain('Dry run')
    expectNoLeak(run)
  })
})

describe('dry-run reports what it would do', () => {
  it('set-role: reports the change it would make and sends no write', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({
        operation: 'set-role',
        'key-id': String(deployer.ID),
        'role-id': '1',
        'dry-run': 'true'
      })
    )
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(JSON.parse(run.outputs.result).changes[0]).toMatch(/^would change role 3 -> 1/)
    expect(run.summary).toContain('(dry run)')
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.deployer.ID)
    expect(managerWrites()).toEqual([])
  })

  it('rotate: reads everything and writes nothing anywhere', async () => {
    const { deployer, ws, github } = emulators.current
    const old = deployer.secret
    const run = await runInProcess(
      rotateInputs({ 'dry-run': 'true', repositories: 'octo/app,octo/api' }, old),
      env()
    )
    expect(run.failed).toBe(false)
    expect(github.requests('GET', /public-key$/)).toHaveLength(2)
    expect(githubWrites()).toEqual([])
    expect(ws.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(ws.authenticates(old)).toBe(true)
    expect(run.outputs).toMatchObject({ changed: 'false', 'secrets-updated': '0' })
    expect(run.summary).toContain('(dry run)')
    expect(JSON.parse(run.outputs.result).destinations).toEqual([
      { destination: 'repository octo/app', status: 'planned' },
      { destination: 'repository octo/api', status: 'planned' }
    ])
    // The plan says what the writes cost: the current value re-written, then the write itself.
    expect(JSON.parse(run.outputs.result).changes).toEqual([
      'would issue a new secret and write it to 2 secret(s) (up to 4 GitHub writes, within a minute)'
    ])
  })

  it('rotate: a wide fan-out says how long its writes take, and what would be quicker', async () => {
    const { deployer, github } = emulators.current
    const repositories = Array.from({ length: 150 }, (_, i) => `octo/fan-${i}`)
    for (const r of repositories) github.addRepository(r)
    const run = await runInProcess(
      rotateInputs(
        {
          'dry-run': 'true',
          'key-id': String(deployer.ID),
          repositories: repositories.join('\n'),
          'writes-per-minute': '40'
        },
        emulators.current.admin.secret
      ),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    // The plan is a debug line (noise in a normal run); the notice below is what a user sees.
    expect(run.log).toContain(
      '::debug::GitHub writes for 150 destination(s): up to 450 GitHub writes, about 11 minute(s) at writes-per-minute 40'
    )
    expect(run.log).toMatch(
      /::notice::This fan-out takes about 11 minutes\. An organization secret with visibility: selected for these 150 repositories needs 3 writes in all\./
    )
    expect(githubWrites()).toEqual([])
  })

  it('create: creates nothing anywhere', async () => {
    const { ws } = emulators.current
    const keysBefore = ws.keys.size
    const run = await runInProcess(
      createInputs({ 'key-name': 'ci-dry', 'role-name': 'Deployer', 'dry-run': 'true' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.keys.size).toBe(keysBefore)
    expect(ws.requests('POST', '/apikeys')).toHaveLength(0)
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(run.outputs).toMatchObject({ changed: 'false', 'secrets-updated': '0' })
    expect(run.summary).toContain('(dry run)')
    expectNoLeak(run)
  })
})
