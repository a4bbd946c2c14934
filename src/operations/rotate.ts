import * as core from '@actions/core'
import { errorText } from '../redaction.js'
import type { RotateSettings } from '../settings.js'
import type { ApiKey } from '../workload-security/models.js'
import { WorkloadSecurityError } from '../workload-security/error.js'
import type { StoreClients } from './clients.js'
import { issueNewSecret } from './issue-secret.js'
import { keyLabel, resolveKey, resolveKeyAndSelf } from './resolve.js'
import { OperationFailedError, phase, type OperationResult } from './result.js'
import {
  deliverSecret,
  holdersReport,
  isStored,
  prepareDestinations,
  proveWriteAccess,
  type PreparedDestination
} from './store.js'

/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working.
 */

const DAY_MS = 86_400_000

/** Rotates a key's secret (or a pair's idle key's) into every destination. */
export async function rotate(
  settings: RotateSettings,
  clients: StoreClients
): Promise<OperationResult> {
  const { ws, github, clock } = clients
  const { store } = settings
  const timings: Record<string, number> = {}

  const { key, isSelf, live, prepared } = await phase('Preflight', timings, clock, async () => {
    const [target, prepared] = await Promise.all([
      settings.strategy === 'alternate'
        ? choosePair(settings, clients)
        : resolveKeyAndSelf(ws, settings.selector),
      prepareDestinations(github, store)
    ])
    const { key, isSelf } = target
    const live = 'live' in target ? target.live : undefined
    core.info(
      `Rotating ${keyLabel(key)}${isSelf ? ' (the key this action authenticates with)' : ''}` +
        `${live ? ` (idle key of the pair; ${keyLabel(live)} is live and stays untouched)` : ''}` +
        ` into ${prepared.length} destination(s) as ${store.secretName}`
    )
    return { key, isSelf, live, prepared }
  })

  const result: OperationResult = {
    operation: 'rotate',
    dryRun: settings.dryRun,
    key,
    previousKey: live,
    changed: false,
    changes: [],
    secretName: store.secretName,
    destinations: prepared.map((p) => ({ label: p.label, status: 'planned' })),
    secretsUpdated: 0,
    timings
  }

  if (settings.dryRun) {
    result.changes.push(
      `would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${prepared.length} secret(s)`
    )
    core.info(
      'Dry run: every destination is readable; nothing was written and no secret was issued'
    )
    return result
  }

  const removeProbes = await phase('Preflight write', timings, clock, () =>
    proveWriteAccess(
      github,
      prepared,
      store.secretName,
      isSelf ? settings.connection.apiSecretKey : undefined
    )
  )

  let issued: { secretKey: string; key: ApiKey }
  try {
    issued = await phase('Regenerate', timings, clock, async () => {
      if (settings.expiryDays !== undefined) {
        result.expirySet = await setExpiry(clients, key, settings.expiryDays)
        result.key = { ...key, expiryDate: result.expirySet }
        result.changed = true
        result.changes.push(`expiry set to ${new Date(result.expirySet).toISOString()}`)
      }
      return issueNewSecret(ws, result.key!, {
        isSelf,
        idleOfPair: live !== undefined,
        maxAttempts: settings.request.maxAttempts,
        clock
      })
    })
  } catch (error) {
    await removeProbes()
    throw error
  }
  result.changed = true
  result.key = issued.key
  result.changes.push(
    live
      ? `issued a new secret for the idle key ${key.ID} (key ${live.ID} keeps working until its own expiry)`
      : 'issued a new secret (the previous secret no longer works)'
  )
  await storeIssued(
    clients,
    settings.store.verify,
    prepared,
    store.secretName,
    issued,
    result,
    removeProbes
  )
  return result
}

/**
 * Stores the issued secret and completes the result; throws {@link OperationFailedError} when
 * a destination did not confirm or verification failed. Shared by rotate and create.
 */
