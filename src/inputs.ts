import * as core from '@actions/core'
import { protectSecret } from './redaction.js'
import {
  AUTH_SCHEMES,
  FINDING_KINDS,
  LIFETIME_MONTHS,
  OPERATIONS,
  PLATFORMS,
  SECRET_TYPES,
  VISIBILITIES,
  type AuditSettings,
  type ConnectionSettings,
  type CreateSettings,
  type DeleteSettings,
  type DescribeSettings,
  type FindingKind,
  type KeySelector,
  type LockSettings,
  type Operation,
  type Platform,
  type RequestSettings,
  type RoleSelector,
  type RotateSettings,
  type SecretScope,
  type SetRoleSettings,
  type Settings,
  type StoreSettings,
  type UnlockSettings
} from './settings.js'

/** Cloud One regions (workload-security): `https://workload.<region>.cloudone.trendmicro.com/api`. */
const CLOUD_ONE_REGIONS = [
  'us-1',
  'in-1',
  'gb-1',
  'au-1',
  'jp-1',
  'de-1',
  'ca-1',
  'sg-1',
  'trend-us-1'
] as const

/** Vision One regions and their API origins (Trend's "Regional domains"). */
const VISION_ONE_HOSTS: Record<string, string> = {
  us: 'api.xdr.trendmicro.com',
  eu: 'api.eu.xdr.trendmicro.com',
  jp: 'api.xdr.trendmicro.co.jp',
  sg: 'api.sg.xdr.trendmicro.com',
  au: 'api.au.xdr.trendmicro.com',
  in: 'api.in.xdr.trendmicro.com',
  uk: 'api.uk.xdr.trendmicro.com',
  mea: 'api.mea.xdr.trendmicro.com',
  usgov: 'api.usgov.xdr.trendmicro.com'
}

/** What each platform does by default where `action.yml` leaves the input empty. */
const PLATFORM_DEFAULTS = {
  'workload-security': { region: 'us-1', strategy: 'regenerate' },
  'vision-one': { region: 'us', strategy: 'replace' },
  'cloud-one': { region: '', strategy: 'replace' }
} as const

/** cloud-one: one host for every region (the Cloud One accounts API). */
const CLOUD_ONE_ACCOUNTS_URL = 'https://accounts.cloudone.trendmicro.com/api'

/** Inputs that have no meaning on a platform: ignored with a warning when set. */
const NOT_ON_PLATFORM: Record<Platform, readonly InputName[]> = {
  'workload-security': [],
  'vision-one': ['auth-scheme', 'api-version', 'expiry-days'],
  'cloud-one': ['region', 'auth-scheme', 'api-version']
}

/** The role Vision One no longer gives to a key (since 2025-10-27). */
const MASTER_ADMINISTRATOR = 'Master Administrator'

/**
 * Every input with the default `action.yml` declares for it (a test keeps the two equal).
 * The runner fills a declared default in when the user leaves an input out, so a value equal
 * to its default counts as "not set" for the warning about inputs an operation ignores.
 */
export const INPUT_DEFAULTS = {
  operation: '',
  platform: 'workload-security',
  'api-secret-key': '',
  'api-url': '',
  region: '',
  'auth-scheme': 'api-secret-key',
  'api-version': 'v1',
  'ca-certificate': '',
  'key-id': '',
  'key-name': '',
  'role-id': '',
  'role-name': '',
  description: '',
  'allow-self': 'false',
  strategy: '',
  'expiry-months': '3',
  'expiry-days': '',
  'secret-name': '',
  'secret-type': 'actions',
  repositories: '',
  environment: '',
  organization: '',
  visibility: '',
  'github-token': '',
  'warn-days': '30',
  'stale-days': '90',
  flag: 'expired,stale,never-used',
  'fail-if-flagged': 'false',
  'dry-run': 'false',
  verify: 'true',
  'max-attempts': '5',
  'timeout-seconds': '30',
  'writes-per-minute': '80',
  'writes-per-hour': '500'
} as const
export type InputName = keyof typeof INPUT_DEFAULTS

