/**
 * Scenarios: what a seed turns into. The same seed always gives the same scenario: every draw
 * below is from the seed's own streams, in a fixed order, so adding a draw anywhere but at the
 * end of a stream (or in a stream of its own) changes the scenarios of every seed after it.
 */

export const SECRET = 'EXPLORER_SECRET'
export const PROBE = `${SECRET}_ROTATION_PROBE`
/**
 * The stream that turns a seed into a Vision One scenario, apart from the one that draws the
 * Workload Security scenario, so that a seed that stays on Workload Security keeps the scenario
 * it always had. Chosen so that every regression seed of docs/testing.md stays there.
 */
const VISION_ONE_STREAM = 0xa332e5e9
/** How many seeds become Vision One scenarios. */
const VISION_ONE_SHARE = 0.25
/**
 * The stream that turns a seed that is not a Vision One one into a Cloud One scenario, for the
 * same reason; chosen so that every regression seed stays where it was.
 */
const CLOUD_ONE_STREAM = 0x5c110c94
/** How many of the seeds left become Cloud One scenarios (a fifth of all seeds). */
const CLOUD_ONE_SHARE = 0.27

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
  /** Cloud One `replace` of `deployer-a`, a key limited to other networks. */
  | 'c1-replace'
  /** Cloud One `alternate` of the pair `deployer-a` / `deployer-b` (idle: created earlier). */
  | 'c1-alternate'
type Destinations =
  'one-repository' | 'three-repositories' | 'environment' | 'org-new' | 'org-existing'

/** A request of the run, by emulator, method and path; `nth` picks the nth that matches. */
export interface Target {
  name: string
  emulator: 'ws' | 'v1' | 'c1' | 'github'
  method: string
  path: RegExp
}

const UUID = '[0-9A-Za-z-]{1,36}'

