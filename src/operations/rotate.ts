import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { settleWithLimit } from '../concurrency.js'
import type { RotationSettings, Settings } from '../inputs.js'
import { sealForGitHub, type SealedSecret } from '../github/seal.js'
import {
  describeDestination,
  GitHubSecretsError,
  secretsPath,
  secretWriteBody,
  type GitHubSecretsClient,
  type OrganizationSecretAccess,
  type PublicKey,
  type SecretDestination
} from '../github/secrets-client.js'
import { backoffDelay } from '../retry.js'
import {
  classifyWorkloadSecurityError,
  WorkloadSecurityClient,
  WorkloadSecurityError
} from '../workload-security/client.js'
import type { ApiKey, RegeneratedSecret } from '../workload-security/models.js'
import { resolveKeyAndSelf } from './keys.js'
import {
  OperationFailedError,
  phase,
  type DestinationResult,
  type OperationResult
} from './result.js'

/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20

type RotateSettings = Extract<Settings, { operation: 'rotate' }>

export interface RotateDependencies {
  ws: WorkloadSecurityClient
  github: GitHubSecretsClient
  sleep: (ms: number) => Promise<void>
}

/** A destination with everything needed to write it, fetched in preflight. */
interface PreparedDestination {
  destination: SecretDestination
  label: string
  publicKey: PublicKey
  access?: OrganizationSecretAccess
}

function destinationsOf(rotation: RotationSettings): SecretDestination[] {
  const scope = rotation.scope
  switch (scope.kind) {
    case 'repository':
      return scope.repositories.map((repository) => ({ kind: 'repository', repository }))
    case 'environment':
      return scope.repositories.map((repository) => ({
        kind: 'environment',
        repository,
        environment: scope.environment
      }))
    case 'organization':
      return [{ kind: 'organization', organization: scope.organization }]
  }
}

/**
 * Rotates the key's secret into every destination, in an order that never leaves the only copy
 * of the new secret in a process about to fail: prove every destination writable, regenerate
 * (never blindly retried), then write all destinations and verify at once.
 */
export async function rotate(
  settings: RotateSettings,
  deps: RotateDependencies
): Promise<OperationResult> {
  const { ws, github } = deps
  const { rotation } = settings
  const timings: Record<string, number> = {}
  const name = rotation.secretName

  const { key, isSelf, prepared } = await phase('Preflight', timings, async () => {
    const [resolved, prepared] = await Promise.all([
      resolveKeyAndSelf(ws, settings.key),
      prepareDestinations(github, rotation)
    ])
    core.info(
      `Rotating key ${resolved.key.ID} "${resolved.key.keyName}"${resolved.isSelf ? ' (the key this action authenticates with)' : ''} into ${prepared.length} destination(s) as ${name}`
    )
    return { ...resolved, prepared }
  })

  const result: OperationResult = {
    operation: 'rotate',
    dryRun: settings.dryRun,
    key,
    changed: false,
    changes: [],
    secretName: name,
    destinations: prepared.map((p) => ({ destination: p.label, status: 'planned' })),
    secretsUpdated: 0,
    timings
  }

  if (settings.dryRun) {
    result.changes.push(`would issue a new secret and write it to ${prepared.length} secret(s)`)
    core.info(
      'Dry run: every destination is readable; nothing was written and no secret was issued'
    )
    return result
  }

  const removeProbes = await phase('Preflight write', timings, () =>
    proveWriteAccess(github, prepared, name, isSelf ? settings.connection.apiSecretKey : undefined)
  )

  // The probe has done its job once written: remove it while the secret is regenerated.
  const probesRemoved = removeProbes()
  let regenerated: RegeneratedSecret
  try {
    regenerated = await phase('Regenerate', timings, () =>
      regenerateWithoutLoss(ws, key, isSelf, settings.connection.maxAttempts, deps.sleep)
    )
  } finally {
    await probesRemoved
  }
  result.changed = true
  result.key = regenerated.key
  result.changes.push('issued a new secret (the previous secret no longer works)')

  const [writes, verified] = await phase('Store and verify', timings, () =>
    Promise.all([
      writeAll(github, prepared, name, regenerated.secretKey),
      verifyNewSecret(ws, regenerated, rotation.verify)
    ])
  )
  result.destinations = writes
  result.secretsUpdated = writes.filter(isStored).length
  result.verified = verified.ok && !verified.skipped
  result.changes.push(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`)

  const unstored = writes.filter((w) => !isStored(w))
  if (unstored.length > 0) {
    const report = holdersReport(writes)
    core.error(report)
    await printReplay(prepared, writes, name, regenerated.secretKey, github)
    throw new OperationFailedError(
      `The key's secret was regenerated, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
        `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`,
      result
    )
  }
  if (!verified.ok) {
    throw new OperationFailedError(
      `${verified.message} The new secret is stored in ${writes.map((w) => w.destination).join(', ')}.`,
      result
    )
  }
  return result
}

