import * as core from '@actions/core'
import type { DescribeSettings } from '../settings.js'
import type { Clients } from './clients.js'
import { keyLabel, resolveKey } from './resolve.js'
import { phase, type OperationResult } from './result.js'

/** Reads one key. */
export async function describe(
  settings: DescribeSettings,
  { ws, clock }: Clients
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const key = await phase('Lookup', timings, clock, () => resolveKey(ws, settings.selector))
  core.info(`Found ${keyLabel(key)} (role ${key.roleID}, ${key.active ? 'active' : 'locked'})`)
  return {
    operation: 'describe',
    dryRun: settings.dryRun,
    key,
    changed: false,
    changes: [],
    timings
  }
}
