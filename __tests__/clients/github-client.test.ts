import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubEmulator } from '../../emulators/github.js'
import { READ_ONLY_TOKEN, WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import { sealForGitHub } from '../../src/github/seal.js'
import type { SecretDestination } from '../../src/github/destination.js'
import {
  GitHubSecretsClient,
  GitHubSecretsError,
  UnstatedAudienceError
} from '../../src/github/secrets-client.js'

let github: GitHubEmulator
const slept: number[] = []
const repo: SecretDestination = { type: 'actions', kind: 'repository', repository: 'octo/app' }
const org: SecretDestination = { type: 'actions', kind: 'organization', organization: 'octo' }

function client(token = WRITE_TOKEN, now: () => number = Date.now): GitHubSecretsClient {
  return new GitHubSecretsClient({
    token,
    baseUrl: github.url,
    request: { maxAttempts: 3, timeoutMs: 2000 },
    clock: { ...systemClock, now, sleep: async (ms) => void slept.push(ms), random: () => 1 },
    cancellation: new Cancellation(),
    writesPerMinute: 80
  })
}

beforeEach(async () => {
  github = await GitHubEmulator.create()
  github.addToken(WRITE_TOKEN, { write: true })
  github.addToken(READ_ONLY_TOKEN, { write: false })
  github.addRepository('octo/app', ['prod/eu'])
  github.addOrganization('octo')
  await github.start()
  slept.length = 0
})

afterEach(async () => {
  await github.stop()
})

async function failure(promise: Promise<unknown>): Promise<GitHubSecretsError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GitHubSecretsError)
  return error as GitHubSecretsError
}

