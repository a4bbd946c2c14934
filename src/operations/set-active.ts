import * as core from '@actions/core'
import type { LockSettings, UnlockSettings } from '../settings.js'
import type { Context } from './context.js'
import {
  guardAuthenticatingKey,
  keyLabel,
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
  const key = await phase('Lookup', context, async () => {
    if (settings.operation === 'unlock') return resolveKey(platform, settings.selector)
    const { key, authenticating } = await resolveKeyAndAuthenticating(platform, settings.selector)
    guardAuthenticatingKey(key, authenticating, settings.allowSelf, 'lock')
    return key
  })
  result.key = key
  if (key.active === active) {
    core.info(`${keyLabel(key)} is already ${active ? 'active' : 'locked'}: nothing to change`)
    return
  }
  const described = active ? 'unlocked (active: true)' : 'locked (active: false)'
  if (settings.dryRun) {
    core.info(`Dry run: ${keyLabel(key)} would be ${described}`)
    result.note(`would be ${described}`)
    return
  }
  result.key = await phase('Update', context, () =>
    change(context, `the ${settings.operation} of ${keyLabel(key)}`, () =>
      platform.updateKey(key.id, { active })
    )
  )
  result.change(described)
  core.info(`${keyLabel(result.key)} ${described}`)
}
