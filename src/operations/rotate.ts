import * as core from '@actions/core'
import { DAY_MS, isoDate } from '../dates.js'
import { prepareDelivery } from '../github/delivery.js'
import { isStored } from '../github/holders.js'
import { HttpError } from '../http/http-error.js'
import { withCleanUp, type Key } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import { RunFailure, type RecoveryStep } from '../result.js'
import type { AlternateSettings, RegenerateSettings, RotateSettings } from '../settings.js'
import type { Context, StoreContext } from './context.js'
import { regenerateSecret } from './issue-secret.js'
import { change, phase } from './phase.js'
import {
  compareKeyIds,
  keyLabel,
  lookUpRoleName,
  resolveKey,
  resolveKeyAndAuthenticating,
  warnRecentTurn
} from './resolve.js'
import { replace } from './replace.js'
import { planWrites, storeSecret, writesText } from './store-secret.js'

/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working; a run that
 * fails before any destination may hold the idle key's new secret puts the idle key's expiry
 * back, so that the next run takes the same key for idle.
 */

/** Rotates a key's secret (or a pair's idle key's) into every destination. */
export async function rotate(settings: RotateSettings, context: StoreContext): Promise<void> {
  if (settings.strategy === 'regenerate') return regenerate(settings, context)
  // A platform that cannot issue a new secret for a key replaces the key (vision-one).
  if (settings.strategy === 'replace' || !context.platform.regenerateSecret)
    return replace(settings, context)
  return regenerate(settings, context)
}

/** `regenerate`, or `alternate` on a platform that issues new secrets for a key. */
async function regenerate(
  settings: RegenerateSettings | AlternateSettings,
  context: StoreContext
): Promise<void> {
  const { platform, github, clock, result } = context
  const { store } = settings
  result.secretName = store.secretName
  // Only the authenticating key's own secret is re-written as the write proof, and never into an
  // organization secret that may not exist yet.
  const rewrites =
    settings.strategy === 'regenerate' &&
    settings.selector.by === 'authenticating' &&
    store.scope.kind !== 'organization'
  const plan = planWrites(store, rewrites)

  const { key, authenticating, live, delivery } = await phase('Preflight', context, async () => {
    const [target, delivery] = await Promise.all([
      settings.strategy === 'alternate'
        ? choosePair(settings, context)
        : resolveKeyAndAuthenticating(platform, settings.selector).then((k) => ({
            ...k,
            live: undefined
          })),
      prepareDelivery(github, store, clock, result.leftProbes, {
        probes: !rewrites && !settings.dryRun
      })
    ])
    const { key, authenticating, live } = target
    if (
      settings.expiryDays === undefined &&
      key.expiresAt !== undefined &&
      key.expiresAt <= clock.now()
    ) {
      throw new Error(
        `${keyLabel(key)} expired on ${isoDate(key.expiresAt)}: a new secret for it could not authenticate. ` +
          'Set expiry-days (for example 90) to give it a new expiry with the rotation. Nothing was changed.'
      )
    }
    core.info(
      `Rotating ${keyLabel(key)}${authenticating ? ' (the key this action authenticates with)' : ''}` +
        `${live ? ` (idle key of the pair; ${keyLabel(live)} is live and stays untouched)` : ''}` +
        ` into ${delivery.labels.length} destination(s) as ${store.secretName}`
    )
    return { ...target, delivery }
  })
  result.key = key
  result.previousKey = live
  // Beside the preflight write; in before the regeneration revokes the secret it is sent with.
  const roleNamed = lookUpRoleName(context, key)

  if (settings.dryRun) {
    await roleNamed
    result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }))
    result.note(
      `would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${delivery.labels.length} secret(s) (${writesText(plan)})`
    )
    core.info(
      'Dry run: every destination is readable; nothing was written and no secret was issued'
    )
    return
  }

  await phase('Preflight write', context, async () => {
    context.cancellation.throwIfRequested()
    await delivery.proveWriteAccess(authenticating ? settings.connection.apiSecretKey : undefined)
  })

  // alternate: what puts the idle key's expiry back when the run fails before the destinations
  // may hold its new secret.
  let putBack: (() => Promise<PutBack>) | undefined
  let issued
  try {
    issued = await phase('Regenerate', context, async () => {
      if (settings.expiryDays !== undefined) {
        // Also after an unclear expiry update: putting the old expiry back is harmless.
        if (live) putBack = () => putExpiryBack(context, key)
        const expiresAt = await setExpiry(context, key, settings.expiryDays)
        result.expirySet = expiresAt
        result.key = { ...key, expiresAt }
        result.change(`expiry set to ${isoDate(expiresAt)}`)
      }
      await roleNamed
      return change(context, `the regeneration of ${keyLabel(key)}'s secret`, () =>
        regenerateSecret(context, result.key!, { authenticating, idle: live !== undefined })
      )
    })
  } catch (error) {
    await delivery.abort()
    if (!putBack) throw error
    const back = await putBack()
    // A refused regeneration with the expiry put back leaves the pair as it was.
    throw RunFailure.extend(error, back.text, {
      ...(back.ok && result.unclear === undefined && { state: 'unchanged' as const }),
      ...(!back.ok && { recovery: [back.step] })
    })
  }
  result.key = issued.key
  result.change(
    live
      ? `issued a new secret for the idle key ${key.id} (key ${live.id} keeps working until its own expiry)`
      : 'issued a new secret (the previous secret no longer works)'
  )
  try {
    await storeSecret(context, delivery, issued, store.verify)
  } catch (error) {
    const writes = result.destinations ?? []
    // Only when no destination can hold the idle key's new secret may it become idle again.
    const noneMayHold = writes.every((w) => w.status === 'failed' || w.status === 'skipped')
    if (!putBack || writes.every(isStored)) throw error
    if (!noneMayHold) {
      throw RunFailure.extend(
        error,
        `Replay them before the next rotation: until then the destinations that do not hold the new secret hold key ${live!.id}, which the next rotation takes for idle.`
      )
    }
    const back = await putBack()
    result.replayVoid = true
    throw RunFailure.extend(
      error,
      `${back.text} The destinations still hold the live key ${live!.id}, which keeps working; the sealed copies of the idle key's new secret are not needed.`,
      {
        recovery: back.ok
          ? [
              {
                kind: 'rerun',
                why: 'the destinations hold the live key of the pair, and the next run takes the same idle key'
              }
            ]
          : [back.step]
      }
    )
  }
}

