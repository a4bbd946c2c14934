import * as core from '@actions/core'
import type { DescribeSettings } from '../settings.js'
import type { Context } from './context.js'
import { keyLabel, lookUpRoleName, resolveKey } from './resolve.js'
import { phase } from './phase.js'

/** Reads one key. */
export async function describe(settings: DescribeSettings, context: Context): Promise<void> {
  const key = await phase('Lookup', context, () => resolveKey(context.platform, settings.selector))
  context.result.key = key
  await lookUpRoleName(context, key)
  core.info(`Found ${keyLabel(key)} (role ${key.role.id}, ${key.active ? 'active' : 'locked'})`)
}
