import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { InputError, readSettings, type InputName } from '../../src/inputs.js'

/*
 * platform: each key family has its own defaults, its own inputs, and inputs it cannot honour
 * (SPEC 1 and 6). Every rule is checked before any request.
 */

const V1 = { platform: 'vision-one', 'api-secret-key': 'v1-token' }
const STORE = { 'secret-name': 'V1_TOKEN', 'github-token': 'ghs_x' }
const ENV = { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'https://api.github.com' }
const UUID = 'd367abdd-7739-4129-a36a-862c4ec018b4'

/** What the action printed: its warnings are `::warning::` lines. */
let written: string[]
const write = process.stdout.write.bind(process.stdout)
beforeEach(() => {
  written = []
  process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof write
})
afterEach(() => {
  process.stdout.write = write
})
const warnings = (): string[] =>
  written.filter((l) => l.startsWith('::warning::')).map((l) => l.slice(11).trim())

function settings(inputs: Partial<Record<InputName, string>>) {
  return readSettings((name) => inputs[name] ?? '', ENV)
}

function problem(inputs: Partial<Record<InputName, string>>): string {
  try {
    settings(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('platform vision-one', () => {
  it('defaults to the us origin and the replace strategy with 3-month keys', () => {
    const s = settings({ ...V1, ...STORE, operation: 'rotate', 'key-name': 'ci' })
    expect(s).toMatchObject({
      platform: 'vision-one',
      connection: { apiUrl: 'https://api.xdr.trendmicro.com' },
      strategy: 'replace',
      keyName: 'ci',
      expiryMonths: 3
    })
  })

  it.each([
    ['eu', 'https://api.eu.xdr.trendmicro.com'],
    ['JP', 'https://api.xdr.trendmicro.co.jp'],
    ['usgov', 'https://api.usgov.xdr.trendmicro.com'],
    ['mea', 'https://api.mea.xdr.trendmicro.com']
  ])('region %s is %s', (region, origin) => {
    expect(settings({ ...V1, operation: 'audit', region }).connection.apiUrl).toBe(origin)
  })

  it('takes api-url as an origin, with or without /v3.0', () => {
    for (const apiUrl of [
      'https://api.ca.xdr.trendmicro.com/',
      'https://api.ca.xdr.trendmicro.com/v3.0'
    ]) {
      expect(settings({ ...V1, operation: 'audit', 'api-url': apiUrl }).connection.apiUrl).toBe(
        'https://api.ca.xdr.trendmicro.com'
      )
    }
  })

  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'a Cloud One region',
      { operation: 'audit', region: 'us-1' },
      /region "us-1" is not one of us, eu, jp, sg, au, in, uk, mea, usgov on platform vision-one/
    ],
    [
      'an api-url with a path',
      { operation: 'audit', 'api-url': 'https://api.xdr.trendmicro.com/api' },
      /api-url .* must be a Vision One API origin/
    ],
    [
      'regenerate',
      { ...STORE, operation: 'rotate', 'key-name': 'ci', strategy: 'regenerate' },
      /strategy regenerate does not apply on platform vision-one/
    ],
    [
      'rotate by ID',
      { ...STORE, operation: 'rotate', 'key-id': UUID },
      /key-id does not apply to rotate on platform vision-one/
    ],
    [
      'rotate without a name',
      { ...STORE, operation: 'rotate' },
      /rotate on platform vision-one needs key-name/
    ],
    [
      'key-id current',
      { operation: 'lock', 'key-id': 'current' },
      /key-id "current" does not apply on platform vision-one/
    ],
    [
      'a key-id that is not an ID',
      { operation: 'describe', 'key-id': '../apiKeys' },
      /key-id "..\/apiKeys" must be a Vision One API key ID/
    ],
    [
      'role-id',
      { operation: 'set-role', 'key-name': 'ci', 'role-id': '3' },
      /role-id does not apply on platform vision-one/
    ],
    [
      'Master Administrator',
      { operation: 'set-role', 'key-name': 'ci', 'role-name': 'master administrator' },
      /no longer gives Master Administrator to an API key/
    ],
    [
      'create with Master Administrator',
      { ...STORE, operation: 'create', 'key-name': 'n', 'role-name': 'Master Administrator' },
      /Master Administrator/
    ],
    [
      'expiry-months 2',
      { ...STORE, operation: 'create', 'key-name': 'n', 'role-name': 'SIEM', 'expiry-months': '2' },
      /expiry-months "2" is not one of 1, 3, 6, 12/
    ],
    [
      'alternate by IDs',
      {
        ...STORE,
        operation: 'rotate',
        strategy: 'alternate',
        'key-id': `${UUID}, ${UUID.replace('d', 'e')}`
      },
      /key-id does not apply to rotate on platform vision-one: .* name the keys with key-name/
    ]
  ])('refuses %s', (_name, inputs, message) => {
    expect(problem({ ...V1, ...inputs })).toMatch(message)
  })

  it('ignores auth-scheme, api-version and expiry-days with a warning', () => {
    const s = settings({
      ...V1,
      ...STORE,
      operation: 'create',
      'key-name': 'n',
      'role-name': 'SIEM',
      'auth-scheme': 'cloud-one',
      'api-version': 'v2',
      'expiry-days': '30',
      'expiry-months': '12'
    })
    expect(s).toMatchObject({ expiryDays: undefined, expiryMonths: 12 })
    expect(warnings()).toEqual([
      'auth-scheme, api-version, expiry-days do not apply to platform vision-one and are ignored'
    ])
  })

  it('takes a pair of names for alternate without expiry-days', () => {
    expect(
      settings({
        ...V1,
        ...STORE,
        operation: 'rotate',
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-b',
        'expiry-months': '6'
      })
    ).toMatchObject({
      strategy: 'alternate',
      expiryMonths: 6,
      pair: [
        { by: 'name', name: 'deployer-a' },
        { by: 'name', name: 'deployer-b' }
      ]
    })
  })

  it('takes a UUID key-id as it is', () => {
    expect(settings({ ...V1, operation: 'describe', 'key-id': UUID })).toMatchObject({
      selector: { by: 'id', id: UUID }
    })
  })

  it('refuses an unknown platform before anything else', () => {
    expect(problem({ ...V1, platform: 'cloud-two', operation: 'audit' })).toMatch(
      /platform "cloud-two" is not one of workload-security, vision-one, cloud-one/
    )
  })
})

