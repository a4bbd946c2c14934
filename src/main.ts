import * as core from '@actions/core'
import { systemClock, type Clock } from './clock.js'
import { readSettings } from './inputs.js'
import { audit } from './operations/audit.js'
import type { Clients } from './operations/clients.js'
import { deleteApiKey } from './operations/delete.js'
import { describe } from './operations/describe.js'
import { OperationFailedError, type OperationResult } from './operations/result.js'
import { setActive } from './operations/set-active.js'
import { setRole } from './operations/set-role.js'
import { errorText } from './redaction.js'
import { setOutputs, writeSummary } from './report.js'
import type { Operation, Settings } from './settings.js'
import { WorkloadSecurityClient } from './workload-security/client.js'

/** Builds the clients the operation needs and runs it. */
async function dispatch(settings: Settings, clients: Clients): Promise<OperationResult> {
  switch (settings.operation) {
    case 'describe':
      return describe(settings, clients)
    case 'set-role':
      return setRole(settings, clients)
    case 'lock':
    case 'unlock':
      return setActive(settings, clients)
    case 'delete':
      return deleteApiKey(settings, clients)
    case 'audit':
      return audit(settings, clients)
    case 'rotate':
    case 'create': {
      // Loaded only when a secret is stored: the GitHub client and libsodium cost start-up time.
      const { rotate, create, GitHubSecretsClient } = await import('./rotation.js')
      const github = new GitHubSecretsClient({
        token: settings.store.githubToken,
        baseUrl: settings.store.githubApiUrl,
        request: settings.request,
        clock: clients.clock
      })
      const storeClients = { ...clients, github }
      return settings.operation === 'rotate'
        ? rotate(settings, storeClients)
        : create(settings, storeClients)
    }
  }
}

/** The action: read settings, run the operation, report. Never throws. */
export async function run(clock: Clock = systemClock): Promise<void> {
  let operation: Operation | undefined
  let result: OperationResult | undefined
  let failure: string | undefined
  let ws: WorkloadSecurityClient | undefined
  try {
    const settings = readSettings()
    operation = settings.operation
    // What is reported if the operation fails before it has a result of its own.
    result = { operation, dryRun: settings.dryRun, changed: false, changes: [], timings: {} }
    ws = new WorkloadSecurityClient(settings.connection, settings.request, clock)
    result = await dispatch(settings, { ws, clock })
    if (
      settings.operation === 'audit' &&
      settings.failIfFlagged &&
      result.audit?.flaggedKeyIds.length
    ) {
      failure = `${result.audit.flaggedKeyIds.length} key(s) flagged (fail-if-flagged: true): ${result.audit.flaggedKeyIds.join(', ')}`
    }
  } catch (error) {
    failure = errorText(error)
    if (error instanceof OperationFailedError) result = error.result
  } finally {
    ws?.dispose()
  }
  try {
    if (result) setOutputs(result, failure)
    await writeSummary(operation ?? 'invalid input', result, failure)
  } catch (error) {
    core.warning(`No job summary was written: ${errorText(error)}`)
  }
  if (failure !== undefined) core.setFailed(failure)
}
