/**
 * The fault matrix: at every step of rotation (and of set-role's lookups), each fault the
 * network can produce, once (transient) and always (persistent). Each cell asserts the
 * invariant, not the exit code:
 * - the run succeeds and every destination holds a secret that authenticates; or
 * - the run fails, the key's previous secret still works and nothing changed; or
 * - (only after a regeneration the action cannot undo) the run fails and the log holds a
 *   sealed copy (`Replay for <destination>`) for every destination that does not hold the new
 *   secret, listing which do; or
 * - the one unavoidable loss: the manager acted and its answer was lost, and the run says so
 *   ("No second secret was issued ... To recover") with no destination holding anything new;
 * and always: no secret in any output, a bounded number of requests, and an end within
 * max-attempts x timeout-seconds plus backoff.
 *
 * Preflight cells test preflight: the faulted exchange must come before any regeneration, and
 * a fault that lasts (`always`) must stop the run before the secret changes, so that code that
 * ignored a preflight failure would fail its cells.
 *
 * Beyond the network's faults: an answer delayed past the request's deadline although the
 * server completed it (`late`), a body cut off mid-way (`truncated`), and a 200 whose body is
 * malformed (`malformed`; on a regeneration it still carries the new `secretKey`, which must be
 * kept). `npm run test:faults` prints the matrix.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import type { EmulatedRequest, Fault } from '../emulators/server.js'
import { ROLES, WRITE_TOKEN, type SeededEmulators } from '../emulators/seed.js'
import { leaks, runInProcess, type ActionRun } from './support/action.js'
import { useEmulators } from './support/emulators.js'

const emulators = useEmulators()
const SECRET = 'WS_KEY'
const REPOSITORIES = ['octo/app', 'octo/api']
const MAX_ATTEMPTS = 3
const TIMEOUT_SECONDS = 1

/** Past the deadline of any request but a regeneration (timeout-seconds). */
const LATE_MS = TIMEOUT_SECONDS * 1000 + 200
/** Past the regeneration's deadline, which the test clock caps at 2 s. */
const LATE_REGENERATION_MS = 2500

/** A fault, or one built for the step and the world (the new secret is not known before). */
type FaultSpec = Fault | ((world: SeededEmulators, step: Step) => Fault)

const FAULTS: Record<string, FaultSpec> = {
  '429+RA': { status: 429, retryAfter: '1' },
  '429': { status: 429 },
  '500': { status: 500 },
  '502': { status: 502 },
  '503': { status: 503 },
  '504': { status: 504 },
  timeout: { hang: true },
  reset: { drop: 'before' },
  lost: { drop: 'after' },
  secondary: {
    status: 403,
    retryAfter: '1',
    body: { message: 'You have exceeded a secondary rate limit.' }
  },
  late: (_w, step) => ({
    respondAfterMs: step.name === 'regeneration' ? LATE_REGENERATION_MS : LATE_MS
  }),
  truncated: { truncate: true },
  malformed: (w, step) => {
    if (step.name !== 'regeneration') return { status: 200, rawBody: '{"ID": 2, "keyName": "x' }
    // The emulator cannot build a raw body from its state: `when` does the manager's part
    // (the key's secret becomes `issued`) and the malformed body carries the secret.
    const issued = `${w.deployer.ID}:${randomBytes(24).toString('base64')}`
    return {
      when: () => {
        w.ws.keys.get(w.deployer.ID)!.secret = issued
        return true
      },
      status: 200,
      rawBody: `{"ID":${w.deployer.ID},"keyName":"ci-deployer","secretKey":"${issued}","active":tru`
    }
  }
}
const resolveFault = (spec: FaultSpec, world: SeededEmulators, step: Step): Fault =>
  typeof spec === 'function' ? spec(world, step) : spec
const GITHUB_ONLY = new Set(['secondary'])

type Scenario = 'rotate current' | 'rotate other' | 'set-role'

interface Step {
  scenario: Scenario
  name: string
  /** Before the secret changes: a lasting fault here must stop the run with nothing changed. */
  preflight?: boolean
  emulator: 'ws' | 'github'
  /** The fault's target, given the world and the key's secret before the run. */
  target: (world: SeededEmulators, oldSecret: string) => Fault
}

const changedOnManager = (world: SeededEmulators, oldSecret: string): boolean =>
  world.ws.keys.get(world.deployer.ID)!.secret !== oldSecret
const authHeader = (request: EmulatedRequest): unknown => request.headers['api-secret-key']
const apiRepoSecret = (name: string): string => `/repos/octo/api/actions/secrets/${name}`

