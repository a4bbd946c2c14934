import * as core from '@actions/core'
import type { DeleteSettings } from '../settings.js'
import { WorkloadSecurityError } from '../workload-security/error.js'
import type { Clients } from './clients.js'
import { guardSelf, keyLabel, resolveKeyAndSelf } from './resolve.js'
import { phase, type OperationResult } from './result.js'

/**
 * Deletes a key for good; refuses the authenticating key unless allowed. A green run means
 * the key is gone: a key that does not exist fails (a mistyped ID in an incident must not
 * look like success), and only a 404 from `GET /apikeys/{id}` means "does not exist".
 */
export async function deleteApiKey(
  settings: DeleteSettings,
  { ws, clock }: Clients
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const { selector } = settings
  const { key, isSelf } = await phase('Lookup', timings, clock, () =>
    resolveKeyAndSelf(ws, selector).catch((error: unknown) => {
      if (
        selector.by === 'id' &&
        error instanceof WorkloadSecurityError &&
        error.status === 404 &&
        error.method === 'GET' &&
        error.path === `/apikeys/${selector.id}`
      ) {
        throw new Error(`API key ${selector.id} does not exist; nothing was deleted.`)
      }
      throw error
    })
  )
  guardSelf(key, isSelf, settings.allowSelf, 'delete')
  const base = { operation: 'delete' as const, dryRun: settings.dryRun, timings }
  if (settings.dryRun) {
    core.info(`Dry run: ${keyLabel(key)} would be deleted`)
    return { ...base, key, changed: false, changes: ['would be deleted'] }
  }
  await phase('Delete', timings, clock, () => ws.deleteKey(key.ID))
  core.info(`Deleted ${keyLabel(key)}`)
  return { ...base, key: { ...key, active: false }, changed: true, changes: ['deleted'] }
}
