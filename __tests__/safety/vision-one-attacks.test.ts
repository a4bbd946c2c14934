/*
 * platform vision-one against a Vision One server (or anything in between) that lies, and
 * unlucky users: a create answer that names another key, a 2xx that proves nothing, a new key
 * that vanishes, names that look like an earlier rotation, a connectivity check that accepts
 * anything, cancellation at the create and at the take-over. From an adversarial review.
 */
import { describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { EmulatedRequest, EmulatedResponse } from '../../emulators/server.js'
import type { VisionOneKey } from '../../emulators/vision-one.js'
import { Cancellation } from '../../src/cancellation.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'

const world = useVisionOne()
const SECRET = 'V1_TOKEN'
const REPOS = ['octo/app', 'octo/api']
const CREATE = '/v3.0/iam/apiKeys'

function rotation(extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, 'rotate', {
    'key-name': 'deployer-a',
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    repositories: REPOS.join(','),
    ...extra
  })
}

function op(operation: string, extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, operation, extra)
}

function env(): Record<string, string> {
  return visionOneEnv(world.current)
}

function seedDestinations(key: VisionOneKey): void {
  for (const repository of REPOS)
    world.current.github.seedSecret({ repository }, SECRET, { value: key.secret })
}

function stored(repository: string): string | undefined {
  return world.current.github.secret({ repository }, SECRET)?.value
}

function keysStarting(prefix: string): VisionOneKey[] {
  return [...world.current.v1.keys.values()].filter((k) => k.name.startsWith(prefix))
}

/** Every token the emulator ever issued, and the seeded write token. */
function allSecrets(): string[] {
  return [...world.current.v1.secretsIssued, WRITE_TOKEN]
}

function later(seconds: number) {
  return { now: () => Date.now() + seconds * 1000 }
}

/** The created item of an emulator's create answer. */
type CreatedItem = {
  status: number
  headers: { name: string; value: string }[]
  body: { id: string; value: string; expiredDateTime?: string }
}

function createdItem(response?: EmulatedResponse): CreatedItem {
  return (response!.body as CreatedItem[])[0]
}

/** The platform creates the key, and answers with what `rewrite` makes of the created item. */
function createAnswered(rewrite: (item: CreatedItem) => unknown[]): void {
  world.current.v1.inject({
    method: 'POST',
    path: CREATE,
    act: true,
    status: 207,
    rawBodyFor: (_request: EmulatedRequest, response?: EmulatedResponse) =>
      JSON.stringify(rewrite(createdItem(response)))
  })
}