export const TARGETS: Target[] = [
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
  { name: 'c1:list', emulator: 'c1', method: 'GET', path: /^\/apikeys$/ },
  { name: 'c1:get', emulator: 'c1', method: 'GET', path: /^\/apikeys\/[^/]+$/ },
  { name: 'c1:create', emulator: 'c1', method: 'POST', path: /^\/apikeys$/ },
  { name: 'c1:modify', emulator: 'c1', method: 'POST', path: /^\/apikeys\/[^/]+$/ },
  { name: 'c1:delete', emulator: 'c1', method: 'DELETE', path: /^\/apikeys\/[^/]+$/ },
  { name: 'c1:roles', emulator: 'c1', method: 'GET', path: /^\/roles$/ },
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

/** The kinds of fault a Cloud One scenario draws for a target. */
function cloudOneKinds(target: string): readonly FaultKind[] {
  if (target.startsWith('gh:')) return FAULT_KINDS
  return FAULT_KINDS.filter((k) => k !== 'rotate-public-key' && k !== 'bad-key-id')
}

export interface FaultSpec {
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
  /**
   * Cloud One: how the emulator answers where the reference leaves it open (a create's status,
   * its `secret` bare or as `<id>:<secret>`, a delete's status, a change answered with the key
   * or with 204).
   */
  cloudOne?: {
    createStatus: 200 | 201
    secretForm: 'bare' | 'id-secret'
    deleteStatus: 200 | 204
    modifyAnswersKey: boolean
  }
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

const C1_TARGETS = [
  'c1:list',
  'c1:list',
  'c1:roles',
  'c1:create',
  'c1:create',
  'c1:create',
  'c1:get',
  'c1:get',
  'c1:modify',
  'c1:modify',
  'c1:modify',
  'c1:delete',
  'c1:delete',
  'c1:delete',
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
  'v1-alternate': V1_TARGETS,
  'c1-replace': C1_TARGETS,
  'c1-alternate': C1_TARGETS
}

/** The scenario of a seed: the same seed always gives the same scenario. */
export function scenarioOf(seed: number): Scenario {
  const scenario = workloadSecurityScenario(seed)
  // Drawn apart, so that the seeds that stay on Workload Security keep their scenarios.
  const visionOne = prng(seed ^ VISION_ONE_STREAM)
  if (visionOne() < VISION_ONE_SHARE) return visionOneScenario(seed, visionOne)
  // Drawn apart again, so that the Vision One seeds keep theirs too.
  const cloudOne = prng(seed ^ CLOUD_ONE_STREAM)
  return cloudOne() < CLOUD_ONE_SHARE ? cloudOneScenario(seed, cloudOne) : scenario
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
  return replacingScenario(seed, random, {
    operations: ['v1-replace', 'v1-replace', 'v1-replace-self', 'v1-alternate', 'v1-alternate'],
    // The live key of the pair expires in 8 months: 6 is refused before anything changes.
    settings: (operation, pick) => ({
      expiryMonths: operation === 'v1-alternate' ? pick([12, 12, 12, 6]) : pick([1, 3, 3, 12])
    }),
    // The key the run authenticates with is gone after a green run: no leftover beside it, and
    // no follow-up with it.
    self: (operation) => operation === 'v1-replace-self',
    targets: (operation) => OPERATION_TARGETS[operation],
    kinds: visionOneKinds,
    statuses: [400, 401, 403, 404, 409, 412, 422, 429, 500, 502, 503],
    // The runner cancels while a slow platform is still creating the new key.
    slowAt: () => 'v1:create'
  })
}

/** A Cloud One scenario: `replace` or `alternate`, drawn from the seed's own stream. */
function cloudOneScenario(seed: number, random: () => number): Scenario {
  return replacingScenario(seed, random, {
    operations: ['c1-replace', 'c1-replace', 'c1-alternate'],
    settings: (_operation, pick) => ({
      cloudOne: {
        createStatus: pick([200, 201] as const),
        secretForm: pick(['bare', 'id-secret'] as const),
        deleteStatus: pick([200, 204] as const),
        modifyAnswersKey: random() < 0.5
      }
    }),
    self: () => false,
    targets: () => C1_TARGETS,
    kinds: cloudOneKinds,
    statuses: [400, 401, 403, 404, 409, 422, 429, 500, 502, 503],
    // The runner cancels while a slow platform is still creating the new key, or giving it the
    // old key's network limits.
    slowAt: (pick) => pick(['c1:create', 'c1:create', 'c1:modify'])
  })
}

type Pick = <T>(items: readonly T[]) => T

/**
 * A scenario of a platform that replaces keys (Vision One, Cloud One). The draws from `random`
 * keep their order, so that every seed keeps its scenario (and every regression seed its case).
 */
function replacingScenario(
  seed: number,
  random: () => number,
  platform: {
    operations: Operation[]
    /** The platform's own settings, drawn after the common ones. */
    settings: (operation: Operation, pick: Pick) => Partial<Scenario>
    /** The run replaces the key it authenticates with. */
    self: (operation: Operation) => boolean
    targets: (operation: Operation) => string[]
    kinds: (target: string) => readonly FaultKind[]
    statuses: number[]
    /** Where a slow answer meets the runner's cancellation. */
    slowAt: (pick: Pick) => string
  }
): Scenario {
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]
  const operation = pick(platform.operations)
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
    ...platform.settings(operation, pick)
  }
  const self = platform.self(operation)
  if (!self && random() < 0.2) scenario.leftover = pick(['beside', 'beside', 'alone'] as const)
  const targets = platform.targets(operation)
  const fault = (target: string): FaultSpec => ({
    target,
    nth: pick([1, 1, 1, 2, 3]),
    kind: pick(platform.kinds(target)),
    status: pick(platform.statuses),
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
  if (random() < 0.12) {
    const at = platform.slowAt(pick)
    scenario.faults = [{ ...fault(at), nth: 1, kind: 'slow', delayMs: pick([800, 1500, 3000]) }]
    scenario.cancel = {
      at,
      nth: 1,
      delayMs: pick([0, 50, 300]),
      termAfterMs: pick([300, 1000, 2000, 4000])
    }
  }
  if (random() < 0.12) scenario.concurrent = { delayMs: pick([0, 10, 50, 200]) }
  if (!self && !scenario.concurrent && random() < 0.35) scenario.followUp = true
  if (random() < 0.2) scenario.gc = true
  return scenario
}

export const isCloudOne = (operation: Operation): boolean => operation.startsWith('c1-')
export const isVisionOne = (operation: Operation): boolean => operation.startsWith('v1-')
