/*
 * set-role: moves a key to a role found by ID or exact name, sends no write when nothing
 * changes, and refuses the authenticating key without allow-self. Its dry run: dry-run.
 */
import { describe, expect, it } from '@jest/globals'
import { ROLES } from '../../emulators/seed.js'
import { runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak, managerWrites } = checks(emulators)

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

describe('set-role', () => {
  it('moves a key to a role found by exact name', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'set-role', 'key-id': String(deployer.ID), 'role-name': 'Auditor' })
    )
    expect(run.failed).toBe(false)
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.auditor.ID)
    expect(run.outputs).toMatchObject({ changed: 'true', 'role-id': String(ROLES.auditor.ID) })
    expect(managerWrites()).toEqual([`POST /apikeys/${deployer.ID}`])
  })

  it('sends no write when the key already has the role', async () => {
    const { deployer } = emulators.current
    const run = await runInProcess(
      inputs({
        operation: 'set-role',
        'key-id': String(deployer.ID),
        'role-id': String(ROLES.deployer.ID)
      })
    )
    expect(run.failed).toBe(false)
    expect(run.outputs.changed).toBe('false')
    expect(managerWrites()).toEqual([])
  })

  it('fails on an unknown role ID without changing the key', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'set-role', 'key-id': String(deployer.ID), 'role-id': '99' })
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain('GET /roles/99 answered HTTP 404')
    expect(ws.keys.get(deployer.ID)?.roleID).toBe(ROLES.deployer.ID)
    expect(managerWrites()).toEqual([])
  })
})

describe('set-role on the authenticating key', () => {
  it('is refused without allow-self (role unchanged) and done with it', async () => {
    const { ws, admin } = emulators.current
    const inputs = {
      operation: 'set-role',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(admin.ID),
      'role-id': String(ROLES.auditor.ID)
    }
    const refused = await runInProcess(inputs)
    expect(refused.failed).toBe(true)
    expect(refused.log).toMatch(/::error::.*the key this action authenticates with.*allow-self/)
    expect(ws.keys.get(admin.ID)!.roleID).toBe(ROLES.fullAccess.ID)
    expect(managerWrites()).toEqual([])
    expectNoLeak(refused)

    const allowed = await runInProcess({ ...inputs, 'allow-self': 'true' })
    expect(allowed.failed ? allowed.log : '').toBe('')
    expect(ws.keys.get(admin.ID)!.roleID).toBe(ROLES.auditor.ID)
    expect(allowed.outputs).toMatchObject({ changed: 'true', 'role-id': String(ROLES.auditor.ID) })
    expectNoLeak(allowed)
  })
})