describe('a create answer that names another key', () => {
  it('the body id and Location name another existing key: that key is never renamed or deleted, in this run or the next', async () => {
    const { v1, auditor, deployerA } = world.current
    seedDestinations(deployerA)
    // The platform creates the key, but the answer points at nightly-auditor (body and Location).
    createAnswered((item) => [
      {
        ...item,
        headers: [{ name: 'Location', value: `${v1.url}/v3.0/iam/apiKeys/${auditor.id}` }],
        body: { ...item.body, id: auditor.id }
      }
    ])
    const run = await runInProcess(rotation(), env())
    // nightly-auditor is not the key this run created: it must not have been touched.
    expect(v1.requests('PATCH', `/v3.0/iam/apiKeys/${auditor.id}`)).toEqual([])
    expect(v1.keys.get(auditor.id)?.name).toBe('nightly-auditor')
    expect(run.outputs['key-id']).not.toBe(auditor.id)

    // A later, honest run of the same rotation must not replace (and delete) nightly-auditor.
    await runInProcess(rotation(), env(), later(2))
    expect(v1.keys.has(auditor.id)).toBe(true)
    expect(v1.authenticates(auditor.secret)).toBe(true)
    expect(leaks(run, allSecrets())).toEqual([])
  })

  it('the body id differs from the Location id: the answer is refused as unclear and the key made is removed', async () => {
    const { v1, deployerB, deployerA } = world.current
    seedDestinations(deployerA)
    v1.inject({
      method: 'POST',
      path: CREATE,
      act: true,
      status: 207,
      rawBodyFor: (_request: EmulatedRequest, response?: EmulatedResponse) => {
        const item = createdItem(response)
        // Location right, body id the live key of the pair.
        return JSON.stringify([{ ...item, body: { ...item.body, id: deployerB.id } }])
      }
    })
    const run = await runInProcess(rotation(), env())
    expect(v1.requests('PATCH', `/v3.0/iam/apiKeys/${deployerB.id}`)).toEqual([])
    expect(v1.keys.get(deployerB.id)?.name).toBe('deployer-b')
    expect(run.outputs['key-id']).not.toBe(deployerB.id)
    expect(leaks(run, allSecrets())).toEqual([])
  })

  it('create: a body id naming another key never becomes the key-id output', async () => {
    const { v1, auditor } = world.current
    createAnswered((item) => [{ ...item, body: { ...item.body, id: auditor.id } }])
    const run = await runInProcess(
      op('create', {
        'key-name': 'ci-new',
        'role-name': 'SIEM',
        'secret-name': SECRET,
        'github-token': WRITE_TOKEN
      }),
      env()
    )
    const made = v1.keyNamed('ci-new')
    expect(made).toBeDefined()
    expect(run.outputs['key-id']).not.toBe(auditor.id)
  })

  it('an id with odd characters or a Location with ../ is never used as a key ID', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    createAnswered((item) => [
      {
        ...item,
        headers: [
          { name: 'Location', value: `${v1.url}/v3.0/iam/apiKeys/../apiKeys/..%2F..%2Fdelete` }
        ],
        body: { ...item.body, id: '../delete\n::error::x' }
      }
    ])
    const run = await runInProcess(rotation(), env())
    // Without a usable ID the key is looked up by its new name; the paths stay well-formed.
    for (const e of v1.log)
      expect(e.path).toMatch(
        /^\/v3\.0\/(iam\/apiKeys(\/[0-9a-f-]{36}|\/delete)?|healthcheck\/connectivity)$/
      )
    expect(run.log).not.toMatch(/^::error::x/m)
    expect(leaks(run, allSecrets())).toEqual([])
  })

  it('a create answer with two items is unclear; the key made is found and deleted, no token leaks', async () => {
    const { deployerA, github } = world.current
    seedDestinations(deployerA)
    const fake = `eyJ${randomUUID().replaceAll('-', '')}.fake.${randomUUID().replaceAll('-', '')}`
    createAnswered((item) => [
      item,
      { ...item, body: { ...item.body, id: randomUUID(), value: fake } }
    ])
    const run = await runInProcess(rotation(), env())
    expect(run.failed).toBe(true)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
    expect(leaks(run, [...allSecrets(), fake])).toEqual([])
  })

  it('a failed item (400) that still carries a token after the platform acted: the key must not be left behind as "No key was created"', async () => {
    const { deployerA } = world.current
    seedDestinations(deployerA)
    createAnswered((item) => [
      {
        status: 400,
        body: {
          value: item.body.value,
          error: { code: 'BadRequest', message: `rejected token ${item.body.value}` }
        }
      }
    ])
    const run = await runInProcess(rotation(), env())
    expect(run.failed).toBe(true)
    expect(leaks(run, allSecrets())).toEqual([])
    // A key was made: it must either be deleted or named in the error, never "No key was created".
    const left = keysStarting('deployer-a-next-')
    if (left.length > 0) expect(run.log).not.toMatch(/No key was created/)
  })
})