const STEPS: Step[] = [
  ...(['rotate current', 'rotate other'] as const).flatMap((scenario): Step[] => {
    const self = scenario === 'rotate current'
    return [
      {
        scenario,
        name: 'key lookup',
        preflight: true,
        emulator: 'ws',
        target: (w, old) =>
          self
            ? {
                method: 'GET',
                path: '/apikeys/current',
                when: (r) => authHeader(r) === old && !changedOnManager(w, old)
              }
            : { method: 'GET', path: `/apikeys/${w.deployer.ID}` }
      },
      {
        scenario,
        name: 'public key',
        preflight: true,
        emulator: 'github',
        target: () => ({ method: 'GET', path: apiRepoSecret('public-key') })
      },
      {
        scenario,
        name: 'preflight write',
        preflight: true,
        emulator: 'github',
        target: (w, old) =>
          self
            ? { method: 'PUT', path: apiRepoSecret(SECRET), when: () => !changedOnManager(w, old) }
            : { method: 'PUT', path: apiRepoSecret(`${SECRET}_ROTATION_PROBE`) }
      },
      {
        scenario,
        name: 'regeneration',
        emulator: 'ws',
        target: (w) => ({
          method: 'POST',
          path: self ? '/apikeys/current/secretkey' : `/apikeys/${w.deployer.ID}/secretkey`
        })
      },
      {
        scenario,
        name: 'destination write',
        emulator: 'github',
        target: (w, old) => ({
          method: 'PUT',
          path: apiRepoSecret(SECRET),
          when: () => changedOnManager(w, old)
        })
      },
      {
        scenario,
        name: 'verification',
        emulator: 'ws',
        target: (w, old) => ({
          method: 'GET',
          path: '/apikeys/current',
          when: (r) => authHeader(r) !== old && authHeader(r) !== w.admin.secret
        })
      }
    ]
  }),
  {
    scenario: 'set-role',
    name: 'key lookup',
    emulator: 'ws',
    target: (w) => ({ method: 'GET', path: `/apikeys/${w.deployer.ID}` })
  },
  {
    scenario: 'set-role',
    name: 'role lookup',
    emulator: 'ws',
    target: () => ({ method: 'GET', path: `/roles/${ROLES.auditor.ID}` })
  }
]

interface Cell {
  step: Step
  fault: string
  persistence: 'once' | 'always'
}

const CELLS: Cell[] = STEPS.flatMap((step) =>
  Object.keys(FAULTS)
    .filter((fault) => step.emulator === 'github' || !GITHUB_ONLY.has(fault))
    .flatMap((fault) =>
      (['once', 'always'] as const).map((persistence) => ({ step, fault, persistence }))
    )
)

/** Requests of a clean run of each scenario, measured once per scenario. */
const baseline = new Map<Scenario, number>()
const outcomes = new Map<string, { tried: number; survived: number }>()

function record(cell: Cell, survived: boolean): void {
  const key = `${cell.step.scenario} | ${cell.step.name} | ${cell.fault}`
  const entry = outcomes.get(key) ?? { tried: 0, survived: 0 }
  entry.tried++
  if (survived) entry.survived++
  outcomes.set(key, entry)
}

interface Observed {
  run: ActionRun
  requests: number
  elapsedMs: number
  backoffMs: number
  oldSecret: string
  before: Map<string, string | undefined>
}

async function runScenario(
  scenario: Scenario,
  fault?: Fault & { emulator: 'ws' | 'github' }
): Promise<Observed> {
  const world = emulators.current
  const oldSecret = world.deployer.secret
  for (const repository of REPOSITORIES)
    world.github.seedSecret({ repository }, SECRET, { value: oldSecret })
  const before = new Map(
    REPOSITORIES.map((r) => [r, world.github.secret({ repository: r }, SECRET)?.value])
  )
  if (fault) {
    const { emulator, ...rest } = fault
    world[emulator].inject(rest)
  }
  let backoffMs = 0
  const common = {
    'api-url': world.ws.url,
    'max-attempts': String(MAX_ATTEMPTS),
    'timeout-seconds': String(TIMEOUT_SECONDS)
  }
  const inputs =
    scenario === 'set-role'
      ? {
          ...common,
          operation: 'set-role',
          'api-secret-key': world.admin.secret,
          'key-id': String(world.deployer.ID),
          'role-id': String(ROLES.auditor.ID)
        }
      : {
          ...common,
          operation: 'rotate',
          'api-secret-key': scenario === 'rotate current' ? oldSecret : world.admin.secret,
          ...(scenario === 'rotate other' && { 'key-id': String(world.deployer.ID) }),
          'secret-name': SECRET,
          repositories: REPOSITORIES.join('\n'),
          'github-token': WRITE_TOKEN
        }
  const started = performance.now()
  const run = await runInProcess(
    inputs,
    { GITHUB_API_URL: world.github.url },
    {
      sleep: async (ms: number) => void (backoffMs += ms)
    }
  )
  return {
    run,
    requests: world.ws.log.length + world.github.log.length,
    elapsedMs: performance.now() - started,
    backoffMs,
    oldSecret,
    before
  }
}

