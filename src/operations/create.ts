import * as core from '@actions/core'
import { DAY_MS } from '../dates.js'
import { holdersReport, prepareDelivery } from '../github/delivery.js'
import { HttpError } from '../http/http-error.js'
import type { IssuedSecret, Key, KeyPlatform, NewKey } from '../platforms/key-platform.js'
import { errorText, logSafe } from '../redaction.js'
import type { CreateSettings } from '../settings.js'
import type { StoreContext } from './context.js'
import { keyLabel, resolveRole, roleLabel } from './resolve.js'
import { phase } from './phase.js'
import { storeSecret } from './store-secret.js'

/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the platform certainly did not act), stored like a
 * rotation's secret, and verified. When no destination could store it, the key is deleted:
 * nothing can depend on it.
 */

export async function create(settings: CreateSettings, context: StoreContext): Promise<void> {
  const { platform, github, clock, result } = context
  const { store } = settings
  const name = logSafe(settings.keyName)
  result.secretName = store.secretName

  const { role, delivery } = await phase('Preflight', context, async () => {
    const [role, existing, delivery] = await Promise.all([
      resolveRole(platform, settings.role),
      platform.findKeyByName(settings.keyName),
      prepareDelivery(github, store)
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
      `would create key "${name}" and write its secret to ${delivery.labels.length} secret(s)`
    )
    core.info(
      "Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)"
    )
    return
  }

  await phase('Preflight write', context, () => delivery.proveWriteAccess(undefined))
  let issued: Required<IssuedSecret>
  try {
    issued = await phase('Create', context, () => createKey(platform, newKey))
  } catch (error) {
    await delivery.abort()
    throw error
  }
  result.key = issued.key
  result.change(`created ${keyLabel(issued.key)}`)
  try {
    await storeSecret(context, delivery, issued, store.verify)
  } catch (error) {
    const writes = result.destinations ?? []
    if (writes.length === 0 || writes.some((d) => d.status !== 'failed')) throw error
    // GitHub refused every write: nothing can depend on the key, so it goes. (A write whose
    // answer never arrived may have landed: then the key stays.)
    const cleanup = await platform
      .deleteKey(issued.key.id)
      .then(() => `The new key ${issued.key.id} was deleted again.`)
      .catch(
        (e: unknown) =>
          `Deleting the new key ${issued.key.id} failed too (${errorText(e)}): delete it by hand (operation delete, key-id ${issued.key.id}).`
      )
    result.note(cleanup)
    throw new Error(
      `GitHub refused every write of the new key's secret: ${holdersReport(writes)} ${cleanup} Fix the cause and run create again.`,
      { cause: error }
    )
  }
}

/** Creates the key once: its secret (masked) and the key. */
async function createKey(platform: KeyPlatform, newKey: NewKey): Promise<Required<IssuedSecret>> {
  const name = logSafe(newKey.name)
  let issued: IssuedSecret
  try {
    issued = await platform.createKey(newKey)
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear) throw new Error(`${error.message} No key was created.`, { cause: error })
    const found = await platform.findKeyByName(newKey.name).catch(() => undefined)
    throw new Error(
      `The answer to creating key "${name}" was unclear (${error.message}). ` +
        (found
          ? `${keyLabel(found)} now exists, but its secret never reached this run and no GitHub secret was changed: delete it (operation delete, key-id ${found.id}) and run create again.`
          : `No key of that name could be found now, but a slow manager may still create it: check with operation describe (key-name "${name}") before running create again.`),
      { cause: error }
    )
  }
  let key: Key | undefined = issued.key
  if (!key) {
    key = await platform.findKeyByName(newKey.name)
    if (!key)
      throw new Error(
        `The platform answered with a secret but no key, and no key named "${name}" can be found.`
      )
  }
  core.info(`Created ${keyLabel(key)}; its secret is masked`)
  return { secret: issued.secret, key }
}
