/**
 * `npm run emulators [-- FILE] [--fault TARGET:KIND[:TIMES]]... [--expired KEY]... [--locked KEY]...`: starts the seeded Workload
 * Security, Vision One, Cloud One and GitHub emulators on loopback and keeps them running (until SIGINT/SIGTERM), for
 * the workflow job that runs the action with `uses: ./` and for trying the action by hand.
 * Writes what a caller needs (URLs, the emulated secrets and token) as JSON to FILE, or stdout.
 *
 * Every start is the same seeded world: state lives in memory only, so a restart undoes every
 * rotation, lock and deletion. FILE is removed at once at start (a script that waits for it never
 * reads the previous run's), written whole once the emulators listen, and removed again on a
 * clean stop. `--fault` arms a named fault (see `--help`), so that a local run shows what the
 * action does when the manager or GitHub misbehaves. `--expired` and `--locked` start a seeded key
 * expired or locked, to see what a run signing in with it says.
 */
import { realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CloudOneEmulator, seedCloudOne, valueOf } from './cloud-one.js'
import type { Fault } from './server.js'
import { READ_ONLY_TOKEN, ROLES, startSeededEmulators, WRITE_TOKEN } from './seed.js'
import { seedVisionOne, VisionOneEmulator } from './vision-one.js'
import type { WorkloadSecurityEmulator } from './workload-security.js'

/** Which requests a named fault applies to. */
interface FaultTarget {
  emulator: 'workload-security' | 'vision-one' | 'cloud-one' | 'github'
  method?: string
  path?: RegExp
  describe: string
}

const SECRET = '/secrets/(?!public-key$)[^/]+$'