const COMMON_INPUTS: readonly InputName[] = [
  'operation',
  'platform',
  'api-secret-key',
  'api-url',
  'region',
  'auth-scheme',
  'api-version',
  'ca-certificate',
  'dry-run',
  'max-attempts',
  'timeout-seconds'
]
const STORE_INPUTS: readonly InputName[] = [
  'secret-name',
  'secret-type',
  'repositories',
  'environment',
  'organization',
  'visibility',
  'github-token',
  'verify',
  'expiry-days',
  'expiry-months',
  'writes-per-minute',
  'writes-per-hour'
]
const OPERATION_INPUTS: Record<Operation, readonly InputName[]> = {
  rotate: ['key-id', 'key-name', 'strategy', ...STORE_INPUTS],
  create: ['key-name', 'role-id', 'role-name', 'description', ...STORE_INPUTS],
  'set-role': ['key-id', 'key-name', 'role-id', 'role-name', 'allow-self'],
  lock: ['key-id', 'key-name', 'allow-self'],
  unlock: ['key-id', 'key-name'],
  delete: ['key-id', 'key-name', 'allow-self'],
  describe: ['key-id', 'key-name'],
  audit: ['warn-days', 'stale-days', 'flag', 'fail-if-flagged']
}

/** Every bad input of a run, reported together. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

/** Reads one raw input; `core.getInput` in the action, a map in tests. */
export type InputReader = (name: InputName) => string

const readActionInput: InputReader = (name) => core.getInput(name)

const INT32_MAX = 2_147_483_647
/** A Vision One key ID: Trend's are UUIDs, at most 36 characters. */
const VISION_ONE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,35}$/
/** A Cloud One account key ID: Trend's are 27 letters and digits. */
const CLOUD_ONE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
/** A Cloud One role's short ID (`full-access`). */
const CLOUD_ONE_ROLE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/
const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

/** What every parser below works with: the raw inputs, and where problems go. */
interface Reader {
  raw: InputReader
  /** The input, or its default when empty. */
  value: (name: InputName) => string
  problems: string[]
  env: NodeJS.ProcessEnv
  platform: Platform
}

/**
 * Reads and validates every input before anything is sent. Secret inputs are masked before
 * anything else happens, so that no later message can print them. Inputs that do not apply to
 * the operation are ignored with a warning; conflicting or missing ones fail, all together.
 */
