/*
 * strategy: alternate (zero-downtime rotation of a pair): the idle key (the earlier expiry) gets
 * its expiry pushed out and a new secret, stored and verified; the live key, which running jobs
 * still use, is left alone. A locked idle key, an idle key that authenticates the action and a
 * lost regeneration answer change nothing the destinations rely on.
 */
import { describe, expect, it } from '@jest/globals'
import { ROLES } from '../../emulators/seed.js'
import type { EmulatedKey } from '../../emulators/workload-security.js'
import { runBundled, runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites, managerWrites } = checks(emulators)

const SECRET = 'WS_API_KEY'
const { rotateInputs, env, key, stored, noProbeAnywhere, expectExpiryAbout } = rotationHelpers(
  emulators,
  SECRET
)
const PROBE = `${SECRET}_ROTATION_PROBE`
const DAY = 86_400_000
/** How far the action's clock and the test's may drift apart within one run. */
const TOLERANCE = 60_000

/** Adds the pair deployer-a (ID 7) and deployer-b (ID 8); returns them as they were added. */
function addPair(
  a: Partial<EmulatedKey> = {},
  b: Partial<EmulatedKey> = {}
): { a: EmulatedKey; b: EmulatedKey } {
  const { ws } = emulators.current
  // Copies: the emulator changes its own keys in place, these keep the state before the run.
  return {
    a: { ...ws.addKey({ ID: 7, keyName: 'deployer-a', roleID: ROLES.deployer.ID, ...a }) },
    b: { ...ws.addKey({ ID: 8, keyName: 'deployer-b', roleID: ROLES.deployer.ID, ...b }) }
  }
}

const PAIR_BY_NAME = {
  strategy: 'alternate',
  'key-name': 'deployer-a, deployer-b',
  'expiry-days': '60'
}