export const FAULT_TARGETS: Record<string, FaultTarget> = {
  regenerate: {
    emulator: 'workload-security',
    method: 'POST',
    path: /^\/apikeys\/(\d+|current)\/secretkey$/,
    describe: 'a new secret for a key (POST /apikeys/{id}/secretkey, /apikeys/current/secretkey)'
  },
  create: {
    emulator: 'workload-security',
    method: 'POST',
    path: /^\/apikeys$/,
    describe: 'a new key (POST /apikeys)'
  },
  update: {
    emulator: 'workload-security',
    method: 'POST',
    path: /^\/apikeys\/(\d+|current)$/,
    describe: 'a change to a key: expiry, role, lock, unlock (POST /apikeys/{id})'
  },
  delete: {
    emulator: 'workload-security',
    method: 'DELETE',
    path: /^\/apikeys\/\d+$/,
    describe: 'a key deletion (DELETE /apikeys/{id})'
  },
  describe: {
    emulator: 'workload-security',
    method: 'GET',
    path: /^\/apikeys\/(\d+|current)$/,
    describe: 'a key read by ID or as current (GET /apikeys/{id}, /apikeys/current)'
  },
  list: {
    emulator: 'workload-security',
    method: 'GET',
    path: /^\/apikeys$/,
    describe: 'the list of every key (GET /apikeys, as audit reads it)'
  },
  search: {
    emulator: 'workload-security',
    method: 'POST',
    path: /^\/(apikeys|roles)\/search$/,
    describe: 'a key or role search by name (POST /apikeys/search, /roles/search)'
  },
  roles: {
    emulator: 'workload-security',
    method: 'GET',
    path: /^\/roles(\/\d+)?$/,
    describe: 'a role read (GET /roles, /roles/{id})'
  },
  manager: {
    emulator: 'workload-security',
    describe: 'any Workload Security request'
  },
  'v1-create': {
    emulator: 'vision-one',
    method: 'POST',
    path: /^\/v3\.0\/iam\/apiKeys$/,
    describe: 'a new Vision One key (POST /v3.0/iam/apiKeys)'
  },
  'v1-change': {
    emulator: 'vision-one',
    method: 'PATCH',
    path: /^\/v3\.0\/iam\/apiKeys\/[^/]+$/,
    describe:
      'a change to a Vision One key: rename, role, lock, unlock (PATCH /v3.0/iam/apiKeys/{id})'
  },
  'v1-delete': {
    emulator: 'vision-one',
    method: 'POST',
    path: /^\/v3\.0\/iam\/apiKeys\/delete$/,
    describe: 'a Vision One key deletion (POST /v3.0/iam/apiKeys/delete)'
  },
  'v1-read': {
    emulator: 'vision-one',
    method: 'GET',
    path: /^\/v3\.0\/iam\/apiKeys/,
    describe: 'a Vision One key read or list (GET /v3.0/iam/apiKeys[/{id}])'
  },
  'v1-connectivity': {
    emulator: 'vision-one',
    method: 'GET',
    path: /^\/v3\.0\/healthcheck\/connectivity$/,
    describe: 'a Vision One token check (GET /v3.0/healthcheck/connectivity)'
  },
  'vision-one': {
    emulator: 'vision-one',
    describe: 'any Vision One request'
  },
  'c1-create': {
    emulator: 'cloud-one',
    method: 'POST',
    path: /^\/apikeys$/,
    describe: 'a new Cloud One account key (POST /apikeys)'
  },
  'c1-change': {
    emulator: 'cloud-one',
    method: 'POST',
    path: /^\/apikeys\/[^/]+$/,
    describe:
      'a change to a Cloud One key: network limits, rename, role, lock, unlock (POST /apikeys/{id})'
  },
  'c1-delete': {
    emulator: 'cloud-one',
    method: 'DELETE',
    path: /^\/apikeys\/[^/]+$/,
    describe: 'a Cloud One key deletion (DELETE /apikeys/{id})'
  },
  'c1-read': {
    emulator: 'cloud-one',
    method: 'GET',
    path: /^\/(apikeys|roles)/,
    describe: 'a Cloud One key read, list or roles list (GET /apikeys[/{id}], /roles)'
  },
  'cloud-one': {
    emulator: 'cloud-one',
    describe: 'any Cloud One request'
  },
  'public-key': {
    emulator: 'github',
    method: 'GET',
    path: /\/secrets\/public-key$/,
    describe: "GitHub's public key for sealing (GET .../secrets/public-key)"
  },
  'github-read': {
    emulator: 'github',
    method: 'GET',
    path: new RegExp(SECRET),
    describe: 'a GitHub secret read (GET .../secrets/{name})'
  },
  'github-write': {
    emulator: 'github',
    method: 'PUT',
    path: new RegExp(SECRET),
    describe: 'a GitHub secret write, probes included (PUT .../secrets/{name})'
  },
  'github-delete': {
    emulator: 'github',
    method: 'DELETE',
    path: new RegExp(SECRET),
    describe: 'a GitHub secret deletion, probe removal included (DELETE .../secrets/{name})'
  },
  github: {
    emulator: 'github',
    describe: 'any GitHub request'
  }
}

/** How a late answer is late: longer than any deadline the action keeps. */
const LATE_MS = 10 * 60_000
const SLOW_MS = 5_000

/** What a named fault does, as `EmulatorServer.inject()` fields. `status-NNN` is added below. */
export const FAULT_KINDS: Record<string, { fault: Partial<Fault>; describe: string }> = {
  hang: {
    fault: { hang: true },
    describe: "never answer; nothing is done (the client's deadline fires)"
  },
  timeout: {
    fault: { respondAfterMs: LATE_MS },
    describe: "act, answer 10 minutes later: the change is made, the client's deadline fires first"
  },
  'drop-before': {
    fault: { drop: 'before' },
    describe: 'close the connection without an answer; nothing is done'
  },
  'drop-after': {
    fault: { drop: 'after' },
    describe: 'act, then close the connection without an answer (the answer is lost)'
  },
  truncate: {
    fault: { truncate: true },
    describe: 'act, then send half of the answer and close the connection'
  },
  malformed: {
    fault: { act: true, status: 200, rawBody: '<html><body>Bad gateway</body></html>' },
    describe: 'act, then answer 200 with a body that is not JSON'
  },
  slow: {
    fault: { delayMs: SLOW_MS },
    describe: 'answer normally after 5 seconds'
  }
}

