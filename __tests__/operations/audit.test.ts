import { describe, expect, it } from '@jest/globals'
import { ROLES, WRITE_TOKEN } from '../../emulators/seed.js'
import type { EmulatedKey } from '../../emulators/workload-security.js'
import { leaks, runBundled, runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

/*
 * audit: every finding kind at and around its boundaries, the outputs, the summary, and that
 * it only ever reads (three GETs however many keys there are).
 */

const emulators = useEmulators()

const DAY = 86_400_000
const MINUTE = 60_000

function auditInputs(extra: Inputs = {}): Inputs {
  return {
    operation: 'audit',
    'api-secret-key': emulators.current.admin.secret,
    'api-url': emulators.current.ws.url,
    ...extra
  }
}

function env(): Record<string, string> {
  return { GITHUB_API_URL: emulators.current.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

function expectNoLeak(run: ActionRun): void {
  const secrets = [...emulators.current.ws.keys.values()].map((k) => k.secret)
  expect(leaks(run, [...secrets, WRITE_TOKEN])).toEqual([])
}

/**
 * Replaces the seeded keys (the admin key stays, as the key that authenticates) with one key
 * per state, all relative to `now`, which the emulator and the action's clock share.
 */
function world(now: number): void {
  const { ws, admin } = emulators.current
  ws.now = () => now
  for (const id of [...ws.keys.keys()]) if (id !== admin.ID) ws.keys.delete(id)
  Object.assign(ws.keys.get(admin.ID)!, { created: now - 10 * DAY, lastSignIn: now - DAY })
  const add = (ID: number, keyName: string, extra: Partial<EmulatedKey>): void => {
    ws.addKey({
      ID,
      keyName,
      roleID: ROLES.deployer.ID,
      created: now - 200 * DAY,
      lastSignIn: now - DAY,
      expiryDate: now + 365 * DAY,
      ...extra
    })
  }
  add(10, 'expired', { expiryDate: now - 3 * DAY })
  add(11, 'expiring', { expiryDate: now + 12 * DAY })
  add(12, 'expiring-on-boundary', { expiryDate: now + 30 * DAY })
  add(13, 'expiring-just-outside', { expiryDate: now + 30 * DAY + MINUTE })
  add(14, 'no-expiry', { expiryDate: undefined })
  add(15, 'never-used-old', { created: now - 91 * DAY, lastSignIn: undefined })
  add(16, 'never-used-new', { created: now - 89 * DAY, lastSignIn: undefined })
  add(17, 'stale-on-boundary', { lastSignIn: now - 90 * DAY })
  add(18, 'stale-just-inside', { lastSignIn: now - 90 * DAY + MINUTE })
  add(19, 'locked', { active: false })
  add(20, 'failed-sign-ins', { unsuccessfulSignInAttempts: 4 })
  add(21, 'full-access', { roleID: ROLES.fullAccess.ID })
}

const finding = (id: number, name: string, kind: string, detail: string) => ({
  'key-id': String(id),
  'key-name': name,
  kind,
  detail
})

/** Every finding of {@link world}, in the order of the summary (most urgent first). */
const FINDINGS = [
  finding(10, 'expired', 'expired', 'expired 3 days ago'),
  finding(15, 'never-used-old', 'never-used', 'never signed in; created 91 days ago'),
  finding(17, 'stale-on-boundary', 'stale', 'last signed in 90 days ago'),
  finding(11, 'expiring', 'expiring', 'expires in 12 days'),
  finding(12, 'expiring-on-boundary', 'expiring', 'expires in 30 days'),
  finding(19, 'locked', 'locked', 'active: false'),
  finding(20, 'failed-sign-ins', 'failed-sign-ins', '4 unsuccessful sign-in attempt(s)'),
  finding(21, 'full-access', 'full-access', 'role 1 "Full Access"'),
  finding(1, 'ci-admin', 'no-expiry', 'the key never expires'),
  finding(1, 'ci-admin', 'full-access', 'role 1 "Full Access"'),
  finding(14, 'no-expiry', 'no-expiry', 'the key never expires')
]

/** The summary's audit table: one array of cells per row, header excluded. */
function auditRows(summary: string): string[][] {
  const table = /<table><tr><th>ID<\/th><th>Name<\/th>.*?<\/table>/s.exec(summary)
  expect(table).not.toBeNull()
  return (
    [...table![0].matchAll(/<tr>(.*?)<\/tr>/gs)]
      .filter((row) => row[1].startsWith('<td>'))
      // An empty cell is written as a lone `<td>`.
      .map((row) =>
        row[1]
          .split('<td>')
          .slice(1)
          .map((cell) => cell.replace(/<\/td>$/, ''))
      )
  )
}

function onlyReads(): void {
  const { ws, github } = emulators.current
  expect(ws.log.filter((e) => e.method !== 'GET')).toEqual([])
  expect(ws.log.map((e) => `${e.method} ${e.path}`).sort((a, b) => a.localeCompare(b))).toEqual([
    'GET /apikeys',
    'GET /apikeys/current',
    'GET /roles'
  ])
  expect(github.log).toEqual([])
}

describe('audit', () => {
  it('reports every finding kind at its boundaries, flags the default kinds, and only reads', async () => {
    const now = Date.now()
    world(now)
    const run = await runInProcess(auditInputs(), env(), { now: () => now })
    expect(run.failed ? run.log : '').toBe('')
    expect(JSON.parse(run.outputs.findings)).toEqual(FINDINGS)
    expect(run.outputs['flagged-count']).toBe('3')
    expect(run.outputs['flagged-keys']).toBe('[{"key-id":"10"},{"key-id":"15"},{"key-id":"17"}]')
    expect(run.outputs.changed).toBe('false')
    expect(JSON.parse(run.outputs.result)).toMatchObject({
      operation: 'audit',
      changed: false,
      keysAudited: 13,
      flagged: 3
    })
    onlyReads()
    expectNoLeak(run)
  })

  it('writes one summary row per key, most urgent first, with relative dates and a totals line', async () => {
    const now = Date.now()
    world(now)
    const run = await runInProcess(auditInputs(), env(), { now: () => now })
    expect(run.failed ? run.log : '').toBe('')
    const rows = auditRows(run.summary)
    expect(rows.map((r) => r[0])).toEqual([
      '10',
      '15',
      '17',
      '11',
      '12',
      '19',
      '20',
      '21',
      '1',
      '14',
      '13',
      '16',
      '18'
    ])
    const row = (id: string): string[] => rows.find((r) => r[0] === id)!
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    // ID, name, role, active, last sign-in, expiry, findings.
    expect(row('10')).toEqual([
      '10',
      'expired',
      '3 Deployer',
      'true',
      `${day(now - DAY)} (1 day ago)`,
      `${day(now - 3 * DAY)} (3 days ago)`,
      '<b>flagged</b>: expired'
    ])
    expect(row('11')[5]).toBe(`${day(now + 12 * DAY)} (in 12 days)`)
    expect(row('13')[5]).toBe(`${day(now + 30 * DAY + MINUTE)} (in 30 days)`)
    expect(row('13')[6]).toBe('-')
    expect(row('14')[5]).toBe('none')
    expect(row('15')[4]).toBe('never')
    expect(row('15')[6]).toBe('<b>flagged</b>: never-used')
    expect(row('17')[4]).toBe(`${day(now - 90 * DAY)} (90 days ago)`)
    expect(row('19')[3]).toBe('false')
    // The authenticating key is reported, marked, and never flagged.
    expect(row('1')[1]).toBe('ci-admin (this action)')
    expect(row('1')[2]).toBe('1 Full Access')
    expect(row('1')[6]).toBe('no-expiry, full-access')
    for (const kind of [
      '13 key(s), 3 flagged',
      'expired: 1',
      'expiring: 2',
      'never-used: 1',
      'stale: 1',
      'locked: 1',
      'failed-sign-ins: 1',
      'full-access: 2',
      'no-expiry: 2'
    ])
      expect(run.summary).toMatch(
        new RegExp(`\\*\\*Totals:\\*\\*.*${kind.replace(/[()]/g, '\\$&')}`)
      )
    expectNoLeak(run)
  })

  it('the authenticating key is never flagged, even for a flagged kind; a custom flag list', async () => {
    const now = Date.now()
    world(now)
    const run = await runInProcess(
      auditInputs({ flag: 'locked, failed-sign-ins,full-access' }),
      env(),
      {
        now: () => now
      }
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs['flagged-keys']).toBe('[{"key-id":"19"},{"key-id":"20"},{"key-id":"21"}]')
    expect(run.outputs['flagged-count']).toBe('3')
    // The findings do not depend on the flag list.
    expect(JSON.parse(run.outputs.findings)).toEqual(
      expect.arrayContaining(FINDINGS.map((f) => expect.objectContaining(f)))
    )
    expect(JSON.parse(run.outputs.findings)).toHaveLength(FINDINGS.length)
    const rows = auditRows(run.summary)
    expect(rows.slice(0, 3).map((r) => r[0])).toEqual(['19', '20', '21'])
    expect(rows.find((r) => r[0] === '1')![6]).not.toContain('flagged')
    onlyReads()
    expectNoLeak(run)
  })

  it('flag: none flags nothing, and fail-if-flagged then passes', async () => {
    const now = Date.now()
    world(now)
    const run = await runInProcess(
      auditInputs({ flag: 'none', 'fail-if-flagged': 'true' }),
      env(),
      {
        now: () => now
      }
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs['flagged-count']).toBe('0')
    expect(run.outputs['flagged-keys']).toBe('[]')
    // The same findings; without flagged keys only the kind orders the rows.
    const findings = JSON.parse(run.outputs.findings) as unknown[]
    expect(findings).toHaveLength(FINDINGS.length)
    expect(findings).toEqual(expect.arrayContaining(FINDINGS))
    expect(auditRows(run.summary).map((r) => r[0])).toEqual([
      '10',
      '11',
      '12',
      '19',
      '15',
      '17',
      '20',
      '21',
      '1',
      '14',
      '13',
      '16',
      '18'
    ])
    expect(run.summary).not.toContain('<b>flagged</b>')
    onlyReads()
    expectNoLeak(run)
  })

  it('fail-if-flagged: true fails the run when a key is flagged, false does not', async () => {
    const now = Date.now()
    world(now)
    const failing = await runInProcess(auditInputs({ 'fail-if-flagged': 'true' }), env(), {
      now: () => now
    })
    expect(failing.failed).toBe(true)
    expect(failing.log).toMatch(
      /::error::unchanged: 3 key\(s\) flagged \(fail-if-flagged: true\): key IDs 10, 15, 17/
    )
    // The report is complete all the same.
    expect(failing.outputs['flagged-keys']).toBe(
      '[{"key-id":"10"},{"key-id":"15"},{"key-id":"17"}]'
    )
    expect(JSON.parse(failing.outputs.findings)).toEqual(FINDINGS)
    expect(auditRows(failing.summary)).toHaveLength(13)
    expectNoLeak(failing)

    const passing = await runInProcess(auditInputs({ 'fail-if-flagged': 'false' }), env(), {
      now: () => now
    })
    expect(passing.failed ? passing.log : '').toBe('')
    expect(passing.outputs['flagged-count']).toBe('3')
    expectNoLeak(passing)
  })

  it('fail-if-flagged does not fail for the authenticating key alone', async () => {
    const now = Date.now()
    world(now)
    // Only the admin key has no expiry besides key 14: remove 14.
    emulators.current.ws.keys.delete(14)
    const run = await runInProcess(
      auditInputs({ flag: 'no-expiry', 'fail-if-flagged': 'true' }),
      env(),
      { now: () => now }
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(run.outputs['flagged-count']).toBe('0')
    expect(JSON.parse(run.outputs.findings)).toContainEqual(
      finding(1, 'ci-admin', 'no-expiry', 'the key never expires')
    )
  })

  it('custom warn-days and stale-days move the boundaries', async () => {
    const now = Date.now()
    world(now)
    const run = await runInProcess(auditInputs({ 'warn-days': '12', 'stale-days': '1' }), env(), {
      now: () => now
    })
    expect(run.failed ? run.log : '').toBe('')
    const findings = JSON.parse(run.outputs.findings) as { 'key-id': string; kind: string }[]
    const kinds = (kind: string): string[] =>
      findings
        .filter((f) => f.kind === kind)
        .map((f) => f['key-id'])
        .sort((a, b) => Number(a) - Number(b))
    expect(kinds('expiring')).toEqual(['11'])
    // Every key last seen a day ago is now stale (the admin key signed in just now).
    expect(kinds('stale')).toEqual(['10', '11', '12', '13', '14', '17', '18', '19', '20', '21'])
    expect(kinds('never-used')).toEqual(['15', '16'])
  })

  it('with 5,000 keys it makes exactly three requests: every key in one GET, the roles, itself', async () => {
    const now = Date.now()
    world(now)
    const { ws } = emulators.current
    // Keys with few fields: the list stays under the 1 MiB body cap (about 0.9 MiB).
    for (let i = 0; i < 5000; i++) {
      ws.addKey({ ID: 1000 + i, keyName: `bulk-${i}`, roleID: ROLES.deployer.ID, created: now })
    }
    const run = await runInProcess(auditInputs(), env(), { now: () => now })
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.log).toHaveLength(3)
    expect(ws.requests('GET', '/apikeys')).toHaveLength(1)
    onlyReads()
    expect(JSON.parse(run.outputs.result)).toMatchObject({ keysAudited: 5013, flagged: 3 })
    expect(run.outputs['flagged-keys']).toBe('[{"key-id":"10"},{"key-id":"15"},{"key-id":"17"}]')
    expect(auditRows(run.summary)).toHaveLength(5013)
  }, 60_000)

  it('with 5,000 keys that have a description, a sign-in and an expiry (a 1.2 MiB list), the audit still completes', async () => {
    const now = Date.now()
    world(now)
    const { ws } = emulators.current
    for (let i = 0; i < 5000; i++) {
      ws.addKey({
        ID: 1000 + i,
        keyName: `bulk-${i}`,
        description: 'one of many',
        roleID: ROLES.deployer.ID,
        created: now - 10 * DAY,
        lastSignIn: now - DAY,
        expiryDate: now + 365 * DAY
      })
    }
    const run = await runInProcess(auditInputs(), env(), { now: () => now })
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.log).toHaveLength(3)
    expect(ws.requests('GET', '/apikeys')).toHaveLength(1)
    onlyReads()
    expect(JSON.parse(run.outputs.result)).toMatchObject({ keysAudited: 5013, flagged: 3 })
    expect(run.outputs['flagged-keys']).toBe('[{"key-id":"10"},{"key-id":"15"},{"key-id":"17"}]')
    expect(auditRows(run.summary)).toHaveLength(5013)
  }, 60_000)

  it('escapes every key name in the summary table: no markup, no link, an apostrophe read as one', async () => {
    const { ws } = emulators.current
    ws.addKey({
      keyName: "<img src=x onerror=alert(1)> it's **bold** | [x](https://e.example)",
      roleID: 3
    })
    const run = await runInProcess(auditInputs(), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(run.summary).toContain(
      '&lt;img src=x onerror=alert&#40;1&#41;&gt; it&#39;s &#42;&#42;bold&#42;&#42; &#124; &#91;x&#93;&#40;https&#58;//e.example&#41;'
    )
    expect(run.summary).not.toContain('<img')
    expect(run.summary).not.toContain('&&#35;39;')
  })

  it('runs through the committed bundle', async () => {
    const { ws, admin, auditor } = emulators.current
    const now = Date.now()
    for (const id of [...ws.keys.keys()])
      if (id !== admin.ID && id !== auditor.ID) ws.keys.delete(id)
    // Mid-day offsets: the day counts cannot flip while the bundle starts.
    ws.addKey({
      ID: 30,
      keyName: 'expired',
      roleID: ROLES.deployer.ID,
      lastSignIn: now - DAY,
      expiryDate: now - 5 * DAY - 12 * 3_600_000
    })
    ws.addKey({
      ID: 31,
      keyName: 'forgotten',
      roleID: ROLES.deployer.ID,
      created: now - 400 * DAY,
      expiryDate: now + 100 * DAY
    })
    const run = await runBundled(auditInputs({ 'api-secret-key': auditor.secret }), env())
    expect(run.failed ? run.log : '').toBe('')
    expect(JSON.parse(run.outputs.findings)).toEqual([
      finding(30, 'expired', 'expired', 'expired 5 days ago'),
      finding(31, 'forgotten', 'never-used', 'never signed in; created 400 days ago'),
      finding(1, 'ci-admin', 'no-expiry', 'the key never expires'),
      finding(1, 'ci-admin', 'full-access', 'role 1 "Full Access"')
    ])
    expect(run.outputs['flagged-keys']).toBe('[{"key-id":"30"},{"key-id":"31"}]')
    expect(auditRows(run.summary).map((r) => r[0])).toEqual(['30', '31', '1', '3'])
    onlyReads()
    expectNoLeak(run)
  })
})