describe('a 2xx that proves nothing', () => {
  it('lock answered 204 without acting: a green run must mean the key is locked', async () => {
    const { v1, deployerA } = world.current
    v1.inject({ method: 'PATCH', status: 204, rawBody: '' })
    const run = await runInProcess(op('lock', { 'key-id': deployerA.id }), env())
    const locked = v1.keys.get(deployerA.id)!.status === 'disabled'
    expect({ green: !run.failed, locked }).not.toEqual({ green: true, locked: false })
    if (!run.failed) expect(run.outputs.active).toBe('false')
  })

  it('set-role answered 204 without acting: a green run must mean the role changed', async () => {
    const { v1, deployerA } = world.current
    v1.inject({ method: 'PATCH', status: 204, rawBody: '' })
    const run = await runInProcess(
      op('set-role', { 'key-id': deployerA.id, 'role-name': 'Auditor' }),
      env()
    )
    const changed = v1.keys.get(deployerA.id)!.role === 'Auditor'
    expect({ green: !run.failed, changed }).not.toEqual({ green: true, changed: false })
  })

  it('delete answered with an item 204 without acting: a green run must mean the key is gone', async () => {
    const { v1, deployerA } = world.current
    v1.injectItem({ operation: 'delete', status: 204, body: undefined })
    const run = await runInProcess(op('delete', { 'key-id': deployerA.id }), env())
    const gone = !v1.keys.has(deployerA.id)
    expect({ green: !run.failed, gone }).not.toEqual({ green: true, gone: false })
  })

  it('the rename answered 204 without acting: the run must not report that the key took the old name', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    v1.inject({ method: 'PATCH', status: 204, rawBody: '' })
    const run = await runInProcess(rotation(), env())
    const [next] = keysStarting('deployer-a-next-')
    expect(next).toBeDefined()
    // The key still has its -next- name: the run must say so (a warning, as for a refused
    // rename), not record "renamed key ... to deployer-a".
    const result = JSON.parse(run.outputs.result ?? '{}') as { changes?: string[] }
    expect((result.changes ?? []).join('\n')).not.toMatch(/renamed key [0-9a-f-]+ to "deployer-a"/)
    expect(run.log).toMatch(/::warning::.*deployer-a/)
  })

  it('the old key delete answered 204 without acting: the run must not report it deleted', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    v1.injectItem({
      operation: 'delete',
      status: 204,
      body: undefined,
      when: (i) => i.id === deployerA.id
    })
    const run = await runInProcess(rotation(), env())
    // The old key still works: a green run that says "deleted the old key" would hide a live key.
    expect(v1.authenticates(deployerA.secret)).toBe(true)
    const result = JSON.parse(run.outputs.result ?? '{}') as { changes?: string[] }
    expect((result.changes ?? []).join('\n')).not.toMatch(/deleted the old key/)
  })
})

describe('the new key vanishes before the take-over', () => {
  it('someone deletes the new key while it is written: the run fails and the old key is not deleted', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    github.onArrival = (request) => {
      if (request.method === 'PUT' && request.path === `/repos/octo/app/actions/secrets/${SECRET}`)
        for (const k of keysStarting('deployer-a-next-')) v1.keys.delete(k.id)
    }
    const run = await runInProcess(rotation(), env())
    const dead = REPOS.filter((r) => v1.tokenState(stored(r) ?? '') !== 'valid')
    // Every destination now holds a token that does not work: the run must not be green.
    expect(dead).toEqual(REPOS)
    expect(run.failed).toBe(true)
    // And the old key, the only one still working for anyone else, is kept.
    expect(v1.keys.has(deployerA.id)).toBe(true)
  })
})

