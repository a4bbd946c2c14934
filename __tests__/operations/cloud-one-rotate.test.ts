/*
 * rotate on platform cloud-one (SPEC 7): `replace` (a new key with the old key's role,
 * description, language and time zone takes over; made without network limits, proven with its
 * own secret, then given the old key's allowed IPs and CIDRs before any destination holds it;
 * then the old key is deleted and the new one renamed) and `alternate` (the idle key, created
 * earlier, is replaced; the live key is never touched). What the reference leaves open is
 * handled both ways: a create answered 200 or 201, a secret bare or `<id>:<secret>`, a delete
 * answered 200 or 204; a service that differs fails before any destination holds the secret.
 */
import { describe, expect, it } from '@jest/globals'
import { valueOf, type CloudOneKey } from '../../emulators/cloud-one.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { leaks, runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { cloudOneEnv, cloudOneInputs, useCloudOne } from '../support/emulators.js'

const world = useCloudOne()
const SECRET = 'C1_KEY'
const REPOS = ['octo/app', 'octo/api']

function inputs(extra: Inputs = {}): Inputs {
  return cloudOneInputs(world.current, 'rotate', {
    'key-name': 'deployer-a',
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    repositories: REPOS.join(','),
    ...extra
  })
}

function env(): Record<string, string> {
  return cloudOneEnv(world.current)
}

function seedDestinations(key: CloudOneKey): void {
  for (const repository of REPOS)
    world.current.github.seedSecret({ repository }, SECRET, { value: valueOf(key) })
}

function stored(repository: string): string | undefined {
  return world.current.github.secret({ repository }, SECRET)?.value
}

function keysStarting(prefix: string): CloudOneKey[] {
  return [...world.current.c1.keys.values()].filter((k) => k.alias.startsWith(prefix))
}

function idsNow(): Set<string> {
  return new Set(world.current.c1.keys.keys())
}

/** After any run: every destination holds a working secret, no key nobody holds, no leak. */
function expectSafe(run: ActionRun, before: Set<string>): void {
  const { c1 } = world.current
  for (const repository of REPOS) {
    const value = stored(repository)
    expect([repository, value !== undefined && c1.authenticates(value)]).toEqual([repository, true])
  }
  const held = new Set(REPOS.map(stored))
  const stray = [...c1.keys.values()].filter((k) => !before.has(k.id) && !held.has(valueOf(k)))
  expect(stray.map((k) => k.alias)).toEqual([])
  const secrets = [...c1.secretsIssued, ...c1.secretsIssued.map((s) => s.split(':')[1])]
  expect(leaks(run, [...secrets, WRITE_TOKEN])).toEqual([])
}