export function readSettings(
  readInput: InputReader = readActionInput,
  env: NodeJS.ProcessEnv = process.env
): Settings {
  const apiSecretKey = readInput('api-secret-key')
  const githubToken = readInput('github-token')
  protectSecret(apiSecretKey)
  protectSecret(githubToken)

  const rawOperation = readInput('operation').toLowerCase()
  if (!(OPERATIONS as readonly string[]).includes(rawOperation)) {
    throw new InputError([
      rawOperation
        ? `operation "${readInput('operation')}" is not one of ${OPERATIONS.join(', ')}`
        : `operation is required: one of ${OPERATIONS.join(', ')}`
    ])
  }
  const operation = rawOperation as Operation
  const rawPlatform = readInput('platform') || INPUT_DEFAULTS.platform
  if (!(PLATFORMS as readonly string[]).includes(rawPlatform.toLowerCase())) {
    throw new InputError([`platform "${rawPlatform}" is not one of ${PLATFORMS.join(', ')}`])
  }
  const platform = rawPlatform.toLowerCase() as Platform

  // Inputs that do not apply are read as empty from here on, so no rule below trips on them.
  const isSet = (name: InputName): boolean => {
    const value = readInput(name)
    return value !== '' && value !== INPUT_DEFAULTS[name]
  }
  const operationInputs = new Set([...COMMON_INPUTS, ...OPERATION_INPUTS[operation]])
  warnIgnored(
    (Object.keys(INPUT_DEFAULTS) as InputName[]).filter(
      (name) => !operationInputs.has(name) && isSet(name)
    ),
    `operation ${operation}`
  )
  warnIgnored(
    NOT_ON_PLATFORM[platform].filter((name) => operationInputs.has(name) && isSet(name)),
    `platform ${platform}`
  )
  const applicable = new Set(
    [...operationInputs].filter((name) => !NOT_ON_PLATFORM[platform].includes(name))
  )
  const raw: InputReader = (name) => (applicable.has(name) ? readInput(name) : '')
  const reader: Reader = {
    raw,
    value: (name) => raw(name) || INPUT_DEFAULTS[name],
    problems: [],
    env,
    platform
  }
  if (!apiSecretKey) reader.problems.push('api-secret-key is required')
  else if (platform === 'cloud-one') {
    // A Cloud One key is used as <id>:<secret>; the ID is how the key that authenticates is known.
    const colon = apiSecretKey.indexOf(':')
    // The runner masks whole values only: the secret part alone is masked too.
    if (colon >= 0) protectSecret(apiSecretKey.slice(colon + 1))
    if (
      colon < 0 ||
      !CLOUD_ONE_ID_PATTERN.test(apiSecretKey.slice(0, colon)) ||
      colon === apiSecretKey.length - 1
    )
      reader.problems.push(
        "api-secret-key must be a Cloud One API key as the console shows it, <id>:<secret> (the key's ID, a colon, then its secret); its value is not shown"
      )
  }
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    reader.problems.push(
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the job environment: it would turn TLS verification off, which this action never does.' +
        ' Remove it, and trust a private CA with ca-certificate instead'
    )
  }
  const connection = parseConnection(reader, apiSecretKey)
  const request = parseRequest(reader)
  const dryRun = parseBoolean('dry-run', reader.value('dry-run'), reader.problems)
  const common: Common = { platform, connection, request, dryRun }

  const settings = BUILDERS[operation](reader, common, githubToken)
  if (reader.problems.length > 0) throw new InputError(reader.problems)
  return settings
}

type Common = Pick<Settings, 'platform' | 'connection' | 'request' | 'dryRun'>

function warnIgnored(names: InputName[], where: string): void {
  if (names.length === 0) return
  const one = names.length === 1
  core.warning(
    `${names.join(', ')} ${one ? 'does' : 'do'} not apply to ${where} and ${one ? 'is' : 'are'} ignored`
  )
}

