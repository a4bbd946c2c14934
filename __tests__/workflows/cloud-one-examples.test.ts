import { describe, expect, it } from '@jest/globals'
import { valueOf } from '../../emulators/cloud-one.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { leaks } from '../support/action.js'
import { useCloudOne } from '../support/emulators.js'
import { runCallerWorkflow } from '../support/workflow.js'

// The Cloud One example caller of docs/examples/, run through the reusable workflow and the
// committed bundle against the Cloud One emulator. The only change to the example is api-url,
// which points it at the emulator.
const world = useCloudOne()

describe('the Cloud One example caller', () => {
  it('rotate-cloud-one-monthly.yml replaces the key, limits it like the old one, and stores <id>:<secret>', async () => {
    const { c1, github, admin, deployerA } = world.current
    const call = await runCallerWorkflow(
      'docs/examples/rotate-cloud-one-monthly.yml',
      {
        secrets: { CLOUD_ONE_ADMIN_KEY: valueOf(admin), SECRETS_WRITER_TOKEN: WRITE_TOKEN },
        github: { repository_owner: 'octo' }
      },
      { 'api-url': c1.url },
      { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/app' }
    )
    expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    const fresh = c1.keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(c1.keys.has(deployerA.id)).toBe(false)
    expect(fresh.allowedCIDRs).toEqual(deployerA.allowedCIDRs)
    expect(github.secret({ repository: 'octo/app' }, 'CLOUD_ONE_API_KEY')?.value).toBe(
      valueOf(fresh)
    )
    expect(call.outputs).toMatchObject({
      'key-id': fresh.id,
      'previous-key-id': deployerA.id,
      'role-name': 'Deployer'
    })
    expect(
      leaks(call.jobs[0].run!, [valueOf(fresh), fresh.secret, valueOf(admin), WRITE_TOKEN])
    ).toEqual([])
  })
})
