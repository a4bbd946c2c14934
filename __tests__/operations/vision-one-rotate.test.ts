/*
 * rotate on platform vision-one (SPEC 6): `replace` (a new key with the same name, role and
 * description takes over, then the old key is deleted and the new one renamed) and `alternate`
 * (the idle key of a pair is replaced; the live key is never touched). At every failure point
 * every destination holds a working token, no key is left that no destination holds (or the
 * run names it), and the report says who holds which.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import type { VisionOneKey } from '../../emulators/vision-one.js'
import { leaks, runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'

const world = useVisionOne()
const SECRET = 'V1_TOKEN'
const REPOS = ['octo/app', 'octo/api']

function inputs(extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, 'rotate', {
    'key-name': 'deployer-a',
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    repositories: REPOS.join(','),
    ...extra
  })
}

function env(): Record<string, string> {
  return visionOneEnv(world.current)
}

/** Every destination starts with the token of `key`, as after an earlier rotation. */
function seedDestinations(key: VisionOneKey): void {
  for (const repository of REPOS)
    world.current.github.seedSecret({ repository }, SECRET, { value: key.secret })
}

function stored(repository: string): string | undefined {
  return world.current.github.secret({ repository }, SECRET)?.value
}

function keyNamed(name: string): VisionOneKey | undefined {
  return world.current.v1.keyNamed(name)
}

/** Keys whose name starts with `prefix` (e.g. the `deployer-a-next-*` keys a run left). */
function keysStarting(prefix: string): VisionOneKey[] {
  return [...world.current.v1.keys.values()].filter((k) => k.name.startsWith(prefix))
}

/** What the invariants say after any run: every destination works, no key nobody holds. */
function expectSafe(run: ActionRun, before: Set<string>): void {
  const { v1 } = world.current
  for (const repository of REPOS) {
    const token = stored(repository)
    expect([repository, token && v1.tokenState(token)]).toEqual([repository, 'valid'])
  }
  const held = new Set(REPOS.map(stored))
  const stray = [...v1.keys.values()].filter((k) => !before.has(k.id) && !held.has(k.secret))
  expect(stray.map((k) => k.name)).toEqual([])
  const tokens = [...v1.keys.values()].map((k) => k.secret)
  const issued = v1.log.flatMap((e) =>
    Array.isArray(e.responseBody)
      ? (e.responseBody as { body?: { value?: unknown } }[]).flatMap((i) =>
          typeof i.body?.value === 'string' ? [i.body.value] : []
        )
      : []
  )
  expect(leaks(run, [...tokens, ...issued, WRITE_TOKEN])).toEqual([])
}

function idsNow(): Set<string> {
  return new Set(world.current.v1.keys.keys())
}

/** A clock `seconds` ahead of the system's: a later run names its new key differently. */
function later(seconds: number) {
  return { now: () => Date.now() + seconds * 1000 }
}

