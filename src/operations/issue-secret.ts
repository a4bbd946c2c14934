import * as core from '@actions/core'
import { HttpError } from '../http/http-error.js'
import type { IssuedSecret, Key, KeyPlatform } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import type { Context } from './context.js'
import { keyLabel } from './resolve.js'

/*
 * Issuing a new secret for an existing key. Invariant: at most one secret is issued per run.
 * The platform retries only where it certainly did not act (429, or a connection that never
 * opened). After any other unclear answer (timeout, reset after sending, 5xx, truncated or
 * unparsable body) no second secret is issued: a slow manager may still complete the first
 * request, which would silently kill a second secret that was stored. What can be checked is
 * checked, and the run fails with the recovery steps.
 */

export interface RegenerateOptions {
  /** The key is the authenticating key (regenerated through its own path). */
  authenticating: boolean
  /** `alternate`: the destinations still hold the live key, so a lost answer harms nobody. */
  idle?: boolean
}

/** Issues a new secret for `key`: the secret (masked) and the key as the platform returned it. */
export async function regenerateSecret(
  { platform, cancellation }: Pick<Context, 'platform' | 'cancellation'>,
  key: Key,
  options: RegenerateOptions
): Promise<Required<IssuedSecret>> {
  if (!platform.regenerateSecret) throw new Error('This platform cannot regenerate a secret.')
  let issued: IssuedSecret
  try {
    issued = await platform.regenerateSecret(key, options.authenticating)
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear)
      throw new Error(`${error.message} The key's secret was not changed.`, { cause: error })
    if (cancellation.urgent.aborted)
      throw new Error(abandonedOutcome(key, cancellation.signal!, options), { cause: error })
    throw new Error(await unclearOutcome(platform, key, error, options), { cause: error })
  }
  core.info(`The manager issued a new secret for ${keyLabel(key)} (masked)`)
  // The key ID is known from preflight; verification decides whether the secret works.
  return { secret: issued.secret, key: issued.key?.id === key.id ? issued.key : key }
}

/**
 * The regeneration was still open when the runner's SIGTERM came: the one loss no client can
 * prevent, always reported.
 */
function abandonedOutcome(key: Key, signal: string, options: RegenerateOptions): string {
  const unknown =
    `Cancelled (${signal}) while the manager was issuing a new secret for ${keyLabel(key)}: outcome unknown: the key's secret may have been replaced, ` +
    'and the answer (with the new secret) never reached this run. No GitHub secret was changed.'
  if (options.idle)
    return `${unknown} This harms nobody: the destinations hold the live key of the pair. Run the rotation again.`
  return options.authenticating
    ? `${unknown} If api-secret-key no longer authenticates, issue a new secret for key ${key.id} with another admin key (operation rotate, key-id ${key.id}) and store it; if it still does, run the rotation again.`
    : `${unknown} If the secret the destinations hold no longer authenticates, run this rotation again (key-id ${key.id}): it issues a fresh secret and stores it.`
}

/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome(
  platform: KeyPlatform,
  key: Key,
  cause: HttpError,
  options: RegenerateOptions
): Promise<string> {
  const unclear =
    `The answer to the regeneration of ${keyLabel(key)}'s secret was unclear (${cause.message}).` +
    ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.'
  if (options.idle) {
    return (
      `${unclear} This harms nobody: the destinations still hold the live key of the pair, which keeps working. ` +
      'No GitHub secret was changed. Run the rotation again.'
    )
  }
  if (!options.authenticating) {
    return (
      `${unclear} The manager may have issued a new secret whose answer was lost: key ${key.id}'s previous secret may no longer work, and no GitHub secret was changed. ` +
      `To recover: run this rotation again (with key-id ${key.id}); it issues a fresh secret and stores it.`
    )
  }
  try {
    await platform.getAuthenticatingKey()
  } catch (error) {
    if (error instanceof HttpError && error.rejected) {
      return (
        `${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed. ` +
        'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
        `${key.id} (or issue a new secret for the key in the console) and store the result.`
      )
    }
    return (
      `${unclear} Whether the previous secret still works could not be checked (${errorText(error)}). ` +
      `If it no longer works, issue a new secret for key ${key.id} with another admin key (operation rotate, key-id ${key.id}).`
    )
  }
  return (
    `${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
    `if the manager completes the request later, the previous secret stops working. Run the rotation again once the manager answers normally; ` +
    `if the key is then locked out, rotate it with another admin key (operation rotate, key-id ${key.id}).`
  )
}
