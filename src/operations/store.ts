import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { CancelledError, unlessCancelled } from '../cancellation.js'
import { settleWithLimit } from '../concurrency.js'
import {
  destinationLabel,
  destinationsOf,
  type OrganizationSecretAccess,
  type SecretDestination
} from '../github/destination.js'
import { replayBlock } from '../github/replay.js'
import { sealForGitHub, type PublicKey } from '../github/seal.js'
import { GitHubSecretsError, type GitHubSecretsClient } from '../github/secrets-client.js'
import { errorText } from '../redaction.js'
import type { StoreSettings } from '../settings.js'
import type { WorkloadSecurityClient } from '../workload-security/client.js'
import type { ApiKey } from '../workload-security/models.js'
import { keyLabel } from './resolve.js'
import type { DestinationResult } from './result.js'

/*
 * Storing a new secret in GitHub, shared by rotate and create. Invariants:
 * - Preflight changes nothing a consumer could notice: the write proof keeps each secret's
 *   existing value and visibility; a new visibility comes with the real write only.
 * - From the moment the manager issued a secret until every destination confirmed it, a sealed
 *   copy for every destination is in the log (printed before the first write), and a
 *   cancellation ends the run with a report of what holds the secret.
 * - Real writes go out before the probe clean-up.
 */

/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20

/** A destination with everything needed to write it, fetched in preflight. */
export interface PreparedDestination {
  destination: SecretDestination
  label: string
  publicKey: PublicKey
  /** Organization secrets: who may read it after the real write. */
  access?: OrganizationSecretAccess
  /** Organization secrets: who may read it now (undefined when it does not exist yet). */
  existingAccess?: OrganizationSecretAccess
}

/** Reads every destination's public key, and for an organization secret who may read it. */
export async function prepareDestinations(
  github: GitHubSecretsClient,
  store: StoreSettings
): Promise<PreparedDestination[]> {
  const destinations = destinationsOf(store.scope, store.secretType)
  const [keys, access] = await Promise.all([
    settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
    organizationAccess(github, store, destinations[0])
  ])
  failOnRejected(keys, destinations, 'Preflight could not read the public key of')
  return destinations.map((destination, i) => ({
    destination,
    label: destinationLabel(destination),
    publicKey: (keys[i] as PromiseFulfilledResult<PublicKey>).value,
    ...access
  }))
}

async function organizationAccess(
  github: GitHubSecretsClient,
  store: StoreSettings,
  destination: SecretDestination
): Promise<Pick<PreparedDestination, 'access' | 'existingAccess'>> {
  const { scope } = store
  if (scope.kind !== 'organization') return {}
  const [existingAccess, selectedRepositoryIds] = await Promise.all([
    github.getOrganizationSecretAccess(destination, store.secretName).catch((error: unknown) => {
      throw new Error(
        `Preflight could not read ${store.secretName} of ${destinationLabel(destination)}: ${errorText(error)} The key's secret was NOT changed.`
      )
    }),
    scope.repositories
      ? Promise.all(
          scope.repositories.map((repository) =>
            github.getRepositoryId(repository).catch((error: unknown) => {
              throw new Error(
                `Preflight could not find repository ${repository} (repositories): ${errorText(error)} The key's secret was NOT changed.`
              )
            })
          )
        )
      : undefined
  ])
  const visibility = scope.visibility ?? existingAccess?.visibility ?? 'private'
  if (visibility !== 'selected') return { access: { visibility }, existingAccess }
  if (selectedRepositoryIds) {
    return { access: { visibility, selectedRepositoryIds }, existingAccess }
  }
  if (existingAccess?.visibility !== 'selected') {
    throw new Error(
      `visibility: selected needs repositories: ${store.secretName} of ${destinationLabel(destination)} is not ` +
        `a selected-repositories secret yet, so no repository could read it. The key's secret was NOT changed.`
    )
  }
  return { access: existingAccess, existingAccess }
}

/**
 * Proves that every destination can be written before the secret changes. Rotating the key
 * the action authenticates with, the known current secret is written back with the secret's
 * existing visibility (no change for its readers); otherwise a probe secret is written, to be
 * removed after the real writes. Returns the probe clean-up.
 */
export async function proveWriteAccess(
  github: GitHubSecretsClient,
  prepared: PreparedDestination[],
  name: string,
  currentSecret: string | undefined
): Promise<() => Promise<void>> {
  const probeName = `${name}_ROTATION_PROBE`
  const probing = currentSecret === undefined
  const targetName = probing ? probeName : name
  const value = currentSecret ?? randomBytes(16).toString('hex')
  // Every destination the probe may have reached: a write GitHub refused (4xx) left nothing.
  let written = prepared.map(() => true)
  const removeProbes = async (): Promise<void> => {
    const targets = prepared.filter((_p, i) => written[i])
    const removals = await settleWithLimit(targets, GITHUB_CONCURRENCY, (p) =>
      github.deleteSecret(p.destination, probeName)
    )
    removals.forEach((r, i) => {
      if (
        r.status === 'rejected' &&
        !(r.reason instanceof GitHubSecretsError && r.reason.status === 404)
      ) {
        core.warning(
          `Could not remove the probe secret ${probeName} from ${targets[i].label}: ${errorText(r.reason)}`
        )
      }
    })
  }
  const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) => {
    const access = !p.access
      ? undefined
      : probing
        ? { visibility: 'private' as const }
        : (p.existingAccess ?? { visibility: 'private' as const })
    return github.putSecret(
      p.destination,
      targetName,
      await sealForGitHub(value, p.publicKey),
      access
    )
  })
  written = results.map(
    (r) =>
      r.status === 'fulfilled' ||
      !(
        r.reason instanceof GitHubSecretsError &&
        r.reason.status !== undefined &&
        r.reason.status >= 400 &&
        r.reason.status < 500
      )
  )
  if (probing && results.some((r) => r.status === 'rejected')) await removeProbes()
  failOnRejected(
    results,
    prepared.map((p) => p.destination),
    `Preflight could not write ${targetName} to`
  )
  core.info(
    probing
      ? `Wrote probe secret ${probeName} to every destination`
      : `Re-wrote the current value of ${name} to every destination`
  )
  return probing ? removeProbes : async () => undefined
}

