/**
 * The world of a scenario: the emulators (a Workload Security, a Vision One or a Cloud One
 * platform, and GitHub), seen through one view so that the invariant reads the same on both platforms; the
 * keys and destinations each operation starts from (`setUp`); and snapshots of both.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { EmulatorServer } from '../../emulators/server.js'
import {
  ROLES,
  startSeededCloudOneWorld,
  startSeededEmulators,
  startSeededVisionOneWorld,
  WRITE_TOKEN,
  type SeededCloudOneWorld,
  type SeededEmulators,
  type SeededVisionOneWorld
} from '../../emulators/seed.js'
import { VISION_ONE_ROLES, type VisionOneKey } from '../../emulators/vision-one.js'
import { CLOUD_ONE_ROLES, valueOf, type CloudOneKey } from '../../emulators/cloud-one.js'
import type { WorkloadSecurityEmulator } from '../../emulators/workload-security.js'
import type { GitHubEmulator, SecretLocation } from '../../emulators/github.js'
import type { Inputs } from '../run-action.js'
import { isCloudOne, isVisionOne, SECRET, type Scenario, type Target } from './scenarios.js'

const DAY_MS = 86_400_000
/** The GitHub token of the second run of a concurrent scenario. */
export const SECOND_TOKEN = 'ghp_explorerSecondRunToken000000000003'

// ---------------------------------------------------------------------------------------------
// The platforms

/** A key as the invariant compares it, on either platform. */
export interface KeyState {
  /** Text on every platform (a number's digits on Workload Security). */
  id: string
  name: string
  /** What a consumer holds: on Cloud One exactly `<id>:<secret>`. */
  secret: string
  /** The role's ID (Workload Security, Cloud One) or name (Vision One). */
  role: string
  active: boolean
  expiry?: number
  /** Cloud One: when the key was made (the idle key of a pair is the older one). */
  created?: number
  /**
   * Cloud One: what a replacing key must copy and nothing may change otherwise, as text
   * (description, locale, time zone, allowed IPs and CIDRs); `limits` is the network part.
   */
  settings?: string
  limits?: string
}

/** What the invariant needs of a key platform's emulator. */
export interface PlatformView {
  kind: 'ws' | 'v1' | 'c1'
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
  /** Deletes a key, as a person following the advice would: whether it existed. */
  deleteKey: (id: string) => boolean
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
    deleteKey: (id) => ws.keys.delete(Number(id)),
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
    deleteKey: (id) => v1.keys.delete(id),
    clearFaults: () => v1.clearFaults()
  }
}

/** A Cloud One key's network limits, as text (`settings` and `limits` of KeyState). */
export function limitsOf(key: Pick<CloudOneKey, 'allowedIPs' | 'allowedCIDRs'>): string {
  return JSON.stringify({ allowedIPs: key.allowedIPs, allowedCIDRs: key.allowedCIDRs })
}

function cloudOneView({ c1 }: SeededCloudOneWorld): PlatformView {
  return {
    kind: 'c1',
    emulator: c1,
    keys: () =>
      new Map(
        [...c1.keys.values()].map((k) => [
          k.id,
          {
            id: k.id,
            name: k.alias,
            secret: valueOf(k),
            role: k.roleID,
            active: k.enabled,
            created: k.created,
            settings: JSON.stringify([k.description, k.locale, k.timezone, limitsOf(k)]),
            limits: limitsOf(k)
          }
        ])
      ),
    // From anywhere its key allows: the runner's 127.0.0.1 is outside a limited key's reach.
    authenticates: (value) => c1.authenticates(value),
    secretsIssued: () => c1.secretsIssued,
    issuing: ({ method, path }) => method === 'POST' && path === '/apikeys',
    credential: (headers) => /^ApiKey (\S+)$/.exec(String(headers.authorization ?? ''))?.[1],
    addAdmin: () => {
      const key = c1.addKey({ alias: 'explorer-admin-2', roleID: CLOUD_ONE_ROLES.fullAccess.id })
      return { id: key.id, secret: valueOf(key) }
    },
    deleteKey: (id) => c1.keys.delete(id),
    clearFaults: () => c1.clearFaults()
  }
}

