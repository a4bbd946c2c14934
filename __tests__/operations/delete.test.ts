/*
 * delete: a green run means the key is gone. A key that does not exist, a 404 from the
 * self-check and a role without the delete right all fail, and nothing is deleted.
 */
import { describe, expect, it } from '@jest/globals'
import { runBundled, runInProcess, type Inputs } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak, managerWrites } = checks(emulators)

function inputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

describe('delete', () => {
  it('deletes a key by name', async () => {
    const { deployer, ws } = emulators.current
    const run = await runInProcess(inputs({ operation: 'delete', 'key-name': 'ci-deployer' }))
    expect(run.failed).toBe(false)
    expect(ws.keys.has(deployer.ID)).toBe(false)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'key-id': String(deployer.ID),
      'key-name': 'ci-deployer'
    })
  })

  it('fails for a key that does not exist: a green run means the key is gone', async () => {
    const run = await runInProcess(inputs({ operation: 'delete', 'key-id': '424242' }))
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      '::error::unchanged: API key 424242 does not exist; nothing was deleted.'
    )
    expect(managerWrites()).toEqual([])
  })

  it('a 404 from the self-check is an error, never "already deleted"', async () => {
    const { ws, deployer } = emulators.current
    ws.inject({ method: 'GET', path: '/apikeys/current', status: 404, body: { message: 'gone' } })
    const run = await runInProcess(inputs({ operation: 'delete', 'key-id': String(deployer.ID) }))
    expect(run.failed).toBe(true)
    expect(run.log).not.toContain('does not exist; nothing was deleted')
    expect(run.log).toMatch(/GET \/apikeys\/current answered HTTP 404.*check api-url/)
    expect(ws.keys.has(deployer.ID)).toBe(true)
    expect(managerWrites()).toEqual([])
  })

  it('refuses to delete the authenticating key unless allow-self is true', async () => {
    const { admin, ws } = emulators.current
    const run = await runInProcess(inputs({ operation: 'delete', 'key-name': 'ci-admin' }))
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/authenticates with .*allow-self: true/)
    expect(ws.keys.has(admin.ID)).toBe(true)
  })

  it('reports a role without the delete right', async () => {
    const { auditor, deployer, ws } = emulators.current
    const run = await runInProcess(
      inputs({ operation: 'delete', 'key-id': String(deployer.ID) }, auditor.secret)
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(`DELETE /apikeys/${deployer.ID} answered HTTP 403`)
    expect(run.log).toContain('lacks the API key right')
    expect(ws.keys.has(deployer.ID)).toBe(true)
  })
})

describe('delete never reads "nothing there" as success', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: a key ID that does not exist fails and deletes nothing',
    async (_how, runner) => {
      const { ws, admin } = emulators.current
      const keys = ws.keys.size
      const run = await runner({
        operation: 'delete',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': '99'
      })
      expect(run.failed).toBe(true)
      expect(run.log).toContain(
        '::error::unchanged: API key 99 does not exist; nothing was deleted'
      )
      expect(ws.requests('DELETE')).toHaveLength(0)
      expect(ws.keys.size).toBe(keys)
      expect(run.summary).toContain('does not exist; nothing was deleted')
      expectNoLeak(run)
    }
  )

  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)(
    '%s: a 404 from GET /apikeys/current during delete is an error, never success; the key stays',
    async (_how, runner) => {
      const { ws, admin, deployer } = emulators.current
      ws.inject({ method: 'GET', path: '/apikeys/current', status: 404, times: 10 })
      const run = await runner({
        operation: 'delete',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID)
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::.*GET \/apikeys\/current answered HTTP 404/)
      expect(run.log).not.toContain('does not exist; nothing was deleted')
      expect(ws.keys.has(deployer.ID)).toBe(true)
      expect(ws.requests('DELETE')).toHaveLength(0)
      expect(run.outputs.changed).not.toBe('true')
      expectNoLeak(run)
    }
  )
})

describe('delete acts only on the key it named', () => {
  it('GET /apikeys/{id} answered with another key: nothing is deleted, and the run fails', async () => {
    const { ws, admin, deployer } = emulators.current
    const { secret: _secret, ...adminAnswer } = admin
    ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, status: 200, body: adminAnswer })
    const run = await runInProcess(inputs({ operation: 'delete', 'key-id': String(deployer.ID) }))
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      `GET /apikeys/${deployer.ID} answered with key ${admin.ID}, not key ${deployer.ID}: this run acts only on the key it named`
    )
    expect(managerWrites()).toEqual([])
    expect(ws.keys.has(admin.ID)).toBe(true)
    expect(ws.keys.has(deployer.ID)).toBe(true)
  })
})