/** One builder per operation, so that the compiler checks each variant. */
const BUILDERS: {
  [O in Operation]: (
    r: Reader,
    common: Common,
    githubToken: string
  ) => Extract<Settings, { operation: O }>
} = {
  describe: (r, common): DescribeSettings => ({
    ...common,
    operation: 'describe',
    selector: parseKeySelector(r, 'describe')
  }),
  unlock: (r, common): UnlockSettings => ({
    ...common,
    operation: 'unlock',
    selector: parseKeySelector(r, 'unlock')
  }),
  lock: (r, common): LockSettings => ({
    ...common,
    operation: 'lock',
    selector: parseKeySelector(r, 'lock'),
    allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
  }),
  delete: (r, common): DeleteSettings => ({
    ...common,
    operation: 'delete',
    selector: parseKeySelector(r, 'delete'),
    allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
  }),
  'set-role': (r, common): SetRoleSettings => ({
    ...common,
    operation: 'set-role',
    selector: parseKeySelector(r, 'set-role'),
    role: parseRoleSelector(r, 'set-role'),
    allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
  }),
  rotate: (r, common, githubToken): RotateSettings => {
    const strategy = parseStrategy(r)
    const expiryDays = parseExpiryDays(r)
    const base = {
      ...common,
      operation: 'rotate' as const,
      store: parseStore(r, 'rotate', githubToken),
      expiryMonths: parseExpiryMonths(r)
    }
    if (r.platform !== 'workload-security' && strategy !== 'regenerate') {
      if (r.raw('key-id')) {
        r.problems.push(
          `key-id does not apply to rotate on platform ${r.platform}: the key that takes over gets a new ID, so name the key${strategy === 'alternate' ? 's' : ''} with key-name`
        )
      }
      // cloud-one: no expiry at all.
      const expiryMonths = r.platform === 'vision-one' ? (base.expiryMonths ?? 3) : undefined
      if (strategy === 'replace') {
        if (!r.raw('key-name') && !r.raw('key-id'))
          r.problems.push(
            `rotate on platform ${r.platform} needs key-name: the key's exact name (a replaced key gets a new ID, so the next run finds it by name)`
          )
        return { ...base, strategy, expiryMonths, keyName: r.raw('key-name') }
      }
      return { ...base, strategy, expiryMonths, pair: parsePair(r) }
    }
    if (strategy !== 'alternate') {
      return {
        ...base,
        strategy: 'regenerate',
        expiryDays,
        selector: parseKeySelector(r, 'rotate')
      }
    }
    if (expiryDays === undefined) {
      r.problems.push(
        "strategy alternate needs expiry-days (1 to 3650): each rotation pushes the idle key's expiry out, and a key whose rotation stopped expires by itself"
      )
    }
    return { ...base, strategy, expiryDays: expiryDays ?? 0, pair: parsePair(r) }
  },
  create: (r, common, githubToken): CreateSettings => {
    const keyName = r.raw('key-name')
    if (!keyName)
      r.problems.push(
        "operation create needs key-name: the new key's name (no key may have it yet)"
      )
    if (r.raw('key-id'))
      r.problems.push('key-id does not apply to operation create (the manager assigns the ID)')
    return {
      ...common,
      operation: 'create',
      keyName,
      description: r.raw('description'),
      role: parseRoleSelector(r, 'create'),
      expiryDays: parseExpiryDays(r),
      expiryMonths: parseExpiryMonths(r),
      store: parseStore(r, 'create', githubToken)
    }
  },
  audit: (r, common): AuditSettings => ({
    ...common,
    operation: 'audit',
    warnDays: integerInRange('warn-days', r.value('warn-days'), 0, 3650, r.problems),
    staleDays: integerInRange('stale-days', r.value('stale-days'), 1, 3650, r.problems),
    flag: parseFlag(r),
    failIfFlagged: parseBoolean('fail-if-flagged', r.value('fail-if-flagged'), r.problems)
  })
}

function parseConnection(r: Reader, apiSecretKey: string): ConnectionSettings {
  const connection: ConnectionSettings = {
    apiUrl:
      r.platform === 'vision-one'
        ? parseVisionOneUrl(r)
        : r.platform === 'cloud-one'
          ? parseCloudOneUrl(r)
          : parseApiUrl(r),
    apiSecretKey,
    authScheme: oneOf('auth-scheme', r.value('auth-scheme'), AUTH_SCHEMES, r.problems),
    apiVersion: r.value('api-version'),
    caCertificate: parseCaCertificate(r.raw('ca-certificate'), r.problems)
  }
  if (!/^[A-Za-z0-9._-]+$/.test(connection.apiVersion)) {
    r.problems.push(`api-version "${connection.apiVersion}" is not a version such as v1`)
  }
  return connection
}

function parseRequest(r: Reader): RequestSettings {
  return {
    maxAttempts: integerInRange('max-attempts', r.value('max-attempts'), 1, 10, r.problems),
    timeoutMs:
      integerInRange('timeout-seconds', r.value('timeout-seconds'), 1, 300, r.problems) * 1000
  }
}

function parseApiUrl(r: Reader): string {
  const apiUrl = r.raw('api-url')
  const region = parseRegion(r, CLOUD_ONE_REGIONS)
  if (!apiUrl) return `https://workload.${region}.cloudone.trendmicro.com/api`
  return parseServiceUrl('api-url', apiUrl, r.problems)
}

/** cloud-one: the accounts API, one host for every region; api-url overrides it. */
function parseCloudOneUrl(r: Reader): string {
  const apiUrl = r.raw('api-url')
  return apiUrl ? parseServiceUrl('api-url', apiUrl, r.problems) : CLOUD_ONE_ACCOUNTS_URL
}