describe('strategy: alternate', () => {
  it('two runs rotate A then B; the previously stored secret keeps working after each', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    const liveSecret = b.secret
    const bExpiry = b.expiryDate!
    for (const repository of ['octo/app', 'octo/api'])
      github.seedSecret({ repository }, SECRET, { value: liveSecret })
    const inputs = rotateInputs({ ...PAIR_BY_NAME, repositories: 'octo/app,octo/api' })

    const first = await runInProcess(inputs, env())
    expect(first.failed ? first.log : '').toBe('')
    const aSecret = key(7).secret
    expect(aSecret).not.toBe(a.secret)
    expect(stored('octo/app')).toBe(aSecret)
    expect(stored('octo/api')).toBe(aSecret)
    expect(ws.authenticates(aSecret)).toBe(true)
    // A job that started before the rotation, with B's secret, keeps working.
    expect(ws.authenticates(liveSecret)).toBe(true)
    expect(key(8).secret).toBe(liveSecret)
    expect(key(8).expiryDate).toBe(bExpiry)
    expectExpiryAbout(key(7).expiryDate, 60, now, Date.now())
    expect(first.outputs).toMatchObject({
      'key-id': '7',
      'key-name': 'deployer-a',
      'previous-key-id': '8',
      'secrets-updated': '2',
      changed: 'true',
      'expiry-date': new Date(key(7).expiryDate!).toISOString()
    })
    expect(ws.requests('POST', '/apikeys/7')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/7')[0].at).toBeLessThan(
      ws.requests('POST', '/apikeys/7/secretkey')[0].at
    )
    expect(ws.requests('POST', /^\/apikeys\/8/)).toHaveLength(0)
    // The summary shows both keys of the pair with their expiries.
    expect(first.summary).toMatch(
      new RegExp(`<td>7</td><td>deployer-a</td><td>${new Date(key(7).expiryDate!).toISOString()}`)
    )
    expect(first.summary).toMatch(
      new RegExp(`<td>8</td><td>deployer-b</td><td>${new Date(bExpiry).toISOString()}`)
    )
    expect(JSON.parse(first.outputs.result)).toMatchObject({
      key: { id: '7' },
      previousKey: { id: '8' },
      verified: true
    })
    expectNoLeak(first, liveSecret, a.secret, aSecret)

    const second = await runInProcess(inputs, env())
    expect(second.failed ? second.log : '').toBe('')
    const bSecret = key(8).secret
    expect(bSecret).not.toBe(liveSecret)
    expect(stored('octo/app')).toBe(bSecret)
    expect(stored('octo/api')).toBe(bSecret)
    expect(ws.authenticates(bSecret)).toBe(true)
    // The secret stored by the first run keeps working.
    expect(ws.authenticates(aSecret)).toBe(true)
    expect(key(7).secret).toBe(aSecret)
    expect(ws.authenticates(liveSecret)).toBe(false)
    expectExpiryAbout(key(8).expiryDate, 60, now, Date.now())
    expect(second.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7',
      'secrets-updated': '2',
      'expiry-date': new Date(key(8).expiryDate!).toISOString()
    })
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', '/apikeys/8/secretkey')).toHaveLength(1)
    expect(second.summary).toContain(new Date(key(7).expiryDate!).toISOString())
    expect(second.summary).toContain(new Date(key(8).expiryDate!).toISOString())
    expectNoLeak(second, liveSecret, aSecret, bSecret)
  })

  it('by two IDs: a key without expiry counts as the earliest and is the idle one', async () => {
    const { ws } = emulators.current
    const { a, b } = addPair({ expiryDate: Date.now() + 5 * DAY }, {})
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '7, 8', 'expiry-days': '60' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7'
    })
    expect(stored('octo/app')).toBe(key(8).secret)
    expect(key(8).secret).not.toBe(b.secret)
    expect(key(7).secret).toBe(a.secret)
    expect(ws.authenticates(a.secret)).toBe(true)
    expect(ws.requests('POST', /^\/apikeys\/7/)).toHaveLength(0)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('a tie in expiry goes to the lower ID, whatever the order of the input', async () => {
    const expiry = Date.now() + 10 * DAY
    const { a, b } = addPair({ expiryDate: expiry }, { expiryDate: expiry })
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '8\n7', 'expiry-days': '60' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs).toMatchObject({
      'key-id': '7',
      'previous-key-id': '8'
    })
    expect(stored('octo/app')).toBe(key(7).secret)
    expect(key(8).secret).toBe(b.secret)
    expect(key(8).expiryDate).toBe(expiry)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('an expired idle key is revived (expiry pushed out) and rotated', async () => {
    const { ws } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now - 2 * DAY }, { expiryDate: now + 20 * DAY })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed ? run.log : '').toBe('')
    expectExpiryAbout(key(7).expiryDate, 60, now, Date.now())
    const fresh = key(7).secret
    expect(stored('octo/app')).toBe(fresh)
    // The revived key really authenticates: verification proved it with the new secret.
    expect(JSON.parse(run.outputs.result)).toMatchObject({ verified: true })
    expect(
      ws.requests('GET', '/apikeys/current').some((e) => e.headers['api-secret-key'] === fresh)
    ).toBe(true)
    expect(
      ws.requests('GET', '/apikeys/current').find((e) => e.headers['api-secret-key'] === fresh)
        ?.status
    ).toBe(200)
    expect(key(8).secret).toBe(b.secret)
    expectNoLeak(run, a.secret, b.secret, fresh)
  })

  it('a locked idle key fails the run with nothing changed', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair(
      { expiryDate: now + 5 * DAY, active: false },
      { expiryDate: now + 20 * DAY }
    )
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/idle key of the pair, key 7 "deployer-a", is locked/)
    expect(run.log).toContain('Nothing was changed')
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(key(7)).toMatchObject({ secret: a.secret, expiryDate: now + 5 * DAY, active: false })
    expect(key(8)).toMatchObject({ secret: b.secret, expiryDate: now + 20 * DAY })
    expect(stored('octo/app')).toBe(b.secret)
    expect(ws.authenticates(b.secret)).toBe(true)
    expectNoLeak(run, a.secret, b.secret)
  })

  it('an idle key that is the authenticating key fails the run with nothing changed', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    // Keys that may view keys, so that the idle one can authenticate the action.
    const { a, b } = addPair(
      { expiryDate: now + 5 * DAY, roleID: ROLES.fullAccess.ID },
      { expiryDate: now + 20 * DAY, roleID: ROLES.fullAccess.ID }
    )
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    const run = await runInProcess(
      rotateInputs({ strategy: 'alternate', 'key-id': '7,8', 'expiry-days': '60' }, a.secret),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /idle key of the pair, key 7 "deployer-a", is the key this action authenticates with/
    )
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(key(7)).toMatchObject({ secret: a.secret, expiryDate: now + 5 * DAY })
    expect(ws.authenticates(a.secret)).toBe(true)
    expect(ws.authenticates(b.secret)).toBe(true)
    expect(stored('octo/app')).toBe(b.secret)
    expectNoLeak(run, a.secret, b.secret)
  })

  it("a lost answer to the idle key's regeneration fails with the live key and the destinations untouched", async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    for (const repository of ['octo/app', 'octo/api'])
      github.seedSecret({ repository }, SECRET, { value: b.secret })
    ws.inject({ method: 'POST', path: '/apikeys/7/secretkey', drop: 'after' })
    const run = await runInProcess(
      rotateInputs({ ...PAIR_BY_NAME, repositories: 'octo/app,octo/api' }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', '/apikeys/7/secretkey')).toHaveLength(1)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(1)
    expect(run.log).toContain('No second secret was issued')
    expect(run.log).toContain('the destinations still hold the live key')
    // The manager did act: A has a secret nobody holds; B, which the destinations hold, works.
    expect(key(7).secret).not.toBe(a.secret)
    expect(key(8)).toMatchObject({ secret: b.secret, expiryDate: now + 20 * DAY })
    expect(ws.authenticates(b.secret)).toBe(true)
    expect(stored('octo/app')).toBe(b.secret)
    expect(stored('octo/api')).toBe(b.secret)
    expect(githubWrites().filter((w) => w.startsWith('PUT') && !w.endsWith(PROBE))).toEqual([])
    noProbeAnywhere()
    expectNoLeak(run, a.secret, b.secret, key(7).secret)
  })

  it("a failed regeneration puts the idle key's expiry back, so the next run takes the same key and never the live one", async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    ws.inject({ method: 'POST', path: '/apikeys/7/secretkey', status: 500 })
    const failed = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(failed.failed).toBe(true)
    // The expiry was pushed out before the regeneration, then put back when it failed.
    expect(
      ws.requests('POST', '/apikeys/7').map((e) => (e.body as { expiryDate: number }).expiryDate)
    ).toEqual([expect.any(Number), a.expiryDate])
    expect(key(7)).toMatchObject({ secret: a.secret, expiryDate: a.expiryDate })
    expect(failed.log).toContain(
      `The idle key's expiry was put back to ${new Date(a.expiryDate!).toISOString()}`
    )

    // The next run: deployer-a is idle again; deployer-b, which the destination holds, is untouched.
    const next = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(next.failed ? next.log : '').toBe('')
    expect(next.outputs['key-id']).toBe('7')
    expect(key(8).secret).toBe(b.secret)
    expect(ws.authenticates(b.secret)).toBe(true)
    expect(stored('octo/app')).toBe(key(7).secret)
  })

  it('an idle key without expiry gets "now" when its expiry is put back: the next run still takes it', async () => {
    const { ws, github } = emulators.current
    const { b } = addPair({}, { expiryDate: Date.now() + 20 * DAY })
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    ws.inject({ method: 'POST', path: '/apikeys/7/secretkey', status: 400 })
    const before = Date.now()
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed).toBe(true)
    expect(key(7).expiryDate).toBeGreaterThanOrEqual(before - TOLERANCE)
    expect(key(7).expiryDate).toBeLessThanOrEqual(Date.now() + TOLERANCE)
    expect(key(7).expiryDate!).toBeLessThan(key(8).expiryDate!)
  })

  it("when GitHub refused every write, the idle key's expiry is put back too", async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 20 * DAY })
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    github.inject({ method: 'PUT', path: `/repos/octo/app/actions/secrets/${SECRET}`, status: 422 })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed).toBe(true)
    expect(key(7).expiryDate).toBe(a.expiryDate)
    expect(run.log).toContain(
      '%0ATo recover, in order:%0A1. Re-run this workflow: re-running is safe (the destinations hold the live key of the pair'
    )
    expect(run.summary).toContain('Sealed copies of the new secret: void')
    expect(stored('octo/app')).toBe(b.secret)
    expect(ws.authenticates(b.secret)).toBe(true)
  })

  it("refuses, before anything changes, a new idle expiry that would not be later than the live key's", async () => {
    const { ws } = emulators.current
    const now = Date.now()
    addPair({ expiryDate: now + 5 * DAY }, { expiryDate: now + 90 * DAY })
    const run = await runInProcess(rotateInputs(PAIR_BY_NAME), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /would expire on .*, not later than the live key key 8 "deployer-b" .*Raise expiry-days above 90/
    )
    expect(managerWrites()).toEqual([])
    expect(githubWrites()).toEqual([])
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
  })

  it('runs end to end through the committed bundle', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const { a, b } = addPair({ expiryDate: now + 20 * DAY }, { expiryDate: now + 5 * DAY })
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: a.secret })
    const run = await runBundled(
      rotateInputs({ strategy: 'alternate', 'key-id': '7,8', 'expiry-days': '30' }),
      env()
    )
    expect(run.failed ? run.log : '').toBe('')
    const fresh = key(8).secret
    expect(fresh).not.toBe(b.secret)
    expect(stored('octo/app')).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(a.secret)).toBe(true)
    expectExpiryAbout(key(8).expiryDate, 30, now, Date.now())
    expect(run.outputs).toMatchObject({
      'key-id': '8',
      'previous-key-id': '7',
      'secrets-updated': '1',
      'expiry-date': new Date(key(8).expiryDate!).toISOString()
    })
    expect(run.summary).toContain(new Date(key(7).expiryDate!).toISOString())
    expect(run.summary).toContain(new Date(key(8).expiryDate!).toISOString())
    expectNoLeak(run, a.secret, b.secret, fresh)
  })
})
