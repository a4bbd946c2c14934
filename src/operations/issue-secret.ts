import * as core from '@actions/core'
import type { Clock } from '../clock.js'
import { errorText } from '../redaction.js'
import { backoffDelay } from '../retry.js'
import { classifyIssuingError, type WorkloadSecurityClient } from '../workload-security/client.js'
import { WorkloadSecurityError } from '../workload-security/error.js'
import type { ApiKey } from '../workload-security/models.js'
import { keyLabel } from './resolve.js'

/*
 * Issuing a new secret for an existing key. Invariant: at most one secret is issued per run.
 * A request is retried only where the manager certainly did not act (429, or a connection that
 * never opened). After any other unclear answer (timeout, reset after sending, 5xx, truncated
 * or unparsable body) no second secret is issued: a slow manager may still complete the first
 * request, which would silently kill a second secret that was stored. What can be checked is
 * checked, and the run fails with the recovery steps.
 */

export interface IssueOptions {
  /** The key is the one the action authenticates with (regenerated as `current`). */
  isSelf: boolean
  /** `alternate`: the destinations still hold the live key, so a lost answer harms nobody. */
  idleOfPair?: boolean
  maxAttempts: number
  clock: Clock
}

/** Issues a new secret for `key`: the secret (masked) and the key as the manager returned it. */
export async function issueNewSecret(
  ws: WorkloadSecurityClient,
  key: ApiKey,
  options: IssueOptions
): Promise<{ secretKey: string; key: ApiKey }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const issued = await ws.regenerateSecret(options.isSelf ? 'current' : key.ID)
      core.info(`The manager issued a new secret for ${keyLabel(key)} (masked)`)
      // The key ID is known from preflight; verification decides whether the secret works.
      return { secretKey: issued.secretKey, key: issued.key?.ID === key.ID ? issued.key : key }
    } catch (error) {
      if (!(error instanceof WorkloadSecurityError)) throw error
      const decision = classifyIssuingError(error)
      if (decision.retry && attempt < options.maxAttempts) {
        const delayMs = backoffDelay(attempt, decision, {
          maxAttempts: options.maxAttempts,
          clock: options.clock
        })
        core.info(`${error.message}; the manager did not act, retrying in ${delayMs} ms`)
        await options.clock.sleep(delayMs)
        continue
      }
      if (!error.unclear) throw new Error(`${error.message} The key's secret was not changed.`)
      throw new Error(await unclearOutcome(ws, key, error, options))
    }
  }
}

/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome(
  ws: WorkloadSecurityClient,
  key: ApiKey,
  cause: WorkloadSecurityError,
  options: IssueOptions
): Promise<string> {
  const unclear =
    `The answer to the regeneration of ${keyLabel(key)}'s secret was unclear (${cause.message}).` +
    ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.'
  if (options.idleOfPair) {
    return (
      `${unclear} This harms nobody: the destinations still hold the live key of the pair, which keeps working. ` +
      'No GitHub secret was changed. Run the rotation again.'
    )
  }
  if (!options.isSelf) {
    return (
      `${unclear} The manager may have issued a new secret whose answer was lost: key ${key.ID}'s previous secret may no longer work, and no GitHub secret was changed. ` +
      `To recover: run this rotation again (with key-id ${key.ID}); it issues a fresh secret and stores it.`
    )
  }
  try {
    await ws.getCurrentKey()
  } catch (error) {
    if (error instanceof WorkloadSecurityError && error.rejected) {
      return (
        `${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed. ` +
        'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
        `${key.ID} (or issue a new secret for the key in the console) and store the result.`
      )
    }
    return (
      `${unclear} Whether the previous secret still works could not be checked (${errorText(error)}). ` +
      `If it no longer works, issue a new secret for key ${key.ID} with another admin key (operation rotate, key-id ${key.ID}).`
    )
  }
  return (
    `${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
    `if the manager completes the request later, the previous secret stops working. Run the rotation again once the manager answers normally; ` +
    `if the key is then locked out, rotate it with another admin key (operation rotate, key-id ${key.ID}).`
  )
}