describe('rotate replace', () => {
  it('creates, verifies, stores, deletes the old key and renames the new one', async () => {
    const { v1, deployerA, github } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    // A round trip long enough to see which requests share one.
    v1.latencyMs = 50
    const run = await runInProcess(inputs(), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(fresh).toMatchObject({ role: deployerA.role, description: deployerA.description })
    for (const repository of REPOS) expect(stored(repository)).toBe(fresh.secret)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(run.outputs).toMatchObject({
      'key-id': fresh.id,
      'key-name': 'deployer-a',
      'previous-key-id': deployerA.id,
      'role-name': 'Senior Analyst',
      'secrets-updated': '2',
      changed: 'true'
    })
    // About three months (expiry-months' default).
    const months = (fresh.expiredDateTime! - Date.now()) / (30.4 * 86_400_000)
    expect(Math.round(months)).toBe(3)
    // Create, then verify with the new token, then the first write, then delete, then rename.
    const create = v1.requests('POST', '/v3.0/iam/apiKeys')[0]
    const verify = v1
      .requests('GET', '/v3.0/healthcheck/connectivity')
      .find((e) => e.headers.authorization === `Bearer ${fresh.secret}`)!
    const firstWrite = github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)[0]
    const deletion = v1.requests('POST', '/v3.0/iam/apiKeys/delete')[0]
    const rename = v1.requests('PATCH')[0]
    expect(create.at).toBeLessThan(verify.at)
    expect(verify.at).toBeLessThan(firstWrite.at)
    expect(firstWrite.at).toBeLessThan(deletion.at)
    expect(deletion.at).toBeLessThan(rename.at)
    expect(v1.requests('POST', '/v3.0/iam/apiKeys')).toHaveLength(1)
    // Round trips shared: the token's first check goes out before the lookup of the key made
    // is answered; the rename's ETag read before the old key's delete is confirmed.
    const lookup = v1.requests('GET', '/v3.0/iam/apiKeys').find((e) => e.at > create.at)!
    expect(verify.at).toBeLessThan(lookup.answeredAt!)
    const etagRead = v1.requests('GET', `/v3.0/iam/apiKeys/${fresh.id}`)[0]
    const confirmation = v1.requests('GET', `/v3.0/iam/apiKeys/${deployerA.id}`)[0]
    expect(etagRead.at).toBeLessThan(confirmation.at)
    expect(run.summary).toContain('replaced and deleted')
    expectSafe(run, before)
  })

  it('refuses Master Administrator and disabled keys before any change', async () => {
    const { v1 } = world.current
    for (const [name, message] of [
      ['legacy-admin', /no longer gives to a new key/],
      ['siem-connector', /is disabled/]
    ] as const) {
      const run = await runInProcess(inputs({ 'key-name': name }), env())
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(message)
    }
    expect(v1.requests('POST')).toEqual([])
    expect(world.current.github.requests('PUT')).toEqual([])
  })

  it('a dry run reads and plans, and changes nothing', async () => {
    const { v1, github } = world.current
    const run = await runInProcess(inputs({ 'dry-run': 'true' }), env())
    expect(run.failed).toBe(false)
    expect(v1.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(github.requests('PUT')).toEqual([])
    expect(JSON.parse(run.outputs.result).changes[0]).toMatch(
      /would create key "deployer-a-next-\d{14}", write its token to 2 secret\(s\).*then delete key .* and rename the new key to "deployer-a"/
    )
  })

  it('create refused: no key, the old key and every destination untouched', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    v1.injectItem({ operation: 'create', status: 400 })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/No key was created; key .* "deployer-a" is untouched/)
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
    expectSafe(run, before)
  })

  it('create answer lost: never sent twice; the key it made is deleted', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    v1.inject({ method: 'POST', path: '/v3.0/iam/apiKeys', drop: 'after' })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(v1.requests('POST', '/v3.0/iam/apiKeys')).toHaveLength(1)
    expect(run.log).toMatch(
      /never sent twice.*had been created, but its token never reached this run: it was deleted/
    )
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expect(keyNamed('deployer-a')!.id).toBe(deployerA.id)
    expectSafe(run, before)
  })

  it.each([
    ['acted', true],
    ['did not act', false]
  ])(
    'create answer lost, then the delete of the key it made answered 500 and %s (explorer seed 8247): the recovery deletes only a key that is there',
    async (_, acted) => {
      const { v1, deployerA } = world.current
      seedDestinations(deployerA)
      v1.inject({ method: 'POST', path: '/v3.0/iam/apiKeys', drop: 'after' })
      v1.injectItem({ operation: 'delete', status: 500, act: acted, times: 3 })
      const run = await runInProcess(inputs(), env())
      expect(run.failed).toBe(true)
      const left = keysStarting('deployer-a-next-')
      const error = run.log.split('\n').find((l) => l.startsWith('::error::'))!
      if (acted) {
        expect(left).toEqual([])
        expect(error).toMatch(
          /^::error::unchanged: .*it was deleted \(its delete got no clear answer/
        )
        expect(error).not.toContain('Delete key')
      } else {
        expect(left).toHaveLength(1)
        // A key is left: something changed, and the recovery deletes it.
        expect(error).not.toMatch(/^::error::unchanged/)
        expect(error).toContain(`%0A1. Delete key ${left[0].id}: `)
      }
      for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
    }
  )

  it('a write refused at one destination: both tokens work, the run says who holds which, the next run finishes', async () => {
    const { v1, github, deployerA } = world.current
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
    expect(stored('octo/app')).toBe(next.secret)
    expect(stored('octo/api')).toBe(deployerA.secret)
    expect(v1.keys.has(deployerA.id)).toBe(true)
    expect(run.log).toMatch(
      /Destinations holding the new secret: repository octo\/app\..*Not written: repository octo\/api/
    )
    expect(run.log).toMatch(
      /::error::partial: .*the new key .* is kept while a destination may hold it/
    )
    // One path: a re-run (both tokens work now), never a replay beside a delete.
    expect(run.log).toMatch(
      /%0ATo recover, in order:%0A1\. Re-run this workflow: re-running is safe [^%]*$/m
    )
    expect(run.summary).toContain('<li>Re-run this workflow: re-running is safe')
    expectSafe(run, before)

    // The next run replaces both keys: one fresh key everywhere, under the old name.
    const again = await runInProcess(inputs(), env(), later(2))
    expect(again.failed ? again.log : '').toBe('')
    const fresh = keyNamed('deployer-a')!
    expect(v1.keys.has(deployerA.id) || v1.keys.has(next.id)).toBe(false)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    for (const repository of REPOS) expect(stored(repository)).toBe(fresh.secret)
    expect(again.outputs['previous-key-id']).toBe(deployerA.id)
    expectSafe(again, idsNow())
  })

  it('every write refused: the new key is deleted, the old one untouched', async () => {
    const { github, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    github.inject({
      method: 'PUT',
      path: new RegExp(`/actions/secrets/${SECRET}$`),
      status: 403,
      body: { message: 'Resource not accessible by integration' },
      times: 2
    })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/The new key .* was deleted again/)
    expect(run.log).toMatch(/sealed copies printed in this step's log are void/)
    // The copies would store a token whose key is gone: the summary does not send anyone to them.
    expect(run.summary).not.toMatch(/To store the new secret/)
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expectSafe(run, before)
  })

  it('a token that never authenticates: nothing written, the new key deleted', async () => {
    const { v1, github, admin, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    v1.inject({
      method: 'GET',
      path: '/v3.0/healthcheck/connectivity',
      when: (r) => r.headers.authorization !== `Bearer ${admin.secret}`,
      status: 401,
      body: { error: { code: 'Unauthorized', message: 'The authentication token is invalid.' } },
      times: 50
    })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/Verification failed.*No destination was written/)
    expect(run.summary).not.toMatch(/To store the new secret/)
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    expect(keysStarting('deployer-a-next-')).toEqual([])
    expectSafe(run, before)
  })

  it('waits for a new key to become valid before the first write', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    v1.activationDelayMs = 3000
    let offset = 0
    const run = await runInProcess(inputs(), env(), {
      now: () => Date.now() + offset,
      sleep: async (ms) => {
        offset += ms
        v1.now = () => Date.now() + offset
      }
    })
    expect(run.failed ? run.log : '').toBe('')
    expect(offset).toBeGreaterThanOrEqual(3000)
    expect(stored('octo/app')).toBe(keyNamed('deployer-a')!.secret)
    // The sealed copies are printed before the wait: the token is never only in memory while
    // the run waits for it.
    const lines = run.log.split('\n')
    const printed = lines.findIndex((l) => l.startsWith('Replay for repository octo/app'))
    const waited = lines.findIndex((l) => l.includes('retrying in 1000 ms'))
    expect(printed).toBeGreaterThan(-1)
    expect(printed).toBeLessThan(waited)
  })

  it('SIGINT while it waits for the new key to become valid: the wait ends, nothing written, the report within 2 s', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    // The new key would work only after a minute: the run waits 1, 2, 3 and 4 s for it.
    v1.activationDelayMs = 60_000
    const cancellation = new Cancellation()
    let signalledAt = Infinity
    let asked = 0
    v1.onArrival = (request) => {
      // The fourth try of the new token (one beside the lookup of the key made, then the third
      // of the activation wait): the signal comes in the 3 s wait after it.
      const [next] = keysStarting('deployer-a-next-')
      if (
        request.path === '/v3.0/healthcheck/connectivity' &&
        next !== undefined &&
        request.headers.authorization === `Bearer ${next.secret}` &&
        ++asked === 4
      )
        setTimeout(() => {
          signalledAt = performance.now()
          cancellation.receive('SIGINT')
        }, 300)
    }
    const run = await runInProcess(inputs(), env(), { sleep: systemClock.sleep }, cancellation)
    expect(performance.now() - signalledAt).toBeLessThan(2000)
    expect(run.failed).toBe(true)
    expect(run.log).toContain('retrying in 3000 ms')
    // Cut short, the wait proves nothing about the token: it did not "never authenticate".
    expect(run.log).not.toContain('never authenticated')
    expect(github.requests('PUT').filter((e) => e.path.endsWith(`/${SECRET}`))).toEqual([])
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerA.secret)
  })

  it('old-key delete refused: fails naming the key left, every destination on the new key', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const before = idsNow()
    v1.injectItem({
      operation: 'delete',
      status: 403,
      when: (i) => i.id === deployerA.id,
      times: 2
    })
    const run = await runInProcess(inputs(), env())
    expect(run.failed).toBe(true)
    const [next] = keysStarting('deployer-a-next-')
    for (const repository of REPOS) expect(stored(repository)).toBe(next.secret)
    expect(run.log).toMatch(
      new RegExp(
        `Every destination holds the token of the new key ${next.id} .*Deleting the old key ${deployerA.id} "deployer-a" failed.*key ${deployerA.id} "deployer-a" is not deleted yet.*%0ATo recover, in order:%0A1\\. Re-run this workflow: re-running is safe`
      )
    )
    // The old key is named, not stray: nobody holds it and the run says to delete it.
    expect(v1.keys.has(deployerA.id)).toBe(true)
    expectSafe(run, new Set([...before]))
  })

  it('rename refused: a warning; the next run takes the lone next key for the key to replace', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    v1.inject({ method: 'PATCH', status: 400, times: 10 })
    const run = await runInProcess(inputs(), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(run.log).toMatch(/::warning::.*renaming it to "deployer-a" failed/)
    const [next] = keysStarting('deployer-a-next-')
    expect(keyNamed('deployer-a')).toBeUndefined()
    for (const repository of REPOS) expect(stored(repository)).toBe(next.secret)
    v1.clearFaults()

    const again = await runInProcess(inputs(), env(), later(2))
    expect(again.failed ? again.log : '').toBe('')
    expect(again.log).toMatch(
      /No key is named "deployer-a", but key .* is left from an earlier rotation/
    )
    const fresh = keyNamed('deployer-a')!
    expect(v1.keys.has(next.id)).toBe(false)
    for (const repository of REPOS) expect(stored(repository)).toBe(fresh.secret)
    expectSafe(again, idsNow())
  })

  it('verify: false checks the new token neither before the writes nor before the take-over', async () => {
    const { v1, deployerA } = world.current
    seedDestinations(deployerA)
    const run = await runInProcess(inputs({ verify: 'false' }), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = keyNamed('deployer-a')!
    const checks = v1.requests('GET', '/v3.0/healthcheck/connectivity')
    expect(checks.filter((e) => e.headers.authorization === `Bearer ${fresh.secret}`)).toEqual([])
    expect(v1.keys.has(deployerA.id)).toBe(false)
    for (const repository of REPOS) expect(stored(repository)).toBe(fresh.secret)
  })

  it('replaces the key it authenticates with, finishing with the new token', async () => {
    const { v1, admin } = world.current
    v1.refuseSelfChange = true
    const run = await runInProcess(inputs({ 'key-name': 'ci-key-manager' }), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = keyNamed('ci-key-manager')!
    expect(v1.keys.has(admin.id)).toBe(false)
    expect(stored('octo/app')).toBe(fresh.secret)
    // The delete was refused to the old key itself, then done with the new token.
    const deletions = v1.requests('POST', '/v3.0/iam/apiKeys/delete')
    expect(deletions.map((e) => e.headers.authorization)).toEqual([
      `Bearer ${admin.secret}`,
      `Bearer ${fresh.secret}`
    ])
  })
})