/** vision-one: the regional origin; api-url may end in /v3.0, which is dropped. */
function parseVisionOneUrl(r: Reader): string {
  const apiUrl = r.raw('api-url')
  const region = parseRegion(r, Object.keys(VISION_ONE_HOSTS))
  if (!apiUrl) return `https://${VISION_ONE_HOSTS[region]}`
  const url = parseServiceUrl('api-url', apiUrl, r.problems)
  const origin = url.replace(/\/v3\.0$/i, '')
  if (url && !/^[a-z]+:\/\/[^/]+$/i.test(origin)) {
    r.problems.push(
      `api-url "${url}" must be a Vision One API origin such as https://api.eu.xdr.trendmicro.com (a trailing /v3.0 is accepted) on platform vision-one`
    )
  }
  return origin
}

/** The region input, or the platform's default; api-url wins over it. */
function parseRegion(r: Reader, regions: readonly string[]): string {
  const region = r.raw('region').toLowerCase()
  const fallback = PLATFORM_DEFAULTS[r.platform].region
  if (region && !regions.includes(region)) {
    r.problems.push(
      `region "${r.raw('region')}" is not one of ${regions.join(', ')} on platform ${r.platform} (or set api-url)`
    )
    return fallback
  }
  if (region && r.raw('api-url')) core.info(`api-url is set, so region "${region}" is not used`)
  return region || fallback
}

/** Validates a service base URL: https, or http on a loopback host only. */
function parseServiceUrl(name: string, value: string, problems: string[]): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Everything up to the last @ may be user-info (a password may hold @ itself): never shown.
    const shown = value.replace(
      /^([a-z][a-z0-9+.-]*:\/\/)?.*@/i,
      (_m, scheme?: string) => `${scheme ?? ''}***@`
    )
    problems.push(`${name} "${shown}" is not a URL such as https://dsm.example.com:4119/api`)
    return ''
  }
  const hasCredentials = url.username !== '' || url.password !== ''
  // Credentials in a URL are secrets: never repeat them in a message.
  const shown = hasCredentials ? `${url.protocol}//***@${url.host}${url.pathname}` : url.href
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(
      `${name} "${shown}" must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`
    )
  }
  if (hasCredentials || url.search || url.hash) {
    problems.push(`${name} must not contain credentials, a query or a fragment`)
  }
  return url.href.replace(/\/+$/, '')
}

function parseCaCertificate(value: string, problems: string[]): string | undefined {
  if (!value) return undefined
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(value)) {
    problems.push(
      'ca-certificate must hold one or more PEM certificates (-----BEGIN CERTIFICATE----- ...)'
    )
  }
  return value
}

function parseKeySelector(r: Reader, operation: Operation): KeySelector {
  const keyId = r.raw('key-id')
  const keyName = r.raw('key-name')
  if (keyId && keyName) {
    r.problems.push('set only one of key-id and key-name')
    return { by: 'authenticating' }
  }
  if (keyName) return { by: 'name', name: keyName }
  if (!keyId) {
    if (operation === 'rotate') return { by: 'authenticating' }
    r.problems.push(
      r.platform === 'vision-one'
        ? `operation ${operation} needs key-id (the key's ID, a UUID) or key-name (the key's exact name)`
        : r.platform === 'cloud-one'
          ? `operation ${operation} needs key-id (the key's ID, or "current") or key-name (the key's exact alias)`
          : `operation ${operation} needs key-id (a numeric key ID or "current") or key-name (the key's exact name)`
    )
    return { by: 'authenticating' }
  }
  return parseKeyId(keyId, r)
}

