import { DAY_MS } from '../dates.js'
import type { Context } from './context.js'
import * as core from '@actions/core'
import type { Key, KeyPlatform, Role, RoleRef } from '../platforms/key-platform.js'
import { logSafe } from '../redaction.js'
import type { KeySelector, RoleSelector } from '../settings.js'

/** How a key is named in the log: `key 12 "ci-deployer"` (the name made log-safe). */
export function keyLabel(key: Key): string {
  return `key ${key.id} "${logSafe(key.name)}"`
}

/** How a role is named in the log: `3 "Deployer"`, `3` or `"Deployer"`, as far as it is known. */
export function roleLabel(role: RoleRef): string {
  const name = role.name === undefined ? undefined : `"${logSafe(role.name)}"`
  return [role.id, name].filter((part) => part !== undefined).join(' ')
}

/**
 * Orders key IDs as their platform numbers them: digits by value, anything else as lower-case
 * text.
 */
export function compareKeyIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b)
  const [x, y] = [a.toLowerCase(), b.toLowerCase()]
  return x < y ? -1 : x > y ? 1 : 0
}

/** Finds the key a selector names; a name that matches no key fails. */
export async function resolveKey(platform: KeyPlatform, selector: KeySelector): Promise<Key> {
  switch (selector.by) {
    case 'id':
      return platform.getKey(selector.id)
    case 'authenticating':
      return authenticatingKey(platform)
    case 'name': {
      const key = await platform.findKeyByName(selector.name)
      if (!key) {
        const names = await platform.listKeys().then(
          (keys) => keys.map((k) => k.name),
          () => []
        )
        throw new Error(
          `No API key named "${logSafe(selector.name)}" exists (key-name); nothing was changed.${didYouMean(selector.name, names)}`
        )
      }
      return key
    }
  }
}

export async function resolveRole(platform: KeyPlatform, selector: RoleSelector): Promise<Role> {
  if (selector.by === 'id') return platform.getRole(selector.id)
  const role = await platform.findRoleByName(selector.name)
  if (!role) {
    const names = await platform.listRoles().then(
      (roles) => roles.map((r) => r.name),
      () => []
    )
    throw new Error(
      `No role named "${logSafe(selector.name)}" exists (role-name); nothing was changed.${didYouMean(selector.name, names)}`
    )
  }
  return role
}

/**
 * " Did you mean "deployer-a"?" naming the names nearest to `name` (the same but for case, or a
 * couple of typing mistakes away), at most three; empty when none is near.
 */
export function didYouMean(name: string, names: string[]): string {
  const wanted = name.toLowerCase()
  const allowed = wanted.length < 5 ? 1 : 2
  const near = [...new Set(names)]
    .map((n) => ({ n, d: editDistance(wanted, n.toLowerCase(), allowed) }))
    .filter(({ d }) => d <= allowed)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map(({ n }) => `"${logSafe(n)}"`)
  return near.length ? ` Did you mean ${near.join(' or ')}?` : ''
}

/** Levenshtein distance of two texts, or `limit + 1` once it is certainly more than `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_v, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    if (Math.min(...current) > limit) return limit + 1
    previous = current
  }
  return previous[b.length]
}

/**
 * Resolves the key and tells whether it is the authenticating key, asking the platform for
 * both at once.
 */
export async function resolveKeyAndAuthenticating(
  platform: KeyPlatform,
  selector: KeySelector
): Promise<{ key: Key; authenticating: boolean }> {
  if (selector.by === 'authenticating') {
    return { key: await authenticatingKey(platform), authenticating: true }
  }
  const [key, authenticating] = await Promise.all([
    resolveKey(platform, selector),
    platform.getAuthenticatingKey()
  ])
  return { key, authenticating: key.id === authenticating?.id }
}

/** The authenticating key, on a platform that can tell which key that is. */
async function authenticatingKey(platform: KeyPlatform): Promise<Key> {
  const key = await platform.getAuthenticatingKey()
  if (!key) throw new Error('This platform does not say which key authenticates: name the key.')
  return key
}

/**
 * Starts reading the name of `key`'s role for the report (where the key names only its role's
 * ID), and records it in the result. Started as soon as the key is known, so that it runs beside
 * the work already waiting; awaited before a change that revokes the secret it is sent with
 * (no request carries a secret this run revoked). Never rejects: a role that cannot be read is
 * left out of the report.
 */
export function lookUpRoleName(
  { platform, result }: Pick<Context, 'platform' | 'result'>,
  key: Key
): Promise<void> {
  const id = key.role.id
  if (key.role.name !== undefined || id === undefined) return Promise.resolve()
  return platform.getRole(id).then(
    (role) => {
      if (role.id === id) result.role ??= role
    },
    () => undefined
  )
}

/**
 * `alternate`: warns when the pair took turns less than a day ago (`storedRecently` tells, per
 * platform, whether a key went to the destinations less than a day ago): jobs that read the idle
 * key since then lose their credential now.
 */
export function warnRecentTurn(
  idle: Key,
  live: Key,
  storedRecently: (key: Key) => boolean,
  now: number
): void {
  const space =
    'Space alternating rotations further apart than your longest job and its queue time.'
  if (storedRecently(idle)) {
    const created = idle.createdAt !== undefined && idle.createdAt > now - DAY_MS
    core.warning(
      `${keyLabel(idle)} was ${created ? 'created' : 'rotated'} less than a day ago: jobs that read it since then lose their credential now. ${space}`
    )
  } else if (storedRecently(live)) {
    // The live key took over less than a day ago: until then the destinations held the idle key.
    core.warning(
      `${keyLabel(live)} took over less than a day ago; until then the destinations held ${keyLabel(idle)}, and jobs that read it before lose their credential now. ${space}`
    )
  }
}

/** Refuses to act on the authenticating key, unless `allow-self` says so. */
export function guardAuthenticatingKey(
  key: Key,
  authenticating: boolean,
  allowSelf: boolean,
  operation: 'lock' | 'delete' | 'set-role'
): void {
  if (authenticating && !allowSelf) {
    throw new Error(
      `${keyLabel(key)} is the key this action authenticates with (api-secret-key): ${operation}` +
        ' would cut off every workflow that uses it, this one included. Set allow-self: true if that' +
        ' is what you want. Nothing was changed.'
    )
  }
  if (authenticating)
    core.warning(
      `${operation} of ${keyLabel(key)}, the key this action authenticates with (allow-self: true)`
    )
}