async function prepareDestinations(
  github: GitHubSecretsClient,
  rotation: RotationSettings
): Promise<PreparedDestination[]> {
  const destinations = destinationsOf(rotation)
  const scope = rotation.scope
  const access =
    scope.kind === 'organization'
      ? github
          .getOrganizationSecretAccess(scope.organization, rotation.secretName)
          .then((existing) => ({
            visibility: scope.visibility ?? existing?.visibility ?? 'private',
            selectedRepositoryIds: existing?.selectedRepositoryIds
          }))
      : Promise.resolve(undefined)
  const [keys, orgAccess] = await Promise.all([
    settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
    access
  ])
  failOnRejected(keys, destinations, 'Preflight could not read the public key of')
  return destinations.map((destination, i) => ({
    destination,
    label: describeDestination(destination),
    publicKey: (keys[i] as PromiseFulfilledResult<PublicKey>).value,
    access: orgAccess
  }))
}

/**
 * Proves that every destination can be written before the secret changes. Rotating the key
 * the action authenticates with, the known current secret is written back (no change for its
 * readers); otherwise a probe secret is written, to be removed once regeneration is under way.
 */
async function proveWriteAccess(
  github: GitHubSecretsClient,
  prepared: PreparedDestination[],
  name: string,
  currentSecret: string | undefined
): Promise<() => Promise<void>> {
  const probeName = `${name}_ROTATION_PROBE`
  const probing = currentSecret === undefined
  const targetName = probing ? probeName : name
  const value = currentSecret ?? randomBytes(16).toString('hex')
  // Every destination, even one whose write seemed to fail: its answer may have been lost.
  const removeProbes = async (): Promise<void> => {
    const removals = await settleWithLimit(prepared, GITHUB_CONCURRENCY, (p) =>
      github.deleteSecret(p.destination, probeName)
    )
    removals.forEach((r, i) => {
      if (
        r.status === 'rejected' &&
        !(r.reason instanceof GitHubSecretsError && r.reason.status === 404)
      ) {
        core.warning(
          `Could not remove the probe secret ${probeName} from ${prepared[i].label}: ${errorText(r.reason)}`
        )
      }
    })
  }
  const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) =>
    github.putSecret(
      p.destination,
      targetName,
      await sealForGitHub(value, p.publicKey),
      probing && p.access ? { visibility: 'private' } : p.access
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
    r.status === 'rejected'
      ? [`${describeDestination(destinations[i])}: ${errorText(r.reason)}`]
      : []
  )
  if (failures.length > 0) {
    throw new Error(
      `${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`
    )
  }
}

/**
 * Regenerates the secret, retrying only when the manager certainly did not act. After an
 * answer that may have been lost (timeout, reset, 5xx), it first finds out whether a new
 * secret was issued: rotating its own key, by asking whether the old secret still works;
 * rotating another key, by describing it (the admin key still works, so issuing yet another
 * secret loses nothing).
 */
async function regenerateWithoutLoss(
  ws: WorkloadSecurityClient,
  key: ApiKey,
  isSelf: boolean,
  maxAttempts: number,
  sleep: (ms: number) => Promise<void>
): Promise<RegeneratedSecret> {
  for (let attempt = 1; ; attempt++) {
    try {
      const regenerated = await ws.regenerateSecret(isSelf ? 'current' : key.ID)
      core.info(`The manager issued a new secret for key ${key.ID} (masked)`)
      return regenerated
    } catch (error) {
      if (!(error instanceof WorkloadSecurityError)) throw error
      // No answer, a server error, or a 200 without a usable body: the manager may have acted.
      const ambiguous = error.status === undefined || error.status >= 500 || error.status === 200
      if (!ambiguous) {
        throw new Error(`${error.message} The key's secret was not changed.`)
      }
      core.warning(
        `${error.message}; checking whether the manager issued a new secret before trying again`
      )
      if (isSelf) {
        await ensureOldSecretStillWorks(ws, key, error)
        core.info('The current secret still authenticates: no new secret was issued')
      } else {
        await ws.describeKey(key.ID)
        core.info(
          `Key ${key.ID} is still there and the admin key still works: a new regeneration loses nothing`
        )
      }
      const decision = classifyWorkloadSecurityError(error)
      if (!decision.retry || attempt >= maxAttempts) {
        throw new Error(
          isSelf
            ? `${error.message} The key's secret was not changed (the current secret still authenticates).`
            : `${error.message} The manager may have issued a new secret whose answer was lost; key ${key.ID}'s previous secret may no longer work. Run the rotation again: it issues a fresh secret and stores it.`
        )
      }
      await sleep(backoffDelay(attempt, decision, { maxAttempts, sleep }))
    }
  }
}

