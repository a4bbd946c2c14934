import * as core from '@actions/core'
import type { LockSettings, UnlockSettings } from '../settings.js'
import type { Context } from './context.js'
import {
  guardAuthenticatingKey,
  keyLabel,
  lookUpRoleName,
  resolveKey,
  resolveKeyAndAuthenticating
} from './resolve.js'
import { change, phase } from './phase.js'

/** lock (`active: false`; refuses the authenticating key unless allowed) and unlock (`active: true`). */
export async function setActive(
  settings: LockSettings | UnlockSettings,
  context: Context
): Promise<void> {
  const { platform, result } = context
  const active = settings.operation === 'unlock'
  const { key, authenticating } = await phase('Lookup', context, async () => {
    if (settings.operation === 'unlock')
      return { key: await resolveKey(platform, settings.selector), authenticating: false }
    const { key, authenticating } = await resolveKeyAndAuthenticating(platform, settings.selector)
    guardAuthenticatingKey(key, authenticating, settings.allowSelf, 'lock')
    return { key, authenticating }
  })
  result.key = key
  const roleNamed = lookUpRoleName(context, key)
  // Locking the authenticating key revokes the secret the lookup is sent with.
  if (authenticating) await roleNamed
  if (key.active === active) {
    core.info(`${keyLabel(key)} is already ${active ? 'active' : 'locked'}: nothing to change`)
    return roleNamed
  }
  const described = active ? 'unlocked (active: true)' : 'locked (active: false)'
  if (settings.dryRun) {
    core.info(`Dry run: ${keyLabel(key)} would be ${described}`)
    result.note(`would be ${described}`)
    return roleNamed
  }
  result.key = await phase('Update', context, () =>
    change(context, `the ${settings.operation} of ${keyLabel(key)}`, () =>
      platform.updateKey(key.id, { active })
    )
  )
  result.change(described)
  core.info(`${keyLabel(result.key)} ${described}`)
  await roleNamed
}
