/*
 * The GitHub emulator: a key pair per scope and secret type (it opens every sealed value, so
 * tests assert on the plaintext GitHub would store), Dependabot and Codespaces secrets, and
 * what a token may read and write.
 */
import { describe, expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import type { SecretType } from '../../emulators/github.js'
import { READ_ONLY_TOKEN, WRITE_TOKEN } from '../../emulators/seed.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()

interface Answer {
  status: number
  body: Record<string, unknown>
}

/** One exchange with the GitHub emulator over loopback HTTP. */
async function gh(
  method: string,
  path: string,
  token = WRITE_TOKEN,
  body?: unknown
): Promise<Answer> {
  const res = await fetch(`${emulators.current.github.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      ...(body !== undefined && { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

/** Seals `value` for the scope at `base` (e.g. `/repos/octo/app/dependabot/secrets`). */
async function sealFor(
  base: string,
  value: string
): Promise<{ encrypted_value: string; key_id: string }> {
  await sodium.ready
  const { body } = await gh('GET', `${base}/public-key`)
  const key = sodium.from_base64(body.key as string, sodium.base64_variants.ORIGINAL)
  return {
    encrypted_value: sodium.to_base64(
      sodium.crypto_box_seal(sodium.from_string(value), key),
      sodium.base64_variants.ORIGINAL
    ),
    key_id: body.key_id as string
  }
}

const TYPES: SecretType[] = ['actions', 'dependabot', 'codespaces']

describe('GitHub emulator: Dependabot and Codespaces secrets', () => {
  it('gives every scope and secret type a key pair of its own', async () => {
    const { github } = emulators.current
    const ids: string[] = []
    for (const type of TYPES) {
      for (const [base, where] of [
        [`/repos/octo/app/${type}/secrets`, { repository: 'octo/app', type }],
        [`/orgs/octo/${type}/secrets`, { organization: 'octo', type }]
      ] as const) {
        const answer = await gh('GET', `${base}/public-key`)
        expect(answer.status).toBe(200)
        expect(answer.body.key_id).toBe(github.keyId(where))
        ids.push(answer.body.key_id as string)
      }
    }
    expect(new Set(ids).size).toBe(6)
    expect(() =>
      github.keyId({ repository: 'octo/app', environment: 'production', type: 'dependabot' })
    ).toThrow(/Actions secrets only/)
  })

  it.each(['dependabot', 'codespaces'] as const)(
    'stores a %s repository secret that opens with its own key only',
    async (type) => {
      const { github } = emulators.current
      const base = `/repos/octo/app/${type}/secrets`
      expect(
        (await gh('PUT', `${base}/TOKEN`, WRITE_TOKEN, await sealFor(base, 'one'))).status
      ).toBe(201)
      expect(
        (await gh('PUT', `${base}/TOKEN`, WRITE_TOKEN, await sealFor(base, 'two'))).status
      ).toBe(204)
      expect(github.secret({ repository: 'octo/app', type }, 'TOKEN')?.value).toBe('two')
      expect(github.secret({ repository: 'octo/app' }, 'TOKEN')).toBeUndefined()

      const sealedForActions = await sealFor('/repos/octo/app/actions/secrets', 'three')
      const refused = await gh('PUT', `${base}/TOKEN`, WRITE_TOKEN, sealedForActions)
      expect(refused.status).toBe(422)
      expect(github.secret({ repository: 'octo/app', type }, 'TOKEN')?.value).toBe('two')
      expect(github.open({ repository: 'octo/app' }, sealedForActions.encrypted_value)).toBe(
        'three'
      )

      const read = await gh('GET', `${base}/token`)
      expect(read.body).toMatchObject({ name: 'TOKEN' })
      expect(read.body).not.toHaveProperty('value')
      expect((await gh('GET', base)).body).toMatchObject({
        total_count: 1,
        secrets: [{ name: 'TOKEN' }]
      })
      expect((await gh('DELETE', `${base}/TOKEN`)).status).toBe(204)
      expect(github.secret({ repository: 'octo/app', type }, 'TOKEN')).toBeUndefined()
    }
  )

  it.each(TYPES)(
    'keeps the visibility and selected repositories of a %s organization secret',
    async (type) => {
      const { github } = emulators.current
      const base = `/orgs/octo/${type}/secrets`
      const api = github.repositories.get('octo/api')!.id
      const web = github.repositories.get('octo/web')!.id
      const write = await gh('PUT', `${base}/DEPLOY`, WRITE_TOKEN, {
        ...(await sealFor(base, 'v1')),
        visibility: 'selected',
        selected_repository_ids: [api]
      })
      expect(write.status).toBe(201)
      expect(github.secret({ organization: 'octo', type }, 'DEPLOY')).toMatchObject({
        value: 'v1',
        visibility: 'selected',
        selectedRepositoryIds: [api]
      })
      const read = await gh('GET', `${base}/DEPLOY`)
      expect(read.body).toMatchObject({
        name: 'DEPLOY',
        visibility: 'selected',
        selected_repositories_url: `${github.url}${base}/DEPLOY/repositories`
      })

      expect((await gh('PUT', `${base}/DEPLOY/repositories/${web}`)).status).toBe(204)
      const listed = await gh('GET', `${base}/DEPLOY/repositories?per_page=1&page=2`)
      expect(listed.body.total_count).toBe(2)
      expect((listed.body.repositories as { full_name: string }[]).map((r) => r.full_name)).toEqual(
        ['octo/web']
      )
      expect((await gh('DELETE', `${base}/DEPLOY/repositories/${api}`)).status).toBe(204)
      expect(
        github.secret({ organization: 'octo', type }, 'DEPLOY')?.selectedRepositoryIds
      ).toEqual([web])
      expect(
        (
          await gh('PUT', `${base}/DEPLOY/repositories`, WRITE_TOKEN, {
            selected_repository_ids: [api, web]
          })
        ).status
      ).toBe(204)
      expect(
        github.secret({ organization: 'octo', type }, 'DEPLOY')?.selectedRepositoryIds
      ).toEqual([api, web])

      github.seedSecret({ organization: 'octo', type }, 'EVERYONE', {
        value: 'x',
        visibility: 'all'
      })
      expect((await gh('PUT', `${base}/EVERYONE/repositories/${api}`)).status).toBe(409)
      expect((await gh('GET', `${base}/EVERYONE/repositories`)).status).toBe(409)
    }
  )

  it.each(TYPES)(
    "refuses %s selected repository IDs that are not the organization's",
    async (type) => {
      const { github } = emulators.current
      const stranger = github.addRepository('someone/else').id
      const api = github.repositories.get('octo/api')!.id
      const base = `/orgs/octo/${type}/secrets`
      const write = await gh('PUT', `${base}/DEPLOY`, WRITE_TOKEN, {
        ...(await sealFor(base, 'v1')),
        visibility: 'selected',
        selected_repository_ids: [api, 999_999]
      })
      expect(write.status).toBe(422)
      expect(write.body.message).toMatch(/999999/)
      expect(github.secret({ organization: 'octo', type }, 'DEPLOY')).toBeUndefined()

      github.seedSecret({ organization: 'octo', type }, 'DEPLOY', {
        value: 'x',
        visibility: 'selected',
        selectedRepositoryIds: [api]
      })
      expect(
        (
          await gh('PUT', `${base}/DEPLOY/repositories`, WRITE_TOKEN, {
            selected_repository_ids: [stranger]
          })
        ).status
      ).toBe(422)
      expect((await gh('PUT', `${base}/DEPLOY/repositories/${stranger}`)).status).toBe(422)
      expect(
        github.secret({ organization: 'octo', type }, 'DEPLOY')?.selectedRepositoryIds
      ).toEqual([api])
    }
  )
})

describe('GitHub emulator: token grants', () => {
  it('lets a token with writeTypes write only those secret types', async () => {
    const { github } = emulators.current
    github.addToken('ghs_dependabotOnly', { write: true, writeTypes: ['dependabot'] })
    const dependabot = '/repos/octo/app/dependabot/secrets'
    const actions = '/repos/octo/app/actions/secrets'
    expect(
      (await gh('PUT', `${dependabot}/X`, 'ghs_dependabotOnly', await sealFor(dependabot, 'v')))
        .status
    ).toBe(201)
    const refused = await gh(
      'PUT',
      `${actions}/X`,
      'ghs_dependabotOnly',
      await sealFor(actions, 'v')
    )
    expect(refused).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect(github.secret({ repository: 'octo/app' }, 'X')).toBeUndefined()
    expect((await gh('GET', `${actions}/public-key`, 'ghs_dependabotOnly')).status).toBe(200)
    expect(
      (await gh('GET', '/repos/octo/app/codespaces/secrets/public-key', 'ghs_dependabotOnly'))
        .status
    ).toBe(403)
  })

  it('wants the write permission even to read a Codespaces public key', async () => {
    expect(
      (await gh('GET', '/repos/octo/app/codespaces/secrets/public-key', READ_ONLY_TOKEN)).status
    ).toBe(403)
    expect(
      (await gh('GET', '/orgs/octo/codespaces/secrets/public-key', READ_ONLY_TOKEN)).status
    ).toBe(403)
    expect(
      (await gh('GET', '/repos/octo/app/dependabot/secrets/public-key', READ_ONLY_TOKEN)).status
    ).toBe(200)
  })

  it('answers GET /repos/{owner}/{repo} with the ID, and 404 when unknown or not visible', async () => {
    const { github } = emulators.current
    const answer = await gh('GET', '/repos/Octo/App')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      id: github.repositories.get('octo/app')!.id,
      full_name: 'octo/app',
      name: 'app',
      owner: { login: 'octo' }
    })
    expect((await gh('GET', '/repos/octo/nope')).status).toBe(404)
    github.addToken('ghs_apiOnly', { write: true, visible: ['octo/api'] })
    expect((await gh('GET', '/repos/octo/app', 'ghs_apiOnly')).status).toBe(404)
    expect((await gh('GET', '/repos/octo/api', 'ghs_apiOnly')).status).toBe(200)
  })
})