/** The emulators of one scenario. */
export interface World {
  platform: PlatformView
  github: GitHubEmulator
  /** The seeded Workload Security, Vision One or Cloud One world. */
  ws?: SeededEmulators
  v1?: SeededVisionOneWorld
  c1?: SeededCloudOneWorld
  /** The secret of the seeded key that may manage keys (the second run gets one of its own). */
  adminSecret: string
  /** Keys the explorer added once the runs began (the second run's credentials). */
  ownKeys: Set<string>
  /**
   * Cloud One: the role and settings (`KeyState.settings`, `limits`) every key of the group of
   * `name` must have, a replacing key too: those the seeded key of that alias had at the start.
   */
  settingsOf?: (name: string) => { role: string; settings: string; limits: string } | undefined
  /** A batch item of a creation acted, then answered without the new key's token. */
  itemLostToken: boolean
  /** Cloud One: secret writes that carried a key lacking the old key's settings (check 11). */
  widerWrites: string[]
  stop: () => Promise<void>
}

export async function startWorld(scenario: Scenario): Promise<World> {
  if (isCloudOne(scenario.operation)) {
    const c1 = await startSeededCloudOneWorld()
    // What the reference leaves open, answered the way the scenario drew.
    Object.assign(c1.c1, scenario.cloudOne)
    const platform = cloudOneView(c1)
    const seeded = [c1.deployerA, c1.deployerB].map((k) => platform.keys().get(k.id)!)
    return {
      platform,
      settingsOf: (name) =>
        seeded.find((k) => inGroup(name, k.name)) as Required<KeyState> | undefined,
      github: c1.github,
      c1,
      adminSecret: valueOf(c1.admin),
      ownKeys: new Set(),
      itemLostToken: false,
      widerWrites: [],
      stop: c1.stop
    }
  }
  if (isVisionOne(scenario.operation)) {
    const v1 = await startSeededVisionOneWorld()
    return {
      platform: visionOneView(v1),
      github: v1.github,
      v1,
      adminSecret: v1.admin.secret,
      ownKeys: new Set(),
      itemLostToken: false,
      widerWrites: [],
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
    widerWrites: [],
    stop: ws.stop
  }
}

/** The emulator a target's requests go to. */
export function emulatorOf(world: World, target: Target): EmulatorServer {
  return target.emulator === 'github' ? world.github : world.platform.emulator
}

/** Whether `name` is `base` or one of its `<base>-next-<UTC yyyymmddHHMMss>` keys. */
export function inGroup(name: string, base: string): boolean {
  return (
    name === base ||
    (name.startsWith(`${base}-next-`) && /^\d{14}$/.test(name.slice(`${base}-next-`.length)))
  )
}

/** The key a name stands for, as `replace` resolves it: that name's, else its one next key. */
export function groupKey(keys: KeyState[], base: string): KeyState | undefined {
  const named = keys.find((k) => k.name === base)
  if (named) return named
  const left = keys.filter((k) => inGroup(k.name, base))
  return left.length === 1 ? left[0] : undefined
}

/**
 * The idle and the live name of a Vision One pair: the idle key expires first (no expiry counts
 * as earliest; a tie goes to the lower ID as lower-case text). Cloud One: the idle key is the
 * one created earlier (the same tie-break).
 */
function pairOf(keys: KeyState[], first: string, second: string): { idle: string; live: string } {
  const expiry = (name: string): number => {
    const key = groupKey(keys, name)
    return key?.created ?? key?.expiry ?? -Infinity
  }
  const id = (name: string): string => groupKey(keys, name)?.id.toLowerCase() ?? ''
  const firstIdle =
    expiry(first) < expiry(second) || (expiry(first) === expiry(second) && id(first) < id(second))
  return firstIdle ? { idle: first, live: second } : { idle: second, live: first }
}

// ---------------------------------------------------------------------------------------------
// Setting up a scenario

/** What the run(s) need from the world, set up before they start. */
export interface Setup {
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

export function setUp(world: World, scenario: Scenario): Setup {
  if (world.c1) return setUpCloudOne(world, world.c1, scenario)
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

function setUpCloudOne(world: World, seeded: SeededCloudOneWorld, scenario: Scenario): Setup {
  const { c1, admin, deployerA, deployerB } = seeded
  const {
    locations,
    inputs: destinationInputs,
    seed,
    visibility
  } = destinationsFor(seeded.github, scenario)
  const common: Inputs = {
    platform: 'cloud-one',
    'api-url': c1.url,
    'api-secret-key': valueOf(admin),
    'timeout-seconds': String(scenario.timeoutSeconds),
    'max-attempts': String(scenario.maxAttempts)
  }
  const existing = scenario.destinations !== 'org-new'
  /**
   * An earlier run's `<alias>-next-*` key (made yesterday, with every setting of the key it
   * replaces, its limits included), which the first destination holds (the others hold `rest`);
   * `alone`: the key of that alias is gone (the earlier run's rename failed).
   */
  const leftover = (of: CloudOneKey, rest: CloudOneKey): void => {
    const next = c1.addKey({
      alias: `${of.alias}-next-${stamp(Date.now() - DAY_MS)}`,
      roleID: of.roleID,
      description: of.description,
      locale: of.locale,
      timezone: of.timezone,
      allowedIPs: [...of.allowedIPs],
      allowedCIDRs: [...of.allowedCIDRs],
      created: Date.now() - DAY_MS
    })
    if (scenario.leftover === 'alone') c1.keys.delete(of.id)
    if (!existing) return
    seed(valueOf(scenario.leftover === 'alone' ? next : rest))
    seed(valueOf(next), locations.slice(0, 1))
  }
  const group =
    (...names: string[]) =>
    (): KeyState[] =>
      [...world.platform.keys().values()].filter((k) => names.some((n) => inGroup(k.name, n)))
  switch (scenario.operation) {
    case 'c1-replace': {
      if (scenario.leftover) leftover(deployerA, deployerA)
      else if (existing) seed(valueOf(deployerA))
      const name = deployerA.alias
      return {
        inputs: { operation: 'rotate', 'key-name': name, ...common, ...destinationInputs },
        locations,
        mayChange: (k) => inGroup(k.name, name),
        holders: group(name),
        visibility,
        replaces: () => ({ name })
      }
    }
    case 'c1-alternate': {
      if (scenario.leftover) leftover(deployerA, deployerB)
      else if (existing) seed(valueOf(deployerB))
      const pair = (before: Map<string, KeyState>): { name: string; live: string } => {
        const { idle, live } = pairOf([...before.values()], deployerA.alias, deployerB.alias)
        return { name: idle, live }
      }
      return {
        inputs: {
          operation: 'rotate',
          strategy: 'alternate',
          'key-name': `${deployerA.alias}\n${deployerB.alias}`,
          ...common,
          ...destinationInputs
        },
        locations,
        mayChange: (k, before) => inGroup(k.name, pair(before).name),
        holders: group(deployerA.alias, deployerB.alias),
        visibility,
        replaces: pair
      }
    }
    default:
      throw new Error(`${scenario.operation} is not a Cloud One operation`)
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots

export interface Snapshot {
  keys: Map<string, KeyState>
  stored: Map<string, string | undefined>
  /** Stored values that did not authenticate when the snapshot was taken. */
  dead: Set<string>
}

export function locationLabel(where: SecretLocation): string {
  return JSON.stringify(where)
}

export function snapshot(world: World, locations: SecretLocation[] = []): Snapshot {
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

export function secretsPathOf(where: SecretLocation): string {
  if (where.organization) return `/orgs/${where.organization}/${where.type ?? 'actions'}/secrets`
  if (where.environment !== undefined)
    return `/repos/${where.repository}/environments/${encodeURIComponent(where.environment)}/secrets`
  return `/repos/${where.repository}/${where.type ?? 'actions'}/secrets`
}

/**
 * The world as the next run (or a person following the advice) meets it: without the scenario's
 * faults; with `nextSecond`, on Vision One and Cloud One, a later second than now (a new key is named after
 * the second it is made in, and the next schedule comes later than the same second).
 */
export async function calmDown(world: World, nextSecond: boolean): Promise<void> {
  world.platform.clearFaults()
  world.github.clearFaults()
  world.itemLostToken = false
  if (nextSecond && (world.v1 || world.c1))
    await new Promise((resolve) => setTimeout(resolve, 1_005 - (Date.now() % 1_000)))
}
