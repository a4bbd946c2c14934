import * as core from '@actions/core'
import { hasRole } from '../platforms/key-platform.js'
import type { SetRoleSettings } from '../settings.js'
import type { Context } from './context.js'
import {
  guardAuthenticatingKey,
  keyLabel,
  resolveKeyAndAuthenticating,
  resolveRole,
  roleLabel
} from './resolve.js'
import { change, phase } from './phase.js'

/** Moves a key to another role; refuses the authenticating key unless allowed. */
export async function setRole(settings: SetRoleSettings, context: Context): Promise<void> {
  const { platform, result } = context
  const [{ key, authenticating }, role] = await phase('Lookup', context, () =>
    Promise.all([
      resolveKeyAndAuthenticating(platform, settings.selector),
      resolveRole(platform, settings.role)
    ])
  )
  if (!hasRole(key, role))
    guardAuthenticatingKey(key, authenticating, settings.allowSelf, 'set-role')
  result.key = key
  result.role = role
  if (hasRole(key, role)) {
    core.info(`${keyLabel(key)} already has role ${roleLabel(role)}: nothing to change`)
    return
  }
  const described = `role ${roleLabel(key.role)} -> ${roleLabel(role)}`
  if (settings.dryRun) {
    core.info(`Dry run: would change ${keyLabel(key)}: ${described}`)
    result.note(`would change ${described}`)
    return
  }
  result.key = await phase('Update', context, () =>
    change(context, `the role change of ${keyLabel(key)}`, () =>
      platform.updateKey(key.id, { role })
    )
  )
  result.change(described)
  core.info(`Changed ${keyLabel(result.key)}: ${described}`)
}
