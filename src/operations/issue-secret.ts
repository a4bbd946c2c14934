import * as core from '@actions/core'
import { HttpError } from '../http/http-error.js'
import type { IssuedKey, IssuedSecret, Key } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import { RunFailure, type RecoveryStep } from '../result.js'
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
  context: Pick<Context, 'platform' | 'cancellation' | 'result'>,
  key: Key,
  options: RegenerateOptions
): Promise<IssuedKey> {
  const { platform, cancellation } = context
  if (!platform.regenerateSecret) throw new Error('This platform cannot regenerate a secret.')
  let issued: IssuedSecret
  try {
    issued = await platform.regenerateSecret(key, options.authenticating)
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear)
      throw new Error(`${error.message} The key's secret was not changed.`, { cause: error })
    context.result.unclear = `the regeneration of ${keyLabel(key)}'s secret`
    if (cancellation.urgent.aborted)
      throw abandonedOutcome(key, cancellation.signal!, options, error)
    throw await unclearOutcome(context, key, error, options)
  }
  core.info(`The manager issued a new secret for ${keyLabel(key)} (masked)`)
  // The key ID is known from preflight; verification decides whether the secret works.
  return { secret: issued.secret, key: issued.key?.id === key.id ? issued.key : key }
}

/** After a lost answer for the idle key of a pair: the destinations hold the live key. */
const HARMLESS =
  'This harms nobody: the destinations still hold the live key of the pair, which keeps working.'

/** A re-run issues a fresh secret; safe for a key the run does not authenticate with. */
const rerunFresh = (key: Key): RecoveryStep => ({
  kind: 'rerun',
  why: `it issues a fresh secret for key ${key.id} and stores it everywhere; until then the destinations may hold a secret that no longer works`
})

/** Rotating the authenticating key with another key, when its own secret may be dead. */
const withAnotherKey = (key: Key): RecoveryStep => ({
  kind: 'manual',
  text:
    `With another key whose role may edit API keys as api-secret-key, run this action with operation rotate and key-id ${key.id} into the same secret ` +
    '(or issue a new secret for the key in the console and store it by hand).'
})

/**
 * The regeneration was still open when the runner's SIGTERM came: the one loss no client can
 * prevent, always reported.
 */
function abandonedOutcome(
  key: Key,
  signal: string,
  options: RegenerateOptions,
  cause: HttpError
): RunFailure {
  const unknown =
    `Cancelled (${signal}) while the manager was issuing a new secret for ${keyLabel(key)}: outcome unknown: the key's secret may have been replaced, ` +
    'and the answer (with the new secret) never reached this run. No GitHub secret was changed.'
  if (options.idle)
    return new RunFailure(`${unknown} ${HARMLESS}`, {
      cause,
      recovery: [{ kind: 'rerun', why: 'the destinations hold the live key of the pair' }]
    })
  if (options.authenticating) {
    return new RunFailure(unknown, {
      cause,
      recovery: [
        {
          kind: 'manual',
          text: `Check whether api-secret-key still authenticates (operation describe, key-id current). If it does, re-running this workflow is safe. If it does not, go on:`
        },
        withAnotherKey(key)
      ]
    })
  }
  return new RunFailure(unknown, { cause, recovery: [rerunFresh(key)] })
}

/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome(
  { platform, result }: Pick<Context, 'platform' | 'result'>,
  key: Key,
  cause: HttpError,
  options: RegenerateOptions
): Promise<RunFailure> {
  const unclear =
    `The answer to the regeneration of ${keyLabel(key)}'s secret was unclear (${cause.message}).` +
    ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.'
  if (options.idle) {
    return new RunFailure(`${unclear} ${HARMLESS} No GitHub secret was changed.`, {
      cause,
      recovery: [{ kind: 'rerun', why: 'the destinations hold the live key of the pair' }]
    })
  }
  if (!options.authenticating) {
    return new RunFailure(
      `${unclear} The manager may have issued a new secret whose answer was lost: key ${key.id}'s previous secret may no longer work, and no GitHub secret was changed.`,
      { cause, recovery: [rerunFresh(key)] }
    )
  }
  try {
    await platform.getAuthenticatingKey()
  } catch (error) {
    if (error instanceof HttpError && error.rejected) {
      // Settled: the manager acted, and its answer (the only copy of the secret) is lost.
      result.unclear = undefined
      result.change(
        'issued a new secret whose answer was lost (the previous secret no longer works)'
      )
      return new RunFailure(
        `${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed; every destination holds a secret that no longer works.`,
        { cause, state: 'partial', recovery: [withAnotherKey(key)] }
      )
    }
    return new RunFailure(
      `${unclear} Whether the previous secret still works could not be checked (${errorText(error)}). No GitHub secret was changed.`,
      {
        cause,
        recovery: [
          {
            kind: 'manual',
            text: `Check whether api-secret-key still authenticates (operation describe, key-id current). If it does, re-running this workflow is safe once the manager answers normally. If it does not, go on:`
          },
          withAnotherKey(key)
        ]
      }
    )
  }
  return new RunFailure(
    `${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
      'if the manager completes the request later, the previous secret stops working.',
    {
      cause,
      recovery: [
        {
          kind: 'rerun',
          why: 'once the manager answers normally again (wait a few minutes: a slow manager completing the lost request would kill a secret issued before it); if api-secret-key is locked out by then, rotate the key with another key whose role may edit API keys'
        }
      ]
    }
  )
}
