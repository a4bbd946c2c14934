/*
 * Finding the key an operation acts on: a key-name matches exactly (never as a wildcard, never
 * ignoring case, whatever the manager does), a name that matches nothing fails cleanly, and an
 * api-url that misses /api is named as such rather than reported as a missing key.
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

describe('describe', () => {
  it('finds a key by exact name even where _ would be a wildcard', async () => {
    const run = await runInProcess(inputs({ operation: 'describe', 'key-name': 'ci_key' }))
    expect(run.failed).toBe(false)
    expect(run.outputs['key-name']).toBe('ci_key')
    const search = emulators.current.ws.requests('POST', '/apikeys/search')[0]
    expect(search.body).toMatchObject({ searchCriteria: [{ stringWildcards: false }] })
  })

  it('fails naming the input when no key has that name', async () => {
    const run = await runInProcess(inputs({ operation: 'describe', 'key-name': 'nobody' }))
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/No API key named "nobody" exists \(key-name\)/)
  })
})

describe('a manager that matches names case-insensitively', () => {
  it('delete of key-name ci-deployer-prod when only CI-Deployer-PROD exists fails and deletes nothing', async () => {
    const { ws, admin } = emulators.current
    ws.caseInsensitiveNames = true
    const other = ws.addKey({ keyName: 'CI-Deployer-PROD', roleID: ROLES.deployer.ID })
    const run = await runInProcess({
      operation: 'delete',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-name': 'ci-deployer-prod'
    })
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::unchanged: No API key named "ci-deployer-prod"/)
    // The manager did hand the other key over; the action must have compared names itself.
    const search = ws.requests('POST', '/apikeys/search')[0]
    expect((search.responseBody as { apiKeys: unknown[] }).apiKeys).toHaveLength(1)
    expect(ws.keys.has(other.ID)).toBe(true)
    expect(ws.requests('DELETE')).toHaveLength(0)
    expectNoLeak(run)
  })
})

describe('a mistyped key name while the self-check is in flight', () => {
  it.each(['delete', 'lock', 'set-role'])(
    '%s: no "socket hang up", "disposed" or "retrying" noise',
    async (operation) => {
      const { ws, admin } = emulators.current
      // The self-check is still in flight when the name lookup fails.
      ws.inject({ method: 'GET', path: '/apikeys/current', delayMs: 300 })
      const run = await runInProcess({
        operation,
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-name': 'ci-deplyer',
        ...(operation === 'set-role' && { 'role-id': String(ROLES.auditor.ID) })
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::unchanged: No API key named "ci-deplyer"/)
      expect(run.log).not.toMatch(/socket hang up|disposed|retrying|abandoned/i)
      expect(managerWrites()).toEqual([])
      expectNoLeak(run)
    }
  )
})

describe('an api-url without /api', () => {
  it.each(['describe', 'delete', 'lock'])(
    '%s: the error points at api-url/region, not at a missing key',
    async (operation) => {
      const { ws, admin, deployer } = emulators.current
      // The emulator answers the wrong paths 404; they are not API operations to contract-check.
      ws.onExchange = undefined
      const run = await runInProcess({
        operation,
        'api-secret-key': admin.secret,
        'api-url': new URL(ws.url).origin,
        'key-id': String(deployer.ID)
      })
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/::error::.*api-url/)
      expect(run.log).not.toMatch(/does not exist/)
      expect(ws.keys.has(deployer.ID)).toBe(true)
      expectNoLeak(run)
    }
  )
})
