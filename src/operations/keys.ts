import * as core from '@actions/core'
import type { KeySelector, RoleSelector, Settings } from '../inputs.js'
import { WorkloadSecurityClient, WorkloadSecurityError } from '../workload-security/client.js'
import type { ApiKey, Role } from '../workload-security/models.js'
import { phase, type OperationResult } from './result.js'

type SettingsOf<O extends Settings['operation']> = Extract<Settings, { operation: O }>

/** Finds the key a selector names. */
function resolveKey(ws: WorkloadSecurityClient, selector: KeySelector): Promise<ApiKey> {
  switch (selector.by) {
    case 'id':
      return ws.describeKey(selector.id)
    case 'current':
      return ws.describeCurrentKey()
    case 'name':
      return ws.findKeyByName(selector.name)
  }
}

function resolveRole(ws: WorkloadSecurityClient, selector: RoleSelector): Promise<Role> {
  return selector.by === 'id' ? ws.describeRole(selector.id) : ws.findRoleByName(selector.name)
}

/**
 * Resolves the key and tells whether it is the key the action authenticates with, asking the
 * manager for both at once.
 */
export async function resolveKeyAndSelf(
  ws: WorkloadSecurityClient,
  selector: KeySelector
): Promise<{ key: ApiKey; isSelf: boolean }> {
  if (selector.by === 'current') return { key: await ws.describeCurrentKey(), isSelf: true }
  const [key, current] = await Promise.all([resolveKey(ws, selector), ws.describeCurrentKey()])
  return { key, isSelf: key.ID === current.ID }
}

function describeKey(key: ApiKey): string {
  return `key ${key.ID} "${key.keyName}"`
}

export async function describe(
  settings: SettingsOf<'describe'>,
  ws: WorkloadSecurityClient
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const key = await phase('Lookup', timings, () => resolveKey(ws, settings.key))
  core.info(`Found ${describeKey(key)} (role ${key.roleID}, ${key.active ? 'active' : 'locked'})`)
  return {
    operation: 'describe',
    dryRun: settings.dryRun,
    key,
    changed: false,
    changes: [],
    timings
  }
}

export async function setRole(
  settings: SettingsOf<'set-role'>,
  ws: WorkloadSecurityClient
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const [key, role] = await phase('Lookup', timings, () =>
    Promise.all([resolveKey(ws, settings.key), resolveRole(ws, settings.role)])
  )
  const base = { operation: 'set-role' as const, dryRun: settings.dryRun, role, timings }
  if (key.roleID === role.ID) {
    core.info(`${describeKey(key)} already has role ${role.ID} "${role.name}": nothing to change`)
    return { ...base, key, changed: false, changes: [] }
  }
  const change = `role ${key.roleID} -> ${role.ID} "${role.name}"`
  if (settings.dryRun) {
    core.info(`Dry run: would change ${describeKey(key)}: ${change}`)
    return { ...base, key, changed: false, changes: [`would change ${change}`] }
  }
  const updated = await phase('Update', timings, () => ws.modifyKey(key.ID, { roleID: role.ID }))
  core.info(`Changed ${describeKey(updated)}: ${change}`)
  return { ...base, key: updated, changed: true, changes: [change] }
}

/** lock (`active: false`) and unlock (`active: true`). */
export async function setActive(
  settings: SettingsOf<'lock' | 'unlock'>,
  ws: WorkloadSecurityClient
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const active = settings.operation === 'unlock'
  const { key } = await phase('Lookup', timings, async () => {
    if (settings.operation === 'lock')
      return guardSelf(ws, settings.key, settings.allowSelf, 'lock')
    return { key: await resolveKey(ws, settings.key) }
  })
  const base = { operation: settings.operation, dryRun: settings.dryRun, timings }
  const state = active ? 'active' : 'locked'
  if (key.active === active) {
    core.info(`${describeKey(key)} is already ${state}: nothing to change`)
    return { ...base, key, changed: false, changes: [] }
  }
  const change = active ? 'unlocked (active: true)' : 'locked (active: false)'
  if (settings.dryRun) {
    core.info(`Dry run: ${describeKey(key)} would be ${change}`)
    return { ...base, key, changed: false, changes: [`would be ${change}`] }
  }
  const updated = await phase('Update', timings, () => ws.modifyKey(key.ID, { active }))
  core.info(`${describeKey(updated)} ${change}`)
  return { ...base, key: updated, changed: true, changes: [change] }
}

export async function deleteKey(
  settings: SettingsOf<'delete'>,
  ws: WorkloadSecurityClient
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const base = { operation: 'delete' as const, dryRun: settings.dryRun, timings }
  let key: ApiKey
  try {
    ;({ key } = await phase('Lookup', timings, () =>
      guardSelf(ws, settings.key, settings.allowSelf, 'delete')
    ))
  } catch (error) {
    // Deleting by ID is idempotent: a key that is already gone is the state asked for.
    if (
      settings.key.by === 'id' &&
      error instanceof WorkloadSecurityError &&
      error.status === 404
    ) {
      core.info(`API key ${settings.key.id} does not exist (already deleted): nothing to change`)
      const gone: ApiKey = { ID: settings.key.id, keyName: '', roleID: 0, active: false }
      return { ...base, key: gone, changed: false, changes: [] }
    }
    throw error
  }
  if (settings.dryRun) {
    core.info(`Dry run: ${describeKey(key)} would be deleted`)
    return { ...base, key, changed: false, changes: ['would be deleted'] }
  }
  await phase('Delete', timings, () => ws.deleteKey(key.ID))
  core.info(`Deleted ${describeKey(key)}`)
  return { ...base, key: { ...key, active: false }, changed: true, changes: ['deleted'] }
}

/** Refuses to lock or delete the key the action authenticates with, unless allowed. */
async function guardSelf(
  ws: WorkloadSecurityClient,
  selector: KeySelector,
  allowSelf: boolean,
  operation: 'lock' | 'delete'
): Promise<{ key: ApiKey }> {
  const { key, isSelf } = await resolveKeyAndSelf(ws, selector)
  if (isSelf && !allowSelf) {
    throw new Error(
      `${describeKey(key)} is the key this action authenticates with (api-secret-key): ${operation}` +
        ' would cut off every workflow that uses it, this one included. Set allow-self: true if that' +
        ' is what you want. Nothing was changed.'
    )
  }
  if (isSelf)
    core.warning(
      `${operation} of ${describeKey(key)}, the key this action authenticates with (allow-self: true)`
    )
  return { key }
}
