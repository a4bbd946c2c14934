import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { settleWithLimit } from '../concurrency.js'
import { HttpError } from '../http/http-error.js'
import { errorText } from '../redaction.js'
import type { StoreSettings } from '../settings.js'
import {
  destinationLabel,
  destinationsOf,
  type OrganizationSecretAccess,
  type SecretDestination
} from './destination.js'
import { replayBlock } from './replay.js'
import { sealForGitHub, type PublicKey, type SealedSecret } from './seal.js'
import type { GitHubSecretsClient } from './secrets-client.js'

/*
 * Delivering a new secret to its GitHub destinations. Invariants:
 * - Preflight changes nothing a consumer could notice: the write proof keeps each secret's
 *   existing value and visibility; a new visibility comes with the real write only.
 * - From the moment a secret is sealed until every destination confirmed it, a sealed copy
 *   for every destination is in the log (`seal` prints them before `write` sends anything).
 * - Real writes go out before the probe clean-up (`abort`).
 */

/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20

/**
 * `planned`: a dry run's; `unclear`: no answer (or one that proves nothing) arrived, so the
 * write may have landed; `failed`: GitHub answered that it did not.
 */
export type DestinationStatus = 'planned' | 'created' | 'updated' | 'unclear' | 'failed'

/** What happened at one destination of the new secret. */
export interface DestinationResult {
  /** e.g. `repository octo/app`. */
  label: string
  status: DestinationStatus
  /** Why it failed; never a secret. */
  error?: string
}

/** A destination with everything needed to write it, read in preflight. */
interface PreparedDestination {
  destination: SecretDestination
  label: string
  publicKey: PublicKey
  /** Organization secrets: who may read it after the real write. */
  access?: OrganizationSecretAccess
  /** Organization secrets: who may read it now (undefined when it does not exist yet). */
  existingAccess?: OrganizationSecretAccess
}

/** The new secret sealed for every destination, in the order of the destinations. */
export type SealedCopies = SealedSecret[]

/** One GitHub secret, written to every destination: set up in preflight, torn down after. */
export interface SecretDelivery {
  /** The secret's name, upper-case. */
  readonly name: string
  /** Every destination's label, in order. */
  readonly labels: string[]
  /**
   * Proves that every destination can be written, before any secret changes. With the
   * authenticating key's secret (rotating the key that authenticates), that value is written
   * back with the secret's existing visibility; otherwise a probe secret is written, which
   * {@link abort} removes.
   */
  proveWriteAccess(currentSecret: string | undefined): Promise<void>
  /** Seals `secret` for every destination and prints the replay block. */
  seal(secret: string): Promise<SealedCopies>
  /**
   * Writes every destination. Never throws: `settled` hears each destination's outcome as it
   * arrives, and the returned list holds them all.
   */
  write(
    copies: SealedCopies,
    settled?: (index: number, outcome: DestinationResult) => void
  ): Promise<DestinationResult[]>
  /** Removes the probe secrets, if any were written (a warning per one that stays). */
  abort(): Promise<void>
}

/** Reads every destination's public key (and an organization secret's access): preflight. */
export async function prepareDelivery(
  github: GitHubSecretsClient,
  store: StoreSettings
): Promise<SecretDelivery> {
  const destinations = destinationsOf(store.scope, store.secretType)
  const [keys, access] = await Promise.all([
    settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
    organizationAccess(github, store, destinations[0])
  ])
  failOnRejected(keys, destinations, 'Preflight could not read the public key of')
  const prepared = destinations.map((destination, i) => ({
    destination,
    label: destinationLabel(destination),
    publicKey: (keys[i] as PromiseFulfilledResult<PublicKey>).value,
    ...access
  }))
  return new GitHubDelivery(github, store.secretName, prepared)
}

class GitHubDelivery implements SecretDelivery {
  readonly labels: string[]
  /** Destinations a probe may have reached (a write GitHub refused with a 4xx left nothing). */
  private probed: PreparedDestination[] = []

  constructor(
    private readonly github: GitHubSecretsClient,
    readonly name: string,
    private readonly prepared: PreparedDestination[]
  ) {
    this.labels = prepared.map((p) => p.label)
  }

  private get probeName(): string {
    return `${this.name}_ROTATION_PROBE`
  }