function parseKeyId(keyId: string, { problems, platform }: Reader): KeySelector {
  if (platform === 'vision-one') {
    if (keyId.toLowerCase() === 'current') {
      problems.push(
        'key-id "current" does not apply on platform vision-one: its API does not say which key authenticates; name the key with key-id or key-name'
      )
    } else if (!VISION_ONE_ID_PATTERN.test(keyId)) {
      problems.push(
        `key-id "${keyId}" must be a Vision One API key ID (a UUID such as d367abdd-7739-4129-a36a-862c4ec018b4)`
      )
    } else {
      return { by: 'id', id: keyId }
    }
    return { by: 'authenticating' }
  }
  if (keyId.toLowerCase() === 'current') return { by: 'authenticating' }
  if (platform === 'cloud-one') {
    if (CLOUD_ONE_ID_PATTERN.test(keyId)) return { by: 'id', id: keyId }
    problems.push(
      `key-id "${keyId}" must be a Cloud One API key ID (27 letters and digits, such as 1q7OVkm2HNIkTWNsFxxUcjIlQnP) or "current"`
    )
    return { by: 'authenticating' }
  }
  const id = parseId(keyId)
  if (id === undefined) {
    problems.push(`key-id "${keyId}" must be a numeric key ID (1 to ${INT32_MAX}) or "current"`)
    return { by: 'authenticating' }
  }
  return { by: 'id', id }
}

/** `strategy: alternate`: two keys, by ID or by name, comma or newline separated. */
function parsePair(r: Reader): [KeySelector, KeySelector] {
  const keyId = r.raw('key-id')
  const keyName = r.raw('key-name')
  const fallback: [KeySelector, KeySelector] = [{ by: 'authenticating' }, { by: 'authenticating' }]
  if (keyId && keyName) {
    r.problems.push('set only one of key-id and key-name')
    return fallback
  }
  const entries = (keyId || keyName)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (entries.length !== 2) {
    r.problems.push(
      'strategy alternate needs two keys: key-id with two IDs or key-name with two names, separated by a comma or a newline (e.g. "deployer-a, deployer-b")'
    )
    return fallback
  }
  if (keyName)
    return [
      { by: 'name', name: entries[0] },
      { by: 'name', name: entries[1] }
    ]
  const pair = entries.map((e) => parseKeyId(e, r)) as [KeySelector, KeySelector]
  if (pair.some((s) => s.by === 'authenticating')) {
    r.problems.push(
      'strategy alternate needs two numeric key IDs ("current" cannot be one: the idle key must not be the key that authenticates)'
    )
  }
  return pair
}

function parseRoleSelector(r: Reader, operation: Operation): RoleSelector {
  const roleId = r.raw('role-id')
  const roleName = r.raw('role-name')
  if (roleId && roleName) r.problems.push('set only one of role-id and role-name')
  if (r.platform === 'vision-one') {
    if (roleId)
      r.problems.push(
        'role-id does not apply on platform vision-one: its roles have names only; use role-name'
      )
    else if (!roleName) r.problems.push(`operation ${operation} needs role-name`)
    if (roleName.trim().toLowerCase() === MASTER_ADMINISTRATOR.toLowerCase()) {
      r.problems.push(
        `role-name "${roleName}": Vision One no longer gives ${MASTER_ADMINISTRATOR} to an API key (since 2025-10-27); choose a role with only the rights the key needs`
      )
    }
    return { by: 'name', name: roleName }
  }
  if (roleName) return { by: 'name', name: roleName }
  if (r.platform === 'cloud-one') {
    if (!roleId)
      r.problems.push(`operation ${operation} needs role-id (e.g. full-access) or role-name`)
    else if (!CLOUD_ONE_ROLE_PATTERN.test(roleId))
      r.problems.push(
        `role-id "${roleId}" must be a Cloud One role's short ID (lower-case letters, digits and -, such as full-access)`
      )
    return { by: 'id', id: roleId }
  }
  if (!roleId) {
    r.problems.push(`operation ${operation} needs role-id (a numeric role ID) or role-name`)
    return { by: 'id', id: '' }
  }
  const id = parseId(roleId)
  if (id === undefined)
    r.problems.push(`role-id "${roleId}" must be a numeric role ID (1 to ${INT32_MAX})`)
  return { by: 'id', id: id ?? '' }
}

