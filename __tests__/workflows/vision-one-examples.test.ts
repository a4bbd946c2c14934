import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { leaks } from '../support/action.js'
import { useVisionOne } from '../support/emulators.js'
import { runCallerWorkflow } from '../support/workflow.js'

// The Vision One example callers of docs/examples/, run through the reusable workflow and the
// committed bundle against the Vision One emulator. The only change to an example is api-url,
// which points its region at the emulator.
const world = useVisionOne()

function env(): Record<string, string> {
  return { GITHUB_API_URL: world.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

function secrets(): Record<string, string> {
  return { VISION_ONE_ADMIN_KEY: world.current.admin.secret, SECRETS_WRITER_TOKEN: WRITE_TOKEN }
}

describe('the Vision One example callers', () => {
  it('rotate-vision-one-monthly.yml replaces the key and stores the new token', async () => {
    const { v1, github, siemConnector } = world.current
    // The example's key is enabled (the seeded one is disabled on purpose).
    v1.keys.get(siemConnector.id)!.status = 'enabled'
    const call = await runCallerWorkflow(
      'docs/examples/rotate-vision-one-monthly.yml',
      { secrets: secrets(), github: { repository_owner: 'octo' } },
      { 'api-url': v1.url },
      env()
    )
    expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    const fresh = v1.keyNamed('siem-connector')!
    expect(fresh.id).not.toBe(siemConnector.id)
    expect(v1.keys.has(siemConnector.id)).toBe(false)
    expect(github.secret({ repository: 'octo/app' }, 'VISION_ONE_SIEM_TOKEN')?.value).toBe(
      fresh.secret
    )
    expect(call.outputs).toMatchObject({
      'key-id': fresh.id,
      'previous-key-id': siemConnector.id,
      'role-name': 'SIEM'
    })
    expect(leaks(call.jobs[0].run!, [fresh.secret, siemConnector.secret, WRITE_TOKEN])).toEqual([])
  })

  it('rotate-vision-one-pair-monthly.yml replaces the idle key and leaves the live key alone', async () => {
    const { v1, github, deployerA, deployerB } = world.current
    // A pair in its steady state: both keys expire within the 3 months a new key lives.
    v1.keys.get(deployerA.id)!.expiredDateTime = Date.now() + 20 * 86_400_000
    v1.keys.get(deployerB.id)!.expiredDateTime = Date.now() + 50 * 86_400_000
    const call = await runCallerWorkflow(
      'docs/examples/rotate-vision-one-pair-monthly.yml',
      { secrets: secrets(), github: { repository_owner: 'octo' } },
      { 'api-url': v1.url },
      env()
    )
    expect(call.jobs[0].run?.failed ? call.jobs[0].run.log : '').toBe('')
    const fresh = v1.keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(v1.keys.get(deployerB.id)?.secret).toBe(deployerB.secret)
    expect(github.secret({ repository: 'octo/app' }, 'VISION_ONE_DEPLOYER_TOKEN')?.value).toBe(
      fresh.secret
    )
    expect(call.outputs).toMatchObject({ 'key-id': fresh.id, 'previous-key-id': deployerB.id })
  })
})