/**
 * Sets the key's expiry to now + `days` (also for the authenticating key, through its ID: the
 * authenticating key's own path may not change it). Nothing else has changed if this fails.
 */
async function setExpiry(context: Context, key: Key, days: number): Promise<number> {
  const { platform, clock } = context
  const expiresAt = clock.now() + days * DAY_MS
  try {
    await change(context, expiryUpdate(key), () => platform.updateKey(key.id, { expiresAt }))
  } catch (error) {
    // The change is absolute: after an unclear answer, the key itself says whether it landed.
    const unclear = error instanceof HttpError && error.unclear
    const landed =
      unclear &&
      (await platform.getKey(key.id).then(
        (k) => k.expiresAt === expiresAt,
        () => false
      ))
    // The read-back settles it either way when it found the new expiry.
    if (landed) context.result.unclear = undefined
    if (!landed) {
      const rights =
        error instanceof HttpError && error.rejected
          ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
          : ''
      const state = unclear
        ? ` The key's expiry may or may not be ${isoDate(expiresAt)} now; its secret was not changed.`
        : " Nothing was changed: the key's expiry and secret are as they were."
      throw new RunFailure(`${errorText(error)}${rights}${state}`, {
        cause: error,
        ...(unclear && {
          recovery: [
            {
              kind: 'rerun',
              why: 'the expiry update sets an absolute date, and no secret was issued'
            }
          ]
        })
      })
    }
  }
  core.info(`Set the expiry of ${keyLabel(key)} to ${isoDate(expiresAt)}`)
  return expiresAt
}

/** The expiry update of `key`, as a change under way or unclear. */
const expiryUpdate = (key: Key): string => `the expiry update of ${keyLabel(key)}`

/** What putting the idle key's expiry back did: a sentence, and what to do when it failed. */
interface PutBack {
  ok: boolean
  text: string
  step: RecoveryStep
}

