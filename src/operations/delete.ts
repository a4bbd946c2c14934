import * as core from '@actions/core'
import { KeyNotFoundError } from '../platforms/key-platform.js'
import type { DeleteSettings } from '../settings.js'
import type { Context } from './context.js'
import {
  guardAuthenticatingKey,
  keyLabel,
  lookUpRoleName,
  resolveKeyAndAuthenticating
} from './resolve.js'
import { change, phase } from './phase.js'

/**
 * Deletes a key for good; refuses the authenticating key unless allowed. A green run means
 * the key is gone: a key that does not exist fails (a mistyped ID in an incident must not
 * look like success); the platform decides what "does not exist" means.
 */
export async function deleteKey(settings: DeleteSettings, context: Context): Promise<void> {
  const { platform, result } = context
  const { selector } = settings
  const { key, authenticating } = await phase('Lookup', context, () =>
    resolveKeyAndAuthenticating(platform, selector).catch((error: unknown) => {
      if (error instanceof KeyNotFoundError) {
        throw new Error(`API key ${error.id} does not exist; nothing was deleted.`, {
          cause: error
        })
      }
      throw error
    })
  )
  guardAuthenticatingKey(key, authenticating, settings.allowSelf, 'delete')
  result.key = key
  const roleNamed = lookUpRoleName(context, key)
  // Deleting the authenticating key revokes the secret the lookup is sent with.
  if (authenticating) await roleNamed
  if (settings.dryRun) {
    core.info(`Dry run: ${keyLabel(key)} would be deleted`)
    result.note('would be deleted')
    return roleNamed
  }
  await phase('Delete', context, () =>
    change(context, `the deletion of ${keyLabel(key)}`, () => platform.deleteKey(key.id))
  )
  result.key = { ...key, active: false }
  result.change('deleted')
  core.info(`Deleted ${keyLabel(key)}`)
  await roleNamed
}