export async function storeIssued(
  clients: StoreClients,
  verify: boolean,
  prepared: PreparedDestination[],
  name: string,
  issued: { secretKey: string; key: ApiKey },
  result: OperationResult,
  removeProbes: () => Promise<void>
): Promise<void> {
  const { writes, verification, cancelled } = await phase(
    'Store and verify',
    result.timings,
    clients.clock,
    () => deliverSecret(clients, prepared, name, issued, { verify, removeProbes })
  )
  result.destinations = writes
  result.secretsUpdated = writes.filter(isStored).length
  result.verified = verification.ok && !verification.skipped
  result.changes.push(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`)

  const unstored = writes.filter((w) => !isStored(w))
  if (cancelled) {
    throw new OperationFailedError(
      `Cancelled (${cancelled}) while storing the new secret of ${keyLabel(issued.key)}. ${holdersReport(writes)} ` +
        'Store it in every destination that does not hold it with the commands printed above (the ciphertext can only be opened by GitHub).',
      result
    )
  }
  if (unstored.length > 0) {
    const report = holdersReport(writes)
    core.error(report)
    throw new OperationFailedError(
      `The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
        `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`,
      result
    )
  }
  if (!verification.ok) {
    throw new OperationFailedError(
      `${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`,
      result
    )
  }
}

/**
 * Sets the key's expiry to now + `days` with `POST /apikeys/{id}` (also for the authenticating
 * key: `/apikeys/current` may not change it). Nothing else has changed if this fails.
 */
async function setExpiry({ ws, clock }: StoreClients, key: ApiKey, days: number): Promise<number> {
  const expiryDate = clock.now() + days * DAY_MS
  try {
    await ws.updateKey(key.ID, { expiryDate })
  } catch (error) {
    // The change is absolute: after an unclear answer, the key itself says whether it landed.
    const landed =
      error instanceof WorkloadSecurityError &&
      error.unclear &&
      (await ws.getKey(key.ID).then(
        (k) => k.expiryDate === expiryDate,
        () => false
      ))
    if (!landed) {
      const rights =
        error instanceof WorkloadSecurityError && error.rejected
          ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
          : ''
      const state =
        error instanceof WorkloadSecurityError && error.unclear
          ? ` The key's expiry may or may not be ${new Date(expiryDate).toISOString()} now; its secret was not changed.`
          : " Nothing was changed: the key's expiry and secret are as they were."
      throw new Error(`${errorText(error)}${rights}${state}`)
    }
  }
  core.info(`Set the expiry of ${keyLabel(key)} to ${new Date(expiryDate).toISOString()}`)
  return expiryDate
}

/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the key the action authenticates with.
 */
async function choosePair(
  settings: RotateSettings,
  { ws, clock }: StoreClients
): Promise<{ key: ApiKey; isSelf: boolean; live: ApiKey }> {
  const now = clock.now()
  const [first, second, current] = await Promise.all([
    resolveKey(ws, settings.selector),
    resolveKey(ws, settings.partner!),
    ws.getCurrentKey()
  ])
  if (first.ID === second.ID) {
    throw new Error(
      `strategy alternate needs two different keys; both name ${keyLabel(first)}. Nothing was changed.`
    )
  }
  const expiry = (k: ApiKey): number => k.expiryDate ?? -Infinity
  const [idle, live] =
    expiry(first) < expiry(second) || (expiry(first) === expiry(second) && first.ID < second.ID)
      ? [first, second]
      : [second, first]
  if (!idle.active) {
    throw new Error(
      `The idle key of the pair, ${keyLabel(idle)}, is locked (active: false): somebody locked it on purpose. ` +
        'Unlock it (operation unlock) if it should take its turn. Nothing was changed.'
    )
  }
  if (idle.ID === current.ID) {
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
  const expiryDays = settings.expiryDays ?? 0
  if (idle.expiryDate !== undefined && idle.expiryDate > now + (expiryDays - 1) * DAY_MS) {
    core.warning(
      `${keyLabel(idle)} was rotated less than a day ago: jobs that read it since then lose their credential now. ` +
        'Space alternating rotations further apart than your longest job and its queue time.'
    )
  }
  return { key: idle, isSelf: false, live }
}

function expiryText(key: ApiKey): string {
  return key.expiryDate === undefined ? 'none' : new Date(key.expiryDate).toISOString()
}