export interface NamedFault {
  /** The `--fault` value as given. */
  spec: string
  emulator: FaultTarget['emulator']
  fault: Fault
}

/**
 * Parses `TARGET:KIND[:TIMES]`: TARGET one of FAULT_TARGETS, KIND one of FAULT_KINDS or
 * `status-NNN` (answer that status without acting) or `acted-NNN` (act, then answer it), TIMES
 * how many matching requests it applies to (default 1) or `always`.
 */
export function parseFault(spec: string): NamedFault {
  const [targetName, kindName, timesText, ...rest] = spec.split(':')
  const target = Object.hasOwn(FAULT_TARGETS, targetName) ? FAULT_TARGETS[targetName] : undefined
  if (!target || kindName === undefined || rest.length > 0)
    throw new Error(
      `--fault ${JSON.stringify(spec)}: expected TARGET:KIND[:TIMES] with TARGET one of ` +
        `${Object.keys(FAULT_TARGETS).join(', ')}`
    )
  const status = /^(status|acted)-([45]\d\d)$/.exec(kindName)
  const kind = Object.hasOwn(FAULT_KINDS, kindName)
    ? FAULT_KINDS[kindName].fault
    : status
      ? { status: Number(status[2]), ...(status[1] === 'acted' && { act: true }) }
      : undefined
  if (!kind)
    throw new Error(
      `--fault ${JSON.stringify(spec)}: unknown kind ${JSON.stringify(kindName)}; use one of ` +
        `${Object.keys(FAULT_KINDS).join(', ')}, status-NNN or acted-NNN (NNN from 400 to 599)`
    )
  let times = 1
  if (timesText === 'always') times = Infinity
  else if (timesText !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(timesText))
      throw new Error(
        `--fault ${JSON.stringify(spec)}: TIMES must be a positive whole number or always`
      )
    times = Number(timesText)
  }
  const { method, path } = target
  return {
    spec,
    emulator: target.emulator,
    fault: { ...(method && { method }), ...(path && { path }), ...kind, times }
  }
}

/** A seeded key by `[PLATFORM:]NAME` (`vision-one:`, `cloud-one:`; none: Workload Security). */
export interface KeyStateSpec {
  platform: 'workload-security' | 'vision-one' | 'cloud-one'
  name: string
  state: 'expired' | 'locked'
}

export function parseKeyState(spec: string, state: KeyStateSpec['state']): KeyStateSpec {
  const match = /^(?:(workload-security|vision-one|cloud-one):)?(.+)$/.exec(spec)
  const platform = (match?.[1] ?? 'workload-security') as KeyStateSpec['platform']
  if (state === 'expired' && platform === 'cloud-one')
    throw new Error(`--expired ${spec}: Cloud One account keys never expire; use --locked`)
  return { platform, name: match?.[2] ?? spec, state }
}

/**
 * Puts seeded keys in the state asked for: expired a day ago, or locked. Each names a seeded key
 * of its platform, else fails with the names there are.
 */
export function applyKeyStates(
  specs: KeyStateSpec[],
  worlds: { ws: WorkloadSecurityEmulator; v1: VisionOneEmulator; c1: CloudOneEmulator }
): void {
  const past = Date.now() - 24 * 3600_000
  for (const { platform, name, state } of specs) {
    const flag = `--${state} ${platform === 'workload-security' ? '' : `${platform}:`}${name}`
    if (platform === 'workload-security') {
      const keys = [...worlds.ws.keys.values()]
      const key = keys.find((k) => k.keyName === name)
      if (!key)
        throw new Error(`${flag}: no such key; there are ${keys.map((k) => k.keyName).join(', ')}`)
      if (state === 'expired') key.expiryDate = past
      else key.active = false
    } else if (platform === 'vision-one') {
      const keys = [...worlds.v1.keys.values()]
      const key = keys.find((k) => k.name === name)
      if (!key)
        throw new Error(`${flag}: no such key; there are ${keys.map((k) => k.name).join(', ')}`)
      if (state === 'expired') key.expiredDateTime = past
      else key.status = 'disabled'
    } else {
      const keys = [...worlds.c1.keys.values()]
      const key = keys.find((k) => k.alias === name)
      if (!key)
        throw new Error(`${flag}: no such key; there are ${keys.map((k) => k.alias).join(', ')}`)
      key.enabled = false
    }
  }
}

