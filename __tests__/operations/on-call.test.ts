/*
 * What the person on call reads: the hint that names the cause (an expired key, a name one
 * letter off, a list separated by spaces, a host that does not resolve, TLS against a plain-http
 * server), how long each phase took, and where the sealed copies are when a destination is
 * missing the new secret.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import { HttpError } from '../../src/http/http-error.js'
import { platformRetry } from '../../src/http/retry-decisions.js'
import { rotationInputs, runInProcess, type Inputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()

function asAdmin(extra: Inputs): Inputs {
  return {
    'api-secret-key': emulators.current.admin.secret,
    'api-url': emulators.current.ws.url,
    ...extra
  }
}

function env(): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

const errors = (log: string): string[] => log.split('\n').filter((l) => l.startsWith('::error::'))

describe('hints that name the cause', () => {
  it('an expired api-secret-key says so first', async () => {
    const { ws } = emulators.current
    const expired = ws.addKey({
      keyName: 'old-admin',
      roleID: ROLES.fullAccess.ID,
      expiryDate: Date.now() - 1000
    })
    const run = await runInProcess(
      {
        operation: 'describe',
        'api-secret-key': expired.secret,
        'api-url': ws.url,
        'key-name': 'ci-deployer'
      },
      env()
    )
    expect(run.failed).toBe(true)
    expect(errors(run.log)).toHaveLength(1)
    expect(errors(run.log)[0]).toMatch(
      /HTTP 401: The API key has expired\. The key of the api-secret-key has expired: give it a later expiry/
    )
    expect(run.log).not.toMatch(/check the secret, auth-scheme/)
  })

  it('a key name one letter off names the key meant; so does a role name in the wrong case', async () => {
    const key = await runInProcess(
      asAdmin({ operation: 'describe', 'key-name': 'ci-deployr' }),
      env()
    )
    expect(errors(key.log)[0]).toMatch(
      /No API key named "ci-deployr" exists .* Did you mean "ci-deployer"\?/
    )
    const role = await runInProcess(
      asAdmin({ operation: 'set-role', 'key-name': 'ci-deployer', 'role-name': 'auditor' }),
      env()
    )
    expect(errors(role.log)[0]).toMatch(
      /No role named "auditor" exists .* Did you mean "Auditor"\?/
    )
    const far = await runInProcess(
      asAdmin({ operation: 'describe', 'key-name': 'production' }),
      env()
    )
    expect(errors(far.log)[0]).not.toMatch(/Did you mean/)
  })

  it('repositories separated by spaces says how to separate them', async () => {
    const run = await runInProcess(
      rotationInputs(emulators.current, emulators.current.admin.secret, 'K', {
        'key-name': 'ci-deployer',
        repositories: 'octo/app octo/api'
      }),
      env()
    )
    expect(errors(run.log)[0]).toMatch(
      /not owner\/name: separate repositories with commas or newlines, not spaces/
    )
    expect(emulators.current.ws.log).toEqual([])
  })

  it('https against a plain-http server: one attempt, and a hint instead of OpenSSL text', async () => {
    let requests = 0
    const server = createServer((_q, r) => {
      requests++
      r.end('{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const run = await runInProcess(
        asAdmin({
          operation: 'describe',
          'key-id': '2',
          'api-url': `https://127.0.0.1:${port}/api`
        }),
        env()
      )
      expect(errors(run.log)[0]).toMatch(
        /the TLS handshake failed: the server did not answer in TLS; is api-url a plain http:\/\/ server/
      )
      expect(run.log).not.toMatch(/wrong version number/)
      expect(run.log.match(/GET \/apikeys\/2 .*failed/g) ?? []).toHaveLength(1)
      expect(requests).toBe(0)
    } finally {
      server.close()
    }
  })

  it('a host name that does not exist is not retried; one that did not resolve this time is', () => {
    const failure = (code: string): HttpError =>
      new HttpError('x', { method: 'GET', path: '/apikeys/2', code })
    expect(platformRetry(failure('ENOTFOUND'))).toEqual({ retry: false })
    expect(platformRetry(failure('EAI_AGAIN'))).toEqual({ retry: true })
    expect(platformRetry(failure('EPROTO'))).toEqual({ retry: false })
  })

  it('an alternate run just after create says the idle key was created, not rotated', async () => {
    const create = (name: string): Inputs =>
      asAdmin({
        operation: 'create',
        'key-name': name,
        'role-name': 'Deployer',
        'expiry-days': '60',
        'secret-name': 'PAIR',
        'github-token': WRITE_TOKEN
      })
    expect((await runInProcess(create('pair-a'), env())).failed).toBe(false)
    expect((await runInProcess(create('pair-b'), env())).failed).toBe(false)
    const run = await runInProcess(
      asAdmin({
        operation: 'rotate',
        strategy: 'alternate',
        'key-name': 'pair-a, pair-b',
        'expiry-days': '60',
        'secret-name': 'PAIR',
        'github-token': WRITE_TOKEN
      }),
      env()
    )
    expect(run.log).toMatch(/::warning::key \d+ "pair-a" was created less than a day ago/)
  })

  it('a second alternate run right after the first says the idle key was live until then', async () => {
    const { ws } = emulators.current
    const day = 86_400_000
    ws.addKey({ keyName: 'pair-a', roleID: ROLES.deployer.ID, expiryDate: Date.now() + 10 * day })
    ws.addKey({ keyName: 'pair-b', roleID: ROLES.deployer.ID, expiryDate: Date.now() + 20 * day })
    const alternate = asAdmin({
      operation: 'rotate',
      strategy: 'alternate',
      'key-name': 'pair-a, pair-b',
      'expiry-days': '60',
      'secret-name': 'PAIR',
      'github-token': WRITE_TOKEN
    })
    const first = await runInProcess(alternate, env())
    expect(first.failed ? first.log : '').toBe('')
    expect(first.log).not.toMatch(/::warning::/)
    const second = await runInProcess(alternate, env())
    expect(second.failed ? second.log : '').toBe('')
    expect(second.log).toMatch(
      /::warning::key \d+ "pair-a" took over less than a day ago; until then the destinations held key \d+ "pair-b", and jobs that read it before lose their credential now/
    )
  })
})

describe('durations and the way to the sealed copies', () => {
  it('logs and summarises how long each phase took', async () => {
    const run = await runInProcess(
      rotationInputs(emulators.current, emulators.current.admin.secret, 'K', {
        'key-name': 'ci-deployer'
      }),
      env()
    )
    expect(run.failed).toBe(false)
    for (const phase of ['Preflight', 'Preflight write', 'Regenerate', 'Store and verify'])
      expect(run.log).toMatch(new RegExp(`^${phase} took \\d+ ms$`, 'm'))
    expect(run.summary).toMatch(
      /\*\*Durations:\*\* preflight \d+ ms, preflight write \d+ ms, regenerate \d+ ms, store and verify \d+ ms/
    )
  })

  it('a destination without the new secret: the summary says where the replay commands are', async () => {
    const { github } = emulators.current
    github.inject({
      method: 'PUT',
      path: '/repos/octo/api/actions/secrets/K',
      status: 403,
      body: { message: 'no' }
    })
    const run = await runInProcess(
      rotationInputs(emulators.current, emulators.current.admin.secret, 'K', {
        'key-name': 'ci-deployer',
        repositories: 'octo/app, octo/api'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.summary).toMatch(
      /<h2>partial: .*<li>Replay the sealed copies for: repository octo\/api\..*group Store and verify.*<details><summary>Sealed copies.*Replay for repository octo\/api/s
    )
    expect(errors(run.log)).toHaveLength(1)
    // The role's name is read for a failed run too.
    expect(run.summary).toContain('<td>Role</td><td>3 &quot;Deployer&quot;</td>')
  })
})
