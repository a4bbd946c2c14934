/**
 * The seam between the operations and a key platform (docs/architecture.md). Operations see
 * keys and roles in these words only; each platform's folder maps its wire format to them.
 */

/**
 * The platform a clean-up uses: after a signal, one that SIGTERM does not abandon
 * ({@link KeyPlatform.forCleanUp}); `use` runs with it, and it is disposed after.
 */
export async function withCleanUp<T>(
  platform: KeyPlatform,
  signalled: boolean,
  use: (platform: KeyPlatform) => Promise<T>
): Promise<T> {
  if (!signalled) return use(platform)
  const cleaner = platform.forCleanUp()
  try {
    return await use(cleaner)
  } finally {
    cleaner.dispose()
  }
}

/** An API key on a Trend platform. */
export interface Key {
  /** The platform's ID of the key: digits on workload-security. */
  id: string
  name: string
  description?: string
  /** The key's role, as far as the key's own answer tells it. */
  role: RoleRef
  /** false: the key is locked and cannot authenticate. */
  active: boolean
  /** Milliseconds since the epoch, like every time below. */
  createdAt?: number
  lastUsedAt?: number
  expiresAt?: number
  /** Unsuccessful sign-ins since the last successful one. */
  failedSignIns?: number
}

/** A role as a key refers to it: by ID, by name, or both. */
export interface RoleRef {
  id?: string
  name?: string
}

/** A role that was looked up: its name is known. */
export interface Role {
  id?: string
  name: string
}

/** What `updateKey` may change; absent fields stay as they are. */
export interface KeyChanges {
  role?: Role
  active?: boolean
  /** Only where the platform lets an expiry change (`canChangeExpiry`). */
  expiresAt?: number
  name?: string
}

/**
 * The one item of a platform's answer to an exact-name lookup, or none; several fail (a name
 * that stands for several keys or roles must never pick one of them).
 */
export function atMostOne<T>(
  items: T[],
  what: string,
  input: string,
  id: (item: T) => string
): T | undefined {
  if (items.length <= 1) return items[0]
  throw new Error(
    `More than one ${what} exists (IDs ${items.map(id).join(', ')}); use the ID instead of ${input}. Nothing was changed.`
  )
}

/** How far an expiry read back may be from the one asked for (a platform may round it). */
const EXPIRY_SLACK_MS = 60_000

/** Whether a key's role is `role`: by ID where roles have IDs, else by name. */
export function hasRole(key: Key, role: Role): boolean {
  return role.id !== undefined ? key.role.id === role.id : key.role.name === role.name
}

/** True when `key` shows every change of `changes` (a role by ID where it has one). */
export function showsChanges(key: Key, changes: KeyChanges): boolean {
  const { role, active, expiresAt, name } = changes
  return (
    (active === undefined || key.active === active) &&
    (name === undefined || key.name === name) &&
    (role === undefined || hasRole(key, role)) &&
    (expiresAt === undefined ||
      (key.expiresAt !== undefined && Math.abs(key.expiresAt - expiresAt) <= EXPIRY_SLACK_MS))
  )
}

/** A key to create. */
export interface NewKey {
  name: string
  description: string
  role: Role
  /** workload-security: the expiry; undefined, a key without expiry. */
  expiresAt?: number
  /** vision-one: the lifetime in months (1, 3, 6 or 12), fixed at creation. */
  lifetimeMonths?: number
  /**
   * rotate `replace`: the key the new one takes over from; the platform copies what else it
   * keeps about a key (cloud-one: language and time zone), never its network limits (see
   * {@link KeyPlatform.restrictLike}).
   */
  replacing?: Key
  /**
   * The new secret is to be proven before anything is written: a platform that must look the
   * new key up after its creation (vision-one) tries it once beside that lookup, and says so
   * with {@link IssuedSecret.proven}. A secret not proven then (not valid yet, or refused) is
   * left to {@link KeyPlatform.verifySecret}, after the sealed copies are printed.
   */
  proveBeside?: boolean
}

