import * as core from '@actions/core'
import { addMonths, DAY_MS } from '../dates.js'
import { prepareDelivery } from '../github/delivery.js'
import { holdersReport } from '../github/holders.js'
import { HttpError } from '../http/http-error.js'
import {
  KeyNotFoundError,
  withCleanUp,
  type IssuedSecret,
  type Key,
  type KeyPlatform,
  type NewKey
} from '../platforms/key-platform.js'
import { errorText, logSafe } from '../redaction.js'
import { RunFailure, type RecoveryStep } from '../result.js'
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
      prepareDelivery(github, store, clock, result.leftProbes, { probes: !settings.dryRun })
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

  // Where keys are replaced rather than given a new secret, a new key's secret is verified
  // before the first write (it can become valid a few seconds late, and a key that never works
  // is simply deleted): the platform proves it beside its lookup of the key it made.
  const verifyFirst = platform.regenerateSecret === undefined
  const newKey: NewKey = {
    name: settings.keyName,
    proveBeside: verifyFirst && store.verify,
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
  try {
    await storeSecret(
      context,
      delivery,
      { secret: issued.secret, key, proven: issued.proven },
      store.verify && !!issued.key,
      verifyFirst
    )
  } catch (error) {
    const writes = result.destinations ?? []
    const noneHolds = writes.every((d) => d.status === 'failed' || d.status === 'skipped')
    if (!issued.key || writes.length === 0 || !noneHolds) throw error
    // No destination holds the secret (GitHub refused every write, or it never authenticated):
    // nothing can depend on the key, so it goes. (A write whose answer never arrived may have
    // landed: then the key stays.)
    const cleanup = await deleteCreatedKey(context, issued.key, settings.keyName)
    throw new RunFailure(
      writes.every((d) => d.status === 'failed')
        ? `GitHub refused every write of the new key's secret: ${holdersReport(writes)} ${cleanup.text}`
        : `${errorText(error)} ${cleanup.text}`,
      {
        cause: error,
        ...(cleanup.deleted &&
          context.result.unclear === undefined && { state: 'unchanged' as const }),
        recovery: [
          ...cleanup.steps,
          { kind: 'rerun', why: 'no key of that name is left, and nothing holds its secret' }
        ]
      }
    )
  }
  if (!issued.key) {
    throw new Error(
      `The platform answered with the new key's secret but no key, and no key named "${name}" could be found: the secret was stored, but not verified. ` +
        `Find the key (operation describe, key-name "${name}") before relying on it.`
    )
  }
}

/** What removing a key this run created did, and what is left to do. */
export interface CleanUp {
  deleted: boolean
  text: string
  steps: RecoveryStep[]
}

/**
 * Whether a delete of `id` that failed with `error` acted anyway: only when it got no clear
 * answer, and then the key itself says (it can no longer be read).
 */
export async function goneAfter(
  platform: KeyPlatform,
  id: string,
  error: unknown
): Promise<boolean> {
  if (!(error instanceof HttpError) || !error.unclear) return false
  return platform.getKey(id).then(
    () => false,
    (readError: unknown) => readError instanceof KeyNotFoundError
  )
}

/**
 * Deletes the key this run created and no destination holds, after reading it back by its ID:
 * it must carry the new name and must not be the authenticating key. Runs after a first signal
 * too (it is this run's own clean-up). Its secret's sealed copies are void from now on: the
 * recovery never offers them, whether or not the delete succeeds.
 */
export async function deleteCreatedKey(
  context: Context,
  created: Key,
  name: string
): Promise<CleanUp> {
  const { result, cancellation } = context
  result.replayVoid = true
  return withCleanUp(context.platform, cancellation.signal !== undefined, (platform) =>
    deleteWith(context, platform, created, name)
  )
}