/** `strategy`, or the platform's default: each platform has the strategies it can carry out. */
function parseStrategy(r: Reader): 'regenerate' | 'replace' | 'alternate' {
  const strategy = oneOf(
    'strategy',
    r.raw('strategy') || PLATFORM_DEFAULTS[r.platform].strategy,
    ['regenerate', 'replace', 'alternate'] as const,
    r.problems
  )
  if (strategy === 'regenerate' && r.platform !== 'workload-security') {
    r.problems.push(
      `strategy regenerate does not apply on platform ${r.platform}: its keys cannot get a new secret; use replace (a new key takes over, the default there) or alternate`
    )
  }
  if (strategy === 'replace' && r.platform === 'workload-security') {
    r.problems.push(
      'strategy replace applies only on platforms vision-one and cloud-one; workload-security keys use regenerate (the default) or alternate'
    )
  }
  return strategy
}

/** vision-one: a new key's lifetime in months; on workload-security, set it is an error. */
function parseExpiryMonths(r: Reader): number | undefined {
  const value = r.raw('expiry-months')
  if (r.platform === 'cloud-one') {
    if (value && value !== INPUT_DEFAULTS['expiry-months'])
      r.problems.push(
        "expiry-months does not apply on platform cloud-one: its keys have no expiry (rotation is the only limit on a secret's life)"
      )
    return undefined
  }
  if (r.platform === 'workload-security') {
    if (value && value !== INPUT_DEFAULTS['expiry-months']) {
      r.problems.push(
        'expiry-months applies only on platform vision-one; workload-security keys take expiry-days'
      )
    }
    return undefined
  }
  const months = value || INPUT_DEFAULTS['expiry-months']
  if (!LIFETIME_MONTHS.map(String).includes(months)) {
    r.problems.push(`expiry-months "${months}" is not one of ${LIFETIME_MONTHS.join(', ')}`)
    return 3
  }
  return Number(months)
}

function parseExpiryDays(r: Reader): number | undefined {
  const value = r.raw('expiry-days')
  if (r.platform === 'cloud-one') {
    if (value)
      r.problems.push(
        "expiry-days does not apply on platform cloud-one: its keys have no expiry (rotation is the only limit on a secret's life)"
      )
    return undefined
  }
  return value ? integerInRange('expiry-days', value, 1, 3650, r.problems) : undefined
}

function parseFlag(r: Reader): FindingKind[] {
  const value = r.value('flag').trim().toLowerCase()
  if (value === 'none') return []
  const kinds = value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = kinds.filter((k) => !(FINDING_KINDS as readonly string[]).includes(k))
  if (unknown.length > 0) {
    r.problems.push(
      `flag "${unknown.join(', ')}" is not a finding kind: use ${FINDING_KINDS.join(', ')}, or none`
    )
  }
  return kinds.filter((k): k is FindingKind => (FINDING_KINDS as readonly string[]).includes(k))
}

