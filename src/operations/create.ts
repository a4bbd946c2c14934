import * as core from '@actions/core'
import { addMonths, DAY_MS } from '../dates.js'
import { prepareDelivery } from '../github/delivery.js'
import { holdersReport } from '../github/holders.js'
import { HttpError } from '../http/http-error.js'
import type { IssuedSecret, Key, NewKey } from '../platforms/key-platform.js'
import { errorText, logSafe } from '../redaction.js'
import type { CreateSettings } from '../settings.js'
import type { Context, StoreContext } from './context.js'
import { change, phase } from './phase.js'
import { keyLabel, resolveRole, roleLabel } from './resolve.js'
import { planWrites, storeSecret, writesText } from './store-secret.js'

/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the platform certainly did not act), stored like a
 * rotation's secret, and verified. When GitHub refused every write, the key is deleted: nothing
 * can depend on it. That delete acts only on the key this run created: it is read back by ID
 * first and must have the new name, and it is never the authenticating key.
 */

export async function create(settings: CreateSettings, context: StoreContext): Promise<void> {
  const { platform, github, clock, result } = context
  const { store } = settings
  const name = logSafe(settings.keyName)
  result.secretName = store.secretName
  const plan = planWrites(store, false)

  const { role, delivery } = await phase('Preflight', context, async () => {
    const [role, existing, delivery] = await Promise.all([
      resolveRole(platform, settings.role),
      platform.findKeyByName(settings.keyName),
      prepareDelivery(github, store, clock)
    ])
    if (existing) {
      throw new Error(
        `An API key named "${name}" already exists (${keyLabel(existing)}); choose another key-name. Nothing was changed.`
      )
    }
    core.info(
      `Creating key "${name}" with role ${roleLabel(role)}; its secret goes to ${delivery.labels.length} destination(s) as ${store.secretName}`
    )
    return { role, delivery }
  })

  const newKey: NewKey = {
    name: settings.keyName,
    description: settings.description,
    role,
    ...(settings.expiryDays !== undefined && {
      expiresAt: clock.now() + settings.expiryDays * DAY_MS
    }),
    ...(settings.expiryMonths !== undefined && {
      lifetimeMonths: settings.expiryMonths,
      expiresAt: addMonths(clock.now(), settings.expiryMonths)
    })
  }
  result.key = {
    id: '',
    name: newKey.name,
    description: newKey.description,
    role,
    active: true,
    expiresAt: newKey.expiresAt
  }
  result.role = role
  result.expirySet = newKey.expiresAt
  if (settings.dryRun) {
    result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }))
    result.note(
      `would create key "${name}" and write its secret to ${delivery.labels.length} secret(s) (${writesText(plan)})`
    )
    core.info(
      "Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)"
    )
    return
  }

  await phase('Preflight write', context, async () => {
    context.cancellation.throwIfRequested()
    await delivery.proveWriteAccess(undefined)
  })
  let issued: IssuedSecret
  try {
    issued = await phase('Create', context, () =>
      change(context, `the creation of key "${name}"`, () => createKey(context, newKey))
    )
  } catch (error) {
    await delivery.abort()
    throw error
  }
  // Without the key's ID the secret is still delivered (it is the only copy), but not verified.
  const key = issued.key ?? { ...result.key, id: '' }
  result.key = key
  result.change(
    issued.key ? `created ${keyLabel(key)}` : `created key "${name}" (its ID is unknown)`
  )
  // Where keys are replaced rather than given a new secret, a new key's
  // secret is verified before the first write (it can become valid a few seconds late, and a
  // key that never works is simply deleted).
  const verifyFirst = platform.regenerateSecret === undefined
  try {
    await storeSecret(
      context,
      delivery,
      { secret: issued.secret, key },
      store.verify && !!issued.key,
      verifyFirst
    )
  } catch (error) {
    const writes = result.destinations ?? []
    const noneHolds = writes.every((d) => d.status === 'failed' || d.status === 'skipped')
    if (!issued.key || writes.length === 0 || !noneHolds || context.cancellation.signal) throw error
    // No destination holds the secret (GitHub refused every write, or it never authenticated):
    // nothing can depend on the key, so it goes. (A write whose answer never arrived may have
    // landed: then the key stays.)
    const cleanup = await deleteCreatedKey(context, issued.key, settings.keyName)
    result.note(cleanup)
    throw new Error(
      writes.every((d) => d.status === 'failed')
        ? `GitHub refused every write of the new key's secret: ${holdersReport(writes)} ${cleanup} Fix the cause and run create again.`
        : `${errorText(error)} ${cleanup} Run create again.`,
      { cause: error }
    )
  }
  if (!issued.key) {
    throw new Error(
      `The platform answered with the new key's secret but no key, and no key named "${name}" could be found: the secret was stored, but not verified. ` +
        `Find the key (operation describe, key-name "${name}") before relying on it.`
    )
  }
}

/**
 * Deletes the key this run created, after reading it back by its ID: it must carry the new name
 * and must not be the authenticating key. Says what happened.
 */
export async function deleteCreatedKey(
  context: Context,
  created: Key,
  name: string
): Promise<string> {
  const { platform } = context
  try {
    const [readBack, authenticating] = await Promise.all([
      platform.getKey(created.id),
      platform.getAuthenticatingKey()
    ])
    if (readBack.name !== name || readBack.id === authenticating?.id) {
      return (
        `Key ${created.id} is not the key this run created (it is ${keyLabel(readBack)}${readBack.id === authenticating?.id ? ', the key this action authenticates with' : ''}): nothing was deleted. ` +
        `Find the new key by its name "${logSafe(name)}" (operation describe) and delete it (operation delete).`
      )
    }
    await change(context, `the deletion of the new ${keyLabel(created)}`, () =>
      platform.deleteKey(created.id)
    )
    // Its secret authenticates nowhere now: the printed sealed copies are worthless.
    context.result.replayVoid = true
    return `The new key ${created.id} was deleted again: the sealed copies printed in this step's log are void (do not replay them).`
  } catch (error) {
    return `Deleting the new key ${created.id} failed too (${errorText(error)}): delete it by hand (operation delete, key-id ${created.id}).`
  }
}

/** Creates the key once: its secret (masked) and the key, when it can be identified. */
async function createKey(
  { platform, cancellation }: Context,
  newKey: NewKey
): Promise<IssuedSecret> {
  const name = logSafe(newKey.name)
  let issued: IssuedSecret
  try {
    issued = await platform.createKey(newKey)
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear) throw new Error(`${error.message} No key was created.`, { cause: error })
    if (cancellation.urgent.aborted) {
      throw new Error(
        `Cancelled (${cancellation.signal}) while the platform was creating key "${name}": outcome unknown: the key may exist, but its secret never reached this run, and no GitHub secret was changed. ` +
          `Check with operation describe (key-name "${name}"); delete the key if it exists, then run create again.`,
        { cause: error }
      )
    }
    const found = await platform.findKeyByName(newKey.name).catch(() => undefined)
    throw new Error(
      `The answer to creating key "${name}" was unclear (${error.message}). ` +
        (found
          ? `${keyLabel(found)} now exists, but its secret never reached this run and no GitHub secret was changed: delete it (operation delete, key-id ${found.id}) and run create again.`
          : `No key of that name could be found now, but a slow manager may still create it: check with operation describe (key-name "${name}") before running create again.`),
      { cause: error }
    )
  }
  const key = issued.key ?? (await platform.findKeyByName(newKey.name).catch(() => undefined))
  core.info(`Created ${key ? keyLabel(key) : `key "${name}"`}; its secret is masked`)
  return { secret: issued.secret, key }
}