describe('rotate replace', () => {
  it('creates without limits, proves, limits, stores, deletes the old key and renames the new one', async () => {
    const { c1, deployerA, github } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    const run = await runInProcess(inputs(), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = c1.keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(c1.keys.has(deployerA.id)).toBe(false)
    expect(fresh).toMatchObject({
      roleID: 'deployer',
      description: deployerA.description,
      locale: 'ja',
      timezone: 'Asia/Tokyo',
      allowedIPs: ['192.168.0.1'],
      allowedCIDRs: ['10.20.0.0/16']
    })
    // The stored value is exactly <id>:<secret>, never the ID twice.
    for (const repository of REPOS) expect(stored(repository)).toBe(`${fresh.id}:${fresh.secret}`)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(run.outputs).toMatchObject({
      'key-id': fresh.id,
      'key-name': 'deployer-a',
      'previous-key-id': deployerA.id,
      'role-id': 'deployer',
      'role-name': 'Deployer',
      'secrets-updated': '2',
      changed: 'true'
    })
    // Created without limits, then proven with its own secret, then the limits, then the writes.
    const create = c1.requests('POST', '/apikeys')[0]
    expect(create.body).not.toHaveProperty('allowedIPs')
    expect(create.body).not.toHaveProperty('allowedCIDRs')
    const proof = c1
      .requests('GET', `/apikeys/${fresh.id}`)
      .find((e) => e.headers.authorization === `ApiKey ${valueOf(fresh)}`)!
    expect(proof.status).toBe(200)
    const limits = c1
      .requests('POST', `/apikeys/${fresh.id}`)
      .find((e) => (e.body as Record<string, unknown>).allowedIPs !== undefined)!
    expect(limits.status).toBe(200)
    const writes = github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))
    expect(create.at).toBeLessThan(proof.at)
    expect(proof.answeredAt!).toBeLessThan(limits.at)
    for (const write of writes) expect(limits.answeredAt!).toBeLessThan(write.at)
    expect(c1.requests('POST', '/apikeys')).toHaveLength(1)
    expect(c1.requests('DELETE', `/apikeys/${deployerA.id}`)).toHaveLength(1)
    expectSafe(run, before)
  })

  it.each([
    [201, 'bare', 204],
    [200, 'id-secret', 200]
  ] as const)(
    'a create answered %i with the secret %s and a delete answered %i: the same result',
    async (createStatus, secretForm, deleteStatus) => {
      const { c1, deployerB } = world.current
      Object.assign(c1, { createStatus, secretForm, deleteStatus })
      seedDestinations(deployerB)
      const before = idsNow()
      const run = await runInProcess(inputs({ 'key-name': 'deployer-b' }), env())
      expect(run.failed ? run.log : '').toBe('')
      const fresh = c1.keyNamed('deployer-b')!
      for (const repository of REPOS) expect(stored(repository)).toBe(valueOf(fresh))
      expect(c1.keys.has(deployerB.id)).toBe(false)
      expectSafe(run, before)
    }
  )

  it('a limits change refused as unknown: fails saying what was sent and came back, no destination written, the new key removed', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.unsupportedFields = ['allowedCIDRs']
    c1.unknownFields = 'refuse'
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /HTTP 400: The request has unknown fields \(allowedCIDRs: unknown field\)/
    )
    expect(run.log).toMatch(
      /Sent: \{"allowedIPs":\["192\.168\.0\.1"\],"allowedCIDRs":\["10\.20\.0\.0\/16"\]\}/
    )
    expect(run.log).toMatch(/the new key lacks them/)
    expect(run.log).toMatch(/was deleted again/)
    expect(github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))).toEqual([])
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(c1.keys.get(deployerA.id)).toBeDefined()
    expectSafe(run, before)
  })

  it('a change method refused (405): the same, before any destination holds the secret', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.modifyMethods = ['PATCH']
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/POST \/apikeys\/\w+ answered HTTP 405.*Sent: \{"allowedIPs"/)
    expect(github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))).toEqual([])
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expectSafe(run, before)
  })

  it('a limits change the service ignores: the read-back catches it, nothing written, the new key removed', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.unsupportedFields = ['allowedIPs', 'allowedCIDRs']
    c1.unknownFields = 'ignore'
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/does not have the old key's network limits/)
    expect(github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))).toEqual([])
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expectSafe(run, before)
  })

  it('a create refused for an unknown field: no key, every destination untouched, what was sent named', async () => {
    const { c1, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.unsupportedFields = ['timezone']
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /POST \/apikeys answered HTTP 400.*timezone: unknown field.*Sent: \{"alias":"deployer-a-next-\d+"/
    )
    expect(run.log).toMatch(/No key was created/)
    expect(c1.requests('POST', '/apikeys')).toHaveLength(1)
    expectSafe(run, before)
  })

  it('a create the service answers without a field it dropped: the new key is deleted again, nothing written', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.unsupportedFields = ['locale']
    c1.unknownFields = 'ignore'
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /sent \{.*"locale":"ja".*\}, but the new key \w+ shows \{.*"locale":"en"/
    )
    expect(run.log).toMatch(/The new key was deleted again/)
    expect(github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))).toEqual([])
    expectSafe(run, before)
  })

  it('cancelled after the proof, before the limits: nothing written, the copies void, the new key removed', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const cancellation = new Cancellation()
    // The runner's SIGINT arrives while the new secret proves itself.
    c1.inject({
      method: 'GET',
      path: /^\/apikeys\/\w+$/,
      when: (request) =>
        request.headers.authorization !== `ApiKey ${valueOf(world.current.admin)}` &&
        (cancellation.receive('SIGINT'), true)
    })
    const run = await runInProcess(inputs(), env(), {}, cancellation)
    expect(run.failed).toBe(true)
    expect(github.requests('PUT', new RegExp(`/actions/secrets/${SECRET}$`))).toEqual([])
    expect(c1.requests('POST', new RegExp(`^/apikeys/\\w+$`))).toEqual([])
    // The clean-up goes out after the signal: the key without limits is gone, its copies void.
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(run.log).toMatch(/::error::unchanged: .*lacks the network limits.*was deleted again/)
    expect(run.log).not.toContain('Replay the sealed copies for')
    expect(run.summary).toContain('Sealed copies of the new secret: void')
    for (const repository of REPOS) expect(stored(repository)).toBe(valueOf(deployerA))
  })

  it('create answer lost: never sent twice; the key it made is deleted', async () => {
    const { c1, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    c1.inject({ method: 'POST', path: '/apikeys', drop: 'after' })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(c1.requests('POST', '/apikeys')).toHaveLength(1)
    expect(run.log).toMatch(/never sent twice.*it was deleted/)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expectSafe(run, before)
  })

  it('a write refused at one destination: both secrets work, the new key is kept, the next run finishes', async () => {
    const { c1, github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    const [next] = keysStarting('deployer-a-next-')
    expect(stored('octo/app')).toBe(valueOf(next))
    expect(stored('octo/api')).toBe(valueOf(deployerA))
    // The kept key already has the old key's limits.
    expect(next.allowedCIDRs).toEqual(['10.20.0.0/16'])
    expectSafe(run, before)
    const again = await runInProcess(inputs(), env(), { now: () => Date.now() + 2000 })
    expect(again.failed ? again.log : '').toBe('')
    const fresh = c1.keyNamed('deployer-a')!
    for (const repository of REPOS) expect(stored(repository)).toBe(valueOf(fresh))
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(c1.keys.has(deployerA.id)).toBe(false)
  })

  it('refuses expiry inputs and regenerate before any request', async () => {
    const { c1 } = world.current
    const refused: Inputs[] = [
      { 'expiry-days': '30' },
      { 'expiry-months': '6' },
      { strategy: 'regenerate' }
    ]
    for (const extra of refused) {
      const run = await runInProcess(inputs(extra), env())
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/does not apply on platform cloud-one/)
    }
    expect(c1.log).toEqual([])
  })
})