/** The invariant of one cell; the problems found (empty: survived). */
function violations(scenario: Scenario, observed: Observed): string[] {
  const { ws, github, deployer, admin } = emulators.current
  const { run, oldSecret, before } = observed
  const problems: string[] = []
  const key = ws.keys.get(deployer.ID)!
  const stored = (repository: string): string | undefined =>
    github.secret({ repository }, SECRET)?.value

  const leaked = leaks(run, [oldSecret, key.secret, admin.secret, WRITE_TOKEN])
  if (leaked.length) problems.push(`leaked: ${leaked.join('; ')}`)
  const bound = (baseline.get(scenario) ?? 20) * MAX_ATTEMPTS * 2
  if (observed.requests > bound) problems.push(`${observed.requests} requests, more than ${bound}`)
  // A late regeneration waits out its own (test-capped) deadline, on top of the rest.
  const timeBudgetMs = MAX_ATTEMPTS * TIMEOUT_SECONDS * 1000 + 3000 + LATE_REGENERATION_MS
  if (observed.elapsedMs > timeBudgetMs)
    problems.push(`took ${Math.round(observed.elapsedMs)} ms, more than ${timeBudgetMs}`)
  if (observed.backoffMs > MAX_ATTEMPTS * 2 * 60_000)
    problems.push(`backed off ${observed.backoffMs} ms`)

  if (scenario === 'set-role') {
    const changed = key.roleID === ROLES.auditor.ID
    if (!run.failed && !changed) problems.push('succeeded without changing the role')
    if (run.failed && changed) problems.push('failed but changed the role')
    return problems
  }

  const probesLeft = REPOSITORIES.filter((r) =>
    github.secret({ repository: r }, `${SECRET}_ROTATION_PROBE`)
  )
  if (probesLeft.length) problems.push(`probe secret left in ${probesLeft.join(', ')}`)
  const regenerated = key.secret !== oldSecret
  if (!run.failed) {
    for (const r of REPOSITORIES) {
      if (stored(r) !== key.secret)
        problems.push(`succeeded but ${r} does not hold the current secret`)
    }
    if (!ws.authenticates(key.secret))
      problems.push('succeeded but the stored secret does not authenticate')
    if (run.outputs['secrets-updated'] !== String(REPOSITORIES.length))
      problems.push(`secrets-updated=${run.outputs['secrets-updated']}`)
  } else if (!regenerated) {
    if (!ws.authenticates(oldSecret))
      problems.push('failed before regeneration but the old secret no longer works')
    for (const r of REPOSITORIES)
      if (stored(r) !== before.get(r)) problems.push(`failed before regeneration but ${r} changed`)
  } else {
    const holders = REPOSITORIES.filter((r) => stored(r) === key.secret)
    // The one loss no code can prevent: the manager acted and its answer never arrived.
    const lost = /No second secret was issued[\s\S]*To recover/.test(run.log)
    if (!lost) {
      // Every destination that does not hold the new secret has a sealed copy in the log.
      for (const r of REPOSITORIES)
        if (!holders.includes(r) && !run.log.includes(`Replay for repository ${r}`))
          problems.push(`${r} does not hold the new secret and the log has no replay for it`)
    }
    if (lost) {
      if (holders.length) problems.push('said the secret was lost, yet destinations hold it')
    } else if (/Destinations holding the new secret:/.test(run.log)) {
      const list = (label: string): string[] =>
        (new RegExp(`${label}[^:]*: ([^.]*)\\.`).exec(run.log)?.[1] ?? '').split(', ')
      const listedHolders = list('Destinations holding the new secret')
      const listedUnconfirmed = list('Not confirmed')
      const listedMissing = list('Not written')
      for (const r of REPOSITORIES) {
        const name = `repository ${r}`
        if (listedHolders.includes(name) && !holders.includes(r))
          problems.push(`${r} listed as holding the new secret but does not`)
        if (listedMissing.includes(name) && holders.includes(r))
          problems.push(`${r} listed as not written but holds the new secret`)
        if (![listedHolders, listedUnconfirmed, listedMissing].some((l) => l.includes(name)))
          problems.push(`${r} not listed`)
        if (!listedHolders.includes(name) && !run.log.includes(`Replay for ${name}`))
          problems.push(`no replay for ${r}`)
      }
    } else if (/Verification failed/.test(run.log)) {
      if (holders.length !== REPOSITORIES.length)
        problems.push('verification failed but not every destination was written')
      if (!/The new secret is stored in repository octo\/app, repository octo\/api/.test(run.log))
        problems.push('verification failure does not list the destinations')
    } else {
      problems.push('failed after regeneration without saying where the new secret is')
    }
  }
  return problems
}

