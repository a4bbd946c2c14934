/*
 * The Workload Security emulator behaves as the manager does where the action depends on it:
 * creating keys (rights, settings, unique names), authentication (expiry, locked keys,
 * lastSignIn, what /apikeys/current may change), name searches (wildcards, case). Its faults:
 * emulator-faults.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { ROLES } from '../../emulators/seed.js'
import { search } from '../../emulators/workload-security.js'
import { askWorkloadSecurity, useEmulators } from '../support/emulators.js'

const emulators = useEmulators()

/** One exchange with the Workload Security emulator over loopback HTTP. */
const ws = (method: string, path: string, secret: string, body?: unknown, signal?: AbortSignal) =>
  askWorkloadSecurity(emulators.current.ws.url, method, path, secret, body, signal)

const byName = (keyName: string, stringWildcards = false): unknown => ({
  searchCriteria: [
    { fieldName: 'keyName', stringTest: 'equal', stringValue: keyName, stringWildcards }
  ]
})

describe('Workload Security emulator: POST /apikeys', () => {
  it('creates a key with the given settings and answers it with a secretKey that authenticates', async () => {
    const { admin } = emulators.current
    const expiryDate = Date.UTC(2031, 5, 1)
    const created = await ws('POST', '/apikeys', admin.secret, {
      keyName: 'ci-new',
      description: 'made by a test',
      roleID: ROLES.auditor.ID,
      expiryDate,
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo',
      active: true
    })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({
      keyName: 'ci-new',
      description: 'made by a test',
      roleID: ROLES.auditor.ID,
      expiryDate,
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo',
      active: true,
      serviceAccount: false
    })
    expect(typeof created.body.ID).toBe('number')
    expect(typeof created.body.secretKey).toBe('string')
    const current = await ws('GET', '/apikeys/current', created.body.secretKey as string)
    expect(current.status).toBe(200)
    expect(current.body.ID).toBe(created.body.ID)
    expect(current.body).not.toHaveProperty('secretKey')
  })

  it('refuses a caller whose role lacks canCreateNewApiKeys, and creates nothing', async () => {
    const { auditor, ws: emulator } = emulators.current
    const before = emulator.keys.size
    const answer = await ws('POST', '/apikeys', auditor.secret, {
      keyName: 'sneaky',
      roleID: ROLES.fullAccess.ID
    })
    expect(answer.status).toBe(403)
    expect(answer.body.message).toMatch(/canCreateNewApiKeys/)
    expect(emulator.keys.size).toBe(before)
  })

  it.each([
    [{ roleID: ROLES.auditor.ID }, /keyName is required/],
    [{ keyName: 'x' }, /role undefined does not exist/],
    [{ keyName: 'x', roleID: 99 }, /role 99 does not exist/],
    [{ keyName: 'x', roleID: ROLES.auditor.ID, secretKey: 'mine' }, /secretKey cannot be set/]
  ])('answers 400 to %j', async (body, message) => {
    const { admin, ws: emulator } = emulators.current
    const before = emulator.keys.size
    const answer = await ws('POST', '/apikeys', admin.secret, body)
    expect(answer.status).toBe(400)
    expect(answer.body.message).toMatch(message)
    expect(emulator.keys.size).toBe(before)
  })

  it('allows a duplicate keyName unless uniqueNames is set', async () => {
    const { admin, ws: emulator } = emulators.current
    const twin = await ws('POST', '/apikeys', admin.secret, {
      keyName: 'ci-deployer',
      roleID: ROLES.deployer.ID
    })
    expect(twin.status).toBe(200)
    const found = await ws('POST', '/apikeys/search', admin.secret, byName('ci-deployer'))
    expect((found.body.apiKeys as unknown[]).length).toBe(2)

    emulator.uniqueNames = true
    const before = emulator.keys.size
    const refused = await ws('POST', '/apikeys', admin.secret, {
      keyName: 'ci-deployer',
      roleID: ROLES.deployer.ID
    })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toMatch(/already exists/)
    expect(emulator.keys.size).toBe(before)
  })
})