describe('rotate alternate', () => {
  it('replaces the idle key (created earlier) under its own alias; the live key is untouched', async () => {
    const { c1, deployerA, deployerB } = world.current
    // deployer-b is the newer key: the destinations hold it.
    seedDestinations(deployerB)
    const run = await runInProcess(
      inputs({ strategy: 'alternate', 'key-name': 'deployer-a, deployer-b' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const fresh = c1.keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(c1.keys.get(deployerB.id)).toBe(deployerB)
    expect(c1.requests('POST', `/apikeys/${deployerB.id}`)).toEqual([])
    for (const repository of REPOS) expect(stored(repository)).toBe(valueOf(fresh))
    expect(run.outputs).toMatchObject({ 'key-id': fresh.id, 'previous-key-id': deployerB.id })
  })

  it('a tie in creation goes to the lower ID as lower-case text', async () => {
    const { c1, deployerA, deployerB } = world.current
    deployerA.created = deployerB.created
    const idle =
      deployerA.id.toLowerCase() < deployerB.id.toLowerCase() ? 'deployer-a' : 'deployer-b'
    const live = idle === 'deployer-a' ? deployerB : deployerA
    const run = await runInProcess(
      inputs({ strategy: 'alternate', 'key-name': 'deployer-a, deployer-b' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(c1.keys.get(live.id)).toBe(live)
    expect(c1.keyNamed(idle)!.id).not.toBe((idle === 'deployer-a' ? deployerA : deployerB).id)
  })
})