function failOnRejected(
  results: PromiseSettledResult<unknown>[],
  destinations: SecretDestination[],
  what: string
): void {
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${destinationLabel(destinations[i])}: ${errorText(r.reason)}`] : []
  )
  if (failures.length > 0) {
    throw new Error(
      `${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`
    )
  }
}

export type Verification = { ok: true; skipped: boolean } | { ok: false; message: string }

/** What storing the new secret achieved. */
interface Delivery {
  writes: DestinationResult[]
  verification: Verification
  /** The signal that cancelled the run before every destination answered. */
  cancelled?: string
}

/**
 * Stores a secret the manager just issued: seal for every destination and print the replay
 * block, then write every destination while verifying the secret, then remove the probes. A
 * cancellation before every destination answered ends the delivery at once, with what is known.
 */
export async function deliverSecret(
  clients: { ws: WorkloadSecurityClient; github: GitHubSecretsClient },
  prepared: PreparedDestination[],
  name: string,
  issued: { secretKey: string; key: ApiKey },
  options: { verify: boolean; removeProbes: () => Promise<void> }
): Promise<Delivery> {
  const { github, ws } = clients
  const writes: DestinationResult[] = prepared.map((p) => ({
    label: p.label,
    status: 'unconfirmed'
  }))
  const sealed = await Promise.all(
    prepared.map((p) => sealForGitHub(issued.secretKey, p.publicKey))
  )
  core.info(
    replayBlock(
      github.baseUrl,
      name,
      prepared.map((p, i) => ({ destination: p.destination, sealed: sealed[i], access: p.access }))
    )
  )
  const writing = settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p, i) => {
    const status = await github.putSecret(p.destination, name, sealed[i], p.access)
    writes[i] = { label: p.label, status }
    core.info(`${name} ${status} in ${p.label}`)
    return status
  })
  let verification: Verification
  try {
    ;[, verification] = await unlessCancelled(
      Promise.all([writing, verifyNewSecret(ws, issued, options.verify)])
    )
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error
    return {
      writes,
      verification: { ok: false, message: 'Verification did not finish.' },
      cancelled: error.signal
    }
  }
  ;(await writing).forEach((r, i) => {
    if (r.status === 'fulfilled') return
    const label = prepared[i].label
    core.error(`${name} could not be written to ${label}: ${errorText(r.reason)}`)
    // Without any answer the write may still have landed: say so rather than guess.
    const unanswered = r.reason instanceof GitHubSecretsError && r.reason.unconfirmed
    writes[i] = { label, status: unanswered ? 'unconfirmed' : 'failed', error: errorText(r.reason) }
  })
  await options.removeProbes()
  return { writes, verification }
}

/** Proves that the new secret authenticates as the same key. */
async function verifyNewSecret(
  ws: WorkloadSecurityClient,
  issued: { secretKey: string; key: ApiKey },
  verify: boolean
): Promise<Verification> {
  const { key } = issued
  if (!verify) {
    core.info('verify: false; the new secret was not tested')
    return { ok: true, skipped: true }
  }
  if (!key.active) {
    core.notice(
      `${keyLabel(key)} is locked (active: false) and cannot authenticate: verification skipped`
    )
    return { ok: true, skipped: true }
  }
  const client = ws.withSecret(issued.secretKey)
  try {
    const current = await client.getCurrentKey()
    if (current.ID !== key.ID) {
      return {
        ok: false,
        message: `Verification failed: the new secret authenticates as key ${current.ID}, not key ${key.ID}; check the manager before relying on it.`
      }
    }
    core.info(`Verified: the new secret authenticates as key ${key.ID}`)
    return { ok: true, skipped: false }
  } catch (error) {
    return {
      ok: false,
      message: `Verification failed: the new secret did not authenticate as key ${key.ID} (${errorText(error)}); check the key on the manager before relying on it.`
    }
  } finally {
    client.dispose()
  }
}

export const isStored = (write: DestinationResult): boolean =>
  write.status === 'created' || write.status === 'updated'

/** Which destinations hold the new secret, which may, and which do not. */
export function holdersReport(writes: DestinationResult[]): string {
  const labels = (keep: (w: DestinationResult) => boolean): string[] =>
    writes.filter(keep).map((w) => w.label)
  const stored = labels(isStored)
  const unconfirmed = labels((w) => w.status === 'unconfirmed')
  const failed = labels((w) => w.status === 'failed')
  return [
    `Destinations holding the new secret: ${stored.length ? stored.join(', ') : 'none'}.`,
    ...(unconfirmed.length
      ? [
          `Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): ${unconfirmed.join(', ')}.`
        ]
      : []),
    ...(failed.length ? [`Not written: ${failed.join(', ')}.`] : [])
  ].join(' ')
}