describe('names that look like an earlier rotation', () => {
  it("someone else's key named deployer-a-next-20991231235959 is not deleted by a rotation of deployer-a", async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const theirs = v1.addKey({
      name: 'deployer-a-next-20991231235959',
      role: 'SIEM',
      description: 'the SIEM team key, nothing to do with deployer-a',
      createdDateTime: Date.now() - 400 * 86_400_000
    })
    const run = await runInProcess(rotation(), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.keys.has(theirs.id)).toBe(true)
    expect(v1.authenticates(theirs.secret)).toBe(true)
  })

  it('alternate with a pair whose second name is "<first>-next-<14 digits>": the live key is never deleted', async () => {
    const { v1, deployerA, deployerB } = world.current
    // The live key of the pair happens to be called deployer-a-next-20250101000000.
    v1.keys.get(deployerB.id)!.name = 'deployer-a-next-20250101000000'
    seedDestinations(deployerB)
    const run = await runInProcess(
      rotation({
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-a-next-20250101000000',
        'expiry-months': '12'
      }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.keys.has(deployerA.id)).toBe(false)
    // "the live key is never touched": jobs that started with it must keep working.
    expect(v1.keys.has(deployerB.id)).toBe(true)
    expect(v1.authenticates(deployerB.secret)).toBe(true)
  })

  it('alternate with a pair whose live key has the name and creation time of a leftover of the other: it is not taken for one', async () => {
    const { v1, deployerA, deployerB } = world.current
    const live = v1.keys.get(deployerB.id)!
    live.name = 'deployer-a-next-20250101000000'
    live.createdDateTime = Date.UTC(2025, 0, 1)
    seedDestinations(deployerB)
    const run = await runInProcess(
      rotation({
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-a-next-20250101000000',
        'expiry-months': '12'
      }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.log).not.toMatch(/left from an earlier rotation/)
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(v1.authenticates(deployerB.secret)).toBe(true)
  })
})

describe('verification that proves nothing', () => {
  it('a connectivity check that answers 200 to any token (a caching gateway) and a corrupted token: the old key must not be deleted on a green run', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const garbage = `eyJ0eXAiOiJKV1QifQ.${randomUUID().replaceAll('-', '')}.corrupted`
    // The health check no longer authenticates anything...
    v1.inject({
      method: 'GET',
      path: '/v3.0/healthcheck/connectivity',
      status: 200,
      body: { status: 'available' },
      times: 100
    })
    // ...and the create answer's token is not the key's.
    createAnswered((item) => [{ ...item, body: { ...item.body, value: garbage } }])
    const run = await runInProcess(rotation(), env())
    const working = REPOS.filter((r) => v1.tokenState(stored(r) ?? '') === 'valid')
    // Every destination holds a token nobody can use, and the only working key is gone: this
    // must never be a green run. (A check that a made-up token is refused would show that the
    // connectivity answer proves nothing.)
    expect({
      green: !run.failed,
      working: working.length,
      oldKeyKept: v1.keys.has(deployerA.id)
    }).not.toEqual({
      green: true,
      working: 0,
      oldKeyKept: false
    })
  })
})

describe('names the replace logic gets wrong', () => {
  it('a name of 60 emoji (120 UTF-16 characters, within 128) can be rotated: the -next- name is cut to 128 characters as the server counts them', async () => {
    const { v1, deployerA } = world.current
    const name = '\u{1F511}'.repeat(60)
    expect(name.length).toBe(120)
    v1.keys.get(deployerA.id)!.name = name
    seedDestinations(deployerA)
    const run = await runInProcess(rotation({ 'key-name': name }), env())
    expect(
      run.failed
        ? run.log
            .split('\n')
            .filter((l) => l.startsWith('::error::'))
            .join('\n')
        : ''
    ).toBe('')
    expect(v1.keyNamed(name)?.id).not.toBe(deployerA.id)
  })

  it('two keys with the same exact name: replace fails and changes nothing (key-name: several matches fail)', async () => {
    const { v1, deployerA, github } = world.current
    const twin = v1.addKey({
      name: 'deployer-a-twin',
      role: 'SIEM',
      createdDateTime: Date.now() - 1000
    })
    twin.name = 'deployer-a'
    seedDestinations(deployerA)
    const run = await runInProcess(rotation(), env())
    expect(run.failed).toBe(true)
    expect(v1.requests('POST', CREATE)).toEqual([])
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    expect(v1.keys.has(deployerA.id) && v1.keys.has(twin.id)).toBe(true)
  })

  it('two long names that share their first 108 characters: rotating one never deletes the key the other left holding its destinations', async () => {
    const { v1, deployerA, deployerB, github } = world.current
    const stem = `team-${'x'.repeat(103)}`
    expect(stem.length).toBe(108)
    const one = `${stem}-production`
    const two = `${stem}-staging`
    v1.keys.get(deployerA.id)!.name = one
    v1.keys.get(deployerB.id)!.name = two
    github.seedSecret({ repository: 'octo/app' }, 'ONE', { value: deployerA.secret })
    github.seedSecret({ repository: 'octo/app' }, 'TWO', { value: deployerB.secret })
    // Rotate "one" into ONE; its rename is refused, so its new key keeps the -next- name.
    v1.inject({ method: 'PATCH', status: 400, times: 10 })
    const first = await runInProcess(
      rotation({ 'key-name': one, 'secret-name': 'ONE', repositories: 'octo/app' }),
      env()
    )
    expect(first.failed ? first.log : '').toBe('')
    v1.clearFaults()
    const holder = github.secret({ repository: 'octo/app' }, 'ONE')!.value!
    expect(v1.tokenState(holder)).toBe('valid')
    // Now rotate "two" into TWO: it must not take the key ONE holds for a leftover of its own.
    await runInProcess(
      rotation({ 'key-name': two, 'secret-name': 'TWO', repositories: 'octo/app' }),
      env(),
      later(2)
    )
    expect(v1.tokenState(github.secret({ repository: 'octo/app' }, 'ONE')!.value!)).toBe('valid')
  })
})