/**
 * A 200 counts as an answer whatever its body: GitHub writes answered 200 with a malformed
 * body are taken as done (their status is what GitHub documents), so a lasting one does not
 * stop a preflight write.
 */
const SURVIVABLE_AT_PREFLIGHT = new Set(['preflight write: malformed'])

/** A preflight cell's fault hit preflight, and a lasting one stopped the run before the secret changed. */
function preflightViolations(cell: Cell, observed: Observed): string[] {
  if (!cell.step.preflight) return []
  const { ws } = emulators.current
  const problems: string[] = []
  const faulted = emulators.current[cell.step.emulator].log.filter((e) => e.fault)
  const regeneration = ws.requests('POST', /secretkey$/)[0]
  if (regeneration && faulted.some((e) => e.at > regeneration.at))
    problems.push('the fault hit an exchange after the regeneration, not preflight')
  const survivable = SURVIVABLE_AT_PREFLIGHT.has(`${cell.step.name}: ${cell.fault}`)
  if (cell.persistence === 'always' && !survivable) {
    if (!observed.run.failed) problems.push('a lasting preflight fault did not fail the run')
    if (regeneration) problems.push('a lasting preflight fault did not stop the regeneration')
  }
  return problems
}

describe('fault matrix', () => {
  it.each(['rotate current', 'rotate other', 'set-role'] as const)(
    'baseline: %s succeeds without faults',
    async (scenario) => {
      const observed = await runScenario(scenario)
      expect(observed.run.failed).toBe(false)
      expect(violations(scenario, observed)).toEqual([])
      baseline.set(scenario, observed.requests)
    }
  )

  it.each(
    CELLS.map(
      (c) => [`${c.step.scenario}: ${c.step.name}: ${c.fault} ${c.persistence}`, c] as const
    )
  )('%s', async (_name, cell) => {
    const world = emulators.current
    const target = cell.step.target(world, world.deployer.secret)
    const observed = await runScenario(cell.step.scenario, {
      ...resolveFault(FAULTS[cell.fault], world, cell.step),
      ...target,
      times: cell.persistence === 'once' ? 1 : 1000,
      emulator: cell.step.emulator
    })
    const problems = [
      ...violations(cell.step.scenario, observed),
      ...preflightViolations(cell, observed)
    ]
    record(cell, problems.length === 0)
    expect(problems).toEqual([])
    const faulted = world[cell.step.emulator].log.some((e) => e.fault)
    expect(faulted).toBe(true)
  })

  afterAll(() => {
    const faults = Object.keys(FAULTS)
    const rows = [...new Set(STEPS.map((s) => `${s.scenario} | ${s.name}`))]
    const width = Math.max(...rows.map((r) => r.length))
    const lines = [
      `${'step'.padEnd(width)} | ${faults.map((f) => f.padStart(9)).join(' | ')}`,
      `${'-'.repeat(width)}-|${faults.map(() => '-'.repeat(11)).join('|')}`
    ]
    let tried = 0
    let survived = 0
    for (const row of rows) {
      const cells = faults.map((fault) => {
        const o = outcomes.get(`${row} | ${fault}`)
        if (!o) return '-'.padStart(9)
        tried += o.tried
        survived += o.survived
        return `${o.survived}/${o.tried}`.padStart(9)
      })
      lines.push(`${row.padEnd(width)} | ${cells.join(' | ')}`)
    }
    lines.push(
      '',
      `Fault matrix: ${tried} cells tried, ${survived} survived (each cell: once and always).`
    )
    process.stdout.write(`\n${lines.join('\n')}\n\n`)
  })
})
