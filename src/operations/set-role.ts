import * as core from '@actions/core'
import type { SetRoleSettings } from '../settings.js'
import type { Clients } from './clients.js'
import { guardSelf, keyLabel, resolveKeyAndSelf, resolveRole, roleLabel } from './resolve.js'
import { phase, type OperationResult } from './result.js'

/** Moves a key to another role; refuses the authenticating key unless allowed. */
export async function setRole(
  settings: SetRoleSettings,
  { ws, clock }: Clients
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const [{ key, isSelf }, role] = await phase('Lookup', timings, clock, () =>
    Promise.all([resolveKeyAndSelf(ws, settings.selector), resolveRole(ws, settings.role)])
  )
  const base = { operation: 'set-role' as const, dryRun: settings.dryRun, role, timings }
  if (key.roleID === role.ID) {
    core.info(`${keyLabel(key)} already has role ${roleLabel(role)}: nothing to change`)
    return { ...base, key, changed: false, changes: [] }
  }
  guardSelf(key, isSelf, settings.allowSelf, 'set-role')
  const change = `role ${key.roleID} -> ${roleLabel(role)}`
  if (settings.dryRun) {
    core.info(`Dry run: would change ${keyLabel(key)}: ${change}`)
    return { ...base, key, changed: false, changes: [`would change ${change}`] }
  }
  const updated = await phase('Update', timings, clock, () =>
    ws.updateKey(key.ID, { roleID: role.ID })
  )
  core.info(`Changed ${keyLabel(updated)}: ${change}`)
  return { ...base, key: updated, changed: true, changes: [change] }
}
