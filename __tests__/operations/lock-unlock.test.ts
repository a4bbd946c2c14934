/*
 * lock and unlock: a locked key cannot authenticate; both are idempotent, and the
 * authenticating key is refused without allow-self.
 */
import { describe, expect, it } from '@jest/globals'
import { runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { managerWrites } = checks(emulators)

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

describe('lock and unlock', () => {
  it('locks a key, which then cannot authenticate, and unlocks it again', async () => {
    const { deployer, ws } = emulators.current
    const locked = await runInProcess(inputs({ operation: 'lock', 'key-name': 'ci-deployer' }))
    expect(locked.failed).toBe(false)
    expect(locked.outputs).toMatchObject({ active: 'false', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(false)
    const self = await runInProcess(
      inputs({ operation: 'describe', 'key-id': 'current' }, deployer.secret)
    )
    expect(self.failed).toBe(true)

    const unlocked = await runInProcess(
      inputs({ operation: 'unlock', 'key-id': String(deployer.ID) })
    )
    expect(unlocked.failed).toBe(false)
    expect(unlocked.outputs).toMatchObject({ active: 'true', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(true)
  })

  it('is idempotent: locking a locked key sends no write', async () => {
    const { deployer, ws } = emulators.current
    ws.keys.get(deployer.ID)!.active = false
    const run = await runInProcess(inputs({ operation: 'lock', 'key-id': String(deployer.ID) }))
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(managerWrites()).toEqual([])
  })

  it('refuses to lock the authenticating key unless allow-self is true', async () => {
    const { admin, ws } = emulators.current
    const refused = await runInProcess(inputs({ operation: 'lock', 'key-id': String(admin.ID) }))
    expect(refused.failed).toBe(true)
    expect(refused.log).toContain('allow-self')
    expect(ws.keys.get(admin.ID)?.active).toBe(true)
    expect(managerWrites()).toEqual([])

    const allowed = await runInProcess(
      inputs({ operation: 'lock', 'key-id': 'current', 'allow-self': 'true' })
    )
    expect(allowed.failed).toBe(false)
    expect(ws.keys.get(admin.ID)?.active).toBe(false)
  })
})
