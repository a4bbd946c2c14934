import * as core from '@actions/core'
import { DAY_MS, isoDate } from '../dates.js'
import { prepareDelivery } from '../github/delivery.js'
import { HttpError } from '../http/http-error.js'
import type { Key } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import type { AlternateSettings, RotateSettings } from '../settings.js'
import type { Context, StoreContext } from './context.js'
import { regenerateSecret } from './issue-secret.js'
import { compareKeyIds, keyLabel, resolveKey, resolveKeyAndAuthenticating } from './resolve.js'
import { phase } from './phase.js'
import { storeSecret } from './store-secret.js'

/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working.
 */

/** Rotates a key's secret (or a pair's idle key's) into every destination. */
export async function rotate(settings: RotateSettings, context: StoreContext): Promise<void> {
  const { platform, github, result } = context
  const { store } = settings
  result.secretName = store.secretName

  const { key, authenticating, live, delivery } = await phase('Preflight', context, async () => {
    const [target, delivery] = await Promise.all([
      settings.strategy === 'alternate'
        ? choosePair(settings, context)
        : resolveKeyAndAuthenticating(platform, settings.selector).then((k) => ({
            ...k,
            live: undefined
          })),
      prepareDelivery(github, store)
    ])
    const { key, authenticating, live } = target
    core.info(
      `Rotating ${keyLabel(key)}${authenticating ? ' (the key this action authenticates with)' : ''}` +
        `${live ? ` (idle key of the pair; ${keyLabel(live)} is live and stays untouched)` : ''}` +
        ` into ${delivery.labels.length} destination(s) as ${store.secretName}`
    )
    return { ...target, delivery }
  })
  result.key = key
  result.previousKey = live

  if (settings.dryRun) {
    result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }))
    result.note(
      `would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${delivery.labels.length} secret(s)`
    )
    core.info(
      'Dry run: every destination is readable; nothing was written and no secret was issued'
    )
    return
  }

  await phase('Preflight write', context, () =>
    delivery.proveWriteAccess(authenticating ? settings.connection.apiSecretKey : undefined)
  )

  let issued
  try {
    issued = await phase('Regenerate', context, async () => {
      if (settings.expiryDays !== undefined) {
        const expiresAt = await setExpiry(context, key, settings.expiryDays)
        result.expirySet = expiresAt
        result.key = { ...key, expiresAt }
        result.change(`expiry set to ${isoDate(expiresAt)}`)
      }
      return regenerateSecret(platform, result.key!, { authenticating, idle: live !== undefined })
    })
  } catch (error) {
    await delivery.abort()
    throw error
  }
  result.key = issued.key
  result.change(
    live
      ? `issued a new secret for the idle key ${key.id} (key ${live.id} keeps working until its own expiry)`
      : 'issued a new secret (the previous secret no longer works)'
  )
  await storeSecret(context, delivery, issued, store.verify)
}

/**
 * Sets the key's expiry to now + `days` (also for the authenticating key, through its ID: the
 * authenticating key's own path may not change it). Nothing else has changed if this fails.
 */
async function setExpiry({ platform, clock }: Context, key: Key, days: number): Promise<number> {
  const expiresAt = clock.now() + days * DAY_MS
  try {
    await platform.updateKey(key.id, { expiresAt })
  } catch (error) {
    // The change is absolute: after an unclear answer, the key itself says whether it landed.
    const unclear = error instanceof HttpError && error.unclear
    const landed =
      unclear &&
      (await platform.getKey(key.id).then(
        (k) => k.expiresAt === expiresAt,
        () => false
      ))
    if (!landed) {
      const rights =
        error instanceof HttpError && error.rejected
          ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
          : ''
      const state = unclear
        ? ` The key's expiry may or may not be ${isoDate(expiresAt)} now; its secret was not changed.`
        : " Nothing was changed: the key's expiry and secret are as they were."
      throw new Error(`${errorText(error)}${rights}${state}`, { cause: error })
    }
  }
  core.info(`Set the expiry of ${keyLabel(key)} to ${isoDate(expiresAt)}`)
  return expiresAt
}

/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the authenticating key.
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
  if (idle.id === authenticatingKey.id) {
    throw new Error(
      `The idle key of the pair, ${keyLabel(idle)}, is the key this action authenticates with: regenerating it would cut this run off. ` +
        'Authenticate with another key (an admin key, or the live key of the pair). Nothing was changed.'
    )
  }
  core.info(
    `Pair: ${keyLabel(idle)} is idle (expiry ${expiryText(idle)}), ${keyLabel(live)} is live (expiry ${expiryText(live)})`
  )
  // The idle key's expiry was set less than a day ago: it was stored then, and jobs that read
  // it since may still be running when its secret is replaced now.
  if (idle.expiresAt !== undefined && idle.expiresAt > now + (settings.expiryDays - 1) * DAY_MS) {
    core.warning(
      `${keyLabel(idle)} was rotated less than a day ago: jobs that read it since then lose their credential now. ` +
        'Space alternating rotations further apart than your longest job and its queue time.'
    )
  }
  return { key: idle, authenticating: false, live }
}

function expiryText(key: Key): string {
  return key.expiresAt === undefined ? 'none' : isoDate(key.expiresAt)
}
