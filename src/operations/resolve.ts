import * as core from '@actions/core'
import { logSafe } from '../redaction.js'
import type { KeySelector, RoleSelector } from '../settings.js'
import type { WorkloadSecurityClient } from '../workload-security/client.js'
import type { ApiKey, Role } from '../workload-security/models.js'

/** How a key is named in the log: `key 12 "ci-deployer"` (the name made log-safe). */
export function keyLabel(key: ApiKey): string {
  return `key ${key.ID} "${logSafe(key.keyName)}"`
}

/** How a role is named in the log: `3 "Deployer"`. */
export function roleLabel(role: Role): string {
  return `${role.ID} "${logSafe(role.name)}"`
}

/** Finds the key a selector names; a name that matches no key fails. */
export async function resolveKey(
  ws: WorkloadSecurityClient,
  selector: KeySelector
): Promise<ApiKey> {
  switch (selector.by) {
    case 'id':
      return ws.getKey(selector.id)
    case 'current':
      return ws.getCurrentKey()
    case 'name': {
      const key = await ws.findKeyByName(selector.name)
      if (!key)
        throw new Error(
          `No API key named "${logSafe(selector.name)}" exists (key-name); nothing was changed.`
        )
      return key
    }
  }
}

export async function resolveRole(
  ws: WorkloadSecurityClient,
  selector: RoleSelector
): Promise<Role> {
  if (selector.by === 'id') return ws.getRole(selector.id)
  const role = await ws.findRoleByName(selector.name)
  if (!role)
    throw new Error(
      `No role named "${logSafe(selector.name)}" exists (role-name); nothing was changed.`
    )
  return role
}

/**
 * Resolves the key and tells whether it is the key the action authenticates with, asking the
 * manager for both at once.
 */
export async function resolveKeyAndSelf(
  ws: WorkloadSecurityClient,
  selector: KeySelector
): Promise<{ key: ApiKey; isSelf: boolean; current: ApiKey }> {
  if (selector.by === 'current') {
    const current = await ws.getCurrentKey()
    return { key: current, isSelf: true, current }
  }
  const [key, current] = await Promise.all([resolveKey(ws, selector), ws.getCurrentKey()])
  return { key, isSelf: key.ID === current.ID, current }
}

/** Refuses to act on the key the action authenticates with, unless allowed. */
export function guardSelf(
  key: ApiKey,
  isSelf: boolean,
  allowSelf: boolean,
  operation: 'lock' | 'delete' | 'set-role'
): void {
  if (isSelf && !allowSelf) {
    throw new Error(
      `${keyLabel(key)} is the key this action authenticates with (api-secret-key): ${operation}` +
        ' would cut off every workflow that uses it, this one included. Set allow-self: true if that' +
        ' is what you want. Nothing was changed.'
    )
  }
  if (isSelf)
    core.warning(
      `${operation} of ${keyLabel(key)}, the key this action authenticates with (allow-self: true)`
    )
}