describe('GitHubSecretsClient', () => {
  it('seals for the destination key, and GitHub opens it (201 created, then 204 updated)', async () => {
    const c = client()
    const key = await c.getPublicKey(repo)
    expect(await c.putSecret(repo, 'TOKEN', await sealForGitHub('value-1', key))).toBe('created')
    expect(await c.putSecret(repo, 'TOKEN', await sealForGitHub('value-2', key))).toBe('updated')
    expect(github.secret({ repository: 'octo/app' }, 'TOKEN')?.value).toBe('value-2')
  })

  it('waits for x-ratelimit-reset when the primary limit is spent', async () => {
    const now = 1_700_000_000_000
    github.inject({
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 403,
      body: { message: 'API rate limit exceeded' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }
    })
    const realNow = Date.now
    Date.now = () => now
    try {
      await client(WRITE_TOKEN, () => now).getPublicKey(repo)
    } finally {
      Date.now = realNow
    }
    expect(slept).toEqual([42_000])
  })

  it('honours a Retry-After of 300 s, and refuses to wait longer than 15 minutes', async () => {
    github.inject({
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 429,
      retryAfter: '300'
    })
    await client().getPublicKey(repo)
    expect(slept).toEqual([300_000])
    slept.length = 0
    github.inject({
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 429,
      retryAfter: '1000'
    })
    const error = await failure(client().getPublicKey(repo))
    expect(error.message).toContain(
      'GitHub asks to wait 17 minutes, longer than the 15 a run waits for one request; run again once the limit has reset'
    )
    expect(slept).toEqual([])
  })

  it('waits for x-ratelimit-reset however far it is, up to 15 minutes', async () => {
    const now = 1_700_000_000_000
    github.inject({
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) },
      body: { message: 'API rate limit exceeded' }
    })
    await client(WRITE_TOKEN, () => now).getPublicKey(repo)
    expect(slept).toEqual([600_000])
  })

  it('waits at least a minute on a secondary limit without retry-after', async () => {
    github.inject({
      path: '/repos/octo/app/actions/secrets/public-key',
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit' }
    })
    await client().getPublicKey(repo)
    expect(slept).toEqual([60_000])
  })

  it.each<[string, () => void, RegExp]>([
    [
      '401',
      () => github.inject({ status: 401, body: { message: 'Bad credentials' } }),
      /GitHub rejected github-token/
    ],
    [
      '403',
      () => undefined,
      /github-token may not write secrets of repository octo\/app\. The workflow's own GITHUB_TOKEN never can/
    ],
    [
      '404',
      () => github.inject({ status: 404, body: { message: 'Not Found' } }),
      /repository octo\/app was not found, or github-token cannot see it/
    ],
    [
      '422',
      () => github.inject({ status: 422, body: { message: 'Bad key_id' } }),
      /GitHub refused the request for repository octo\/app/
    ]
  ])('explains %s and does not retry it', async (status, arrange, advice) => {
    const c = client(status === '403' ? READ_ONLY_TOKEN : WRITE_TOKEN)
    const sealed = await sealForGitHub('v', await c.getPublicKey(repo))
    arrange()
    const error = await failure(c.putSecret(repo, 'TOKEN', sealed))
    expect(error.message).toMatch(advice)
    expect(error.message).toContain(
      `PUT /repos/octo/app/actions/secrets/TOKEN answered HTTP ${status}`
    )
    expect(github.requests('PUT')).toHaveLength(1)
    expect(slept).toEqual([])
  })

  it('URL-encodes the environment name', async () => {
    const c = client()
    const destination: SecretDestination = {
      type: 'actions',
      kind: 'environment',
      repository: 'octo/app',
      environment: 'prod/eu'
    }
    await c.putSecret(
      destination,
      'TOKEN',
      await sealForGitHub('v', await c.getPublicKey(destination))
    )
    expect(github.requests('PUT')[0].path).toBe(
      '/repos/octo/app/environments/prod%2Feu/secrets/TOKEN'
    )
    expect(github.secret({ repository: 'octo/app', environment: 'prod/eu' }, 'TOKEN')?.value).toBe(
      'v'
    )
  })

  it("reads an organization secret's selected repositories across pages", async () => {
    const ids = Array.from({ length: 130 }, (_, i) => github.addRepository(`octo/r${i}`).id)
    github.seedSecret({ organization: 'octo' }, 'TOKEN', {
      value: 'x',
      visibility: 'selected',
      selectedRepositoryIds: ids
    })
    const access = await client().getOrganizationSecretAccess(org, 'TOKEN')
    expect(access).toEqual({ visibility: 'selected', selectedRepositoryIds: ids })
    expect(github.log.filter((e) => e.path.endsWith('/repositories'))).toHaveLength(2)
    expect(await client().getOrganizationSecretAccess(org, 'MISSING')).toBeUndefined()
  })

  it('takes a DELETE answered 404 for deleted only when the secret cannot be read either', async () => {
    const repo: SecretDestination = { type: 'actions', kind: 'repository', repository: 'octo/app' }
    github.seedSecret({ repository: 'octo/app' }, 'PROBE', { value: 'x' })
    // A 404 that did not act: the secret is still there.
    github.inject({ method: 'DELETE', path: /\/PROBE$/, status: 404, body: {} })
    await expect(client().deleteSecret(repo, 'PROBE')).rejects.toThrow(
      'DELETE /repos/octo/app/actions/secrets/PROBE answered HTTP 404, but the secret can still be read: it was not deleted'
    )
    expect(github.secret({ repository: 'octo/app' }, 'PROBE')).toBeDefined()
    // Gone indeed (a retried delete whose first attempt acted answers 404 too).
    await client().deleteSecret(repo, 'PROBE')
    await expect(client().deleteSecret(repo, 'PROBE')).resolves.toBeUndefined()
  })

  it("believes a 404 for an organization secret only when the organization's list does not name it", async () => {
    github.seedSecret({ organization: 'octo' }, 'TOKEN', { value: 'x', visibility: 'all' })
    // The secret exists, but its read answers 404 (a fault): the list still names it.
    github.inject({ method: 'GET', path: /\/secrets\/TOKEN$/, status: 404, body: {} })
    await expect(client().getOrganizationSecretAccess(org, 'TOKEN')).rejects.toThrow(
      UnstatedAudienceError
    )
    github.inject({ method: 'GET', path: /\/secrets\/token$/, status: 404, body: {} })
    await expect(client().getOrganizationSecretAccess(org, 'token')).rejects.toThrow(
      "GET /orgs/octo/actions/secrets/token answered HTTP 404, but the organization's list of secrets names token"
    )
    // One that is truly missing: the list (read across its pages) does not name it.
    for (let i = 0; i < 120; i++)
      github.seedSecret({ organization: 'octo' }, `S${i}`, { value: 'x' })
    expect(await client().getOrganizationSecretAccess(org, 'MISSING')).toBeUndefined()
    expect(github.log.filter((e) => /\/orgs\/octo\/actions\/secrets$/.test(e.path))).toHaveLength(4)
    // A list that cannot be read leaves the 404 unconfirmed.
    github.inject({
      method: 'GET',
      path: /\/orgs\/octo\/actions\/secrets$/,
      body: { secrets: [{}] }
    })
    await expect(client().getOrganizationSecretAccess(org, 'MISSING')).rejects.toThrow(
      "without a list of secrets that gives each one's name"
    )
  })

  it('stops reading the selected repositories when a page comes back twice', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => github.addRepository(`octo/r${i}`).id)
    github.seedSecret({ organization: 'octo' }, 'TOKEN', {
      value: 'x',
      visibility: 'selected',
      selectedRepositoryIds: ids
    })
    // Page 2 answers what page 1 did: a server that ignores `page`.
    const first = {
      total_count: 150,
      repositories: ids.slice(0, 100).map((id) => ({ id }))
    }
    github.inject({ method: 'GET', path: /\/repositories$/, body: first, times: 2 })
    await expect(client().getOrganizationSecretAccess(org, 'TOKEN')).rejects.toThrow(
      'the same page of repositories came back twice'
    )
    expect(github.log.filter((e) => e.path.endsWith('/repositories'))).toHaveLength(2)
  })

  it('stops after 100 pages of selected repositories, however many more a server claims', async () => {
    github.seedSecret({ organization: 'octo' }, 'TOKEN', { value: 'x', visibility: 'selected' })
    let page = 0
    github.inject({
      method: 'GET',
      path: /\/repositories$/,
      bodyFor: () => ({
        total_count: 1_000_000,
        repositories: Array.from({ length: 100 }, (_, i) => ({ id: ++page * 1000 + i }))
      }),
      times: 1_000
    })
    await expect(client().getOrganizationSecretAccess(org, 'TOKEN')).rejects.toThrow(
      'more than 100 pages of repositories'
    )
    expect(github.log.filter((e) => e.path.endsWith('/repositories'))).toHaveLength(100)
  })
})
