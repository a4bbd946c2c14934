import * as core from '@actions/core'
import { systemClock, type Clock } from './clock.js'
import { readSettings } from './inputs.js'
import { audit } from './operations/audit.js'
import type { Context } from './operations/context.js'
import { deleteKey } from './operations/delete.js'
import { describe } from './operations/describe.js'
import { OperationResult } from './result.js'
import { setActive } from './operations/set-active.js'
import { setRole } from './operations/set-role.js'
import { createPlatform } from './platforms/create-platform.js'
import type { KeyPlatform } from './platforms/key-platform.js'
import { errorText } from './redaction.js'
import { setOutputs, writeSummary } from './report.js'
import type { Operation, Settings } from './settings.js'

/** Runs the operation the settings name. */
async function dispatch(settings: Settings, context: Context): Promise<void> {
  switch (settings.operation) {
    case 'describe':
      return describe(settings, context)
    case 'set-role':
      return setRole(settings, context)
    case 'lock':
    case 'unlock':
      return setActive(settings, context)
    case 'delete':
      return deleteKey(settings, context)
    case 'audit':
      return audit(settings, context)
    case 'rotate':
    case 'create': {
      // Loaded only when a secret is stored: the GitHub client and libsodium cost start-up time.
      const { rotate, create, GitHubSecretsClient } = await import('./rotation.js')
      const github = new GitHubSecretsClient({
        token: settings.store.githubToken,
        baseUrl: settings.store.githubApiUrl,
        request: settings.request,
        clock: context.clock
      })
      const storeContext = { ...context, github }
      return settings.operation === 'rotate'
        ? rotate(settings, storeContext)
        : create(settings, storeContext)
    }
  }
}

/** The action: read settings, run the operation, report. Never throws. */
export async function run(clock: Clock = systemClock): Promise<void> {
  let operation: Operation | undefined
  let result: OperationResult | undefined
  let failure: string | undefined
  let platform: KeyPlatform | undefined
  try {
    const settings = readSettings()
    operation = settings.operation
    result = new OperationResult(settings.operation, settings.dryRun)
    platform = createPlatform(settings, clock)
    await dispatch(settings, { platform, clock, result })
    const flagged = result.audit?.flaggedKeyIds ?? []
    if (settings.operation === 'audit' && settings.failIfFlagged && flagged.length > 0) {
      failure = `${flagged.length} key(s) flagged (fail-if-flagged: true): ${flagged.join(', ')}`
    }
  } catch (error) {
    failure = errorText(error)
  } finally {
    platform?.dispose()
  }
  try {
    if (result) setOutputs(result, failure)
    await writeSummary(operation ?? 'invalid input', result, failure)
  } catch (error) {
    core.warning(`No job summary was written: ${errorText(error)}`)
  }
  if (failure !== undefined) core.setFailed(failure)
}