describe('rotate alternate', () => {
  const pair = {
    strategy: 'alternate',
    'key-name': 'deployer-a, deployer-b',
    'expiry-months': '12'
  }

  it('replaces the idle key under its own name; the live key is never touched', async () => {
    const { v1, deployerA, deployerB } = world.current
    seedDestinations(deployerB)
    const live = { ...deployerB }
    const before = idsNow()
    const run = await runInProcess(inputs(pair), env())
    expect(run.failed ? run.log : '').toBe('')
    const fresh = keyNamed('deployer-a')!
    expect(fresh.id).not.toBe(deployerA.id)
    expect(v1.keys.has(deployerA.id)).toBe(false)
    expect(v1.keys.get(deployerB.id)).toMatchObject({
      secret: live.secret,
      etag: live.etag,
      name: 'deployer-b'
    })
    expect(v1.log.some((e) => JSON.stringify(e.body ?? '').includes(deployerB.id))).toBe(false)
    for (const repository of REPOS) expect(stored(repository)).toBe(fresh.secret)
    expect(run.outputs).toMatchObject({ 'key-id': fresh.id, 'previous-key-id': deployerB.id })
    expectSafe(run, before)

    // The next run takes the other key: the fresh one now expires later.
    const next = await runInProcess(inputs(pair), env(), later(2))
    expect(next.failed ? next.log : '').toBe('')
    expect(v1.keys.has(deployerB.id)).toBe(false)
    expect(v1.keys.get(fresh.id)?.secret).toBe(fresh.secret)
    expect(next.outputs['previous-key-id']).toBe(fresh.id)
  })

  it('refuses when the new key would not outlive the live key', async () => {
    const { v1 } = world.current
    const run = await runInProcess(inputs({ ...pair, 'expiry-months': '6' }), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/would expire on .* not later than the live key .*Raise expiry-months/)
    expect(v1.requests('POST')).toEqual([])
  })

  it('create refused: the destinations keep the live key', async () => {
    const { v1, deployerB } = world.current
    seedDestinations(deployerB)
    const before = idsNow()
    v1.injectItem({ operation: 'create', status: 500 })
    const run = await runInProcess(inputs(pair), env())
    expect(run.failed).toBe(true)
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerB.secret)
    expectSafe(run, before)
  })

  it('a write refused at one destination: it keeps the live key; the new key stays for the others', async () => {
    const { github, deployerA, deployerB, v1 } = world.current
    seedDestinations(deployerB)
    const before = idsNow()
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const run = await runInProcess(inputs(pair), env())
    expect(run.failed).toBe(true)
    expect(stored('octo/api')).toBe(deployerB.secret)
    expect(v1.keys.has(deployerA.id)).toBe(true)
    expectSafe(run, before)
  })

  it('after such a failure, the next run keeps the key left (a destination held it) until the live key has replaced it everywhere', async () => {
    const { github, deployerB, v1 } = world.current
    seedDestinations(deployerB)
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect((await runInProcess(inputs(pair), env())).failed).toBe(true)
    const [left] = keysStarting('deployer-a-next-')
    expect(stored('octo/app')).toBe(left.secret)

    // Each run a minute after the one before, on both sides' clocks.
    const at = (minutes: number) => {
      v1.now = () => Date.now() + minutes * 60_000
      return later(minutes * 60)
    }
    // The next run replaces deployer-a; a job that read octo/app's token before it keeps working.
    const next = await runInProcess(inputs(pair), env(), at(1))
    expect(next.failed ? next.log : '').toBe('')
    expect(next.log).toMatch(
      new RegExp(
        `::notice::key ${left.id} "${left.name}" is left from an earlier rotation of the idle key.*kept this time`
      )
    )
    expect(v1.tokenState(left.secret)).toBe('valid')
    expect(v1.keys.get(deployerB.id)?.secret).toBe(deployerB.secret)

    // Two rotations later (deployer-b, then deployer-a again) no destination can hold it: it goes.
    expect((await runInProcess(inputs(pair), env(), at(2))).failed).toBe(false)
    expect(v1.keys.has(left.id)).toBe(true)
    const fourth = await runInProcess(inputs(pair), env(), at(3))
    expect(fourth.failed ? fourth.log : '').toBe('')
    expect(v1.keys.has(left.id)).toBe(false)
    for (const repository of REPOS) expect(v1.tokenState(stored(repository)!)).toBe('valid')
  })
})