describe('cancellation', () => {
  function cancelAt(method: string, path: RegExp, ...signals: string[]): Cancellation {
    const cancellation = new Cancellation()
    world.current.v1.onArrival = (request) => {
      if (request.method === method && path.test(request.path) && !cancellation.signal)
        for (const signal of signals) cancellation.receive(signal)
    }
    return cancellation
  }

  it('SIGINT while the old key is deleted: the run ends failed (cancelled), not green', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const cancellation = cancelAt('POST', /^\/v3\.0\/iam\/apiKeys\/delete$/, 'SIGINT')
    const run = await runInProcess(rotation(), env(), {}, cancellation)
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*cancelled \(SIGINT\)/i)
  })

  it("SIGINT while the new key is created: no destination written, old key untouched, and the report does not call a surviving key's copies void", async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const cancellation = cancelAt('POST', /^\/v3\.0\/iam\/apiKeys$/, 'SIGINT')
    const run = await runInProcess(rotation(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    expect(v1.keys.has(deployerA.id)).toBe(true)
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
    expect(leaks(run, allSecrets())).toEqual([])
    const left = keysStarting('deployer-a-next-')
    // Either the new key is cleaned up, or the run must not tell the reader its sealed copies are void.
    if (left.length > 0) expect(run.log).not.toMatch(/copies printed in this step's log are void/)
  })

  it('SIGTERM while the new key is created reports the outcome as unknown and writes nothing', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    v1.inject({ method: 'POST', path: CREATE, act: true, respondAfterMs: 1500 })
    const cancellation = cancelAt('POST', /^\/v3\.0\/iam\/apiKeys$/, 'SIGINT', 'SIGTERM')
    const run = await runInProcess(rotation(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/outcome unknown|may have happened/)
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
  })
})