describe('Workload Security emulator: authentication and expiry', () => {
  it('answers 401 to an expired key, 403 to a locked one, and revives a key whose expiry an administrator moves', async () => {
    const { admin, auditor, deployer, ws: emulator } = emulators.current
    emulator.keys.get(auditor.ID)!.expiryDate = emulator.now() - 1
    const expired = await ws('GET', '/apikeys/current', auditor.secret)
    expect(expired.status).toBe(401)
    expect(expired.body.message).toMatch(/expired/)

    emulator.keys.get(deployer.ID)!.active = false
    const locked = await ws('GET', '/apikeys/current', deployer.secret)
    expect(locked.status).toBe(403)

    const expiryDate = emulator.now() + 86_400_000
    const revived = await ws('POST', `/apikeys/${auditor.ID}`, admin.secret, { expiryDate })
    expect(revived.status).toBe(200)
    expect(revived.body.expiryDate).toBe(expiryDate)
    const again = await ws('GET', '/apikeys/current', auditor.secret)
    expect(again.status).toBe(200)
    expect(again.body.ID).toBe(auditor.ID)
  })

  it('stamps lastSignIn on a successful authentication', async () => {
    const { deployer, ws: emulator } = emulators.current
    emulator.now = () => Date.UTC(2029, 0, 2)
    const answer = await ws('GET', '/apikeys/current', deployer.secret)
    expect(answer.body.lastSignIn).toBe(Date.UTC(2029, 0, 2))
    expect(emulator.keys.get(deployer.ID)!.lastSignIn).toBe(Date.UTC(2029, 0, 2))
  })

  it('lets POST /apikeys/current change only keyName, description, locale and timeZone', async () => {
    const { deployer, ws: emulator } = emulators.current
    const changed = await ws('POST', '/apikeys/current', deployer.secret, {
      keyName: 'renamed',
      description: 'new words',
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo'
    })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ ID: deployer.ID, keyName: 'renamed', locale: 'ja-JP' })
    for (const body of [
      { roleID: ROLES.fullAccess.ID },
      { active: false },
      { expiryDate: Date.UTC(2040, 0, 1) }
    ]) {
      const refused = await ws('POST', '/apikeys/current', deployer.secret, body)
      expect(refused.status).toBe(400)
      expect(refused.body.message).toMatch(new RegExp(`field ${Object.keys(body)[0]} cannot`))
    }
    expect(emulator.keys.get(deployer.ID)).toMatchObject({
      roleID: ROLES.deployer.ID,
      active: true
    })
    expect(emulator.keys.get(deployer.ID)!.expiryDate).toBeUndefined()
  })
})

describe('Workload Security emulator: caseInsensitiveNames', () => {
  it('compares equal string tests exactly by default and ignoring case when set', async () => {
    const { admin, ws: emulator } = emulators.current
    const roleByName = {
      searchCriteria: [
        {
          fieldName: 'name',
          stringTest: 'equal',
          stringValue: 'full access',
          stringWildcards: false
        }
      ]
    }
    expect(
      (await ws('POST', '/apikeys/search', admin.secret, byName('CI-ADMIN'))).body.apiKeys
    ).toEqual([])
    expect((await ws('POST', '/roles/search', admin.secret, roleByName)).body.roles).toEqual([])

    emulator.caseInsensitiveNames = true
    const keys = (await ws('POST', '/apikeys/search', admin.secret, byName('CI-ADMIN'))).body
      .apiKeys as { keyName: string }[]
    expect(keys.map((k) => k.keyName)).toEqual(['ci-admin'])
    const wildcard = (await ws('POST', '/apikeys/search', admin.secret, byName('CI_KEY', true)))
      .body.apiKeys as { keyName: string }[]
    expect(wildcard.map((k) => k.keyName)).toEqual(['ci_key', 'ci-key'])
    const roles = (await ws('POST', '/roles/search', admin.secret, roleByName)).body.roles as {
      name: string
    }[]
    expect(roles.map((r) => r.name)).toEqual(['Full Access'])
  })
})

describe('the emulator search', () => {
  const keys = [
    { ID: 1, keyName: 'ci_key' },
    { ID: 2, keyName: 'ci-key' },
    { ID: 3, keyName: 'ci-key-old' }
  ]
  const byName = (stringValue: string, stringWildcards?: boolean) =>
    search(keys, {
      searchCriteria: [{ fieldName: 'keyName', stringTest: 'equal', stringValue, stringWildcards }]
    }).map((k) => k.ID)

  it('treats _ and % as wildcards by default, as the manager does', () => {
    expect(byName('ci_key')).toEqual([1, 2])
    expect(byName('ci%')).toEqual([1, 2, 3])
  })

  it('matches exactly with stringWildcards false', () => {
    expect(byName('ci_key', false)).toEqual([1])
    expect(byName('ci%', false)).toEqual([])
  })

  it('ANDs criteria and honours maxItems and ID tests', () => {
    expect(search(keys, { maxItems: 1 }).map((k) => k.ID)).toEqual([1])
    expect(
      search(keys, {
        searchCriteria: [
          { idTest: 'greater-than', idValue: 1 },
          { fieldName: 'keyName', stringTest: 'not-equal', stringValue: 'ci-key' }
        ]
      }).map((k) => k.ID)
    ).toEqual([3])
  })
})
