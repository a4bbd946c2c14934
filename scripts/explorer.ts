/**
 * The fault explorer: seeded, replayable runs of the committed bundle (dist/index.js) against
 * the emulators, each with a random fault at a random request, sometimes a runner-style
 * cancellation (SIGINT, SIGTERM later, SIGKILL 2.5 s after that) at a random moment, and
 * sometimes a second run writing the same destination at the same time. About a quarter of the
 * seeds rotate Vision One platform keys (`platform: vision-one`, `replace` and `alternate`)
 * instead of Workload Security keys; faults there include failed items of the 207 batch answers.
 *
 * INVARIANT, checked after every run (for both platforms; "secret" is a Vision One token too):
 * 1. No loss. Every destination holds a working secret (one that authenticates as a key of the
 *    run now), or holds what it held before while that still works, or never held anything
 *    and still does not; otherwise the log holds a sealed copy for it, sealed for its current
 *    public key, that opens to a working secret. The one loss allowed: the platform acted on a
 *    request that issues a secret and its answer never reached the run (lost, or still open at
 *    SIGTERM), and the run said so ("unclear" / "outcome unknown" / "never sent twice"). On
 *    Vision One that excuses only a destination the run did not write: `replace` deletes a key
 *    whose token was lost, so the destinations must still hold the old, working token.
 * 2. A report. Unless SIGKILLed, the run wrote a job summary and the `result` output, printed
 *    `::error::` exactly when it failed, and ended within 2.5 s of SIGTERM.
 * 3. A green run means what it says: every destination holds the key's new secret, which
 *    works; a green delete means the key is gone. Vision One: every destination holds the token
 *    of the key now named `<name>` (or, when the run warned that the rename failed, of its
 *    `<name>-next-*` key), which works, and no key the run replaced (by ID) exists any more
 *    (but for one `alternate` keeps, saying so, because a destination may hold it); a
 *    destination a concurrent run wrote later may hold that run's key, if that run failed
 *    naming it.
 * 4. Nothing else changed: every key but the one the run names keeps its secret, role, state
 *    and expiry (the live key of a pair included), and no key disappears but that one. Vision
 *    One: the keys the run names are `<name>` and its `<name>-next-*` keys (for `alternate`,
 *    those of the idle key); every other key also keeps its name.
 * 5. Nothing leaked: no secret any key ever had, nor the GitHub token, in the log (but for
 *    `::add-mask::`), the outputs or the summary.
 * 6. No change after the first signal: no secret write and no request that issues a secret
 *    (a regeneration, a creation) arrives after the run said it received SIGINT.
 * 7. No probe secret is left behind, unless the run warned about it or was SIGKILLed.
 * 8. No wider audience: an organization secret is never written with a visibility other than
 *    the one asked for (its probe aside).
 * 9. Zero downtime (`alternate`): every secret the destinations held when the run started
 *    still works when it ends; the next run (a follow-up without faults) keeps that too. Two
 *    runs of one pair, the second after the first took over, may replace the key held before
 *    the first only when both were green and a run warned that jobs lose their credential.
 * 10. No stray key (Vision One): every key the run(s) created is held by some destination, or
 *    a run's `::error::` / `::warning::` names it (its ID or its name), unless a run was
 *    SIGKILLed.
 *
 * `npm run explore -- --seeds 200` runs seeds 1..200; `--seed N` runs one and prints its logs;
 * `--from K` starts elsewhere. A failing seed prints its scenario, what broke, and the command
 * that replays it.
 */
import sodium from 'libsodium-wrappers'
import type { IncomingHttpHeaders } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { EmulatorServer, Exchange, Fault } from '../emulators/server.js'
import {
  ROLES,
  startSeededEmulators,
  startSeededVisionOneWorld,
  WRITE_TOKEN,
  type SeededEmulators,
  type SeededVisionOneWorld
} from '../emulators/seed.js'
import { VISION_ONE_ROLES, type ItemFault, type VisionOneKey } from '../emulators/vision-one.js'
import type { WorkloadSecurityEmulator } from '../emulators/workload-security.js'
import type { GitHubEmulator, SecretLocation } from '../emulators/github.js'
import { replayCommands, startBundled, type ActionRun, type Inputs } from './run-action.js'

const SECRET = 'EXPLORER_SECRET'
/** The GitHub token of the second run of a concurrent scenario. */
const SECOND_TOKEN = 'ghp_explorerSecondRunToken000000000003'
const PROBE = `${SECRET}_ROTATION_PROBE`
const DAY_MS = 86_400_000
/**
 * How much later than the child's "Received SIG..." line a request of the child may still be
 * seen arriving (the pipe and the socket race).
 */
const SIGNAL_SLACK_MS = 100
/** The runner's SIGKILL after SIGTERM. */
const KILL_AFTER_MS = 2_500
/** No run may take longer (hangs are cut at timeout-seconds; a wait at 120 s is a finding). */
const RUN_LIMIT_MS = 60_000
/**
 * The stream that turns a seed into a Vision One scenario, apart from the one that draws the
 * Workload Security scenario, so that a seed that stays on Workload Security keeps the scenario
 * it always had. Chosen so that every regression seed of docs/testing.md stays there.
 */
const VISION_ONE_STREAM = 0xa332e5e9
/** How many seeds become Vision One scenarios. */
const VISION_ONE_SHARE = 0.25

// ---------------------------------------------------------------------------------------------
// Scenarios

export type Operation =
  | 'rotate'
  | 'rotate-current'
  | 'rotate-expiry'
  | 'alternate'
  | 'create'
  | 'delete'
  /** Vision One `replace` of `deployer-a` (the platform's default strategy). */
  | 'v1-replace'
  /** Vision One `replace` of `ci-key-manager`, the key the run authenticates with. */
  | 'v1-replace-self'
  /** Vision One `alternate` of the pair `deployer-a` / `deployer-b`. */
  | 'v1-alternate'
type Destinations =
  'one-repository' | 'three-repositories' | 'environment' | 'org-new' | 'org-existing'

/** A request of the run, by emulator, method and path; `nth` picks the nth that matches. */
interface Target {
  name: string
  emulator: 'ws' | 'v1' | 'github'
  method: string
  path: RegExp
}

const UUID = '[0-9A-Za-z-]{1,36}'

const TARGETS: Target[] = [
  { name: 'ws:get-key', emulator: 'ws', method: 'GET', path: /^\/apikeys\/\d+$/ },
  { name: 'ws:get-current', emulator: 'ws', method: 'GET', path: /^\/apikeys\/current$/ },
  { name: 'ws:search', emulator: 'ws', method: 'POST', path: /^\/(apikeys|roles)\/search$/ },
  { name: 'ws:update', emulator: 'ws', method: 'POST', path: /^\/apikeys\/\d+$/ },
  {
    name: 'ws:issue',
    emulator: 'ws',
    method: 'POST',
    path: /^\/apikeys(\/(\d+|current)\/secretkey)?$/
  },
  { name: 'ws:delete', emulator: 'ws', method: 'DELETE', path: /^\/apikeys\/\d+$/ },
  { name: 'ws:roles', emulator: 'ws', method: 'GET', path: /^\/roles/ },
  { name: 'v1:list', emulator: 'v1', method: 'GET', path: /^\/v3\.0\/iam\/apiKeys$/ },
  {
    name: 'v1:get',
    emulator: 'v1',
    method: 'GET',
    path: new RegExp(`^/v3\\.0/iam/apiKeys/(?!delete$)${UUID}$`)
  },
  {
    name: 'v1:patch',
    emulator: 'v1',
    method: 'PATCH',
    path: new RegExp(`^/v3\\.0/iam/apiKeys/${UUID}$`)
  },
  { name: 'v1:create', emulator: 'v1', method: 'POST', path: /^\/v3\.0\/iam\/apiKeys$/ },
  { name: 'v1:delete', emulator: 'v1', method: 'POST', path: /^\/v3\.0\/iam\/apiKeys\/delete$/ },
  {
    name: 'v1:connectivity',
    emulator: 'v1',
    method: 'GET',
    path: /^\/v3\.0\/healthcheck\/connectivity$/
  },
  { name: 'gh:public-key', emulator: 'github', method: 'GET', path: /\/public-key$/ },
  { name: 'gh:probe-get', emulator: 'github', method: 'GET', path: new RegExp(`/${PROBE}$`) },
  { name: 'gh:probe-put', emulator: 'github', method: 'PUT', path: new RegExp(`/${PROBE}$`) },
  { name: 'gh:probe-delete', emulator: 'github', method: 'DELETE', path: new RegExp(`/${PROBE}$`) },
  {
    name: 'gh:secret-put',
    emulator: 'github',
    method: 'PUT',
    path: new RegExp(`/secrets/${SECRET}$`)
  },
  {
    name: 'gh:secret-get',
    emulator: 'github',
    method: 'GET',
    path: new RegExp(`/secrets/${SECRET}$`)
  },
  { name: 'gh:repository', emulator: 'github', method: 'GET', path: /^\/repos\/[^/]+\/[^/]+$/ }
]