describe('platform workload-security', () => {
  const WS = { 'api-secret-key': '3:s3cr3t', 'api-url': 'https://dsm.example.com:4119/api' }

  it('defaults to regenerate and the us-1 region', () => {
    const s = settings({ 'api-secret-key': 'k', ...STORE, operation: 'rotate' })
    expect(s).toMatchObject({
      platform: 'workload-security',
      strategy: 'regenerate',
      connection: { apiUrl: 'https://workload.us-1.cloudone.trendmicro.com/api' }
    })
    expect((s as { expiryMonths?: number }).expiryMonths).toBeUndefined()
  })

  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'replace',
      { operation: 'rotate', strategy: 'replace' },
      /strategy replace applies only on platforms vision-one and cloud-one/
    ],
    [
      'expiry-months',
      { operation: 'create', 'key-name': 'n', 'role-id': '3', 'expiry-months': '6' },
      /expiry-months applies only on platform vision-one/
    ],
    [
      'a Vision One region',
      { operation: 'audit', region: 'eu', 'api-url': '' },
      /region "eu" is not one of us-1, .* on platform workload-security/
    ]
  ])('refuses %s', (_name, inputs, message) => {
    expect(problem({ ...WS, ...STORE, ...inputs })).toMatch(message)
  })

  it('counts expiry-months at its action.yml default as not set', () => {
    expect(() =>
      settings({ ...WS, ...STORE, operation: 'rotate', 'expiry-months': '3' })
    ).not.toThrow()
  })
})

