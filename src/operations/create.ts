import * as core from '@actions/core'
import { errorText, logSafe } from '../redaction.js'
import { backoffDelay } from '../retry.js'
import type { CreateSettings } from '../settings.js'
import { classifyIssuingError } from '../workload-security/client.js'
import { WorkloadSecurityError } from '../workload-security/error.js'
import type { ApiKey, NewApiKey } from '../workload-security/models.js'
import type { StoreClients } from './clients.js'
import { keyLabel, resolveRole, roleLabel } from './resolve.js'
import { OperationFailedError, phase, type OperationResult } from './result.js'
import { storeIssued } from './rotate.js'
import { holdersReport, prepareDestinations, proveWriteAccess } from './store.js'

/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the manager certainly did not act), stored like a
 * rotation's secret, and verified. When no destination could store it, the key is deleted:
 * nothing can depend on it.
 */

const DAY_MS = 86_400_000

export async function create(
  settings: CreateSettings,
  clients: StoreClients
): Promise<OperationResult> {
  const { ws, github, clock } = clients
  const { store } = settings
  const timings: Record<string, number> = {}
  const name = logSafe(settings.keyName)

  const { role, prepared } = await phase('Preflight', timings, clock, async () => {
    const [role, existing, prepared] = await Promise.all([
      resolveRole(ws, settings.role),
      ws.findKeyByName(settings.keyName),
      prepareDestinations(github, store)
    ])
    if (existing) {
      throw new Error(
        `An API key named "${name}" already exists (${keyLabel(existing)}); choose another key-name. Nothing was changed.`
      )
    }
    core.info(
      `Creating key "${name}" with role ${roleLabel(role)}; its secret goes to ${prepared.length} destination(s) as ${store.secretName}`
    )
    return { role, prepared }
  })

  const expiryDate =
    settings.expiryDays === undefined ? undefined : clock.now() + settings.expiryDays * DAY_MS
  const planned: ApiKey = {
    ID: 0,
    keyName: settings.keyName,
    description: settings.description,
    roleID: role.ID,
    active: true,
    ...(expiryDate !== undefined && { expiryDate })
  }
  const result: OperationResult = {
    operation: 'create',
    dryRun: settings.dryRun,
    key: planned,
    role,
    changed: false,
    changes: [],
    secretName: store.secretName,
    destinations: prepared.map((p) => ({ label: p.label, status: 'planned' })),
    secretsUpdated: 0,
    expirySet: expiryDate,
    timings
  }
  if (settings.dryRun) {
    result.changes.push(
      `would create key "${name}" and write its secret to ${prepared.length} secret(s)`
    )
    core.info(
      "Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)"
    )
    return result
  }

  const removeProbes = await phase('Preflight write', timings, clock, () =>
    proveWriteAccess(github, prepared, store.secretName, undefined)
  )
  const body: NewApiKey = {
    keyName: settings.keyName,
    description: settings.description,
    roleID: role.ID,
    ...(expiryDate !== undefined && { expiryDate })
  }
  let issued: { secretKey: string; key: ApiKey }
  try {
    issued = await phase('Create', timings, clock, () =>
      createOnce(clients, body, settings.request.maxAttempts)
    )
  } catch (error) {
    await removeProbes()
    throw error
  }
  result.key = issued.key
  result.changed = true
  result.changes.push(`created ${keyLabel(issued.key)}`)
  try {
    await storeIssued(
      clients,
      store.verify,
      prepared,
      store.secretName,
      issued,
      result,
      removeProbes
    )
  } catch (error) {
    if (
      error instanceof OperationFailedError &&
      result.destinations?.every((d) => d.status === 'failed')
    ) {
      // GitHub refused every write: nothing can depend on the key, so it goes. (A write whose
      // answer never arrived may have landed: then the key stays.)
      const cleanup = await ws
        .deleteKey(issued.key.ID)
        .then(() => `The new key ${issued.key.ID} was deleted again.`)
        .catch(
          (e: unknown) =>
            `Deleting the new key ${issued.key.ID} failed too (${errorText(e)}): delete it by hand (operation delete, key-id ${issued.key.ID}).`
        )
      result.changes.push(cleanup)
      throw new OperationFailedError(
        `GitHub refused every write of the new key's secret: ${holdersReport(result.destinations ?? [])} ${cleanup} Fix the cause and run create again.`,
        result
      )
    }
    throw error
  }
  return result
}

/** Creates the key, retrying only where the manager certainly did not act. */
async function createOnce(
  { ws, clock }: StoreClients,
  body: NewApiKey,
  maxAttempts: number
): Promise<{ secretKey: string; key: ApiKey }> {
  const name = logSafe(body.keyName)
  for (let attempt = 1; ; attempt++) {
    try {
      const { secretKey, key } = await ws.createKey(body)
      if (!key) {
        const found = await ws.findKeyByName(body.keyName)
        if (!found)
          throw new Error(
            `POST /apikeys answered with a secret but no key, and no key named "${name}" can be found.`
          )
        return { secretKey, key: found }
      }
      core.info(`Created ${keyLabel(key)}; its secret is masked`)
      return { secretKey, key }
    } catch (error) {
      if (!(error instanceof WorkloadSecurityError)) throw error
      const decision = classifyIssuingError(error)
      if (decision.retry && attempt < maxAttempts) {
        await clock.sleep(backoffDelay(attempt, decision, { maxAttempts, clock }))
        continue
      }
      if (!error.unclear) throw new Error(`${error.message} No key was created.`)
      const found = await ws.findKeyByName(body.keyName).catch(() => undefined)
      throw new Error(
        `The answer to creating key "${name}" was unclear (${error.message}). ` +
          (found
            ? `${keyLabel(found)} now exists, but its secret never reached this run and no GitHub secret was changed: delete it (operation delete, key-id ${found.ID}) and run create again.`
            : `No key of that name could be found now, but a slow manager may still create it: check with operation describe (key-name "${name}") before running create again.`)
      )
    }
  }
}