  async proveWriteAccess(currentSecret: string | undefined): Promise<void> {
    const probing = currentSecret === undefined
    const target = probing ? this.probeName : this.name
    const value = currentSecret ?? randomBytes(16).toString('hex')
    const results = await settleWithLimit(this.prepared, GITHUB_CONCURRENCY, async (p) => {
      const access = !p.access
        ? undefined
        : probing
          ? { visibility: 'private' as const }
          : (p.existingAccess ?? { visibility: 'private' as const })
      return this.github.putSecret(
        p.destination,
        target,
        await sealForGitHub(value, p.publicKey),
        access
      )
    })
    if (probing) {
      this.probed = this.prepared.filter((_p, i) => {
        const r = results[i]
        return !(
          r.status === 'rejected' &&
          r.reason instanceof HttpError &&
          r.reason.status !== undefined &&
          r.reason.status >= 400 &&
          r.reason.status < 500
        )
      })
      if (results.some((r) => r.status === 'rejected')) await this.abort()
    }
    failOnRejected(
      results,
      this.prepared.map((p) => p.destination),
      `Preflight could not write ${target} to`
    )
    core.info(
      probing
        ? `Wrote probe secret ${this.probeName} to every destination`
        : `Re-wrote the current value of ${this.name} to every destination`
    )
  }

  async seal(secret: string): Promise<SealedCopies> {
    const copies = await Promise.all(this.prepared.map((p) => sealForGitHub(secret, p.publicKey)))
    core.info(
      replayBlock(
        this.github.baseUrl,
        this.name,
        this.prepared.map((p, i) => ({
          destination: p.destination,
          sealed: copies[i],
          access: p.access
        }))
      )
    )
    return copies
  }

  async write(
    copies: SealedCopies,
    settled: (index: number, outcome: DestinationResult) => void = () => undefined
  ): Promise<DestinationResult[]> {
    const outcomes = await settleWithLimit(this.prepared, GITHUB_CONCURRENCY, async (p, i) => {
      const outcome = await this.writeOne(p, copies[i])
      settled(i, outcome)
      return outcome
    })
    return outcomes.map((o) => (o as PromiseFulfilledResult<DestinationResult>).value)
  }

  private async writeOne(p: PreparedDestination, copy: SealedSecret): Promise<DestinationResult> {
    try {
      const status = await this.github.putSecret(p.destination, this.name, copy, p.access)
      core.info(`${this.name} ${status} in ${p.label}`)
      return { label: p.label, status }
    } catch (error) {
      core.error(`${this.name} could not be written to ${p.label}: ${errorText(error)}`)
      // Without an answer that settles it the write may still have landed: say so rather than guess.
      const unclear = !(error instanceof HttpError) || error.unclear
      return { label: p.label, status: unclear ? 'unclear' : 'failed', error: errorText(error) }
    }
  }

  async abort(): Promise<void> {
    const targets = this.probed
    this.probed = []
    const removals = await settleWithLimit(targets, GITHUB_CONCURRENCY, (p) =>
      this.github.deleteSecret(p.destination, this.probeName)
    )
    removals.forEach((r, i) => {
      if (r.status === 'rejected') {
        core.warning(
          `Could not remove the probe secret ${this.probeName} from ${targets[i].label}: ${errorText(r.reason)}`
        )
      }
    })
  }
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
        `Preflight could not read ${store.secretName} of ${destinationLabel(destination)}: ${errorText(error)} The key's secret was NOT changed.`,
        { cause: error }
      )
    }),
    scope.repositories
      ? Promise.all(
          scope.repositories.map((repository) =>
            github.getRepositoryId(repository).catch((error: unknown) => {
              throw new Error(
                `Preflight could not find repository ${repository} (repositories): ${errorText(error)} The key's secret was NOT changed.`,
                { cause: error }
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

function failOnRejected(
  results: PromiseSettledResult<unknown>[],
  destinations: SecretDestination[],
  what: string
): void {
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${destinationLabel(destinations[i])}: ${errorText(r.reason)}`] : []
  )
  if (failures.length > 0) {
    throw new AggregateError(
      results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
      `${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`
    )
  }
}

export const isStored = (write: DestinationResult): boolean =>
  write.status === 'created' || write.status === 'updated'

/** Which destinations hold the new secret, which may, and which do not. */
export function holdersReport(writes: DestinationResult[]): string {
  const labels = (keep: (w: DestinationResult) => boolean): string[] =>
    writes.filter(keep).map((w) => w.label)
  const stored = labels(isStored)
  const unclear = labels((w) => w.status === 'unclear')
  const failed = labels((w) => w.status === 'failed')
  return [
    `Destinations holding the new secret: ${stored.length ? stored.join(', ') : 'none'}.`,
    ...(unclear.length
      ? [
          `Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): ${unclear.join(', ')}.`
        ]
      : []),
    ...(failed.length ? [`Not written: ${failed.join(', ')}.`] : [])
  ].join(' ')
}
