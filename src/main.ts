import * as core from '@actions/core'
import { Cancellation, CancelledError, URGENT_REPORT_MS } from './cancellation.js'
import { systemClock, type Clock } from './clock.js'
import { readSettings } from './inputs.js'
import { audit } from './operations/audit.js'
import type { Context } from './operations/context.js'
import { deleteKey } from './operations/delete.js'
import { describe } from './operations/describe.js'
import { OperationResult } from './result.js'
import { setActive } from './operations/set-active.js'
import { setRole } from './operations/set-role.js'
import { holdersReport } from './github/holders.js'
import { createPlatform } from './platforms/create-platform.js'
import type { KeyPlatform } from './platforms/key-platform.js'
import { errorText } from './redaction.js'
import { failureOf, failureText, setOutputs, writeSummary, type Failure } from './report.js'
import type { Operation, Settings } from './settings.js'

/** What a run cut short by a cancellation reports: what changed, what may have, who holds what. */
function cancelledText(signal: string, result: OperationResult | undefined): string {
  const what = result?.underWay ?? result?.unclear
  const changed = result?.changed
    ? ` What changed before it stopped: ${result.changes.join('; ')}.`
    : what
      ? ' Nothing else had changed.'
      : ' Nothing had changed.'
  const unclear = what ? ` The outcome of ${what} is unknown: it may have happened.` : ''
  const holders =
    result?.destinations && !result.dryRun ? ` ${holdersReport(result.destinations)}` : ''
  return `The run was cancelled (${signal}) before it finished.${changed}${unclear}${holders}`
}

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
        clock: context.clock,
        cancellation: context.cancellation,
        writesPerMinute: settings.store.writesPerMinute
      })
      const storeContext = { ...context, github }
      try {
        return await (settings.operation === 'rotate'
          ? rotate(settings, storeContext)
          : create(settings, storeContext))
      } finally {
        github.dispose()
      }
    }
  }
}

/**
 * Adds the name of the key's role for the outputs and the summary, where the key's answer named
 * only its ID (workload-security), from the role the operation read (never a request now: the
 * run may have revoked the secret it would carry).
 */
function nameRole(result: OperationResult): void {
  const { key, role } = result
  if (!key || key.role.name !== undefined || key.role.id === undefined) return
  if (role?.id === key.role.id) result.key = { ...key, role: { ...key.role, name: role.name } }
}

/**
 * `work`, or once the cancellation turned urgent and {@link URGENT_REPORT_MS} passed, a
 * {@link CancelledError}: the run then reports what it knows, whatever `work` still waits for.
 */
function untilUrgent(work: Promise<void>, cancellation: Cancellation): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const urgent = new Promise<never>((_resolve, reject) => {
    const expire = (): void => {
      timer = setTimeout(() => reject(new CancelledError(cancellation.signal!)), URGENT_REPORT_MS)
    }
    if (cancellation.urgent.aborted) expire()
    else cancellation.urgent.addEventListener('abort', expire, { once: true })
  })
  work.catch(() => undefined)
  return Promise.race([work, urgent]).finally(() => clearTimeout(timer))
}

/**
 * The action: read settings, run the operation, report. Never throws. A cancellation ends the
 * run with a report too: `cancellation` hears the runner's signals (index.ts).
 */
export async function run(
  clock: Clock = systemClock,
  cancellation: Cancellation = new Cancellation()
): Promise<void> {
  let operation: Operation | undefined
  let result: OperationResult | undefined
  let failure: Failure | undefined
  let platform: KeyPlatform | undefined
  try {
    const settings = readSettings()
    operation = settings.operation
    result = new OperationResult(settings.operation, settings.dryRun, settings.platform)
    platform = createPlatform(settings, clock, cancellation)
    const context = { platform, clock, result, cancellation }
    await untilUrgent(dispatch(settings, context), cancellation)
    const flagged = result.audit?.flaggedKeyIds ?? []
    if (settings.operation === 'audit' && settings.failIfFlagged && flagged.length > 0) {
      failure = {
        state: 'unchanged',
        message: `${flagged.length} key(s) flagged (fail-if-flagged: true): key IDs ${flagged.join(', ')}`,
        recovery: [
          {
            kind: 'manual',
            text: 'Rotate, lock or delete the flagged keys (the table above says why each is flagged), or change flag.'
          }
        ]
      }
    }
  } catch (error) {
    failure = failureOf(
      error instanceof CancelledError
        ? new Error(cancelledText(error.signal, result), { cause: error })
        : error,
      result
    )
  } finally {
    if (result) nameRole(result)
    platform?.dispose()
  }
  try {
    if (result) setOutputs(result, failure)
    await writeSummary(operation ?? 'invalid input', result, failure)
  } catch (error) {
    core.warning(`No job summary was written: ${errorText(error)}`)
  }
  if (failure !== undefined) core.setFailed(failureText(failure))
}