describe('more that holds', () => {
  it('SIGINT while the new token is written: writes in flight finish, the old key is kept, the run fails naming the holders', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const cancellation = new Cancellation()
    github.onArrival = (request) => {
      if (
        request.method === 'PUT' &&
        request.path.endsWith(`/secrets/${SECRET}`) &&
        !cancellation.signal
      )
        cancellation.receive('SIGINT')
    }
    const run = await runInProcess(rotation(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(v1.keys.has(deployerA.id)).toBe(true)
    for (const repository of REPOS) expect(v1.tokenState(stored(repository) ?? '')).toBe('valid')
    expect(run.log).toMatch(/Destinations holding the new secret/)
    expect(leaks(run, allSecrets())).toEqual([])
  })

  it('the old key deleted by someone else mid-run: noted, the new key takes the name', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    github.onArrival = (request) => {
      if (request.method === 'PUT' && request.path === `/repos/octo/api/actions/secrets/${SECRET}`)
        v1.keys.delete(deployerA.id)
    }
    const run = await runInProcess(rotation(), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.keyNamed('deployer-a')?.secret).toBe(stored('octo/app'))
    expect(run.outputs.result).toMatch(/already gone/)
  })

  it('a weak, quoted ETag is sent bare in If-Match', async () => {
    const { v1, deployerA } = world.current
    v1.inject({
      method: 'GET',
      path: `/v3.0/iam/apiKeys/${deployerA.id}`,
      act: true,
      bodyFor: () => v1.publicKey(v1.keys.get(deployerA.id)!),
      headers: { etag: `W/"${deployerA.etag}"` }
    })
    const etag = deployerA.etag
    const run = await runInProcess(op('lock', { 'key-id': deployerA.id }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(v1.requests('PATCH')[0].headers['if-match']).toBe(etag)
    expect(v1.keys.get(deployerA.id)!.status).toBe('disabled')
  })
})

describe('inputs fail before any request', () => {
  it.each([
    ['expiry-months 0', { 'expiry-months': '0' }],
    ['expiry-months 24', { 'expiry-months': '24' }],
    ['expiry-months 3.0', { 'expiry-months': '3.0' }],
    ['expiry-months -3', { 'expiry-months': '-3' }],
    ['key-id on replace', { 'key-id': '00000000-0000-0000-0000-000000000000' }],
    ['strategy regenerate', { strategy: 'regenerate' }],
    ['role-id', { operation: 'create', 'role-id': '1', 'key-name': 'x' }],
    [
      'Master Administrator upper case',
      { operation: 'create', 'role-name': 'MASTER ADMINISTRATOR', 'key-name': 'x' }
    ],
    [
      'Master Administrator mixed case',
      { operation: 'create', 'role-name': 'master administrator', 'key-name': 'x' }
    ]
  ])('%s', async (_what, extra) => {
    const { v1, github } = world.current
    const run = await runInProcess(rotation(extra as Inputs), env())
    expect(run.failed).toBe(true)
    expect(v1.log).toEqual([])
    expect(github.log).toEqual([])
  })

  it('(server-side only) Master Administrator written with a no-break space, two spaces or a zero-width space reaches the server, which refuses it; nothing changes', async () => {
    const { v1, deployerA } = world.current
    for (const role of [
      'Master\u00a0Administrator',
      'Master  Administrator',
      'Master Administrator\u200b'
    ]) {
      const run = await runInProcess(
        op('set-role', { 'key-name': 'deployer-a', 'role-name': role }),
        env()
      )
      expect(run.failed).toBe(true)
    }
    // Not refused before a request (the input check is trim + lower case only): the PATCHes went out.
    expect(v1.requests('PATCH').length).toBe(3)
    expect(v1.keys.get(deployerA.id)!.role).toBe('Senior Analyst')
  })
})

describe('server text', () => {
  it('key names that try workflow commands or bidi tricks stay inert in the log and the summary', async () => {
    const { v1 } = world.current
    const evil = [
      '::error::forged',
      '  ::stop-commands::pwned',
      'ok\n::set-output name=x::y',
      'x\r::warning::z',
      'safe\u202Eevil',
      '##[error]legacy',
      '<img src=x onerror=alert(1)>'
    ]
    for (const name of evil) v1.addKey({ name, role: 'SIEM' })
    const run = await runInProcess(op('audit'), env())
    expect(run.failed ? run.log : '').toBe('')
    const commands = run.log
      .split('\n')
      .map((l) => l.trimStart())
      .filter((l) => l.startsWith('::'))
    for (const line of commands)
      expect(line).toMatch(/^::(add-mask|group|endgroup|debug|notice|warning|error)(::| )/)
    expect(run.log).not.toMatch(/^\s*::stop-commands::/m)
    expect(run.log).not.toMatch(/^::error::forged/m)
    expect(run.log).not.toMatch(/##\[error\]/)
    expect(run.log).not.toContain('\u202E')
    expect(run.summary).not.toContain('<img src=x')
  })

  it('a new token echoed back (plain, base64, percent-encoded, JSON-escaped) in every later error never leaks', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const newToken = (r: EmulatedRequest): string =>
      String(r.headers.authorization ?? '').replace(/^Bearer /, '')
    const echo = (token: string): string =>
      `plain ${token} b64 ${Buffer.from(`x${token}`).toString('base64')} pct ${[...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')} json ${[...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}`
    // The new token never authenticates, and the 401 echoes it in every encoding.
    v1.inject({
      method: 'GET',
      path: '/v3.0/healthcheck/connectivity',
      when: (r) => newToken(r) !== world.current.admin.secret,
      status: 401,
      bodyFor: (r) => ({ error: { code: 'Unauthorized', message: echo(newToken(r)) } }),
      times: 50
    })
    const run = await runInProcess(rotation(), env())
    expect(run.failed).toBe(true)
    expect(leaks(run, allSecrets())).toEqual([])
    for (const token of allSecrets()) {
      expect(run.log).not.toContain(Buffer.from(`x${token}`).toString('base64').slice(4, -4))
    }
  })
})
