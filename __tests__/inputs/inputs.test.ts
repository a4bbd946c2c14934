import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, InputError, readSettings, type InputName } from '../../src/inputs.js'

const BASE = { 'api-secret-key': '3:s3cr3t-value', 'api-url': 'https://dsm.example.com:4119/api/' }
const ENV = { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'https://api.github.com' }

function settings(inputs: Partial<Record<InputName, string>>, env: Record<string, string> = ENV) {
  return readSettings((name) => inputs[name] ?? '', env)
}

function problem(
  inputs: Partial<Record<InputName, string>>,
  env: Record<string, string> = ENV
): string {
  try {
    settings(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('readSettings', () => {
  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'missing operation',
      { ...BASE },
      /operation is required: one of rotate, create, set-role, lock, unlock, delete, describe, audit/
    ],
    [
      'unknown operation',
      { ...BASE, operation: 'revoke' },
      /operation "revoke" is not one of rotate, create, set-role/
    ],
    ['missing secret', { operation: 'describe', 'key-id': '1' }, /api-secret-key is required/],
    [
      'no key selector',
      { ...BASE, operation: 'lock' },
      /operation lock needs key-id .* or key-name/
    ],
    [
      'both key selectors',
      { ...BASE, operation: 'describe', 'key-id': '1', 'key-name': 'a' },
      /only one of key-id and key-name/
    ],
    [
      'non-numeric key-id',
      { ...BASE, operation: 'describe', 'key-id': '12a' },
      /key-id "12a" must be a numeric key ID .* or "current"/
    ],
    ['zero key-id', { ...BASE, operation: 'describe', 'key-id': '0' }, /key-id "0"/],
    [
      'key-id beyond int32',
      { ...BASE, operation: 'describe', 'key-id': '2147483648' },
      /key-id "2147483648"/
    ],
    [
      'set-role without role',
      { ...BASE, operation: 'set-role', 'key-id': '1' },
      /needs role-id .* or role-name/
    ],
    [
      'set-role with both roles',
      { ...BASE, operation: 'set-role', 'key-id': '1', 'role-id': '2', 'role-name': 'x' },
      /only one of role-id and role-name/
    ],
    [
      'bad role-id',
      { ...BASE, operation: 'set-role', 'key-id': '1', 'role-id': 'admin' },
      /role-id "admin" must be a numeric role ID/
    ],
    [
      'unknown region',
      { 'api-secret-key': 'x', operation: 'describe', 'key-id': '1', region: 'mars-1' },
      /region "mars-1" is not one of us-1, in-1/
    ],
    [
      'plain http to a remote host',
      { ...BASE, operation: 'describe', 'key-id': '1', 'api-url': 'http://dsm.example.com/api' },
      /api-url .* must use https:\/\/ .*localhost, 127\.0\.0\.0\/8 and \[::1\]/
    ],
    [
      'not a URL',
      { ...BASE, operation: 'describe', 'key-id': '1', 'api-url': 'dsm.example.com' },
      /api-url "dsm.example.com" is not a URL/
    ],
    [
      'credentials in the URL',
      {
        ...BASE,
        operation: 'describe',
        'key-id': '1',
        'api-url': 'https://u:p@dsm.example.com/api'
      },
      /api-url must not contain credentials/
    ],
    [
      'bad auth scheme',
      { ...BASE, operation: 'describe', 'key-id': '1', 'auth-scheme': 'bearer' },
      /auth-scheme "bearer" is not one of api-secret-key, cloud-one/
    ],
    [
      'max-attempts too high',
      { ...BASE, operation: 'describe', 'key-id': '1', 'max-attempts': '11' },
      /max-attempts "11" must be a whole number from 1 to 10/
    ],
    [
      'max-attempts zero',
      { ...BASE, operation: 'describe', 'key-id': '1', 'max-attempts': '0' },
      /max-attempts "0"/
    ],
    [
      'timeout too long',
      { ...BASE, operation: 'describe', 'key-id': '1', 'timeout-seconds': '301' },
      /timeout-seconds "301" must be a whole number from 1 to 300/
    ],
    [
      'timeout not a number',
      { ...BASE, operation: 'describe', 'key-id': '1', 'timeout-seconds': '1.5' },
      /timeout-seconds "1.5"/
    ],
    [
      'bad boolean',
      { ...BASE, operation: 'describe', 'key-id': '1', 'dry-run': 'yes' },
      /dry-run "yes" must be true or false/
    ],
    [
      'bad ca-certificate',
      { ...BASE, operation: 'describe', 'key-id': '1', 'ca-certificate': 'not a pem' },
      /ca-certificate must hold one or more PEM certificates/
    ],
    [
      'rotate without secret-name',
      { ...BASE, operation: 'rotate', 'github-token': 't' },
      /operation rotate needs secret-name/
    ],
    [
      'rotate without token',
      { ...BASE, operation: 'rotate', 'secret-name': 'WS_KEY' },
      /operation rotate needs github-token.*GITHUB_TOKEN cannot write secrets/
    ],
    [
      'secret name with a dash',
      { ...BASE, operation: 'rotate', 'secret-name': 'WS-KEY', 'github-token': 't' },
      /secret-name "WS-KEY" is not a valid GitHub secret name/
    ],
    [
      'secret name starting GITHUB_',
      { ...BASE, operation: 'rotate', 'secret-name': 'github_key', 'github-token': 't' },
      /secret-name "github_key"/
    ],
    [
      'secret name starting with a digit',
      { ...BASE, operation: 'rotate', 'secret-name': '1KEY', 'github-token': 't' },
      /secret-name "1KEY"/
    ],
    [
      'bad repository',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        repositories: 'octo/app\nnot-a-repo'
      },
      /repositories entry "not-a-repo" is not owner\/name/
    ],
    [
      'organization with repositories',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        organization: 'octo',
        repositories: 'octo/app'
      },
      /repositories applies with organization only together with visibility: selected/
    ],
    [
      'organization with environment',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        organization: 'octo',
        environment: 'prod'
      },
      /only one of organization and environment/
    ],
    [
      'visibility without organization',
      { ...BASE, operation: 'rotate', 'secret-name': 'K', 'github-token': 't', visibility: 'all' },
      /visibility applies only with organization/
    ],
    [
      'environment with a Dependabot secret',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        'secret-type': 'dependabot',
        environment: 'prod'
      },
      /environment applies only with secret-type actions/
    ],
    [
      'unknown secret type',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        'secret-type': 'pages'
      },
      /secret-type "pages" is not one of actions, dependabot, codespaces/
    ],
    [
      'alternate without expiry-days',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        strategy: 'alternate',
        'key-name': 'a, b'
      },
      /strategy alternate needs expiry-days/
    ],
    [
      'alternate with one key',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        strategy: 'alternate',
        'expiry-days': '60',
        'key-name': 'deployer-a'
      },
      /strategy alternate needs two keys/
    ],
    [
      'alternate with current',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        strategy: 'alternate',
        'expiry-days': '60',
        'key-id': 'current, 4'
      },
      /"current" cannot be one/
    ],
    [
      'expiry-days out of range',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        'expiry-days': '3651'
      },
      /expiry-days "3651" must be a whole number from 1 to 3650/
    ],
    [
      'create without key-name',
      { ...BASE, operation: 'create', 'secret-name': 'K', 'github-token': 't', 'role-id': '3' },
      /operation create needs key-name/
    ],
    [
      'create without role',
      { ...BASE, operation: 'create', 'secret-name': 'K', 'github-token': 't', 'key-name': 'new' },
      /operation create needs role-id \(a numeric role ID\) or role-name/
    ],
    [
      'audit with an unknown flag',
      { ...BASE, operation: 'audit', flag: 'expired, shiny' },
      /flag "shiny" is not a finding kind/
    ],
    [
      'audit with a bad stale-days',
      { ...BASE, operation: 'audit', 'stale-days': '0' },
      /stale-days "0" must be a whole number from 1 to 3650/
    ],
    [
      'TLS verification turned off in the environment',
      { ...BASE, operation: 'describe', 'key-id': '1' },
      /NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the job environment/
    ],
    [
      'bad visibility',
      {
        ...BASE,
        operation: 'rotate',
        'secret-name': 'K',
        'github-token': 't',
        organization: 'octo',
        visibility: 'public'
      },
      /visibility "public" is not one of all, private, selected/
    ]
  ])('%s fails naming the input', (name, inputs, message) => {
    const env = name.startsWith('TLS') ? { ...ENV, NODE_TLS_REJECT_UNAUTHORIZED: '0' } : ENV
    expect(problem(inputs, env)).toMatch(message)
  })

  it.each<[string, Partial<Record<InputName, string>>, string]>([
    [
      'rotation inputs on describe',
      { operation: 'describe', 'key-id': '1', 'secret-name': 'X', repositories: 'a/b' },
      'secret-name, repositories do not apply to operation describe and are ignored'
    ],
    [
      'github-token on lock (an incident workflow passes it to every operation)',
      { operation: 'lock', 'key-id': '1', 'github-token': 'ghp_incident' },
      'github-token does not apply to operation lock and is ignored'
    ],
    [
      'role on lock',
      { operation: 'lock', 'key-id': '1', 'role-id': '2' },
      'role-id does not apply to operation lock and is ignored'
    ],
    [
      'allow-self on unlock',
      { operation: 'unlock', 'key-id': '1', 'allow-self': 'true' },
      'allow-self does not apply to operation unlock and is ignored'
    ],
    [
      'a bad value of an input that does not apply',
      { operation: 'describe', 'key-id': '1', verify: 'maybe', 'expiry-days': 'soon' },
      'expiry-days, verify do not apply to operation describe and are ignored'
    ]
  ])('%s: ignored with a warning', (_name, inputs, warning) => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) =>
      written.push(chunk) > 0) as typeof process.stdout.write
    try {
      settings({ ...BASE, ...inputs })
    } finally {
      process.stdout.write = write
    }
    expect(written.join('')).toContain(`::warning::${warning}`)
  })

  it('accepts a region in any case', () => {
    expect(
      settings({ 'api-secret-key': 'x', operation: 'describe', 'key-id': '1', region: 'US-1' })
        .connection.apiUrl
    ).toBe('https://workload.us-1.cloudone.trendmicro.com/api')
  })

  it('builds a pair for alternate, a create and an audit', () => {
    expect(
      settings({
        ...BASE,
        operation: 'rotate',
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-b',
        'expiry-days': '60',
        'secret-name': 'k',
        'github-token': 't'
      })
    ).toMatchObject({
      strategy: 'alternate',
      pair: [
        { by: 'name', name: 'deployer-a' },
        { by: 'name', name: 'deployer-b' }
      ],
      expiryDays: 60
    })
    expect(
      settings({
        ...BASE,
        operation: 'create',
        'key-name': 'deployer-a',
        'role-name': 'Deployer',
        description: 'CI',
        'secret-name': 'k',
        'github-token': 't',
        'secret-type': 'Dependabot',
        organization: 'octo',
        visibility: 'selected',
        repositories: 'octo/app, octo/api'
      })
    ).toMatchObject({
      keyName: 'deployer-a',
      role: { by: 'name', name: 'Deployer' },
      description: 'CI',
      store: {
        secretType: 'dependabot',
        scope: {
          kind: 'organization',
          organization: 'octo',
          visibility: 'selected',
          repositories: ['octo/app', 'octo/api']
        }
      }
    })
    expect(settings({ ...BASE, operation: 'audit', flag: 'none', 'warn-days': '7' })).toMatchObject(
      {
        warnDays: 7,
        staleDays: 90,
        flag: [],
        failIfFlagged: false
      }
    )
    expect(settings({ ...BASE, operation: 'audit' })).toMatchObject({
      flag: ['expired', 'stale', 'never-used']
    })
  })

  it('reports every problem at once and never the secret', () => {
    const message = problem({
      ...BASE,
      operation: 'describe',
      'key-id': 'x',
      'max-attempts': '99',
      'dry-run': 'maybe'
    })
    expect(message).toMatch(/key-id "x"/)
    expect(message).toMatch(/max-attempts "99"/)
    expect(message).toMatch(/dry-run "maybe"/)
    expect(message).not.toContain('s3cr3t')
  })

  it('never repeats a password embedded in a URL', () => {
    for (const url of [
      'http://admin:hunter2pass@dsm.example.com/api',
      'https://admin:hunter2pass@dsm example.com',
      'https://admin:hunt@er2pass@dsm.example.com/api',
      'https://admin:hunt@er2pass@dsm example.com/api'
    ]) {
      const message = problem({ ...BASE, operation: 'describe', 'key-id': '1', 'api-url': url })
      expect(message).toMatch(/api-url/)
      expect(message).not.toMatch(/hunter2pass|er2pass|hunt@/)
    }
  })

  it('needs repositories outside a runner', () => {
    expect(
      problem({ ...BASE, operation: 'rotate', 'secret-name': 'K', 'github-token': 't' }, {})
    ).toMatch(/repositories is required when GITHUB_REPOSITORY is not set/)
  })

  it('refuses a plain-http GITHUB_API_URL to a remote host', () => {
    expect(
      problem(
        { ...BASE, operation: 'rotate', 'secret-name': 'K', 'github-token': 't' },
        { ...ENV, GITHUB_API_URL: 'http://ghe.example.com/api/v3' }
      )
    ).toMatch(/GITHUB_API_URL .* must use https:\/\//)
  })

  it('treats values equal to the action.yml defaults as not set', () => {
    const s = settings({
      ...BASE,
      operation: 'describe',
      'key-id': '1',
      verify: 'true',
      'allow-self': 'false',
      region: 'us-1',
      'dry-run': 'false'
    })
    expect(s.operation).toBe('describe')
  })

  it('builds the settings of a rotation with run-dependent defaults', () => {
    const s = settings({
      ...BASE,
      operation: 'ROTATE',
      'secret-name': 'ws_key',
      'github-token': 'ghp_x'
    })
    expect(s).toMatchObject({
      operation: 'rotate',
      strategy: 'regenerate',
      selector: { by: 'authenticating' },
      connection: {
        apiUrl: 'https://dsm.example.com:4119/api',
        authScheme: 'api-secret-key',
        apiVersion: 'v1'
      },
      request: { maxAttempts: 5, timeoutMs: 30000 },
      store: {
        secretType: 'actions',
        secretName: 'WS_KEY',
        scope: { kind: 'repository', repositories: ['octo/app'] },
        githubApiUrl: 'https://api.github.com',
        verify: true
      }
    })
  })

  it('accepts http://[::1], the IPv6 loopback (safety/network.test.ts connects to it)', () => {
    expect(
      settings({ ...BASE, 'api-url': 'http://[::1]/api', operation: 'describe', 'key-id': '1' })
        .connection.apiUrl
    ).toBe('http://[::1]/api')
  })

  it('uses the region URL when api-url is empty, and accepts loopback http', () => {
    expect(
      settings({
        'api-secret-key': 'x',
        operation: 'describe',
        'key-id': 'current',
        region: 'de-1'
      }).connection.apiUrl
    ).toBe('https://workload.de-1.cloudone.trendmicro.com/api')
    for (const url of [
      'http://localhost:4119/api',
      'http://127.0.0.2/api',
      'http://[::1]:8080/api'
    ]) {
      expect(
        settings({ ...BASE, 'api-url': url, operation: 'describe', 'key-id': '1' }).connection
          .apiUrl
      ).toBe(url)
    }
  })

  it('splits and de-duplicates repositories', () => {
    const s = settings({
      ...BASE,
      operation: 'rotate',
      'secret-name': 'K',
      'github-token': 't',
      repositories: 'octo/app, octo/api\n\nOcto/App\nocto/web,'
    })
    expect(s.operation === 'rotate' && s.store.scope).toEqual({
      kind: 'repository',
      repositories: ['octo/app', 'octo/api', 'octo/web']
    })
  })

  it('masks the secret inputs before anything else', () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) =>
      written.push(chunk) > 0) as typeof process.stdout.write
    try {
      problem({ operation: 'nope', 'api-secret-key': 'abc-secret', 'github-token': 'ghp_token' })
    } finally {
      process.stdout.write = write
    }
    expect(written.join('')).toContain('::add-mask::abc-secret')
    expect(written.join('')).toContain('::add-mask::ghp_token')
  })
})

describe('action.yml', () => {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string; required?: boolean; description: string }>
    outputs: Record<string, { description: string }>
    runs: { using: string; main: string }
  }

  it('declares exactly the inputs the code reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort())
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, input.default ?? '']).toEqual([name, INPUT_DEFAULTS[name as InputName]])
      expect(input.description.length).toBeGreaterThan(10)
    }
  })

  it('declares every output of the contract and runs the bundle on node24', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        'active',
        'changed',
        'created',
        'expiry-date',
        'key-id',
        'key-name',
        'last-sign-in',
        'previous-key-id',
        'findings',
        'findings-file',
        'flagged-count',
        'flagged-keys',
        'result',
        'role-id',
        'role-name',
        'secrets-updated'
      ].sort()
    )
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })
})
