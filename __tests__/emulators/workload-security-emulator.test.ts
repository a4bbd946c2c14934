import { describe, expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import type { SecretType } from '../../emulators/github.js'
import { READ_ONLY_TOKEN, ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import { WorkloadSecurityEmulator } from '../../emulators/workload-security.js'
import { githubContractViolations } from '../support/contract.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()

interface Answer {
  status: number
  body: Record<string, unknown>
}

/** One exchange with the Workload Security emulator over loopback HTTP. */
async function ws(
  method: string,
  path: string,
  secret: string,
  body?: unknown,
  signal?: AbortSignal
): Promise<Answer> {
  const res = await fetch(`${emulators.current.ws.url}${path}`, {
    method,
    headers: {
      'api-version': 'v1',
      'api-secret-key': secret,
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

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

/** Reads a response body until it ends, the signal aborts, or more than `cap` bytes arrived. */
async function readBody(
  res: Response,
  cap = Infinity
): Promise<{ bytes: number; text: string; error?: unknown }> {
  const reader = res.body!.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      bytes += value.length
      if (bytes > cap) {
        await reader.cancel()
        break
      }
    }
  } catch (error) {
    return { bytes, text: Buffer.concat(chunks).toString('utf8'), error }
  }
  return { bytes, text: Buffer.concat(chunks).toString('utf8') }
}

function request(path: string, secret: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${emulators.current.ws.url}${path}`, {
    ...init,
    headers: { 'api-version': 'v1', 'api-secret-key': secret, accept: 'application/json' }
  })
}

describe('emulator faults', () => {
  it('act with rawBody: the manager regenerates, then the answer is not JSON', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({
      path: `/apikeys/${deployer.ID}/secretkey`,
      act: true,
      rawBody: '<html>gateway</html>'
    })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('<html>gateway</html>')
    expect(emulator.authenticates(old)).toBe(false)
    expect(emulator.requests('POST', `/apikeys/${deployer.ID}/secretkey`)[0].acted).toBe(true)
  })

  it('act with status: the key is deleted although the answer says 500', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    emulator.inject({ method: 'DELETE', path: `/apikeys/${deployer.ID}`, act: true, status: 500 })
    const answer = await ws('DELETE', `/apikeys/${deployer.ID}`, admin.secret)
    expect(answer.status).toBe(500)
    expect(emulator.keys.has(deployer.ID)).toBe(false)
  })

  it('an injected status without act changes nothing', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    emulator.inject({ method: 'DELETE', path: `/apikeys/${deployer.ID}`, status: 500 })
    expect((await ws('DELETE', `/apikeys/${deployer.ID}`, admin.secret)).status).toBe(500)
    expect(emulator.keys.has(deployer.ID)).toBe(true)
    expect(emulator.requests('DELETE')[0].acted).toBe(false)
  })

  it('respondAfterMs: acts at once and is logged as acted although the client gave up', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, respondAfterMs: 60_000 })
    const started = Date.now()
    await expect(
      ws(
        'POST',
        `/apikeys/${deployer.ID}/secretkey`,
        admin.secret,
        undefined,
        AbortSignal.timeout(200)
      )
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(emulator.authenticates(old)).toBe(false)
    const [exchange] = emulator.requests('POST', `/apikeys/${deployer.ID}/secretkey`)
    expect(exchange).toMatchObject({ acted: true, status: 200 })
    // The answer that never went out was the real one, with the new secret.
    expect((exchange.responseBody as { secretKey: string }).secretKey).toBe(
      emulator.keys.get(deployer.ID)!.secret
    )
  })

  it('truncate: acts, announces the whole length and sends half of the body', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, truncate: true })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    const announced = Number(res.headers.get('content-length'))
    const body = await readBody(res)
    expect(body.error).toBeDefined()
    expect(body.bytes).toBe(Math.floor(announced / 2))
    expect(() => JSON.parse(body.text)).toThrow()
    expect(emulator.authenticates(old)).toBe(false)
  })

  it('dripMs: sends a byte at a time, so only a deadline cuts it', async () => {
    const { admin } = emulators.current
    emulators.current.ws.inject({ path: '/apikeys', dripMs: 20 })
    const res = await request('/apikeys', admin.secret, { signal: AbortSignal.timeout(300) })
    const announced = Number(res.headers.get('content-length'))
    const body = await readBody(res)
    expect(body.error).toBeDefined()
    expect(body.bytes).toBeGreaterThan(2)
    expect(body.bytes).toBeLessThan(announced)
  })

  it('stop() clears the timers of a drip and a late answer', async () => {
    const emulator = new WorkloadSecurityEmulator()
    emulator.addRole({ ID: 1, name: 'Full Access' })
    const key = emulator.addKey({ keyName: 'k', roleID: 1 })
    await emulator.start()
    try {
      emulator.inject({ path: '/apikeys/current', dripMs: 10_000 })
      emulator.inject({ path: '/apikeys/current', respondAfterMs: 10_000 })
      const headers = { 'api-version': 'v1', 'api-secret-key': key.secret }
      const drip = await fetch(`${emulator.url}/apikeys/current`, { headers })
      const late = fetch(`${emulator.url}/apikeys/current`, { headers }).then(
        () => 'answered',
        () => 'failed'
      )
      while (emulator.requests().length < 2) await new Promise((r) => setTimeout(r, 10))
      expect(emulator.pendingTimers).toBe(2)
      await emulator.stop()
      expect(emulator.pendingTimers).toBe(0)
      expect((await readBody(drip)).error).toBeDefined()
      expect(await late).toBe('failed')
    } finally {
      await emulator.stop()
    }
  })

  it('hugeBodyBytes: streams a valid JSON body of about that size without acting', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, hugeBodyBytes: 300_000 })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.length).toBe(300_000)
    expect((JSON.parse(text) as { message: string }).message).toMatch(/^x+$/)
    expect(emulator.authenticates(old)).toBe(true)
    expect(emulator.requests('POST')[0].acted).toBe(false)
  })

  it('hugeBodyBytes: a capped reader stops early and the emulator keeps answering', async () => {
    const { admin, ws: emulator } = emulators.current
    emulator.inject({ path: '/apikeys', hugeBodyBytes: 200 * 1024 * 1024 })
    const res = await request('/apikeys', admin.secret)
    expect(Number(res.headers.get('content-length'))).toBe(200 * 1024 * 1024)
    const started = Date.now()
    const body = await readBody(res, 1024 * 1024)
    expect(body.bytes).toBeLessThan(2 * 1024 * 1024)
    expect((await ws('GET', '/apikeys/current', admin.secret)).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('status 200 with body and times answers the same page again and again', async () => {
    const { admin, ws: emulator } = emulators.current
    const page = { apiKeys: [{ ID: 1, keyName: 'ci-admin', roleID: 1, active: true }] }
    emulator.inject({ method: 'GET', path: '/apikeys', status: 200, body: page, times: 3 })
    for (let i = 0; i < 3; i++)
      expect((await ws('GET', '/apikeys', admin.secret)).body).toEqual(page)
    const real = await ws('GET', '/apikeys', admin.secret)
    expect((real.body.apiKeys as unknown[]).length).toBe(emulator.keys.size)
    emulator.inject({ method: 'GET', path: '/apikeys', body: page })
    expect(await ws('GET', '/apikeys', admin.secret)).toEqual({ status: 200, body: page })
  })
})

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

describe('GitHub contract check', () => {
  const exchange = (partial: Record<string, unknown>) => ({
    method: 'PUT',
    path: '/orgs/octo/dependabot/secrets/X',
    headers: {},
    body: undefined,
    acted: true,
    at: 0,
    ...partial
  })

  it("reports requests and answers that GitHub's description does not allow", async () => {
    expect(
      await githubContractViolations(
        exchange({ body: { encrypted_value: 'AAAA', key_id: '1' }, status: 201, responseBody: {} })
      )
    ).toEqual([
      "PUT /orgs/octo/dependabot/secrets/X request: /requestBody must have required property 'visibility'"
    ])
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app/dependabot/secrets/public-key',
          status: 200,
          responseBody: { key: 'k' }
        })
      )
    ).toEqual([
      "GET /repos/octo/app/dependabot/secrets/public-key response:  must have required property 'key_id'"
    ])
    expect(await githubContractViolations(exchange({ method: 'DELETE', status: 200 }))).toEqual([
      'DELETE /orgs/octo/dependabot/secrets/X: HTTP 200 is not a documented answer'
    ])
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app/environments/production/dependabot/secrets'
        })
      )
    ).toEqual([
      "GET /repos/octo/app/environments/production/dependabot/secrets: no such operation in GitHub's OpenAPI description"
    ])
  })

  it('does not check an answer a fault injected', async () => {
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app',
          status: 200,
          responseBody: {},
          fault: { status: 200, body: {} }
        })
      )
    ).toEqual([])
  })
})
