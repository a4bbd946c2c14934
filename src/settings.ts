/**
 * The validated settings of one run: types only. `inputs.ts` builds them; the operations and
 * the clients read them. Nothing here depends on how the values were read.
 */

export const OPERATIONS = [
  'rotate',
  'create',
  'set-role',
  'lock',
  'unlock',
  'delete',
  'describe',
  'audit'
] as const
/** What the run does. */
export type Operation = (typeof OPERATIONS)[number]

export const PLATFORMS = ['workload-security', 'vision-one', 'cloud-one'] as const
/** Which key family the keys belong to, and so which API manages them. */
export type Platform = (typeof PLATFORMS)[number]

export const AUTH_SCHEMES = ['api-secret-key', 'cloud-one'] as const
/** How the secret is sent: `api-secret-key: <secret>` or `Authorization: ApiKey <secret>`. */
export type AuthScheme = (typeof AUTH_SCHEMES)[number]

export const VISIBILITIES = ['all', 'private', 'selected'] as const
/** Which repositories may read an organization secret. */
export type Visibility = (typeof VISIBILITIES)[number]

export const SECRET_TYPES = ['actions', 'dependabot', 'codespaces'] as const
/** Which kind of GitHub secret receives the new secret. */
export type SecretType = (typeof SECRET_TYPES)[number]

export const FINDING_KINDS = [
  'expired',
  'expiring',
  'no-expiry',
  'never-used',
  'stale',
  'locked',
  'failed-sign-ins',
  'full-access'
] as const
/** What an audit can say about a key. */
export type FindingKind = (typeof FINDING_KINDS)[number]

/** Which API key to act on: by ID, by exact name, or the authenticating key (`key-id: current`). */
export type KeySelector =
  { by: 'id'; id: string } | { by: 'authenticating' } | { by: 'name'; name: string }

/** Which role to give a key. */
export type RoleSelector = { by: 'id'; id: string } | { by: 'name'; name: string }

/** A Vision One key's lifetime in months, chosen at creation. */
export const LIFETIME_MONTHS = [1, 3, 6, 12] as const

/** How to reach and authenticate with the key platform's API. */
export interface ConnectionSettings {
  /**
   * Base URL without a trailing slash: `https://workload.us-1.cloudone.trendmicro.com/api` on
   * workload-security, the regional origin (`https://api.xdr.trendmicro.com`) on vision-one.
   */
  apiUrl: string
  /** The secret the action authenticates with (masked). */
  apiSecretKey: string
  /**
   * Which header carries the secret (workload-security; vision-one sends a Bearer token,
   * cloud-one `Authorization: ApiKey <id>:<secret>`).
   */
  authScheme: AuthScheme
  /** Value of the `api-version` header (workload-security). */
  apiVersion: string
  /** Extra PEM certificate(s) trusted beside the system roots. */
  caCertificate?: string
}

/** How every request to either API behaves. */
export interface RequestSettings {
  /** Attempts per request for retryable failures, the first included (1 to 10). */
  maxAttempts: number
  /** Deadline of one request, headers and body, in milliseconds. */
  timeoutMs: number
}

/** Where the new secret is written: repositories, their environments, or one organization. */
export type SecretScope =
  | { kind: 'repository'; repositories: string[] }
  | { kind: 'environment'; repositories: string[]; environment: string }
  | {
      kind: 'organization'
      organization: string
      /** Set only when the input asked for it; otherwise the existing visibility is kept. */
      visibility?: Visibility
      /** `visibility: selected`: the repositories (owner/name) that may read the secret. */
      repositories?: string[]
    }

/** Where and how the new secret is stored in GitHub (rotate, create). */
export interface StoreSettings {
  /** The GitHub secret's name, upper-case. */
  secretName: string
  secretType: SecretType
  scope: SecretScope
  /** A token that can write the secrets (masked). */
  githubToken: string
  /** GitHub's REST API base URL (GITHUB_API_URL). */
  githubApiUrl: string
  /** Prove the new secret authenticates as the same key. */
  verify: boolean
  /** GitHub writes (PUT and DELETE, probes included) this run may send per minute. */
  writesPerMinute: number
  /** The same per hour: a plan that needs more fails before preflight. */
  writesPerHour: number
}

/** What every operation has. */
interface CommonSettings {
  platform: Platform
  connection: ConnectionSettings
  request: RequestSettings
  /** Read, validate and report the plan; change nothing. */
  dryRun: boolean
}

export interface DescribeSettings extends CommonSettings {
  operation: 'describe'
  selector: KeySelector
}

export interface UnlockSettings extends CommonSettings {
  operation: 'unlock'
  selector: KeySelector
}

export interface LockSettings extends CommonSettings {
  operation: 'lock'
  selector: KeySelector
  /** Act on the authenticating key too. */
  allowSelf: boolean
}

export interface DeleteSettings extends CommonSettings {
  operation: 'delete'
  selector: KeySelector
  /** Act on the authenticating key too. */
  allowSelf: boolean
}

export interface SetRoleSettings extends CommonSettings {
  operation: 'set-role'
  selector: KeySelector
  role: RoleSelector
  /** Act on the authenticating key too. */
  allowSelf: boolean
}

interface RotateCommon extends CommonSettings {
  operation: 'rotate'
  /** workload-security: set the key's expiry to now + this many days; undefined: leave it. */
  expiryDays?: number
  /** vision-one: the lifetime in months of the key that takes over. */
  expiryMonths?: number
  store: StoreSettings
}

/** `regenerate`: one key gets a new secret; the old one dies at once. */
export interface RegenerateSettings extends RotateCommon {
  strategy: 'regenerate'
  selector: KeySelector
}

/**
 * `replace` (vision-one, cloud-one): a new key with the same name, role and description takes
 * over, then the old key is deleted.
 */
export interface ReplaceSettings extends RotateCommon {
  strategy: 'replace'
  /** The name of the key to replace (its ID changes with every rotation). */
  keyName: string
  /** vision-one: the new key's lifetime; undefined on cloud-one (no key has an expiry). */
  expiryMonths?: number
}

/**
 * `alternate`: the idle key of a pair gets a new secret (workload-security, `expiryDays`) or is
 * replaced (vision-one, `expiryMonths`); the live one keeps working.
 */
export interface AlternateSettings extends RotateCommon {
  strategy: 'alternate'
  /** The two keys of the pair, in the order given. */
  pair: [KeySelector, KeySelector]
}

export type RotateSettings = RegenerateSettings | ReplaceSettings | AlternateSettings

export interface CreateSettings extends CommonSettings {
  operation: 'create'
  /** The new key's name (no key may have it yet). */
  keyName: string
  description: string
  role: RoleSelector
  /** workload-security: undefined, a key without expiry. */
  expiryDays?: number
  /** vision-one: the new key's lifetime in months. */
  expiryMonths?: number
  store: StoreSettings
}

export interface AuditSettings extends CommonSettings {
  operation: 'audit'
  /** A key expiring within this many days is `expiring`. */
  warnDays: number
  /** A key without a sign-in for this many days is `stale`. */
  staleDays: number
  /** Finding kinds that flag a key. */
  flag: FindingKind[]
  /** Fail the run when a key is flagged. */
  failIfFlagged: boolean
}

/** The validated settings of one run, one variant per operation. */
export type Settings =
  | DescribeSettings
  | UnlockSettings
  | LockSettings
  | DeleteSettings
  | SetRoleSettings
  | RotateSettings
  | CreateSettings
  | AuditSettings