const FAULT_KINDS = [
  'status',
  'acted-status',
  'drop-before',
  'drop-after',
  'slow',
  'truncate',
  'malformed',
  'hang',
  'wrong-key',
  'put-200',
  'rotate-public-key',
  'bad-key-id',
  'echo-secret',
  'truncate-after-secret'
] as const
/**
 * Vision One's batch calls (create, delete) answer 207 with an item per key: an item refused
 * (4xx/5xx, nothing done), an item that acted but answered a 5xx, a created item without a token.
 */
const ITEM_KINDS = ['item-refused', 'item-acted', 'item-no-token'] as const
type FaultKind = (typeof FAULT_KINDS)[number] | (typeof ITEM_KINDS)[number]

/** The kinds of fault a Vision One scenario draws for a target. */
function visionOneKinds(target: string): readonly FaultKind[] {
  if (target.startsWith('gh:')) return FAULT_KINDS
  // GitHub's key pairs are not a Vision One request's business.
  const kinds = FAULT_KINDS.filter((k) => k !== 'rotate-public-key' && k !== 'bad-key-id')
  if (target === 'v1:create') return [...kinds, ...ITEM_KINDS, ...ITEM_KINDS]
  if (target === 'v1:delete') return [...kinds, 'item-refused', 'item-acted', 'item-refused']
  return kinds
}

interface FaultSpec {
  target: string
  nth: number
  kind: FaultKind
  status: number
  delayMs: number
  encoding: string
}

export interface Scenario {
  seed: number
  operation: Operation
  destinations: Destinations
  secretType: 'actions' | 'dependabot'
  timeoutSeconds: number
  maxAttempts: number
  /** The fault, and sometimes a second one elsewhere. */
  faults: FaultSpec[]
  cancel?: { at: string; nth: number; delayMs: number; termAfterMs: number }
  /** A second run of the same rotation, started this many ms after the first. */
  concurrent?: { delayMs: number }
  /** The same run again once the first ended, without faults (what the next schedule does). */
  followUp?: boolean
  /** `alternate`: the idle key's new lifetime (the live key expires in 40 days). */
  expiryDays?: number
  /**
   * Vision One: the new key's lifetime (`expiry-months`; the live key of the pair expires in 8
   * months).
   */
  expiryMonths?: number
  /**
   * Vision One: an earlier run left a `<name>-next-*` key that a destination holds, `beside`
   * the key of that name or `alone` (the rename failed).
   */
  leftover?: 'beside' | 'alone'
  /** Garbage collections every 50 ms in the action (a deadline must survive them). */
  gc?: boolean
}

/** mulberry32: a small, good-enough PRNG whose whole state is the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const V1_TARGETS = [
  'v1:list',
  'v1:list',
  'v1:create',
  'v1:create',
  'v1:create',
  'v1:connectivity',
  'v1:delete',
  'v1:delete',
  'v1:delete',
  'v1:get',
  'v1:get',
  'v1:patch',
  'v1:patch',
  'gh:public-key',
  'gh:probe-put',
  'gh:probe-delete',
  'gh:secret-put',
  'gh:secret-put',
  'gh:repository'
]

/** The requests each operation sends (a target listed twice weighs twice). */
const OPERATION_TARGETS: Record<Operation, string[]> = {
  rotate: [
    'ws:get-key',
    'ws:get-current',
    'ws:issue',
    'ws:issue',
    'gh:public-key',
    'gh:probe-get',
    'gh:probe-put',
    'gh:probe-delete',
    'gh:secret-put',
    'gh:secret-put',
    'gh:secret-get',
    'gh:repository'
  ],
  'rotate-current': [
    'ws:get-current',
    'ws:issue',
    'ws:issue',
    'gh:public-key',
    'gh:probe-get',
    'gh:probe-put',
    'gh:secret-put',
    'gh:secret-put',
    'gh:secret-get',
    'gh:repository'
  ],
  'rotate-expiry': [
    'ws:get-key',
    'ws:update',
    'ws:update',
    'ws:issue',
    'ws:issue',
    'gh:public-key',
    'gh:probe-put',
    'gh:secret-put',
    'gh:secret-put',
    'gh:secret-get'
  ],
  alternate: [
    'ws:search',
    'ws:get-current',
    'ws:update',
    'ws:update',
    'ws:issue',
    'ws:issue',
    'gh:public-key',
    'gh:probe-get',
    'gh:probe-put',
    'gh:secret-put',
    'gh:secret-put',
    'gh:secret-get'
  ],
  create: [
    'ws:roles',
    'ws:search',
    'ws:issue',
    'ws:issue',
    'ws:get-key',
    'ws:delete',
    'ws:get-current',
    'gh:public-key',
    'gh:probe-put',
    'gh:secret-put',
    'gh:secret-put',
    'gh:secret-get'
  ],
  delete: ['ws:get-key', 'ws:get-key', 'ws:get-current', 'ws:delete', 'ws:delete'],
  'v1-replace': V1_TARGETS,
  'v1-replace-self': V1_TARGETS,
  'v1-alternate': V1_TARGETS
}

/** The scenario of a seed: the same seed always gives the same scenario. */
export function scenarioOf(seed: number): Scenario {
  const scenario = workloadSecurityScenario(seed)
  // Drawn apart, so that the seeds that stay on Workload Security keep their scenarios.
  const visionOne = prng(seed ^ VISION_ONE_STREAM)
  return visionOne() < VISION_ONE_SHARE ? visionOneScenario(seed, visionOne) : scenario
}