describe('platform cloud-one', () => {
  const C1 = { platform: 'cloud-one', 'api-secret-key': '1q7OVkm2HNIkTWNsFxxUcjIlQnP:s3cr3t' }

  it('defaults to the accounts API and the replace strategy, without expiry', () => {
    const s = settings({ ...C1, ...STORE, operation: 'rotate', 'key-name': 'ci' })
    expect(s).toMatchObject({
      platform: 'cloud-one',
      connection: { apiUrl: 'https://accounts.cloudone.trendmicro.com/api' },
      strategy: 'replace',
      keyName: 'ci',
      expiryMonths: undefined
    })
    expect(
      settings({ ...C1, operation: 'audit', 'api-url': 'http://127.0.0.1:9/api' }).connection.apiUrl
    ).toBe('http://127.0.0.1:9/api')
  })

  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'a secret without its ID',
      { 'api-secret-key': 's3cr3t', operation: 'audit' },
      /api-secret-key must be a Cloud One API key/
    ],
    [
      'an ID that is not one',
      { 'api-secret-key': 'a b:s3cr3t', operation: 'audit' },
      /api-secret-key must be a Cloud One API key/
    ],
    [
      'regenerate',
      { ...STORE, operation: 'rotate', 'key-name': 'ci', strategy: 'regenerate' },
      /strategy regenerate does not apply on platform cloud-one/
    ],
    [
      'expiry-days',
      { ...STORE, operation: 'rotate', 'key-name': 'ci', 'expiry-days': '30' },
      /expiry-days does not apply on platform cloud-one/
    ],
    [
      'expiry-months',
      {
        ...STORE,
        operation: 'create',
        'key-name': 'ci',
        'role-id': 'deployer',
        'expiry-months': '6'
      },
      /expiry-months does not apply on platform cloud-one/
    ],
    [
      'a numeric role-id style that is not a short ID',
      { operation: 'set-role', 'key-id': 'current', 'role-id': 'Full Access' },
      /role-id "Full Access" must be a Cloud One role's short ID/
    ],
    [
      'a key-id that is not an ID',
      { operation: 'lock', 'key-id': '../x' },
      /key-id "..\/x" must be a Cloud One API key ID/
    ],
    [
      'key-id with rotate',
      { ...STORE, operation: 'rotate', 'key-id': 'current' },
      /key-id does not apply to rotate on platform cloud-one/
    ]
  ])('fails on %s', (_what, inputs, message) => {
    const text = problem({ ...C1, ...inputs })
    expect(text).toMatch(message)
    expect(text).not.toContain('s3cr3t')
  })

  it('warns about region, auth-scheme and api-version, and keeps neither', () => {
    const s = settings({
      ...C1,
      operation: 'audit',
      region: 'eu-1',
      'auth-scheme': 'cloud-one',
      'api-version': 'v2'
    })
    expect(s.connection.apiUrl).toBe('https://accounts.cloudone.trendmicro.com/api')
    expect(warnings().join('\n')).toMatch(
      /region, auth-scheme, api-version.*platform cloud-one|platform cloud-one.*region/
    )
  })

  it('takes key-id current, an ID, and a short role-id', () => {
    expect(settings({ ...C1, operation: 'lock', 'key-id': 'current' })).toMatchObject({
      selector: { by: 'authenticating' }
    })
    expect(
      settings({ ...C1, operation: 'lock', 'key-id': '1q7OVkm2HNIkTWNsFxxUcjIlQnP' })
    ).toMatchObject({
      selector: { by: 'id', id: '1q7OVkm2HNIkTWNsFxxUcjIlQnP' }
    })
    expect(
      settings({ ...C1, operation: 'set-role', 'key-name': 'ci', 'role-id': 'full-access' })
    ).toMatchObject({
      role: { by: 'id', id: 'full-access' }
    })
  })
})