function parseStore(r: Reader, operation: 'rotate' | 'create', githubToken: string): StoreSettings {
  const { problems } = r
  const secretName = r.raw('secret-name')
  if (!secretName) {
    problems.push(
      `operation ${operation} needs secret-name: the GitHub secret that receives the new secret key`
    )
  } else if (!SECRET_NAME_PATTERN.test(secretName) || /^GITHUB_/i.test(secretName)) {
    problems.push(
      `secret-name "${secretName}" is not a valid GitHub secret name: letters, digits and _ only,` +
        ' not starting with a digit or GITHUB_'
    )
  }
  if (!githubToken) {
    problems.push(
      `operation ${operation} needs github-token: a GitHub App installation token or fine-grained token that can write the secrets` +
        " (the workflow's own GITHUB_TOKEN cannot write secrets)"
    )
  }
  const secretType = oneOf('secret-type', r.value('secret-type'), SECRET_TYPES, problems)
  const organization = r.raw('organization')
  const environment = r.raw('environment')
  const repositoriesInput = r.raw('repositories')
  const visibilityInput = r.raw('visibility')
  // It reaches the log and the printed replay commands: one line of printable text.
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(environment) || environment.length > 255) {
    problems.push(
      'environment must be a GitHub environment name: one line of at most 255 printable characters'
    )
  }
  if (environment && secretType !== 'actions') {
    problems.push(
      `environment applies only with secret-type actions (${secretType} secrets have no environments)`
    )
  }
  let scope: SecretScope
  if (organization) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(organization)) {
      problems.push(`organization "${organization}" is not a GitHub organization name`)
    }
    if (environment) problems.push('set only one of organization and environment')
    const visibility = visibilityInput
      ? oneOf('visibility', visibilityInput, VISIBILITIES, problems)
      : undefined
    if (repositoriesInput && visibility !== 'selected') {
      problems.push(
        'repositories applies with organization only together with visibility: selected (the repositories that may read the secret)'
      )
    }
    scope = {
      kind: 'organization',
      organization,
      visibility,
      ...(repositoriesInput &&
        visibility === 'selected' && {
          repositories: parseRepositories(repositoriesInput, problems)
        })
    }
  } else {
    if (visibilityInput) problems.push('visibility applies only with organization')
    const repositories = parseRepositories(
      repositoriesInput || r.env.GITHUB_REPOSITORY || '',
      problems
    )
    if (repositories.length === 0 && problems.every((p) => !p.startsWith('repositories'))) {
      problems.push(
        'repositories is required when GITHUB_REPOSITORY is not set: owner/name, one per line'
      )
    }
    scope = environment
      ? { kind: 'environment', repositories, environment }
      : { kind: 'repository', repositories }
  }

  return {
    secretName: secretName.toUpperCase(),
    secretType,
    scope,
    githubToken,
    githubApiUrl: parseServiceUrl(
      'GITHUB_API_URL',
      r.env.GITHUB_API_URL || 'https://api.github.com',
      problems
    ),
    verify: parseBoolean('verify', r.value('verify'), problems),
    writesPerMinute: integerInRange(
      'writes-per-minute',
      r.value('writes-per-minute'),
      1,
      1000,
      problems
    ),
    writesPerHour: integerInRange('writes-per-hour', r.value('writes-per-hour'), 1, 10000, problems)
  }
}

function parseRepositories(value: string, problems: string[]): string[] {
  const seen = new Map<string, string>()
  for (const entry of value.split(/[\n,]/).map((s) => s.trim())) {
    if (!entry) continue
    if (!REPOSITORY_PATTERN.test(entry)) {
      problems.push(
        `repositories entry "${entry}" is not owner/name${/\s/.test(entry) ? ': separate repositories with commas or newlines, not spaces' : ''}`
      )
    } else if (!seen.has(entry.toLowerCase())) {
      seen.set(entry.toLowerCase(), entry)
    }
  }
  return [...seen.values()]
}

/** A numeric ID (1 to int32's largest) in its canonical text: `007` is `7`. */
function parseId(value: string): string | undefined {
  if (!/^\d{1,10}$/.test(value)) return undefined
  const id = Number(value)
  return id >= 1 && id <= INT32_MAX ? String(id) : undefined
}

function parseBoolean(name: InputName, value: string, problems: string[]): boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true
  if (/^(false|False|FALSE)$/.test(value)) return false
  problems.push(`${name} "${value}" must be true or false`)
  return false
}

function integerInRange(
  name: InputName,
  value: string,
  min: number,
  max: number,
  problems: string[]
): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max)) {
    problems.push(`${name} "${value}" must be a whole number from ${min} to ${max}`)
    return min
  }
  return n
}

function oneOf<T extends string>(
  name: InputName,
  value: string,
  allowed: readonly T[],
  problems: string[]
): T {
  const lower = value.toLowerCase()
  if ((allowed as readonly string[]).includes(lower)) return lower as T
  problems.push(`${name} "${value}" is not one of ${allowed.join(', ')}`)
  return allowed[0]
}
