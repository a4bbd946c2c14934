import * as core from '@actions/core'
import type { LockSettings, UnlockSettings } from '../settings.js'
import type { Clients } from './clients.js'
import { guardSelf, keyLabel, resolveKey, resolveKeyAndSelf } from './resolve.js'
import { phase, type OperationResult } from './result.js'

/** lock (`active: false`; refuses the authenticating key unless allowed) and unlock (`active: true`). */
export async function setActive(
  settings: LockSettings | UnlockSettings,
  { ws, clock }: Clients
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const active = settings.operation === 'unlock'
  const key = await phase('Lookup', timings, clock, async () => {
    if (settings.operation === 'unlock') return resolveKey(ws, settings.selector)
    const { key, isSelf } = await resolveKeyAndSelf(ws, settings.selector)
    guardSelf(key, isSelf, settings.allowSelf, 'lock')
    return key
  })
  const base = { operation: settings.operation, dryRun: settings.dryRun, timings }
  if (key.active === active) {
    core.info(`${keyLabel(key)} is already ${active ? 'active' : 'locked'}: nothing to change`)
    return { ...base, key, changed: false, changes: [] }
  }
  const change = active ? 'unlocked (active: true)' : 'locked (active: false)'
  if (settings.dryRun) {
    core.info(`Dry run: ${keyLabel(key)} would be ${change}`)
    return { ...base, key, changed: false, changes: [`would be ${change}`] }
  }
  const updated = await phase('Update', timings, clock, () => ws.updateKey(key.ID, { active }))
  core.info(`${keyLabel(updated)} ${change}`)
  return { ...base, key: updated, changed: true, changes: [change] }
}