/** A Workload Security scenario (every seed's, before Vision One took a share of them). */
function workloadSecurityScenario(seed: number): Scenario {
  const random = prng(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const operation = pick<Operation>([
    'rotate',
    'rotate',
    'rotate-current',
    'rotate-expiry',
    'alternate',
    'alternate',
    'create',
    'create',
    'delete'
  ])
  const destinations = pick<Destinations>(
    operation === 'rotate-current'
      ? ['one-repository', 'three-repositories', 'environment', 'org-new', 'org-existing']
      : [
          'one-repository',
          'three-repositories',
          'three-repositories',
          'environment',
          'org-new',
          'org-existing'
        ]
  )
  const scenario: Scenario = {
    seed,
    operation,
    destinations,
    secretType: random() < 0.8 ? 'actions' : 'dependabot',
    timeoutSeconds: pick([1, 2, 3]),
    maxAttempts: pick([1, 2, 3]),
    faults: [],
    expiryDays: pick([60, 60, 30])
  }
  if (destinations === 'environment') scenario.secretType = 'actions'
  const targets = OPERATION_TARGETS[operation]
  const fault = (target: string): FaultSpec => ({
    target,
    nth: pick([1, 1, 1, 2, 3]),
    kind: pick(FAULT_KINDS),
    status: pick([400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
    delayMs: pick([200, 800, 1500, 2500]),
    encoding: pick(['plain', 'hex', 'HEX', 'u-escape', 'percent', 'html', 'base64', 'json-slash'])
  })
  if (random() < 0.9) scenario.faults.push(fault(pick(targets)))
  if (random() < 0.2) scenario.faults.push(fault(pick(targets)))
  if (random() < 0.35) {
    scenario.cancel = {
      at: random() < 0.3 && operation !== 'delete' ? 'replay' : pick(targets),
      nth: pick([1, 1, 2]),
      delayMs: pick([0, 1, 5, 20, 100, 400]),
      termAfterMs: pick([0, 300, 1000, 2000])
    }
  }
  // The runner cancels while a slow manager is still issuing the secret.
  if (operation !== 'delete' && random() < 0.15) {
    scenario.faults = [
      { ...fault('ws:issue'), nth: 1, kind: 'slow', delayMs: pick([800, 1500, 3000]) }
    ]
    scenario.cancel = {
      at: 'ws:issue',
      nth: 1,
      delayMs: pick([0, 50, 300]),
      termAfterMs: pick([300, 1000, 2000, 4000])
    }
  }
  if (operation !== 'delete' && random() < 0.12)
    scenario.concurrent = { delayMs: pick([0, 10, 50, 200]) }
  if (operation !== 'delete' && !scenario.concurrent && random() < 0.3) scenario.followUp = true
  if (random() < 0.2) scenario.gc = true
  // Pairs of faults that only hurt together, drawn apart so the scenarios above stay as they are.
  const pairs = prng(seed ^ 0x9e3779b9)
  if (operation === 'create' && pairs() < 0.1) {
    // The answer to the creation names another key, then GitHub refuses the write: the
    // rollback must not delete the key the answer named.
    scenario.destinations = 'one-repository'
    scenario.cancel = undefined
    scenario.faults = [
      { ...fault('ws:issue'), nth: 1, kind: 'wrong-key' },
      { ...fault('gh:secret-put'), nth: 1, kind: 'status', status: 422 }
    ]
  }
  return scenario
}

/** A Vision One scenario: `replace` or `alternate`, drawn from the seed's own stream. */
function visionOneScenario(seed: number, random: () => number): Scenario {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const operation = pick<Operation>([
    'v1-replace',
    'v1-replace',
    'v1-replace-self',
    'v1-alternate',
    'v1-alternate'
  ])
  const destinations = pick<Destinations>([
    'one-repository',
    'three-repositories',
    'three-repositories',
    'environment',
    'org-new',
    'org-existing'
  ])
  const scenario: Scenario = {
    seed,
    operation,
    destinations,
    secretType: destinations !== 'environment' && random() < 0.2 ? 'dependabot' : 'actions',
    timeoutSeconds: pick([1, 2, 3]),
    maxAttempts: pick([1, 2, 3]),
    faults: [],
    // The live key of the pair expires in 8 months: 6 is refused before anything changes.
    expiryMonths: operation === 'v1-alternate' ? pick([12, 12, 12, 6]) : pick([1, 3, 3, 12])
  }
  if (operation !== 'v1-replace-self' && random() < 0.2)
    scenario.leftover = pick(['beside', 'beside', 'alone'] as const)
  const targets = OPERATION_TARGETS[operation]
  const fault = (target: string): FaultSpec => ({
    target,
    nth: pick([1, 1, 1, 2, 3]),
    kind: pick(visionOneKinds(target)),
    status: pick([400, 401, 403, 404, 409, 412, 422, 429, 500, 502, 503]),
    delayMs: pick([200, 800, 1500, 2500]),
    encoding: pick(['plain', 'hex', 'HEX', 'u-escape', 'percent', 'html', 'base64', 'json-slash'])
  })
  if (random() < 0.9) scenario.faults.push(fault(pick(targets)))
  if (random() < 0.25) scenario.faults.push(fault(pick(targets)))
  if (random() < 0.35) {
    scenario.cancel = {
      at: random() < 0.3 ? 'replay' : pick(targets),
      nth: pick([1, 1, 2]),
      delayMs: pick([0, 1, 5, 20, 100, 400]),
      termAfterMs: pick([0, 300, 1000, 2000])
    }
  }
  // The runner cancels while a slow platform is still creating the new key.
  if (random() < 0.12) {
    scenario.faults = [
      { ...fault('v1:create'), nth: 1, kind: 'slow', delayMs: pick([800, 1500, 3000]) }
    ]
    scenario.cancel = {
      at: 'v1:create',
      nth: 1,
      delayMs: pick([0, 50, 300]),
      termAfterMs: pick([300, 1000, 2000, 4000])
    }
  }
  if (random() < 0.12) scenario.concurrent = { delayMs: pick([0, 10, 50, 200]) }
  // The key the run authenticates with is gone after a green run: no follow-up with it.
  if (operation !== 'v1-replace-self' && !scenario.concurrent && random() < 0.35)
    scenario.followUp = true
  if (random() < 0.2) scenario.gc = true
  return scenario
}

// ---------------------------------------------------------------------------------------------
// The platforms

/** A key as the invariant compares it, on either platform. */
interface KeyState {
  /** Text on both platforms (a number's digits on Workload Security). */
  id: string
  name: string
  secret: string
  /** The role's ID (Workload Security) or name (Vision One). */
  role: string
  active: boolean
  expiry?: number
}

/** What the invariant needs of a key platform's emulator. */
interface PlatformView {
  kind: 'ws' | 'v1'
  emulator: EmulatorServer
  /** Every key now, by ID. */
  keys: () => Map<string, KeyState>
  /** Whether a consumer holding `secret` would get in now. */
  authenticates: (secret: string) => boolean
  /** Every secret any key ever had, deleted keys' included (check 5). */
  secretsIssued: () => string[]
  /** Whether a request may issue a secret (the lost answer of check 1, and check 6). */
  issuing: (request: { method: string; path: string }) => boolean
  /** The platform credential a request carries. */
  credential: (headers: IncomingHttpHeaders) => string | undefined
  /** Adds a key that may manage keys (the second run's credential): its ID and secret. */
  addAdmin: () => { id: string; secret: string }
  clearFaults: () => void
}

function workloadSecurityView(ws: WorkloadSecurityEmulator): PlatformView {
  return {
    kind: 'ws',
    emulator: ws,
    keys: () =>
      new Map(
        [...ws.keys.values()].map((k) => [
          String(k.ID),
          {
            id: String(k.ID),
            name: k.keyName,
            secret: k.secret,
            role: String(k.roleID),
            active: k.active,
            expiry: k.expiryDate
          }
        ])
      ),
    authenticates: (secret) => ws.authenticates(secret),
    secretsIssued: () => ws.secretsIssued,
    issuing: ({ method, path }) =>
      method === 'POST' && /^\/apikeys(\/(\d+|current)\/secretkey)?$/.test(path),
    credential: (headers) => headers['api-secret-key'] as string | undefined,
    addAdmin: () => {
      const key = ws.addKey({ keyName: 'explorer-admin-2', roleID: ROLES.fullAccess.ID })
      return { id: String(key.ID), secret: key.secret }
    },
    clearFaults: () => ws.clearFaults()
  }
}

function visionOneView({ v1 }: SeededVisionOneWorld): PlatformView {
  return {
    kind: 'v1',
    emulator: v1,
    keys: () =>
      new Map(
        [...v1.keys.values()].map((k) => [
          k.id,
          {
            id: k.id,
            name: k.name,
            secret: k.secret,
            role: k.role,
            active: k.status === 'enabled',
            expiry: k.expiredDateTime
          }
        ])
      ),
    authenticates: (secret) => v1.tokenState(secret) === 'valid',
    secretsIssued: () => v1.secretsIssued,
    issuing: ({ method, path }) => method === 'POST' && path === '/v3.0/iam/apiKeys',
    credential: (headers) => /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''))?.[1],
    addAdmin: () => {
      const key = v1.addKey({ name: 'explorer-admin-2', role: VISION_ONE_ROLES.keyManager })
      return { id: key.id, secret: key.secret }
    },
    clearFaults: () => v1.clearFaults()
  }
}

/** The emulators of one scenario. */
interface World {
  platform: PlatformView
  github: GitHubEmulator
  /** The seeded Workload Security world, or the seeded Vision One world. */
  ws?: SeededEmulators
  v1?: SeededVisionOneWorld
  /** The secret of the seeded key that may manage keys (the second run gets one of its own). */
  adminSecret: string
  /** Keys the explorer added once the runs began (the second run's credentials). */
  ownKeys: Set<string>
  /** A batch item of a creation acted, then answered without the new key's token. */
  itemLostToken: boolean
  stop: () => Promise<void>
}

const isVisionOne = (operation: Operation): boolean => operation.startsWith('v1-')

async function startWorld(scenario: Scenario): Promise<World> {
  if (isVisionOne(scenario.operation)) {
    const v1 = await startSeededVisionOneWorld()
    return {
      platform: visionOneView(v1),
      github: v1.github,
      v1,
      adminSecret: v1.admin.secret,
      ownKeys: new Set(),
      itemLostToken: false,
      stop: v1.stop
    }
  }
  const ws = await startSeededEmulators()
  return {
    platform: workloadSecurityView(ws.ws),
    github: ws.github,
    ws,
    adminSecret: ws.admin.secret,
    ownKeys: new Set(),
    itemLostToken: false,
    stop: ws.stop
  }
}

/** The emulator a target's requests go to. */
function emulatorOf(world: World, target: Target): EmulatorServer {
  return target.emulator === 'github' ? world.github : world.platform.emulator
}

/** Whether `name` is `base` or one of its `<base>-next-<UTC yyyymmddHHMMss>` keys. */
function inGroup(name: string, base: string): boolean {
  return (
    name === base ||
    (name.startsWith(`${base}-next-`) && /^\d{14}$/.test(name.slice(`${base}-next-`.length)))
  )
}

/** The key a name stands for, as `replace` resolves it: that name's, else its one next key. */
function groupKey(keys: KeyState[], base: string): KeyState | undefined {
  const named = keys.find((k) => k.name === base)
  if (named) return named
  const left = keys.filter((k) => inGroup(k.name, base))
  return left.length === 1 ? left[0] : undefined
}

/**
 * The idle and the live name of a Vision One pair: the idle key expires first (no expiry counts
 * as earliest; a tie goes to the lower ID as lower-case text).
 */
function pairOf(keys: KeyState[], first: string, second: string): { idle: string; live: string } {
  const expiry = (name: string): number => groupKey(keys, name)?.expiry ?? -Infinity
  const id = (name: string): string => groupKey(keys, name)?.id.toLowerCase() ?? ''
  const firstIdle =
    expiry(first) < expiry(second) || (expiry(first) === expiry(second) && id(first) < id(second))
  return firstIdle ? { idle: first, live: second } : { idle: second, live: first }
}

// ---------------------------------------------------------------------------------------------
// Running a scenario

interface Signals {
  sigint?: number
  /** When the child's log said it received the signal. */
  handled?: number
  sigterm?: number
  sigkill?: boolean
}

interface RunRecord {
  run: ActionRun
  code: number | null
  endedAt: number
  signals: Signals
  /** The credentials it sent: its requests are those that carry them. */
  inputs: Inputs
  /** The signal that killed the run as it exited, after its report (see startRun). */
  killedAtExit?: string
}

export interface Outcome {
  scenario: Scenario
  violations: string[]
  /** What is worth knowing but breaks no invariant. */
  notes: string[]
  runs: RunRecord[]
  /** One line: the scenario and how its run(s) ended. */
  line: string
}

/** What the run(s) need from the world, set up before they start. */
interface Setup {
  inputs: Inputs
  /** Where the secret goes. */
  locations: SecretLocation[]
  /**
   * Whether a key that existed before the run(s) (`before`, every key then) may change or go;
   * every other key must stay as it was.
   */
  mayChange: (key: KeyState, before: Map<string, KeyState>) => boolean
  /** The keys whose secret a destination may hold at the end. */
  holders: () => KeyState[]
  /** The organization visibility asked for, when the destination is an organization secret. */
  visibility?: string
  /**
   * Vision One: the name whose key (with its `-next-` keys) a run starting from `before`
   * replaces, and for `alternate` the live key's name.
   */
  replaces?: (before: Map<string, KeyState>) => { name: string; live?: string }
}

/** The destinations of a scenario: where they are, their inputs, and how to seed them. */
interface Destined {
  locations: SecretLocation[]
  inputs: Inputs
  /** Seeds the destinations (or only `where`) with `value`, as an earlier run would have. */
  seed: (value: string, where?: SecretLocation[]) => void
  visibility?: string
}

function destinationsFor(github: GitHubEmulator, scenario: Scenario): Destined {
  const type = scenario.secretType
  const repositories =
    scenario.destinations === 'three-repositories'
      ? ['octo/app', 'octo/api', 'octo/web']
      : ['octo/app']
  const locations: SecretLocation[] =
    scenario.destinations === 'environment'
      ? [{ repository: 'octo/app', environment: 'production' }]
      : scenario.destinations.startsWith('org')
        ? [{ organization: 'octo', type }]
        : repositories.map((repository) => ({ repository, type }))
  const inputs: Inputs = {
    'secret-name': SECRET,
    'secret-type': type,
    'github-token': WRITE_TOKEN,
    ...(scenario.destinations === 'environment' && {
      repositories: 'octo/app',
      environment: 'production'
    }),
    ...(scenario.destinations.startsWith('org')
      ? {
          organization: 'octo',
          ...(scenario.destinations === 'org-new' && {
            visibility: 'selected',
            repositories: 'octo/app'
          })
        }
      : scenario.destinations !== 'environment' && { repositories: repositories.join('\n') })
  }
  const seed = (value: string, where = locations): void => {
    for (const location of where) {
      github.seedSecret(location, SECRET, {
        value,
        ...(location.organization && {
          visibility: 'selected',
          selectedRepositoryIds: [github.repositories.get('octo/app')!.id]
        })
      })
    }
  }
  const visibility =
    scenario.destinations === 'org-new'
      ? 'selected'
      : scenario.destinations === 'org-existing'
        ? 'selected'
        : undefined
  return { locations, inputs, seed, visibility }
}

function setUp(world: World, scenario: Scenario): Setup {
  return world.v1
    ? setUpVisionOne(world, world.v1, scenario)
    : setUpWorkloadSecurity(world, world.ws!, scenario)
}

function setUpWorkloadSecurity(world: World, seeded: SeededEmulators, scenario: Scenario): Setup {
  const { ws, admin, deployer } = seeded
  const {
    locations,
    inputs: destinationInputs,
    seed,
    visibility
  } = destinationsFor(seeded.github, scenario)
  const common: Inputs = {
    'api-url': ws.url,
    'timeout-seconds': String(scenario.timeoutSeconds),
    'max-attempts': String(scenario.maxAttempts)
  }
  const keysWhere = (keep: (k: KeyState) => boolean) => (): KeyState[] =>
    [...world.platform.keys().values()].filter(keep)
  switch (scenario.operation) {
    case 'rotate':
    case 'rotate-expiry':
    case 'rotate-current': {
      if (scenario.destinations !== 'org-new') seed(deployer.secret)
      const current = scenario.operation === 'rotate-current'
      return {
        inputs: {
          operation: 'rotate',
          'api-secret-key': current ? deployer.secret : admin.secret,
          ...(!current && { 'key-id': String(deployer.ID) }),
          ...(scenario.operation === 'rotate-expiry' && { 'expiry-days': '30' }),
          ...common,
          ...destinationInputs
        },
        locations,
        mayChange: (k) => k.id === String(deployer.ID),
        holders: keysWhere((k) => k.id === String(deployer.ID)),
        visibility
      }
    }
    case 'alternate': {
      const now = Date.now()
      const a = ws.addKey({
        keyName: 'pair-a',
        roleID: ROLES.deployer.ID,
        expiryDate: now + 10 * DAY_MS
      })
      const b = ws.addKey({
        keyName: 'pair-b',
        roleID: ROLES.deployer.ID,
        expiryDate: now + 40 * DAY_MS
      })
      if (scenario.destinations !== 'org-new') seed(b.secret)
      const pair = [String(a.ID), String(b.ID)]
      return {
        inputs: {
          operation: 'rotate',
          strategy: 'alternate',
          'api-secret-key': admin.secret,
          'key-name': 'pair-a\npair-b',
          'expiry-days': String(scenario.expiryDays),
          ...common,
          ...destinationInputs
        },
        locations,
        // Either key may be idle (the follow-up run takes the other one); check 9 keeps the
        // live key's secret working.
        mayChange: (k) => pair.includes(k.id),
        holders: keysWhere((k) => pair.includes(k.id)),
        visibility
      }
    }
    case 'create':
      // An existing organization secret holds some other key's secret (its readers use it).
      if (scenario.destinations === 'org-existing') seed(seeded.auditor.secret)
      return {
        inputs: {
          operation: 'create',
          'api-secret-key': admin.secret,
          'key-name': 'explorer-new',
          'role-id': String(ROLES.deployer.ID),
          'expiry-days': '30',
          ...common,
          ...destinationInputs
        },
        locations,
        mayChange: (k) => k.name === 'explorer-new',
        holders: keysWhere((k) => k.name === 'explorer-new'),
        visibility
      }
    case 'delete': {
      const target = [...ws.keys.values()].find((k) => k.keyName === 'ci_key')!
      return {
        inputs: {
          operation: 'delete',
          'api-secret-key': admin.secret,
          'key-id': String(target.ID),
          ...common
        },
        locations: [],
        mayChange: (k) => k.id === String(target.ID),
        holders: () => []
      }
    }
    default:
      throw new Error(`${scenario.operation} is not a Workload Security operation`)
  }
}

/** `yyyymmddHHMMss` in UTC, as a `-next-` key's name ends. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14)
}

function setUpVisionOne(world: World, seeded: SeededVisionOneWorld, scenario: Scenario): Setup {
  const { v1, admin, deployerA, deployerB } = seeded
  const {
    locations,
    inputs: destinationInputs,
    seed,
    visibility
  } = destinationsFor(seeded.github, scenario)
  const common: Inputs = {
    platform: 'vision-one',
    'api-url': v1.url,
    'api-secret-key': admin.secret,
    'timeout-seconds': String(scenario.timeoutSeconds),
    'max-attempts': String(scenario.maxAttempts),
    'expiry-months': String(scenario.expiryMonths)
  }
  const existing = scenario.destinations !== 'org-new'
  /**
   * An earlier run's `<name>-next-*` key, made yesterday with a year to live, which the first
   * destination holds (the others hold `rest`); `alone`: the key of that name is gone (the
   * earlier run's rename failed), and every destination holds the next key.
   */
  const leftover = (of: VisionOneKey, rest: VisionOneKey): void => {
    const next = v1.addKey({
      name: `${of.name}-next-${stamp(Date.now() - DAY_MS)}`,
      role: of.role,
      description: of.description,
      createdDateTime: Date.now() - DAY_MS,
      expiredDateTime: Date.now() + 364 * DAY_MS
    })
    if (scenario.leftover === 'alone') v1.keys.delete(of.id)
    if (!existing) return
    seed(scenario.leftover === 'alone' ? next.secret : rest.secret)
    seed(next.secret, locations.slice(0, 1))
  }
  const group =
    (...names: string[]) =>
    (): KeyState[] =>
      [...world.platform.keys().values()].filter((k) => names.some((n) => inGroup(k.name, n)))
  switch (scenario.operation) {
    case 'v1-replace':
    case 'v1-replace-self': {
      const key = scenario.operation === 'v1-replace' ? deployerA : admin
      if (scenario.leftover) leftover(key, key)
      else if (existing) seed(key.secret)
      const name = key.name
      return {
        inputs: { operation: 'rotate', 'key-name': name, ...common, ...destinationInputs },
        locations,
        mayChange: (k) => inGroup(k.name, name),
        holders: group(name),
        visibility,
        replaces: () => ({ name })
      }
    }
    case 'v1-alternate': {
      if (scenario.leftover) leftover(deployerA, deployerB)
      else if (existing) seed(deployerB.secret)
      const pair = (before: Map<string, KeyState>): { name: string; live: string } => {
        const { idle, live } = pairOf([...before.values()], deployerA.name, deployerB.name)
        return { name: idle, live }
      }
      return {
        inputs: {
          operation: 'rotate',
          strategy: 'alternate',
          'key-name': `${deployerA.name}\n${deployerB.name}`,
          ...common,
          ...destinationInputs
        },
        locations,
        mayChange: (k, before) => inGroup(k.name, pair(before).name),
        holders: group(deployerA.name, deployerB.name),
        visibility,
        replaces: pair
      }
    }
    default:
      throw new Error(`${scenario.operation} is not a Vision One operation`)
  }
}

