/*
 * Every operation but rotate on platform cloud-one (SPEC 7), against the Cloud One emulator:
 * describe, lock and unlock (`enabled`), set-role (role-id is the short roleID, role-name the
 * role's exact name), delete (a key that does not exist fails; a delete answered 200 or 204 is
 * confirmed by a 404), create (with the role given, nothing copied, stored as `<id>:<secret>`),
 * audit (stale, never-used, locked, full-access; no expiry findings), `key-id: current` and
 * allow-self, and the inputs that do not apply. Rotation: cloud-one-rotate.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { valueOf } from '../../emulators/cloud-one.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { cloudOneEnv, cloudOneInputs, useCloudOne } from '../support/emulators.js'

const world = useCloudOne()

function run(operation: string, extra: Inputs = {}) {
  return runInProcess(cloudOneInputs(world.current, operation, extra), cloudOneEnv(world.current))
}

describe('describe', () => {
  it('describes a key by alias and by ID, and the authenticating key as current', async () => {
    const { deployerB, admin } = world.current
    const byName = await run('describe', { 'key-name': 'deployer-b' })
    expect(byName.failed ? byName.log : '').toBe('')
    expect(byName.outputs).toMatchObject({
      'key-id': deployerB.id,
      'key-name': 'deployer-b',
      'role-id': 'deployer',
      'role-name': 'Deployer',
      active: 'true',
      'expiry-date': '',
      changed: 'false'
    })
    expect(byName.outputs.created).toMatch(/^\d{4}-/)
    expect(byName.summary).toContain('Cloud One API key: describe')
    const current = await run('describe', { 'key-id': 'current' })
    expect(current.outputs['key-id']).toBe(admin.id)
    const byId = await run('describe', { 'key-id': deployerB.id })
    expect(byId.outputs['key-name']).toBe('deployer-b')
  })

  it('warns about region, auth-scheme and api-version; refuses a secret without its ID before any request', async () => {
    const { c1 } = world.current
    const warned = await run('describe', {
      'key-name': 'deployer-b',
      region: 'eu-1',
      'auth-scheme': 'cloud-one',
      'api-version': 'v2'
    })
    expect(warned.failed).toBe(false)
    expect(warned.log).toMatch(
      /::warning::.*region.*auth-scheme.*api-version|::warning::.*platform cloud-one/
    )
    const before = c1.log.length
    const bare = await run('describe', {
      'key-name': 'deployer-b',
      'api-secret-key': world.current.admin.secret
    })
    expect(bare.failed).toBe(true)
    expect(bare.log).toMatch(/api-secret-key must be a Cloud One API key.*<id>:<secret>/)
    expect(leaks(bare, [world.current.admin.secret])).toEqual([])
    expect(c1.log.length).toBe(before)
  })
})

describe('lock, unlock, set-role', () => {
  it('locks and unlocks with enabled, and changes nothing when already so', async () => {
    const { c1, deployerB } = world.current
    const locked = await run('lock', { 'key-name': 'deployer-b' })
    expect(locked.outputs).toMatchObject({ active: 'false', changed: 'true' })
    expect(c1.authenticates(valueOf(deployerB))).toBe(false)
    expect(c1.requests('POST', `/apikeys/${deployerB.id}`)[0].body).toEqual({ enabled: false })
    const again = await run('lock', { 'key-name': 'deployer-b' })
    expect(again.outputs.changed).toBe('false')
    const unlocked = await run('unlock', { 'key-id': deployerB.id })
    expect(unlocked.outputs).toMatchObject({ active: 'true', changed: 'true' })
    expect(c1.authenticates(valueOf(deployerB))).toBe(true)
  })

  it('a change answered without the key is read back; one the key does not show fails', async () => {
    const { c1, deployerB } = world.current
    c1.modifyAnswersKey = false
    const locked = await run('lock', { 'key-name': 'deployer-b' })
    expect(locked.outputs).toMatchObject({ active: 'false', changed: 'true' })
    c1.unknownFields = 'ignore'
    c1.unsupportedFields = ['enabled']
    const ignored = await run('unlock', { 'key-name': 'deployer-b' })
    expect(ignored.failed).toBe(true)
    expect(ignored.log).toMatch(
      /sent \{"enabled":true\} and answered success, but key \w+ shows \{"enabled":false\}/
    )
    expect(deployerB.enabled).toBe(false)
  })

  it('refuses the authenticating key unless allow-self', async () => {
    const { c1, admin } = world.current
    const refused = await run('lock', { 'key-id': 'current' })
    expect(refused.failed).toBe(true)
    expect(refused.log).toMatch(/is the key this action authenticates with/)
    expect(c1.requests('POST')).toEqual([])
    expect(admin.enabled).toBe(true)
  })

  it('set-role by the short role ID and by the exact role name', async () => {
    const { deployerB } = world.current
    const byId = await run('set-role', { 'key-name': 'deployer-b', 'role-id': 'read-only' })
    expect(byId.outputs).toMatchObject({
      'role-id': 'read-only',
      'role-name': 'Read Only',
      changed: 'true'
    })
    expect(deployerB.roleID).toBe('read-only')
    const byName = await run('set-role', { 'key-name': 'deployer-b', 'role-name': 'Deployer' })
    expect(byName.outputs).toMatchObject({ 'role-id': 'deployer', changed: 'true' })
    const wrongCase = await run('set-role', { 'key-name': 'deployer-b', 'role-name': 'deployer' })
    expect(wrongCase.failed).toBe(true)
    expect(wrongCase.log).toMatch(/No role named "deployer" exists.*Did you mean "Deployer"/)
  })
})

describe('delete', () => {
  it.each([204, 200] as const)('deletes (answered %i), confirmed by a 404', async (status) => {
    const { c1, deployerB } = world.current
    c1.deleteStatus = status
    const deleted = await run('delete', { 'key-name': 'deployer-b' })
    expect(deleted.failed ? deleted.log : '').toBe('')
    expect(c1.keys.has(deployerB.id)).toBe(false)
    const after = c1.requests('GET', `/apikeys/${deployerB.id}`).at(-1)!
    expect(after.status).toBe(404)
  })

  it('a key that does not exist fails and deletes nothing', async () => {
    const { c1 } = world.current
    const missing = await run('delete', { 'key-id': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' })
    expect(missing.failed).toBe(true)
    expect(missing.log).toMatch(
      /API key AAAAAAAAAAAAAAAAAAAAAAAAAAA does not exist; nothing was deleted/
    )
    expect(c1.requests('DELETE')).toEqual([])
  })
})

describe('create', () => {
  it('creates with the role given, copies nothing, stores exactly <id>:<secret>', async () => {
    const { c1, github } = world.current
    c1.secretForm = 'id-secret'
    c1.createStatus = 200
    const created = await run('create', {
      'key-name': 'new-deployer',
      'role-id': 'deployer',
      description: 'made by CI',
      'secret-name': 'C1_NEW',
      'github-token': WRITE_TOKEN
    })
    expect(created.failed ? created.log : '').toBe('')
    const key = c1.keyNamed('new-deployer')!
    expect(key).toMatchObject({
      roleID: 'deployer',
      description: 'made by CI',
      allowedIPs: [],
      allowedCIDRs: []
    })
    expect(c1.requests('POST', '/apikeys')[0].body).toEqual({
      alias: 'new-deployer',
      description: 'made by CI',
      roleID: 'deployer'
    })
    expect(github.secret({ repository: 'octo/app' }, 'C1_NEW')?.value).toBe(valueOf(key))
    expect(created.outputs).toMatchObject({ 'key-id': key.id, 'role-name': 'Deployer' })
    expect(leaks(created, [key.secret, valueOf(key)])).toEqual([])
  })

  it('refuses expiry-days before any request', async () => {
    const refused = await run('create', {
      'key-name': 'x',
      'role-id': 'deployer',
      'expiry-days': '30',
      'secret-name': 'C1_NEW',
      'github-token': WRITE_TOKEN
    })
    expect(refused.failed).toBe(true)
    expect(refused.log).toMatch(/expiry-days does not apply on platform cloud-one/)
    expect(world.current.c1.log).toEqual([])
  })
})

describe('audit', () => {
  it('reports stale, never-used, locked and full-access, no expiry findings, and says once why', async () => {
    const { admin, auditor, oldIntegration } = world.current
    const audit = await run('audit', { flag: 'stale,never-used,locked,full-access' })
    expect(audit.failed ? audit.log : '').toBe('')
    const findings = JSON.parse(audit.outputs.findings) as { 'key-id': string; kind: string }[]
    const kinds = (id: string): string[] =>
      findings
        .filter((f) => f['key-id'] === id)
        .map((f) => f.kind)
        .sort()
    expect(kinds(auditor.id)).toEqual(['stale'])
    expect(kinds(oldIntegration.id)).toEqual(['locked', 'never-used'])
    expect(kinds(admin.id)).toEqual(['full-access'])
    expect(findings.map((f) => f.kind)).not.toContain('no-expiry')
    // The authenticating key is reported, never flagged.
    expect(JSON.parse(audit.outputs['flagged-keys'])).toEqual(
      expect.not.arrayContaining([{ 'key-id': admin.id }])
    )
    expect(
      audit.summary.match(/rotation is the only limit on a secret(&#39;|')s life/g)
    ).toHaveLength(1)
  })
})