async function ensureOldSecretStillWorks(
  ws: WorkloadSecurityClient,
  key: ApiKey,
  cause: WorkloadSecurityError
): Promise<void> {
  try {
    await ws.describeCurrentKey()
  } catch (error) {
    if (error instanceof WorkloadSecurityError && error.rejected) {
      throw new Error(
        `The manager issued a new secret for key ${key.ID} "${key.keyName}", but its answer was lost (${cause.message}). ` +
          'The previous secret no longer authenticates and the new one never reached this run, so no GitHub secret was changed. ' +
          'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
          `${key.ID} (or issue a new secret for the key in the console) and store the result.`
      )
    }
    throw new Error(
      `${cause.message}; and whether the manager issued a new secret could not be checked (${errorText(error)}). ` +
        'If the current secret no longer works, issue a new one for the key with another admin key.'
    )
  }
}

async function writeAll(
  github: GitHubSecretsClient,
  prepared: PreparedDestination[],
  name: string,
  secret: string
): Promise<DestinationResult[]> {
  const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) =>
    github.putSecret(p.destination, name, await sealForGitHub(secret, p.publicKey), p.access)
  )
  return results.map((r, i): DestinationResult => {
    const destination = prepared[i].label
    if (r.status === 'fulfilled') {
      core.info(`${name} ${r.value} in ${destination}`)
      return { destination, status: r.value }
    }
    core.error(`${name} could not be written to ${destination}: ${errorText(r.reason)}`)
    // Without any answer the write may still have landed: say so rather than guess.
    const unanswered = r.reason instanceof GitHubSecretsError && r.reason.status === undefined
    return {
      destination,
      status: unanswered ? 'unconfirmed' : 'failed',
      error: errorText(r.reason)
    }
  })
}

type Verification = { ok: true; skipped: boolean } | { ok: false; message: string }

/** Proves that the new secret authenticates as the same key. */
async function verifyNewSecret(
  ws: WorkloadSecurityClient,
  regenerated: RegeneratedSecret,
  verify: boolean
): Promise<Verification> {
  const { key } = regenerated
  if (!verify) {
    core.info('verify: false; the new secret was not tested')
    return { ok: true, skipped: true }
  }
  if (!key.active) {
    core.notice(
      `Key ${key.ID} is locked (active: false) and cannot authenticate: verification skipped`
    )
    return { ok: true, skipped: true }
  }
  const client = ws.withSecret(regenerated.secretKey)
  try {
    const current = await client.describeCurrentKey()
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

/**
 * For each destination that still lacks the new secret, prints its sealed value (only GitHub
 * can open it) and the one command that replays the write.
 */
const isStored = (write: DestinationResult): boolean =>
  write.status === 'created' || write.status === 'updated'

/** Which destinations hold the new secret, which may, and which do not. */
function holdersReport(writes: DestinationResult[]): string {
  const names = (keep: (w: DestinationResult) => boolean): string[] =>
    writes.filter(keep).map((w) => w.destination)
  const stored = names(isStored)
  const unconfirmed = names((w) => w.status === 'unconfirmed')
  const failed = names((w) => w.status === 'failed')
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

/**
 * For each destination that may lack the new secret, prints its sealed value (only GitHub can
 * open it) and the one command that replays the write.
 */
async function printReplay(
  prepared: PreparedDestination[],
  writes: DestinationResult[],
  name: string,
  secret: string,
  github: GitHubSecretsClient
): Promise<void> {
  for (const [i, write] of writes.entries()) {
    if (isStored(write)) continue
    const sealed = await sealForGitHub(secret, prepared[i].publicKey)
    core.info(replayInstructions(github.baseUrl, prepared[i], name, sealed))
  }
}

function replayInstructions(
  baseUrl: string,
  p: PreparedDestination,
  name: string,
  sealed: SealedSecret
): string {
  const body = JSON.stringify(secretWriteBody(sealed, p.access))
  return [
    `Replay for ${p.label} (sealed for its public key ${sealed.keyId}; safe to show, only GitHub can open it):`,
    `  curl -fsS -X PUT -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \\`,
    `    "${baseUrl}${secretsPath(p.destination)}/${name}" \\`,
    `    -d '${body}'`
  ].join('\n')
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