/** Text of `secret` in one of the forms a server might echo it in. */
function encoded(secret: string, encoding: string): string {
  const bytes = Buffer.from(secret, 'utf8')
  switch (encoding) {
    case 'hex':
      return bytes.toString('hex')
    case 'HEX':
      return bytes.toString('hex').toUpperCase()
    case 'u-escape':
      return [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    case 'percent':
      return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')
    case 'html':
      return [...secret].map((c) => `&#${c.charCodeAt(0)};`).join('')
    case 'base64':
      return bytes.toString('base64')
    case 'json-slash':
      return secret.replace(/\//g, '\\/')
    default:
      return secret
  }
}

/** The destination a GitHub secrets path belongs to. */
function locationOf(path: string): SecretLocation | undefined {
  const org = /^\/orgs\/([^/]+)\/(\w+)\/secrets/.exec(path)
  if (org) return { organization: org[1], type: org[2] as SecretLocation['type'] }
  const env = /^\/repos\/([^/]+\/[^/]+)\/environments\/([^/]+)\/secrets/.exec(path)
  if (env) return { repository: env[1], environment: decodeURIComponent(env[2]) }
  const repo = /^\/repos\/([^/]+\/[^/]+)\/(\w+)\/secrets/.exec(path)
  return repo ? { repository: repo[1], type: repo[2] as SecretLocation['type'] } : undefined
}

/** Arms one of the scenario's faults on its emulator. */
function armFault(world: World, scenario: Scenario, spec: FaultSpec): void {
  const target = TARGETS.find((t) => t.name === spec.target)!
  const emulator = emulatorOf(world, target)
  const onVisionOne = target.emulator === 'v1'
  let seen = 0
  const at = (): boolean => ++seen === spec.nth
  const base: Fault = { method: target.method, path: target.path }
  /** A bystander's or the authenticating key's answer: its ID, and its body without a secret. */
  const other = (): { id: string | number; body: Record<string, unknown> } => {
    if (world.v1) {
      const key = spec.delayMs > 1000 ? world.v1.admin : world.v1.auditor
      return { id: key.id, body: world.v1.v1.publicKey(key) }
    }
    const { secret: _secret, ...rest } = spec.delayMs > 1000 ? world.ws!.admin : world.ws!.auditor
    return { id: rest.ID, body: rest }
  }
  let fault: Fault
  switch (spec.kind) {
    case 'status':
      fault = { status: spec.status }
      break
    case 'acted-status':
      fault = { status: spec.status >= 500 ? spec.status : 500, act: true }
      break
    case 'drop-before':
      fault = { drop: 'before' }
      break
    case 'drop-after':
      fault = { drop: 'after' }
      break
    case 'slow':
      fault = { respondAfterMs: spec.delayMs }
      break
    case 'truncate':
      fault = { truncate: true }
      break
    case 'truncate-after-secret':
      // The connection drops after a whole secretKey (a created item's token) arrived: it
      // comes first here.
      fault = {
        act: true,
        truncate: true,
        rawBodyFor: (_request, response) => {
          const padding = 'x'.repeat(2_000)
          if (onVisionOne && Array.isArray(response?.body)) {
            const items = (response.body as Record<string, unknown>[]).map((item) => {
              const { value, ...fields } = (item.body ?? {}) as Record<string, unknown>
              return { status: item.status, body: { value, ...fields }, headers: item.headers }
            })
            return JSON.stringify([...items, { status: 0, padding }])
          }
          const { secretKey, ...rest } = (response?.body ?? {}) as Record<string, unknown>
          return JSON.stringify({ secretKey, ...rest, padding })
        }
      }
      break
    case 'malformed':
      fault = { rawBody: '<html>gateway</html>', status: 200 }
      break
    case 'hang':
      // A request that issues a secret is waited for at least 120 s: hang it only when a
      // cancellation at that request will end the wait.
      if (
        (spec.target === 'ws:issue' || spec.target === 'v1:create') &&
        scenario.cancel?.at !== spec.target
      )
        return
      fault = { hang: true }
      break
    case 'wrong-key': {
      // An answer about another key: the authenticating one, or a bystander. A request that
      // issues a secret is handled, and its answer (the new secret in it) names the other key.
      const { id, body } = other()
      fault =
        spec.target === 'ws:issue'
          ? {
              act: true,
              rawBodyFor: (_request, response) =>
                JSON.stringify({ ...(response?.body as object), ID: id })
            }
          : spec.target === 'v1:create'
            ? {
                act: true,
                rawBodyFor: (_request, response) =>
                  JSON.stringify(
                    ((response?.body ?? []) as Record<string, unknown>[]).map((item) => ({
                      ...item,
                      headers: [{ name: 'Location', value: `/v3.0/iam/apiKeys/${id}` }],
                      body: { ...(item.body as object), id }
                    }))
                  )
              }
            : { status: 200, body, act: spec.status >= 500 }
      break
    }
    case 'put-200':
      fault = { status: 200, body: {}, act: true }
      break
    case 'rotate-public-key':
      // GitHub changes the destination's key pair right before this request.
      emulator.inject({
        ...base,
        when: (request) => {
          const location = at() ? locationOf(request.path) : undefined
          if (location) world.github.rotatePublicKey(location)
          return false
        },
        times: 1_000
      })
      return
    case 'bad-key-id':
      // GitHub's key_id for the destination is hostile text (a quote, a line break, a command).
      emulator.inject({
        ...base,
        when: (request) => {
          const location = at() ? locationOf(request.path) : undefined
          if (location)
            world.github.setKeyId(
              location,
              `1"'; touch /tmp/explorer-pwned; echo '\n::stop-commands::x`
            )
          return false
        },
        times: 1_000
      })
      return
    case 'echo-secret':
      fault = {
        status: spec.status,
        bodyFor: (request) => {
          const credential =
            (request.headers['api-secret-key'] as string | undefined) ??
            String(request.headers.authorization ?? '').replace(/^(token|bearer|apikey)\s+/i, '')
          const message = `denied for ${encoded(credential, spec.encoding)} (${spec.encoding})`
          return onVisionOne ? { error: { code: 'AccessDenied', message } } : { message }
        }
      }
      break
    case 'item-refused':
    case 'item-acted':
    case 'item-no-token': {
      // One item of a 207 answer (the request itself succeeds).
      const operation = spec.target === 'v1:create' ? 'create' : 'delete'
      const item: ItemFault =
        spec.kind === 'item-refused'
          ? { operation, status: spec.status >= 400 ? spec.status : 500 }
          : spec.kind === 'item-acted'
            ? { operation, status: spec.status >= 500 ? spec.status : 500, act: true }
            : { operation, status: 201, act: true, body: undefined }
      world.v1!.v1.injectItem({
        ...item,
        when: () => {
          const hit = at()
          if (hit && item.act && operation === 'create') world.itemLostToken = true
          return hit
        }
      })
      return
    }
  }
  emulator.inject({ ...base, ...fault, when: at })
}

/** Runs one scenario (one or two bundle runs) and checks the invariant. */
export async function explore(seed: number): Promise<Outcome> {
  const scenario = scenarioOf(seed)
  const world = await startWorld(scenario)
  try {
    await sodium.ready
    const setup = setUp(world, scenario)
    const before = snapshot(world, setup.locations)
    for (const spec of scenario.faults) armFault(world, scenario, spec)
    const env: Record<string, string> = {
      GITHUB_API_URL: world.github.url,
      GITHUB_REPOSITORY: 'octo/app',
      ...(scenario.gc && {
        NODE_OPTIONS: `--expose-gc --import=data:text/javascript,setInterval(()=>globalThis.gc(),50).unref()`
      })
    }
    const started = [startRun(world, setup.inputs, env, scenario.cancel)]
    if (scenario.concurrent) {
      await new Promise((resolve) => setTimeout(resolve, scenario.concurrent!.delayMs))
      // The second run has credentials of its own, so that each request can be told apart.
      world.github.addToken(SECOND_TOKEN, { write: true })
      const secondAdmin = world.platform.addAdmin()
      world.ownKeys.add(secondAdmin.id)
      const second = {
        ...setup.inputs,
        'github-token': SECOND_TOKEN,
        ...(setup.inputs['api-secret-key'] === world.adminSecret && {
          'api-secret-key': secondAdmin.secret
        })
      }
      started.push(startRun(world, second, env, undefined))
    }
    const runs = await Promise.all(started)
    const violations = check(world, scenario, setup, before, runs, [])
    if (scenario.followUp) {
      world.platform.clearFaults()
      world.github.clearFaults()
      world.itemLostToken = false
      // A new Vision One key is named after the second it is made in: the next schedule comes
      // later than the same second.
      if (world.v1)
        await new Promise((resolve) => setTimeout(resolve, 1_005 - (Date.now() % 1_000)))
      const between = snapshot(world, setup.locations)
      const next = await startRun(world, setup.inputs, env, undefined)
      const earlier = runs.map((r) => r.run.log)
      runs.push(next)
      const clean = { ...scenario, faults: [], cancel: undefined }
      const found = check(world, clean, setup, between, [next], earlier)
      violations.push(...found.map((v) => `follow-up run: ${v}`))
    }
    const ends = runs
      .map((r) => (r.signals.sigkill ? 'killed' : r.run.failed ? 'failed' : 'green'))
      .join('+')
    const notes = runs.flatMap((r, i) =>
      r.killedAtExit
        ? [
            `run ${i + 1} ended ${r.run.failed ? 'failed' : 'green'}, then ${r.killedAtExit} killed it as it exited (Node had released its signal handlers): the runner sees a signal's exit`
          ]
        : []
    )
    const line =
      `seed ${seed}: ${scenario.operation} to ${scenario.destinations}` +
      (scenario.leftover ? ` (next key left ${scenario.leftover})` : '') +
      (scenario.operation === 'v1-alternate' && scenario.expiryMonths !== 12
        ? ` (expiry-months ${scenario.expiryMonths})`
        : '') +
      scenario.faults.map((f) => `, ${f.kind} at ${f.target}#${f.nth}`).join('') +
      (scenario.gc ? ', gc' : '') +
      (scenario.cancel ? `, cancel at ${scenario.cancel.at}#${scenario.cancel.nth}` : '') +
      (scenario.concurrent ? ', concurrent' : '') +
      (scenario.followUp ? ', then again' : '') +
      ` -> ${ends}`
    return { scenario, violations, notes, runs, line }
  } finally {
    await world.stop()
  }
}

function startRun(
  world: World,
  inputs: Inputs,
  env: Record<string, string>,
  cancel: Scenario['cancel']
): Promise<RunRecord> {
  const bundled = startBundled(inputs, env)
  const signals: Signals = {}
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, act: () => void): void => void timers.push(setTimeout(act, ms))
  void bundled.waitFor('Received SIG').then(() => (signals.handled ??= performance.now()))
  const cancelNow = (): void => {
    later(cancel!.delayMs, () => {
      signals.sigint = performance.now()
      bundled.child.kill('SIGINT')
      later(cancel!.termAfterMs, () => {
        signals.sigterm = performance.now()
        bundled.child.kill('SIGTERM')
        later(KILL_AFTER_MS, () => {
          signals.sigkill = true
          bundled.child.kill('SIGKILL')
        })
      })
    })
  }
  if (cancel) {
    if (cancel.at === 'replay')
      void bundled.waitFor('Sealed copies of the new secret').then(cancelNow)
    else {
      const target = TARGETS.find((t) => t.name === cancel.at)!
      const emulator = emulatorOf(world, target)
      let seen = 0
      const previous = emulator.onArrival
      emulator.onArrival = (request) => {
        previous?.(request)
        if (
          request.method === target.method &&
          target.path.test(request.path) &&
          ++seen === cancel.nth
        )
          cancelNow()
      }
    }
  }
  later(RUN_LIMIT_MS, () => bundled.child.kill('SIGKILL'))
  return bundled.done.then((run) => {
    for (const timer of timers) clearTimeout(timer)
    const signal = bundled.child.signalCode
    // While Node exits, its signal handlers are gone and a signal's default action applies: a
    // run that ended (its report complete) is killed by a signal it never saw. It counts as
    // what its report says; the outcome notes it.
    const atExit =
      (signal === 'SIGINT' || signal === 'SIGTERM') &&
      !run.log.includes('Received SIG') &&
      /<h2>/.test(run.summary) &&
      run.outputs.result !== undefined
    return {
      run: atExit ? { ...run, failed: /^::error::/m.test(run.log) } : run,
      code: bundled.child.exitCode,
      endedAt: performance.now(),
      signals,
      inputs,
      ...(atExit && { killedAtExit: signal })
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The invariant

interface Snapshot {
  keys: Map<string, KeyState>
  stored: Map<string, string | undefined>
  /** Stored values that did not authenticate when the snapshot was taken. */
  dead: Set<string>
}

function locationLabel(where: SecretLocation): string {
  return JSON.stringify(where)
}

function snapshot(world: World, locations: SecretLocation[] = []): Snapshot {
  const keys = world.platform.keys()
  const stored = new Map<string, string | undefined>()
  const dead = new Set<string>()
  for (const where of locations) {
    const value = world.github.secret(where, SECRET)?.value
    stored.set(locationLabel(where), value)
    if (value !== undefined && !world.platform.authenticates(value)) dead.add(value)
  }
  return { keys, stored, dead }
}

function secretsPathOf(where: SecretLocation): string {
  if (where.organization) return `/orgs/${where.organization}/${where.type ?? 'actions'}/secrets`
  if (where.environment !== undefined)
    return `/repos/${where.repository}/environments/${encodeURIComponent(where.environment)}/secrets`
  return `/repos/${where.repository}/${where.type ?? 'actions'}/secrets`
}

/** A run's `::error::` and `::warning::` lines. */
function complaints(log: string, kinds = 'error|warning'): string {
  const line = new RegExp(`^::(${kinds})( [^:]*)?::`)
  return log
    .split('\n')
    .filter((l) => line.test(l))
    .join('\n')
}

function check(
  world: World,
  scenario: Scenario,
  setup: Setup,
  before: Snapshot,
  runs: RunRecord[],
  earlierLogs: string[]
): string[] {
  const { platform, github } = world
  const violations: string[] = []
  const works = (value: string | undefined): boolean =>
    value !== undefined &&
    setup.holders().some((k) => k.secret === value && platform.authenticates(value))
  const logs = runs.map((r) => r.run.log)
  const failures = runs.map((r) =>
    r.run.log
      .split('\n')
      .filter((l) => l.startsWith('::error::'))
      .join('\n')
  )

  // 1. No loss.
  const sigterms = runs.flatMap((r) => (r.signals.sigterm === undefined ? [] : [r.signals.sigterm]))
  // An answer the emulator sent about when SIGTERM came reached a run that was abandoning it.
  const openAtSigterm = (e: Exchange): boolean =>
    e.answeredAt !== undefined && sigterms.some((t) => e.answeredAt! >= t - SIGNAL_SLACK_MS)
  const lostAnswer =
    (world.itemLostToken ||
      platform.emulator.log.some(
        (e) =>
          e.acted &&
          platform.issuing(e) &&
          // An answer cut off after the whole secret arrived still delivered the secret.
          (e.status === undefined ||
            (e.fault !== undefined && !e.fault.rawBodyFor) ||
            openAtSigterm(e))
      )) &&
    failures.some((f) =>
      /unclear|outcome unknown|may have issued|may still create|never sent twice/i.test(f)
    )
  for (const where of setup.locations) {
    const now = github.secret(where, SECRET)?.value
    const was = before.stored.get(locationLabel(where))
    if (works(now)) continue
    if (now === undefined && was === undefined) continue
    if (now === was && was !== undefined && platform.authenticates(was)) continue
    // A secret that was dead already when the run started is not this run's loss.
    if (was !== undefined && before.dead.has(was)) continue
    const path = `${github.url}${secretsPathOf(where)}/${SECRET}`
    const keyId = github.keyId(where)
    const copies = logs.flatMap(replayCommands).filter((r) => r.url === path && r.keyId === keyId)
    const opened = copies.some((r) => {
      try {
        const body = JSON.parse(r.body) as { encrypted_value: string; key_id: string }
        return body.key_id === keyId && works(github.open(where, body.encrypted_value))
      } catch {
        return false
      }
    })
    if (opened) continue
    // Vision One deletes a key whose token was lost: only a destination no run wrote (which
    // then holds the old token, which must still work) could be excused, so hardly ever.
    if (lostAnswer && (platform.kind === 'ws' || now === was)) continue
    violations.push(
      `1. ${locationLabel(where)} holds ${now === undefined ? 'nothing' : 'a dead secret'} and no printed copy for its current public key opens to a working secret`
    )
  }

  runs.forEach((record, i) => {
    const name = runs.length > 1 ? `run ${i + 1}` : 'the run'
    const { run, signals } = record
    // 2. A report.
    if (!signals.sigkill) {
      if (!/<h2>/.test(run.summary)) violations.push(`2. ${name} wrote no job summary`)
      try {
        JSON.parse(run.outputs.result ?? '')
      } catch {
        violations.push(`2. ${name} set no result output`)
      }
      const errors = run.log.split('\n').filter((l) => l.startsWith('::error::')).length
      if (run.failed !== errors > 0)
        violations.push(
          `2. ${name} ${run.failed ? 'failed without' : 'succeeded with'} an ::error:: line`
        )
    } else
      violations.push(
        `2. ${name} was SIGKILLed: it did not end within ${KILL_AFTER_MS} ms of SIGTERM (or hung)`
      )
    if (signals.sigterm !== undefined && record.endedAt - signals.sigterm > KILL_AFTER_MS)
      violations.push(
        `2. ${name} ended ${Math.round(record.endedAt - signals.sigterm)} ms after SIGTERM`
      )

    // 3. A green run means what it says.
    if (!run.failed) {
      if (scenario.operation === 'delete') {
        const id = setup.inputs['key-id']
        if (platform.keys().has(id))
          violations.push(`3. ${name} is green but key ${id} still exists`)
      } else if (setup.replaces) {
        // Vision One: the new key took the old name (or kept its next name, with a warning),
        // every destination holds its token, and the keys it replaced are gone.
        const target = setup.replaces(before.keys).name
        const renameFailed = /^::warning::.*renaming it to/m.test(run.log)
        const keys = [...platform.keys().values()]
        const takers = keys.filter(
          (k) => k.name === target || (renameFailed && inGroup(k.name, target))
        )
        // Another run of the same key that wrote later, then failed naming its own new key,
        // leaves the destinations with that key's (working) token: this run's claim held when
        // it was made.
        const otherErrors = runs
          .filter((other) => other !== record && other.run.failed)
          .flatMap((other) => other.run.log.split('\n').filter((l) => l.startsWith('::error::')))
          .join('\n')
        const namedByLaterFailure = (value: string | undefined): boolean =>
          works(value) && keys.some((k) => k.secret === value && otherErrors.includes(k.id))
        for (const where of setup.locations) {
          const value = github.secret(where, SECRET)?.value
          if (namedByLaterFailure(value)) continue
          if (!takers.some((k) => k.secret === value) || !works(value))
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} does not hold a working token of the key now named "${target}"`
            )
        }
        // alternate keeps, saying so, a key an earlier run left that a destination may hold.
        const kept = run.log
          .split('\n')
          .filter((l) => l.startsWith('::notice::') && l.includes('kept this time'))
          .join('\n')
        const left = [...before.keys.values()].filter(
          (k) => inGroup(k.name, target) && platform.keys().has(k.id) && !kept.includes(k.id)
        )
        if (left.length > 0)
          violations.push(
            `3. ${name} is green but the key(s) it replaced still exist: ${left.map((k) => `${k.id} "${k.name}"`).join(', ')}`
          )
      } else {
        for (const where of setup.locations) {
          const value = github.secret(where, SECRET)?.value
          if (!works(value))
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} does not hold a working secret`
            )
          if (
            value !== undefined &&
            value === before.stored.get(locationLabel(where)) &&
            runs.length === 1
          )
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} still holds the old secret`
            )
        }
      }
    }

    // 6. No change after the first signal.
    if (signals.sigint !== undefined) {
      // From the moment the child says it received the signal (it may take a while under load).
      const after = (signals.handled ?? record.endedAt) + SIGNAL_SLACK_MS
      // This run's requests: those with its credentials (when no other run shares them).
      const shared = (input: string): boolean =>
        runs.some((r) => r !== record && r.inputs[input] === record.inputs[input])
      const token = record.inputs['github-token']
      const secret = record.inputs['api-secret-key']
      const late = [
        ...github.log.filter(
          (e) =>
            e.method === 'PUT' &&
            e.path.endsWith(`/secrets/${SECRET}`) &&
            e.at > after &&
            !shared('github-token') &&
            String(e.headers.authorization).endsWith(` ${token}`)
        ),
        ...platform.emulator.log.filter(
          (e) =>
            platform.issuing(e) &&
            e.at > after &&
            !shared('api-secret-key') &&
            platform.credential(e.headers) === secret
        )
      ]
      if (late.length > 0)
        violations.push(
          `6. ${late.map((e) => `${e.method} ${e.path}`).join(', ')} arrived after SIGINT`
        )
    }
  })

  // 4. Nothing else changed.
  const keysNow = platform.keys()
  for (const [id, was] of before.keys) {
    const key = keysNow.get(id)
    if (setup.mayChange(was, before.keys)) continue
    if (!key) {
      violations.push(`4. key ${id} "${was.name}" was deleted`)
      continue
    }
    const changed = (['secret', 'role', 'active', 'expiry', 'name'] as const).filter(
      (f) => key[f] !== was[f]
    )
    if (changed.length) violations.push(`4. key ${id} "${was.name}" changed: ${changed.join(', ')}`)
  }

  // 5. Nothing leaked.
  const secrets = [...new Set([...platform.secretsIssued(), WRITE_TOKEN, SECOND_TOKEN])]
  // In every form a server might echo it in, as the action must never print it either.
  const needles = secrets
    .flatMap((s) => [s, s.slice(s.indexOf(':') + 1)])
    .filter((s) => s.length >= 8)
    .flatMap((s) =>
      ['plain', 'hex', 'HEX', 'u-escape', 'percent', 'html'].map((e) => encoded(s, e))
    )
  runs.forEach(({ run }, i) => {
    const name = runs.length > 1 ? `run ${i + 1}` : 'the run'
    for (const needle of needles) {
      if (run.log.split('\n').some((l) => l.includes(needle) && !l.startsWith('::add-mask::')))
        violations.push(`5. a secret is in ${name}'s log`)
      if (Object.values(run.outputs).some((v) => v.includes(needle)))
        violations.push(`5. a secret is in ${name}'s outputs`)
      if (run.summary.includes(needle)) violations.push(`5. a secret is in ${name}'s summary`)
    }
    if (/^::stop-commands::/m.test(run.log))
      violations.push(`5. ${name}'s log holds a forged ::stop-commands::`)
  })

  // 7. No probe left behind.
  // A probe an earlier run could not remove (and said so) holds the destination for a while.
  const warned = [...logs, ...earlierLogs].some((l) => /Could not remove the probe secret/.test(l))
  const killed = runs.some((r) => r.signals.sigkill)
  for (const where of setup.locations) {
    if (github.secret(where, PROBE) && !warned && !killed)
      violations.push(`7. ${locationLabel(where)} still holds ${PROBE}`)
  }

  // 9. alternate: the key the destinations hold is never touched, so every secret they held at
  // the start still works at the end.
  // Two green runs of one pair in a row (the second after the first took over) replace the key
  // the destinations held before the first: allowed when a run warned that jobs lose it. (A
  // failed run must never make the next one do that: no excuse then.)
  const warnedLoss =
    runs.length > 1 &&
    runs.every((r) => !r.run.failed) &&
    runs.some((r) => /^::warning::.*lose their credential now/m.test(r.run.log))
  if (
    (scenario.operation === 'alternate' || scenario.operation === 'v1-alternate') &&
    !warnedLoss
  ) {
    for (const where of setup.locations) {
      const was = before.stored.get(locationLabel(where))
      const heldKey = [...before.keys.values()].some((k) => k.secret === was)
      if (was !== undefined && heldKey && !platform.authenticates(was))
        violations.push(
          `9. the secret ${locationLabel(where)} held at the start (the live key's) no longer works`
        )
    }
  }

  // 8. No wider audience.
  if (setup.visibility) {
    const wider = github.log.filter(
      (e) =>
        e.method === 'PUT' &&
        e.path.endsWith(`/secrets/${SECRET}`) &&
        (e.body as { visibility?: string } | undefined)?.visibility !== setup.visibility
    )
    if (wider.length > 0)
      violations.push(
        `8. the organization secret was written with visibility ${(wider[0].body as { visibility?: string }).visibility}`
      )
  }

  // 10. Vision One: no stray key. A key the run(s) made that no destination holds is one
  // nobody will ever use or delete, unless a run names it.
  if (platform.kind === 'v1' && !killed) {
    const held = new Set(setup.locations.map((where) => github.secret(where, SECRET)?.value))
    const said = logs.map((l) => complaints(l)).join('\n')
    for (const key of keysNow.values()) {
      if (before.keys.has(key.id) || world.ownKeys.has(key.id) || held.has(key.secret)) continue
      if (said.includes(key.id) || said.includes(key.name)) continue
      violations.push(
        `10. key ${key.id} "${key.name}" was created, no destination holds it and no run names it`
      )
    }
  }
  return [...new Set(violations)]
}

/** Every exchange of both emulators, in the order the requests arrived (for --seed output). */
export function exchanges(world: World): Exchange[] {
  return [...world.platform.emulator.log, ...world.github.log].sort((a, b) => a.at - b.at)
}

// ---------------------------------------------------------------------------------------------
// The command line

async function main(argv: string[]): Promise<void> {
  const option = (name: string): number | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? Number(argv[i + 1]) : undefined
  }
  const one = option('seed')
  const seeds =
    one !== undefined
      ? [one]
      : Array.from({ length: option('seeds') ?? 50 }, (_v, i) => (option('from') ?? 1) + i)
  let failed = 0
  for (const seed of seeds) {
    const outcome = await explore(seed)
    console.log(`${outcome.violations.length ? 'FAIL' : 'ok  '} ${outcome.line}`)
    for (const note of outcome.notes) console.log(`  note: ${note}`)
    if (outcome.violations.length) {
      failed++
      console.log(`  scenario: ${JSON.stringify(outcome.scenario)}`)
      for (const v of outcome.violations) console.log(`  - ${v}`)
      console.log(`  replay: npm run explore -- --seed ${seed}`)
    }
    if (one !== undefined) {
      outcome.runs.forEach((r, i) => {
        console.log(`\n--- log of run ${i + 1} (exit ${r.code}) ---\n${r.run.log}`)
        console.log(`--- summary of run ${i + 1} ---\n${r.run.summary}`)
      })
    }
  }
  console.log(`\n${seeds.length - failed} of ${seeds.length} seed(s) kept the invariant`)
  process.exitCode = failed ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2))
