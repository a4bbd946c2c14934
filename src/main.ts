import * as core from '@actions/core'
import { readSettings, type Operation, type Settings } from './inputs.js'
import { deleteKey, describe, setActive, setRole } from './operations/keys.js'
import { OperationFailedError, type OperationResult } from './operations/result.js'
import { setOutputs, writeSummary } from './report.js'
import { sleep as realSleep } from './retry.js'
import { redact } from './secrets.js'
import { WorkloadSecurityClient } from './workload-security/client.js'

/** What tests inject so that retries and pacing run without waiting. */
export interface RunDependencies {
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

async function dispatch(
  settings: Settings,
  ws: WorkloadSecurityClient,
  { sleep, now }: Required<RunDependencies>
): Promise<OperationResult> {
  switch (settings.operation) {
    case 'describe':
      return describe(settings, ws)
    case 'set-role':
      return setRole(settings, ws)
    case 'lock':
    case 'unlock':
      return setActive(settings, ws)
    case 'delete':
      return deleteKey(settings, ws)
    case 'rotate': {
      // Loaded only for rotation: the GitHub client and libsodium cost start-up time.
      const { rotate, GitHubSecretsClient } = await import('./rotation.js')
      const github = new GitHubSecretsClient({
        token: settings.rotation.githubToken,
        baseUrl: settings.rotation.githubApiUrl,
        maxAttempts: settings.connection.maxAttempts,
        timeoutMs: settings.connection.timeoutMs,
        sleep,
        now
      })
      return rotate(settings, { ws, github, sleep })
    }
  }
}

/** The action: read settings, run the operation, report. Never throws. */
export async function run(deps: RunDependencies = {}): Promise<void> {
  let operation: Operation | undefined
  let result: OperationResult | undefined
  let failure: string | undefined
  let ws: WorkloadSecurityClient | undefined
  try {
    const settings = readSettings()
    operation = settings.operation
    const sleep = deps.sleep ?? realSleep
    ws = new WorkloadSecurityClient(settings.connection, { sleep })
    result = await dispatch(settings, ws, { sleep, now: deps.now ?? Date.now })
  } catch (error) {
    failure = redact(error instanceof Error ? error.message : String(error))
    if (error instanceof OperationFailedError) result = error.result
  } finally {
    ws?.dispose()
  }
  if (result) setOutputs(result, failure)
  try {
    await writeSummary(operation ?? 'invalid input', result, failure)
  } catch (error) {
    core.warning(
      `No job summary was written: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  if (failure !== undefined) core.setFailed(failure)
}