export function usage(): string {
  const column = (names: string[]): number => Math.max(...names.map((n) => n.length)) + 2
  const targetWidth = column(Object.keys(FAULT_TARGETS))
  const kindWidth = column([...Object.keys(FAULT_KINDS), 'status-NNN'])
  return [
    'Usage: npm run emulators -- [FILE] [--fault TARGET:KIND[:TIMES]]... [--expired KEY]... [--locked KEY]...',
    '',
    'Starts the Workload Security, Vision One, Cloud One and GitHub emulators on 127.0.0.1 with the seeded',
    'world and writes their URLs, secrets and token as JSON to FILE (or stdout). Every start is the same',
    'world again: stop and start to undo rotations, locks and deletions. The secrets in FILE are',
    'those at start; after a rotation they are stale.',
    '',
    '--fault arms a fault for the next matching request (TIMES of them, or always); repeatable.',
    'Examples: npm run emulators -- /tmp/emulators.json --fault regenerate:timeout',
    '          npm run emulators -- /tmp/emulators.json --fault github-write:status-500:2',
    '          npm run emulators -- /tmp/emulators.json --fault list:status-429:always',
    '',
    '--expired KEY starts a seeded key expired (a day ago), --locked KEY locked; repeatable. KEY is a',
    'Workload Security key name, or vision-one:NAME / cloud-one:NAME (Cloud One keys never expire).',
    'Example: npm run emulators -- /tmp/emulators.json --expired ci-deployer --locked cloud-one:deployer-a',
    '',
    'TARGET:',
    ...Object.entries(FAULT_TARGETS).map(
      ([name, t]) => `  ${name.padEnd(targetWidth)}${t.describe}`
    ),
    '',
    'KIND:',
    ...Object.entries(FAULT_KINDS).map(([name, k]) => `  ${name.padEnd(kindWidth)}${k.describe}`),
    `  ${'status-NNN'.padEnd(kindWidth)}answer HTTP NNN (400 to 599) without acting, e.g. status-429, status-503`,
    `  ${'acted-NNN'.padEnd(kindWidth)}act, then answer HTTP NNN: the change is made, the client sees an error`,
    ''
  ].join('\n')
}

const NOTE =
  'The emulators keep their state in memory and start from the same seeded world at every ' +
  'start. The secrets and keys here are those at start: a rotation through the emulators makes ' +
  'them stale (the new secret goes only into a GitHub emulator secret, which cannot be read ' +
  'back, as on GitHub). Restart npm run emulators to start over; this file is rewritten then, ' +
  'and removed when the emulators stop.'

