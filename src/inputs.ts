import * as core from '@actions/core'
import { protectSecret } from './secrets.js'

const OPERATIONS = ['rotate', 'set-role', 'lock', 'unlock', 'delete', 'describe'] as const
export type Operation = (typeof OPERATIONS)[number]

const REGIONS = [
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

const AUTH_SCHEMES = ['api-secret-key', 'cloud-one'] as const
export type AuthScheme = (typeof AUTH_SCHEMES)[number]

const VISIBILITIES = ['all', 'private', 'selected'] as const
export type Visibility = (typeof VISIBILITIES)[number]

/**
 * Every input with the default `action.yml` declares for it (a test keeps the two equal).
 * The runner fills a declared default in when the user leaves an input out, so a value equal
 * to its default counts as "not set" for the rule that rejects inputs an operation ignores.
 */
export const INPUT_DEFAULTS = {
  operation: '',
  'api-secret-key': '',
  'api-url': '',
  region: 'us-1',
  'auth-scheme': 'api-secret-key',
  'api-version': 'v1',
  'ca-certificate': '',
  'key-id': '',
  'key-name': '',
  'role-id': '',
  'role-name': '',
  'allow-self': 'false',
  'secret-name': '',
  repositories: '',
  environment: '',
  organization: '',
  visibility: '',
  'github-token': '',
  'dry-run': 'false',
  verify: 'true',
  'max-attempts': '5',
  'timeout-seconds': '30'
} as const
export type InputName = keyof typeof INPUT_DEFAULTS

const COMMON_INPUTS: readonly InputName[] = [
  'operation',
  'api-secret-key',
  'api-url',
  'region',
  'auth-scheme',
  'api-version',
  'ca-certificate',
  'key-id',
  'key-name',
  'dry-run',
  'max-attempts',
  'timeout-seconds'
]
const ROTATION_INPUTS: readonly InputName[] = [
  'secret-name',
  'repositories',
  'environment',
  'organization',
  'visibility',
  'github-token',
  'verify'
]
const OPERATION_INPUTS: Record<Operation, readonly InputName[]> = {
  rotate: ROTATION_INPUTS,
  'set-role': ['role-id', 'role-name'],
  lock: ['allow-self'],
  unlock: [],
  delete: ['allow-self'],
  describe: []
}

/** Which API key to act on. */
export type KeySelector =
  { by: 'id'; id: number } | { by: 'current' } | { by: 'name'; name: string }
export type RoleSelector = { by: 'id'; id: number } | { by: 'name'; name: string }

export interface ConnectionSettings {
  /** Base URL without a trailing slash, e.g. `https://workload.us-1.cloudone.trendmicro.com/api`. */
  apiUrl: string
  apiSecretKey: string
  authScheme: AuthScheme
  apiVersion: string
  /** Extra PEM certificate(s) trusted beside the system roots. */
  caCertificate?: string
  maxAttempts: number
  timeoutMs: number
}

export type SecretDestinationScope =
  | { kind: 'repository'; repositories: string[] }
  | { kind: 'environment'; repositories: string[]; environment: string }
  | { kind: 'organization'; organization: string; visibility?: Visibility }

export interface RotationSettings {
  secretName: string
  scope: SecretDestinationScope
  githubToken: string
  githubApiUrl: string
  verify: boolean
}

interface BaseSettings {
  connection: ConnectionSettings
  key: KeySelector
  dryRun: boolean
}

/** The validated settings of one run, one variant per operation. */
export type Settings =
  | (BaseSettings & { operation: 'describe' })
  | (BaseSettings & { operation: 'unlock' })
  | (BaseSettings & { operation: 'lock'; allowSelf: boolean })
  | (BaseSettings & { operation: 'delete'; allowSelf: boolean })
  | (BaseSettings & { operation: 'set-role'; role: RoleSelector })
  | (BaseSettings & { operation: 'rotate'; rotation: RotationSettings })

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
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/
const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * Reads and validates every input before anything is sent. Secret inputs are masked before
 * anything else happens, so that no later message can print them.
 */
export function readSettings(
  readInput: InputReader = readActionInput,
  env: NodeJS.ProcessEnv = process.env
): Settings {
  const apiSecretKey = readInput('api-secret-key')
  const githubToken = readInput('github-token')
  protectSecret(apiSecretKey)
  protectSecret(githubToken)

  const problems: string[] = []
  const isSet = (name: InputName): boolean => {
    const value = readInput(name)
    return value !== '' && value !== INPUT_DEFAULTS[name]
  }
  const valueOf = (name: InputName): string => readInput(name) || INPUT_DEFAULTS[name]

  const rawOperation = readInput('operation').toLowerCase()
  if (!(OPERATIONS as readonly string[]).includes(rawOperation)) {
    throw new InputError([
      rawOperation
        ? `operation "${readInput('operation')}" is not one of ${OPERATIONS.join(', ')}`
        : `operation is required: one of ${OPERATIONS.join(', ')}`
    ])
  }
  const operation = rawOperation as Operation

  const applicable = new Set([...COMMON_INPUTS, ...OPERATION_INPUTS[operation]])
  const ignored = (Object.keys(INPUT_DEFAULTS) as InputName[]).filter(
    (name) => !applicable.has(name) && isSet(name)
  )
  if (ignored.length > 0) {
    problems.push(
      `${ignored.join(', ')} ${ignored.length === 1 ? 'does' : 'do'} not apply to operation ${operation}` +
        ` (remove ${ignored.length === 1 ? 'it' : 'them'})`
    )
  }

  if (!apiSecretKey) problems.push('api-secret-key is required')

  const connection: ConnectionSettings = {
    apiUrl: parseApiUrl(readInput, problems),
    apiSecretKey,
    authScheme: oneOf('auth-scheme', valueOf('auth-scheme'), AUTH_SCHEMES, problems),
    apiVersion: valueOf('api-version'),
    caCertificate: parseCaCertificate(readInput('ca-certificate'), problems),
    maxAttempts: integerInRange('max-attempts', valueOf('max-attempts'), 1, 10, problems),
    timeoutMs:
      integerInRange('timeout-seconds', valueOf('timeout-seconds'), 1, 300, problems) * 1000
  }
  if (!/^[A-Za-z0-9._-]+$/.test(connection.apiVersion)) {
    problems.push(`api-version "${connection.apiVersion}" is not a version such as v1`)
  }
  const dryRun = parseBoolean('dry-run', valueOf('dry-run'), problems)
  const key = parseKeySelector(readInput, operation, problems)

  let settings: Settings
  switch (operation) {
    case 'describe':
    case 'unlock':
      settings = { operation, connection, key, dryRun } as Settings
      break
    case 'lock':
    case 'delete':
      settings = {
        operation,
        connection,
        key,
        dryRun,
        allowSelf: parseBoolean('allow-self', valueOf('allow-self'), problems)
      } as Settings
      break
    case 'set-role':
      settings = {
        operation,
        connection,
        key,
        dryRun,
        role: parseRoleSelector(readInput, problems)
      }
      break
    case 'rotate':
      settings = {
        operation,
        connection,
        key,
        dryRun,
        rotation: parseRotation(readInput, valueOf, githubToken, env, problems)
      }
      break
  }
  if (problems.length > 0) throw new InputError(problems)
  return settings
}

function parseApiUrl(readInput: InputReader, problems: string[]): string {
  const apiUrl = readInput('api-url')
  const region = readInput('region')
  if (region && !(REGIONS as readonly string[]).includes(region)) {
    problems.push(`region "${region}" is not one of ${REGIONS.join(', ')} (or set api-url)`)
  }
  if (!apiUrl) {
    return `https://workload.${region || INPUT_DEFAULTS.region}.cloudone.trendmicro.com/api`
  }
  if (region && region !== INPUT_DEFAULTS.region) {
    core.info(`api-url is set, so region "${region}" is not used`)
  }
  return parseServiceUrl('api-url', apiUrl, problems)
}

/** Validates a service base URL: https, or http on a loopback host only. */
function parseServiceUrl(name: string, value: string, problems: string[]): string {
  // Credentials in a URL are secrets: never repeat them in a message.
  const shown = value.replace(/^([^/]*\/\/)[^/@]*@/, '$1***@')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(`${name} "${shown}" is not a URL such as https://dsm.example.com:4119/api`)
    return ''
  }
  const loopback = LOOPBACK_HOSTS.test(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(
      `${name} "${shown}" must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
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

function parseKeySelector(
  readInput: InputReader,
  operation: Operation,
  problems: string[]
): KeySelector {
  const keyId = readInput('key-id')
  const keyName = readInput('key-name')
  if (keyId && keyName) {
    problems.push('set only one of key-id and key-name')
    return { by: 'current' }
  }
  if (keyName) return { by: 'name', name: keyName }
  if (!keyId) {
    if (operation === 'rotate') return { by: 'current' }
    problems.push(
      `operation ${operation} needs key-id (a numeric key ID or "current") or key-name (the key's exact name)`
    )
    return { by: 'current' }
  }
  if (keyId.toLowerCase() === 'current') return { by: 'current' }
  const id = parseId(keyId)
  if (id === undefined) {
    problems.push(`key-id "${keyId}" must be a numeric key ID (1 to ${INT32_MAX}) or "current"`)
    return { by: 'current' }
  }
  return { by: 'id', id }
}

function parseRoleSelector(readInput: InputReader, problems: string[]): RoleSelector {
  const roleId = readInput('role-id')
  const roleName = readInput('role-name')
  if (roleId && roleName) problems.push('set only one of role-id and role-name')
  if (roleName) return { by: 'name', name: roleName }
  if (!roleId) {
    problems.push('operation set-role needs role-id (a numeric role ID) or role-name')
    return { by: 'id', id: 0 }
  }
  const id = parseId(roleId)
  if (id === undefined)
    problems.push(`role-id "${roleId}" must be a numeric role ID (1 to ${INT32_MAX})`)
  return { by: 'id', id: id ?? 0 }
}

function parseRotation(
  readInput: InputReader,
  valueOf: (name: InputName) => string,
  githubToken: string,
  env: NodeJS.ProcessEnv,
  problems: string[]
): RotationSettings {
  const secretName = readInput('secret-name')
  if (!secretName) {
    problems.push(
      'operation rotate needs secret-name: the GitHub secret that receives the new secret key'
    )
  } else if (!SECRET_NAME_PATTERN.test(secretName) || /^GITHUB_/i.test(secretName)) {
    problems.push(
      `secret-name "${secretName}" is not a valid GitHub secret name: letters, digits and _ only,` +
        ' not starting with a digit or GITHUB_'
    )
  }
  if (!githubToken) {
    problems.push(
      'operation rotate needs github-token: a fine-grained token or GitHub App token with Secrets write' +
        " (the workflow's own GITHUB_TOKEN cannot write secrets)"
    )
  }

  const organization = readInput('organization')
  const environment = readInput('environment')
  const repositoriesInput = readInput('repositories')
  const visibility = readInput('visibility')
  let scope: SecretDestinationScope
  if (organization) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(organization)) {
      problems.push(`organization "${organization}" is not a GitHub organization name`)
    }
    if (environment) problems.push('set only one of organization and environment')
    if (repositoriesInput) {
      problems.push(
        'repositories does not apply with organization (an organization secret is written once)'
      )
    }
    scope = {
      kind: 'organization',
      organization,
      visibility: visibility ? oneOf('visibility', visibility, VISIBILITIES, problems) : undefined
    }
  } else {
    if (visibility) problems.push('visibility applies only with organization')
    const repositories = parseRepositories(
      repositoriesInput || env.GITHUB_REPOSITORY || '',
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
    scope,
    githubToken,
    githubApiUrl: parseServiceUrl(
      'GITHUB_API_URL',
      env.GITHUB_API_URL || 'https://api.github.com',
      problems
    ),
    verify: parseBoolean('verify', valueOf('verify'), problems)
  }
}

function parseRepositories(value: string, problems: string[]): string[] {
  const seen = new Map<string, string>()
  for (const entry of value.split(/[\n,]/).map((s) => s.trim())) {
    if (!entry) continue
    if (!REPOSITORY_PATTERN.test(entry)) {
      problems.push(`repositories entry "${entry}" is not owner/name`)
    } else if (!seen.has(entry.toLowerCase())) {
      seen.set(entry.toLowerCase(), entry)
    }
  }
  return [...seen.values()]
}

function parseId(value: string): number | undefined {
  if (!/^\d{1,10}$/.test(value)) return undefined
  const id = Number(value)
  return id >= 1 && id <= INT32_MAX ? id : undefined
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
