/*
 * The other operations on platform vision-one (SPEC 6): describe, lock / unlock (status
 * disabled / enabled), set-role, delete, create (its token verified before the first write) and
 * audit, against the Vision One emulator over loopback HTTP.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'

const world = useVisionOne()

function inputs(operation: string, extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, operation, extra)
}

function env(): Record<string, string> {
  return visionOneEnv(world.current)
}

describe('vision-one describe, lock, unlock, set-role, delete', () => {
  it('describes a key by name with its role name and times', async () => {
    const { deployerB } = world.current
    const run = await runInProcess(inputs('describe', { 'key-name': 'deployer-b' }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs).toMatchObject({
      'key-id': deployerB.id,
      'key-name': 'deployer-b',
      'role-id': '',
      'role-name': 'Senior Analyst',
      active: 'true',
      // The wire carries whole seconds.
      'last-sign-in': new Date(Math.floor(deployerB.lastUsedDateTime! / 1000) * 1000).toISOString(),
      'expiry-date': new Date(Math.floor(deployerB.expiredDateTime! / 1000) * 1000).toISOString()
    })
    expect(run.summary).toContain('&quot;Senior Analyst&quot;')
    expect(run.summary).toContain('<h2>Vision One API key: describe</h2>')
  })

  it('locks and unlocks by ID, with a fresh If-Match each time', async () => {
    const { v1, deployerA } = world.current
    const lock = await runInProcess(inputs('lock', { 'key-id': deployerA.id }), env())
    expect(lock.failed ? lock.log : '').toBe('')
    expect(v1.keys.get(deployerA.id)!.status).toBe('disabled')
    expect(v1.authenticates(deployerA.secret)).toBe(false)
    expect(lock.outputs).toMatchObject({ active: 'false', changed: 'true' })
    const unlock = await runInProcess(inputs('unlock', { 'key-name': 'deployer-a' }), env())
    expect(unlock.failed ? unlock.log : '').toBe('')
    expect(v1.authenticates(deployerA.secret)).toBe(true)
    const patches = v1.requests('PATCH')
    expect(patches).toHaveLength(2)
    expect(patches.every((e) => typeof e.headers['if-match'] === 'string')).toBe(true)
  })

  it('moves a key to another role by name', async () => {
    const { v1, deployerA } = world.current
    const run = await runInProcess(
      inputs('set-role', { 'key-name': 'deployer-a', 'role-name': 'Auditor' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.keys.get(deployerA.id)!.role).toBe('Auditor')
    expect(run.outputs).toMatchObject({ 'role-name': 'Auditor', changed: 'true' })
  })

  it('refuses Master Administrator before any request', async () => {
    const { v1 } = world.current
    const run = await runInProcess(
      inputs('set-role', { 'key-name': 'deployer-a', 'role-name': 'Master Administrator' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/no longer gives Master Administrator to an API key/)
    expect(v1.log).toEqual([])
  })

  it('deletes a key; a key that does not exist fails', async () => {
    const { v1, siemConnector } = world.current
    const run = await runInProcess(inputs('delete', { 'key-id': siemConnector.id }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.keys.has(siemConnector.id)).toBe(false)
    const again = await runInProcess(inputs('delete', { 'key-id': siemConnector.id }), env())
    expect(again.failed).toBe(true)
    expect(again.log).toMatch(/::error::.*does not exist/)
  })
})

describe('vision-one create', () => {
  const create = (extra: Inputs = {}): Inputs =>
    inputs('create', {
      'key-name': 'siem-forwarder',
      'role-name': 'SIEM',
      description: 'forwards events',
      'expiry-months': '6',
      'secret-name': 'SIEM_TOKEN',
      'github-token': WRITE_TOKEN,
      ...extra
    })

  it('creates a key whose token is verified, then stored', async () => {
    const { v1, github } = world.current
    // A round trip long enough to see which requests share one.
    v1.latencyMs = 50
    const run = await runInProcess(create(), env())
    expect(run.failed ? run.log : '').toBe('')
    const key = v1.keyNamed('siem-forwarder')!
    expect(key).toMatchObject({ role: 'SIEM', description: 'forwards events' })
    expect(github.secret({ repository: 'octo/app' }, 'SIEM_TOKEN')?.value).toBe(key.secret)
    expect(v1.requests('POST', '/v3.0/iam/apiKeys')[0].body).toEqual([
      {
        name: 'siem-forwarder',
        role: 'SIEM',
        monthsToExpiration: 6,
        description: 'forwards events',
        status: 'enabled'
      }
    ])
    const verify = v1
      .requests('GET', '/v3.0/healthcheck/connectivity')
      .find((e) => e.headers.authorization === `Bearer ${key.secret}`)!
    const write = github.requests('PUT', '/repos/octo/app/actions/secrets/SIEM_TOKEN')[0]
    expect(verify.at).toBeLessThan(write.at)
    // The token is proven beside the lookup of the key made, not after it.
    const created = v1.requests('POST', '/v3.0/iam/apiKeys')[0]
    const lookup = v1.requests('GET', '/v3.0/iam/apiKeys').find((e) => e.at > created.at)!
    expect(verify.at).toBeLessThan(lookup.answeredAt!)
    expect(run.outputs).toMatchObject({ 'key-id': key.id, 'role-name': 'SIEM' })
    expect(leaks(run, [key.secret, WRITE_TOKEN])).toEqual([])
  })

  it('a token that never authenticates: nothing stored, the new key deleted', async () => {
    const { v1, github, admin } = world.current
    v1.inject({
      method: 'GET',
      path: '/v3.0/healthcheck/connectivity',
      when: (r) => r.headers.authorization !== `Bearer ${admin.secret}`,
      status: 401,
      times: 50
    })
    const run = await runInProcess(create(), env())
    expect(run.failed).toBe(true)
    expect(v1.keyNamed('siem-forwarder')).toBeUndefined()
    expect(github.secret({ repository: 'octo/app' }, 'SIEM_TOKEN')).toBeUndefined()
    expect(run.log).toMatch(/was deleted again/)
  })

  it('a name already taken fails before any change', async () => {
    const { v1 } = world.current
    const run = await runInProcess(create({ 'key-name': 'deployer-a' }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/An API key named "deployer-a" already exists/)
    expect(v1.requests('POST')).toEqual([])
  })
})

describe('vision-one audit', () => {
  it('reports the same kinds where the data exists', async () => {
    const { legacyAdmin, siemConnector } = world.current
    const run = await runInProcess(
      inputs('audit', { flag: 'never-used,locked,full-access', 'warn-days': '40' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const findings = JSON.parse(run.outputs.findings) as { 'key-id': string; kind: string }[]
    const kinds = (id: string): string[] =>
      findings
        .filter((f) => f['key-id'] === id)
        .map((f) => f.kind)
        .sort()
    expect(kinds(legacyAdmin.id)).toEqual(['full-access', 'never-used', 'no-expiry'])
    expect(kinds(siemConnector.id)).toEqual(['expiring', 'locked', 'stale'])
    const flagged = JSON.parse(run.outputs['flagged-keys']) as { 'key-id': string }[]
    expect(flagged.map((k) => k['key-id']).sort()).toEqual(
      [legacyAdmin.id, siemConnector.id].sort()
    )
  })

  it('reports a never-used key of unknown age, and never flags it', async () => {
    const { v1 } = world.current
    v1.showCreatedDateTime = false
    const fresh = v1.addKey({ name: 'just-made', role: 'SIEM' })
    const run = await runInProcess(inputs('audit', { flag: 'never-used' }), env())
    expect(run.failed ? run.log : '').toBe('')
    const findings = JSON.parse(run.outputs.findings) as {
      'key-id': string
      kind: string
      detail: string
    }[]
    expect(findings).toContainEqual(
      expect.objectContaining({
        'key-id': fresh.id,
        kind: 'never-used',
        detail: 'never signed in; age unknown'
      })
    )
    expect(run.outputs['flagged-count']).toBe('0')
  })
})