/**
 * A secret the platform just issued (masked before it is returned), and the key as the answer
 * described it: absent when the answer carried the secret but no usable key.
 */
export interface IssuedSecret {
  secret: string
  key?: Key
  /** With {@link NewKey.proveBeside}: the secret authenticated, tried beside the key's lookup. */
  proven?: boolean
}

/** An issued secret whose key is known. */
export type IssuedKey = IssuedSecret & { key: Key }

/** The key asked for does not exist (the platform answered "not found" for it). */
export class KeyNotFoundError extends Error {
  constructor(
    readonly id: string,
    message: string,
    options: { cause: unknown }
  ) {
    super(message, options)
    this.name = 'KeyNotFoundError'
  }
}

/** The calls every key platform offers the operations. Errors are `HttpError`s unless noted. */
export interface KeyPlatform {
  /** The role whose keys may do anything (the audit's `full-access`). */
  readonly allPowerfulRole: string
  /** Whether `updateKey` may change a key's expiry (vision-one fixes it at creation). */
  readonly canChangeExpiry: boolean
  /**
   * True where no key has an expiry (cloud-one): an audit reports no expiry findings, and the
   * idle key of a pair is the one created earlier.
   */
  readonly keysNeverExpire?: boolean
  /** Closes kept-alive connections and abandons requests still in flight, without retries. */
  dispose(): void
  /**
   * The same platform, authenticating with `secret` instead of `api-secret-key` (a new key's
   * token); the caller disposes it.
   */
  withSecret(secret: string): KeyPlatform
  /**
   * The same platform for this run's own clean-up after a signal (a key it made that nothing
   * holds, an expiry it pushed out): not abandoned at the urgent signal, one attempt under a
   * deadline short enough to report before the runner's SIGKILL; the caller disposes it.
   */
  forCleanUp(): KeyPlatform
  /** One key; {@link KeyNotFoundError} when it does not exist. */
  getKey(id: string): Promise<Key>
  /** The key `api-secret-key` belongs to; undefined when the platform cannot tell (vision-one). */
  getAuthenticatingKey(): Promise<Key | undefined>
  /** The one key whose name is exactly `name`; several fail, none is undefined. */
  findKeyByName(name: string): Promise<Key | undefined>
  listKeys(): Promise<Key[]>
  updateKey(id: string, changes: KeyChanges): Promise<Key>
  /**
   * Starts the read the next {@link updateKey} of `id` begins with (vision-one: the key's ETag),
   * so that it goes beside other work; a read that fails is made again by the update. Absent
   * where an update reads nothing first.
   */
  readAhead?(id: string): void
  deleteKey(id: string): Promise<void>
  /**
   * Issues a new secret for the key (the old one stops working at once), retried only where
   * the platform certainly did not act. Absent where a platform cannot (vision-one).
   */
  regenerateSecret?(key: Key, authenticating: boolean): Promise<IssuedSecret>
  /** Creates a key and returns its secret, retried only where the platform certainly did not act. */
  createKey(key: NewKey): Promise<IssuedSecret>
  /**
   * Resolves when `secret` authenticates (as `key`, where the platform says which key a secret
   * belongs to); throws an error saying why not otherwise.
   */
  verifySecret(secret: string, key: Key): Promise<void>
  /**
   * Gives `key` (new, proven, held by no destination yet) the network limits of `like` (the key
   * it replaces), so that a key in use never reaches further than the one before it; resolves
   * with the key once it shows them. Absent where keys have no network limits. A new key is
   * made without them because a key limited to other addresses cannot be proven from here.
   */
  restrictLike?(key: Key, like: Key): Promise<Key>
  /** A role by ID (workload-security; vision-one roles have names only). */
  getRole(id: string): Promise<Role>
  /** The role named exactly `name`; undefined when none is (or the platform cannot list). */
  findRoleByName(name: string): Promise<Role | undefined>
  /** Every role; empty where the platform has no list of roles. */
  listRoles(): Promise<Role[]>
}