/**
 * Puts the idle key's expiry back to what it was (now, when it had none: an idle key is unused,
 * and the next run revives it), so that the next run takes it for idle again. Runs after a
 * first signal too (it undoes this run's change); says what happened.
 */
async function putExpiryBack(context: Context, idle: Key): Promise<PutBack> {
  const { platform, clock, result } = context
  const expiresAt = idle.expiresAt ?? clock.now()
  const step: RecoveryStep = {
    kind: 'manual',
    text: `Set the expiry of ${keyLabel(idle)} earlier than the live key's before the next rotation (with operation rotate it would otherwise take the live key for idle).`
  }
  try {
    await withCleanUp(platform, context.cancellation.signal !== undefined, (p) =>
      p.updateKey(idle.id, { expiresAt })
    )
    result.key = { ...result.key!, expiresAt }
    result.expirySet = undefined
    // Whatever an unclear expiry update did, the expiry is known again.
    if (result.unclear === expiryUpdate(idle)) result.unclear = undefined
    result.change(`expiry put back to ${isoDate(expiresAt)}`)
    return {
      ok: true,
      step,
      text: `The idle key's expiry was put back to ${isoDate(expiresAt)}, so the next run takes ${keyLabel(idle)} for idle again.`
    }
  } catch (putBackError) {
    return {
      ok: false,
      step,
      text: `Putting the idle key's expiry back failed too (${errorText(putBackError)}): the destinations hold the other key of the pair, which is live.`
    }
  }
}

/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the authenticating key, and its new expiry must be later than the live key's.
 */
async function choosePair(
  settings: AlternateSettings,
  { platform, clock }: Context
): Promise<{ key: Key; authenticating: false; live: Key }> {
  const now = clock.now()
  const [first, second, authenticatingKey] = await Promise.all([
    resolveKey(platform, settings.pair[0]),
    resolveKey(platform, settings.pair[1]),
    platform.getAuthenticatingKey()
  ])
  if (first.id === second.id) {
    throw new Error(
      `strategy alternate needs two different keys; both name ${keyLabel(first)}. Nothing was changed.`
    )
  }
  const expiry = (k: Key): number => k.expiresAt ?? -Infinity
  const [idle, live] =
    expiry(first) < expiry(second) ||
    (expiry(first) === expiry(second) && compareKeyIds(first.id, second.id) < 0)
      ? [first, second]
      : [second, first]
  if (!idle.active) {
    throw new Error(
      `The idle key of the pair, ${keyLabel(idle)}, is locked (active: false): somebody locked it on purpose. ` +
        'Unlock it (operation unlock) if it should take its turn. Nothing was changed.'
    )
  }
  if (idle.id === authenticatingKey?.id) {
    throw new Error(
      `The idle key of the pair, ${keyLabel(idle)}, is the key this action authenticates with: regenerating it would cut this run off. ` +
        'Authenticate with another key (an admin key, or the live key of the pair). Nothing was changed.'
    )
  }
  // inputs.ts requires expiry-days with alternate on a platform that regenerates.
  const expiryDays = settings.expiryDays ?? 0
  const newExpiry = now + expiryDays * DAY_MS
  if (newExpiry <= expiry(live)) {
    throw new Error(
      `The idle key ${keyLabel(idle)} would expire on ${isoDate(newExpiry)}, not later than the live key ${keyLabel(live)} (${isoDate(live.expiresAt)}): ` +
        'the next run would then take the live key for idle and kill the secret the destinations hold. ' +
        `Raise expiry-days above ${Math.ceil((expiry(live) - now) / DAY_MS)}, or set the live key's expiry earlier. Nothing was changed.`
    )
  }
  core.info(
    `Pair: ${keyLabel(idle)} is idle (expiry ${expiryText(idle)}), ${keyLabel(live)} is live (expiry ${expiryText(live)})`
  )
  // The idle key's expiry was set less than a day ago: it was stored then, and jobs that read
  // it since may still be running when its secret is replaced now.
  warnRecentTurn(
    idle,
    live,
    (k) => k.expiresAt !== undefined && k.expiresAt > now + (expiryDays - 1) * DAY_MS,
    now
  )
  return { key: idle, authenticating: false, live }
}

function expiryText(key: Key): string {
  return key.expiresAt === undefined ? 'none' : isoDate(key.expiresAt)
}