async function main(): Promise<void> {
  let values: { fault?: string[]; expired?: string[]; locked?: string[]; help?: boolean }
  let positionals: string[]
  let faults: NamedFault[]
  let keyStates: KeyStateSpec[]
  try {
    ;({ values, positionals } = parseArgs({
      options: {
        fault: { type: 'string', multiple: true },
        expired: { type: 'string', multiple: true },
        locked: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' }
      },
      allowPositionals: true
    }))
    if (positionals.length > 1) throw new Error(`one FILE at most, got ${positionals.join(' ')}`)
    faults = (values.fault ?? []).map(parseFault)
    keyStates = [
      ...(values.expired ?? []).map((k) => parseKeyState(k, 'expired')),
      ...(values.locked ?? []).map((k) => parseKeyState(k, 'locked'))
    ]
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nSee --help.`)
    process.exit(2)
  }
  if (values.help) {
    console.log(usage())
    return
  }

  const target = positionals[0] === undefined ? undefined : resolve(positionals[0])
  // The previous run's file describes servers that are gone: nobody may read it as current.
  if (target) rmSync(target, { force: true })

  const world = await startSeededEmulators()
  const v1 = new VisionOneEmulator()
  const v1keys = seedVisionOne(v1)
  await v1.start()
  const c1 = new CloudOneEmulator()
  const c1keys = seedCloudOne(c1)
  await c1.start()
  try {
    applyKeyStates(keyStates, { ws: world.ws, v1, c1 })
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nSee --help.`)
    await Promise.all([world.stop(), v1.stop(), c1.stop()])
    process.exit(2)
  }
  const servers = {
    github: world.github,
    'vision-one': v1,
    'cloud-one': c1,
    'workload-security': world.ws
  }
  for (const { spec, emulator, fault } of faults) {
    const server = servers[emulator]
    // `when` is asked only of the fault about to be taken: the moment it fires.
    const when = (request: { method: string; path: string }): boolean => {
      console.error(`Fault ${spec}: ${request.method} ${server.url}${request.path}`)
      return true
    }
    server.inject({ ...fault, when })
  }

  const connection = {
    note: NOTE,
    startedAt: new Date().toISOString(),
    pid: process.pid,
    faults: faults.map((f) => f.spec),
    keyStates: keyStates.map(({ platform, name, state }) => ({ platform, name, state })),
    apiUrl: world.ws.url,
    githubApiUrl: world.github.url,
    adminSecret: world.admin.secret,
    adminKeyId: world.admin.ID,
    deployerSecret: world.deployer.secret,
    deployerKeyId: world.deployer.ID,
    githubToken: WRITE_TOKEN,
    readOnlyGithubToken: READ_ONLY_TOKEN,
    roles: Object.values(ROLES),
    keys: [...world.ws.keys.values()].map((k) => ({
      ID: k.ID,
      keyName: k.keyName,
      roleID: k.roleID
    })),
    visionOne: {
      apiUrl: v1.url,
      adminSecret: v1keys.admin.secret,
      keys: [...v1.keys.values()].map((k) => ({ id: k.id, name: k.name, role: k.role }))
    },
    cloudOne: {
      apiUrl: c1.url,
      // As a workflow passes it: <id>:<secret>.
      adminSecret: valueOf(c1keys.admin),
      keys: [...c1.keys.values()].map((k) => ({ id: k.id, alias: k.alias, roleID: k.roleID }))
    },
    repositories: [...world.github.repositories.values()].map((r) => r.fullName),
    organizations: [...world.github.organizations.keys()]
  }
  const text = `${JSON.stringify(connection, null, 2)}\n`
  if (target) {
    // Written whole or not at all: a reader polling for the file never sees half of it.
    const partial = `${target}.${process.pid}.tmp`
    writeFileSync(partial, text)
    renameSync(partial, target)
  } else process.stdout.write(text)
  console.error(
    startMessage({ ws: world.ws.url, v1: v1.url, c1: c1.url, github: world.github.url })
  )
  for (const { spec } of faults) console.error(`Fault armed: ${spec}`)
  for (const { platform, name, state } of keyStates)
    console.error(`Key ${state}: ${name} (${platform})`)

  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    if (target) rmSync(target, { force: true })
    await Promise.all([world.stop(), v1.stop(), c1.stop()])
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

/** Which URL is which, and the input or variable each goes into. */
export function startMessage(urls: { ws: string; v1: string; c1: string; github: string }): string {
  return [
    'Emulators listening:',
    `  Workload Security  ${urls.ws}  (api-url, platform workload-security)`,
    `  Vision One         ${urls.v1}  (api-url, platform vision-one)`,
    `  Cloud One          ${urls.c1}  (api-url, platform cloud-one)`,
    `  GitHub             ${urls.github}  (GITHUB_API_URL)`
  ].join('\n')
}

// Run only as the program (`tsx emulators/serve.ts`), not when a test imports the vocabulary.
if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href
)
  await main()