async function deleteWith(
  context: Context,
  platform: KeyPlatform,
  created: Key,
  name: string
): Promise<CleanUp> {
  const { result } = context
  const void_ = "the sealed copies printed in this step's log are void (do not replay them)"
  const deleted = (): CleanUp => {
    result.change(`deleted the new ${keyLabel(created)} again (no destination holds it)`)
    return {
      deleted: true,
      text: `The new key ${created.id} was deleted again: ${void_}.`,
      steps: []
    }
  }
  try {
    const [readBack, authenticating] = await Promise.all([
      platform.getKey(created.id),
      platform.getAuthenticatingKey()
    ])
    if (readBack.name !== name || readBack.id === authenticating?.id) {
      return {
        deleted: false,
        text: `Key ${created.id} is not the key this run created (it is ${keyLabel(readBack)}${readBack.id === authenticating?.id ? ', the key this action authenticates with' : ''}): nothing was deleted, and ${void_}.`,
        steps: [
          {
            kind: 'manual',
            text: `Find the key named "${logSafe(name)}" (operation describe, key-name) and delete it (operation delete): no destination holds its secret.`
          }
        ]
      }
    }
    await change(
      context,
      `the deletion of the new ${keyLabel(created)}`,
      () => platform.deleteKey(created.id),
      { cleanUp: true }
    )
    return deleted()
  } catch (error) {
    if (await goneAfter(platform, created.id, error)) {
      result.unclear = undefined
      return deleted()
    }
    return {
      deleted: false,
      text: `Deleting the new key ${created.id} failed (${errorText(error)}); ${void_}.`,
      steps: [
        {
          kind: 'delete-key',
          id: created.id,
          why: 'this run created it, and no destination holds its secret'
        }
      ]
    }
  }
}

/** A key of that name may exist with a secret nobody has: it must go before a re-run. */
export function lostKeyStep(name: string): RecoveryStep {
  return {
    kind: 'manual',
    text: `If a key named "${logSafe(name)}" exists (operation describe, key-name), delete it (operation delete): its secret never reached anyone.`
  }
}

/** Creates the key once: its secret (masked) and the key, when it can be identified. */
async function createKey(
  { platform, cancellation, result }: Context,
  newKey: NewKey
): Promise<IssuedSecret> {
  const name = logSafe(newKey.name)
  const rerun: RecoveryStep = {
    kind: 'rerun',
    why: `once no key is named "${name}", create makes it again and stores its secret`
  }
  let issued: IssuedSecret
  try {
    issued = await platform.createKey(newKey)
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear) throw new Error(`${error.message} No key was created.`, { cause: error })
    result.unclear = `the creation of key "${name}"`
    if (cancellation.urgent.aborted) {
      throw new RunFailure(
        `Cancelled (${cancellation.signal}) while the platform was creating key "${name}": outcome unknown: the key may exist, but its secret never reached this run, and no GitHub secret was changed.`,
        { cause: error, recovery: [lostKeyStep(newKey.name), rerun] }
      )
    }
    const found = await platform.findKeyByName(newKey.name).catch(() => undefined)
    if (!found) {
      throw new RunFailure(
        `The answer to creating key "${name}" was unclear (${error.message}). No key of that name could be found now, but a slow manager may still create it; no GitHub secret was changed.`,
        { cause: error, recovery: [lostKeyStep(newKey.name), rerun] }
      )
    }
    result.unclear = undefined
    result.change(`created ${keyLabel(found)}, whose secret never reached this run`)
    throw new RunFailure(
      `The answer to creating key "${name}" was unclear (${error.message}). ${keyLabel(found)} now exists, but its secret never reached this run and no GitHub secret was changed.`,
      {
        cause: error,
        state: 'partial',
        recovery: [
          {
            kind: 'delete-key',
            id: found.id,
            why: 'its secret never reached this run, so nothing holds it'
          },
          rerun
        ]
      }
    )
  }
  const key = issued.key ?? (await platform.findKeyByName(newKey.name).catch(() => undefined))
  core.info(`Created ${key ? keyLabel(key) : `key "${name}"`}; its secret is masked`)
  return { secret: issued.secret, key }
}
