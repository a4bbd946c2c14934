import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { CancelledError } from '../cancellation.js'
import type { Clock } from '../clock.js'
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
import type { DestinationResult } from './holders.js'
import { replayBlock } from './replay.js'
import { loadSodium, sealForGitHub, type PublicKey, type SealedSecret } from './seal.js'
import { UnstatedAudienceError, type GitHubSecretsClient } from './secrets-client.js'

/*
 * Delivering a new secret to its GitHub destinations. Invariants:
 * - Preflight changes nothing a consumer could notice: the write proof keeps each secret's
 *   existing value and visibility; a new visibility comes with the real write only. It never
 *   gives a live credential a wider audience: an organization secret that does not exist yet is
 *   proven with a probe, whose value is no credential.
 * - Two runs never deliver to the same destination at once: the probe secret is a lease. A
 *   probe written less than ten minutes ago, or one that another run wrote between this run's
 *   look and its write, stops this run before anything changes.
 * - From the moment a secret is sealed until every destination confirmed it, a sealed copy
 *   for every destination is in the log (`seal` prints them before `write` sends anything; a
 *   copy sealed again for a public key GitHub changed is printed before it is sent).
 * - Real writes go out before the probe clean-up (`abort`).
 */

/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20

/**
 * How long a probe secret holds its destination for the run that wrote it: longer than most runs
 * take, short enough that a probe a killed run left behind blocks nobody for long.
 */
const LEASE_MS = 10 * 60_000

/** A destination with everything needed to write it, read in preflight. */
interface PreparedDestination {
  destination: SecretDestination
  label: string
  publicKey: PublicKey
  /** Organization secrets: who may read it after the real write. */
  access?: OrganizationSecretAccess
  /** Organization secrets: who may read it now (undefined when it does not exist yet). */
  existingAccess?: OrganizationSecretAccess
  /** When the probe secret was last written, read beside the public key (`probes`). */
  lease?: Promise<number | undefined>
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
  /** Every replay block printed so far (a copy sealed again adds one), for the summary. */
  readonly replays: string[]
  /**
   * Writes every destination. Never throws: `progress` hears each destination's state as it
   * changes (`unclear` while its write is under way, then the outcome), and the returned list
   * holds every outcome.
   */
  write(
    copies: SealedCopies,
    progress?: (index: number, state: DestinationResult) => void
  ): Promise<DestinationResult[]>
  /** Removes the probe secrets, if any were written (a warning per one that stays). */
  abort(): Promise<void>
}

/**
 * Reads every destination's public key (and an organization secret's access): preflight. With
 * `probes` (the write proof will be a probe), each probe's lease is looked at in the same round
 * trip. libsodium loads meanwhile, ready for the first seal.
 */
export async function prepareDelivery(
  github: GitHubSecretsClient,
  store: StoreSettings,
  clock: Pick<Clock, 'now'>,
  leftProbes: { name: string; label: string }[] = [],
  { probes = false }: { probes?: boolean } = {}
): Promise<SecretDelivery> {
  const destinations = destinationsOf(store.scope, store.secretType)
  const probeName = probeNameOf(store.secretName)
  const read = Promise.all([
    settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
    organizationAccess(github, store, destinations[0])
  ])
  const leases = destinations.map((d) => {
    if (!probes) return undefined
    const lease = github.secretUpdatedAt(d, probeName)
    // Awaited by the probe; a run that stops before it must not see an unhandled rejection.
    lease.catch(() => undefined)
    return lease
  })
  loadSodium().catch(() => undefined)
  const [keys, access] = await read
  failOnRejected(keys, destinations, 'Preflight could not read the public key of')
  const prepared = destinations.map((destination, i) => ({
    destination,
    label: destinationLabel(destination),
    publicKey: (keys[i] as PromiseFulfilledResult<PublicKey>).value,
    lease: leases[i],
    ...access
  }))
  return new GitHubDelivery(github, store.secretName, prepared, clock, leftProbes)
}

function probeNameOf(secretName: string): string {
  return `${secretName}_ROTATION_PROBE`
}

class GitHubDelivery implements SecretDelivery {
  readonly labels: string[]
  readonly replays: string[] = []
  /** Destinations a probe may have reached (a write GitHub refused with a 4xx left nothing). */
  private probed: PreparedDestination[] = []
  /** The secret being delivered, kept to seal it again for a public key that changed. */
  private secret?: string

  constructor(
    private readonly github: GitHubSecretsClient,
    readonly name: string,
    private readonly prepared: PreparedDestination[],
    private readonly clock: Pick<Clock, 'now'>,
    /** Where a probe that could not be removed is recorded, for the recovery. */
    private readonly leftProbes: { name: string; label: string }[]
  ) {
    this.labels = prepared.map((p) => p.label)
  }

  private get probeName(): string {
    return probeNameOf(this.name)
  }

  async proveWriteAccess(currentSecret: string | undefined): Promise<void> {
    // Re-writing the value the action was given changes nothing for a secret's readers; an
    // organization secret that does not exist yet would get it with a visibility of this run's
    // choosing, so it gets a probe instead.
    const rewrites = (p: PreparedDestination): boolean =>
      currentSecret !== undefined && (!p.access || p.existingAccess !== undefined)
    const results = await settleWithLimit(this.prepared, GITHUB_CONCURRENCY, (p) =>
      rewrites(p)
        ? this.rewrite(p, currentSecret!)
        : this.probe(p).then((written) => {
            if (written) this.probed.push(p)
          })
    )
    if (results.some((r) => r.status === 'rejected')) await this.abort()
    failOnRejected(
      results,
      this.prepared.map((p) => p.destination),
      `Preflight could not write ${currentSecret === undefined ? this.probeName : `${this.name} (or its probe)`} to`
    )
    const probes = this.probed.length
    core.info(
      probes === this.prepared.length
        ? `Wrote probe secret ${this.probeName} to every destination`
        : probes === 0
          ? `Re-wrote the current value of ${this.name} to every destination`
          : `Re-wrote the current value of ${this.name} to ${this.prepared.length - probes} destination(s) and wrote probe secret ${this.probeName} to ${probes}`
    )
  }

  private async rewrite(p: PreparedDestination, currentSecret: string): Promise<void> {
    const sealed = await sealForGitHub(currentSecret, p.publicKey)
    await this.github.putSecret(p.destination, this.name, sealed, p.existingAccess)
  }

  /**
   * Writes the probe, which also leases the destination to this run. True when this run wrote
   * it (and so must remove it); a write GitHub refused left nothing.
   */
  private async probe(p: PreparedDestination): Promise<boolean> {
    const busy = (why: string): Error =>
      new Error(
        `${why}: another run seems to be delivering ${this.name} to ${p.label}. Two runs that write the same secret at once can leave it holding a dead secret, so this run stops here. ` +
          `If no other run is going on (a run that was killed leaves its probe behind), delete the secret ${this.probeName} of ${p.label}, or wait ${LEASE_MS / 60_000} minutes, and run again.`
      )
    const updatedAt = await (p.lease ?? this.github.secretUpdatedAt(p.destination, this.probeName))
    if (updatedAt !== undefined && this.clock.now() - updatedAt < LEASE_MS) {
      const minutes = Math.floor((this.clock.now() - updatedAt) / 60_000)
      throw busy(
        `The probe secret ${this.probeName} was written ${minutes < 1 ? 'less than a minute' : `${minutes} minute(s)`} ago`
      )
    }
    const value = randomBytes(16).toString('hex')
    let status: 'created' | 'updated'
    // An attempt of this run that may have landed explains an `updated` of its retry.
    let landedBefore = false
    try {
      const probe = await sealForGitHub(value, p.publicKey)
      status = await this.github.putSecret(
        p.destination,
        this.probeName,
        probe,
        p.access && { visibility: 'private' },
        (error) => (landedBefore ||= !(error instanceof HttpError) || error.unclear)
      )
    } catch (error) {
      // A write GitHub refused left nothing, unless an earlier attempt may have landed; any
      // other failure may have left the probe.
      const refused = error instanceof HttpError && !error.unclear && error.status! < 500
      if (landedBefore || (!refused && !(error instanceof CancelledError))) this.probed.push(p)
      throw error
    }
    // A stale probe is this run's now; a fresh one appearing since the look is another run's.
    if (status === 'updated' && updatedAt === undefined && !landedBefore) {
      throw busy(`The probe secret ${this.probeName} appeared while this run was writing it`)
    }
    return true
  }

  async seal(secret: string): Promise<SealedCopies> {
    this.secret = secret
    const copies = await Promise.all(this.prepared.map((p) => sealForGitHub(secret, p.publicKey)))
    this.printReplay(
      this.prepared.map((p, i) => ({
        destination: p.destination,
        sealed: copies[i],
        access: p.access
      }))
    )
    return copies
  }

  async write(
    copies: SealedCopies,
    progress: (index: number, state: DestinationResult) => void = () => undefined
  ): Promise<DestinationResult[]> {
    const outcomes = await settleWithLimit(this.prepared, GITHUB_CONCURRENCY, async (p, i) => {
      progress(i, { label: p.label, status: 'unclear', error: 'no answer yet' })
      const outcome = await this.writeOne(p, copies[i])
      progress(i, outcome)
      return outcome
    })
    return outcomes.map((o) => (o as PromiseFulfilledResult<DestinationResult>).value)
  }

  private async writeOne(p: PreparedDestination, copy: SealedSecret): Promise<DestinationResult> {
    try {
      let status: 'created' | 'updated'
      try {
        status = await this.github.putSecret(p.destination, this.name, copy, p.access)
      } catch (error) {
        const resealed = await this.resealed(p, copy, error)
        if (!resealed) throw error
        status = await this.github.putSecret(p.destination, this.name, resealed, p.access)
      }
      core.info(`${this.name} ${status} in ${p.label}`)
      return { label: p.label, status }
    } catch (error) {
      if (error instanceof CancelledError) {
        return { label: p.label, status: 'skipped', error: `not sent: ${error.message}` }
      }
      core.warning(`${this.name} could not be written to ${p.label}: ${errorText(error)}`)
      // Without an answer that settles it the write may still have landed: say so rather than guess.
      const unclear = !(error instanceof HttpError) || error.unclear
      return { label: p.label, status: unclear ? 'unclear' : 'failed', error: errorText(error) }
    }
  }

  /**
   * GitHub refused a write (422) because the destination's public key changed since preflight:
   * the secret sealed again for the new key, printed before it is sent; undefined otherwise.
   */
  private async resealed(
    p: PreparedDestination,
    copy: SealedSecret,
    error: unknown
  ): Promise<SealedSecret | undefined> {
    const { secret } = this
    if (secret === undefined || !(error instanceof HttpError) || error.status !== 422)
      return undefined
    const publicKey = await this.github.getPublicKey(p.destination).catch(() => undefined)
    if (!publicKey || publicKey.key_id === copy.keyId) return undefined
    core.info(
      `GitHub's public key of ${p.label} changed since preflight (now ${publicKey.key_id}): sealing the new secret again`
    )
    p.publicKey = publicKey
    const sealed = await sealForGitHub(secret, publicKey)
    this.printReplay([{ destination: p.destination, sealed, access: p.access }])
    return sealed
  }

  private printReplay(entries: Parameters<typeof replayBlock>[2]): void {
    const block = replayBlock(this.github.baseUrl, this.name, entries)
    this.replays.push(block)
    core.info(block)
  }

  async abort(): Promise<void> {
    const targets = this.probed
    this.probed = []
    // A probe counts as left until its removal is confirmed: a report made meanwhile (the one
    // due a second after SIGTERM, while a delete still waits for its answer) names it.
    const pending = targets.map((p) => ({ name: this.probeName, label: p.label }))
    this.leftProbes.push(...pending)
    const removals = await settleWithLimit(targets, GITHUB_CONCURRENCY, (p) =>
      this.github.deleteSecret(p.destination, this.probeName)
    )
    removals.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        this.leftProbes.splice(this.leftProbes.indexOf(pending[i]), 1)
      } else {
        core.warning(
          `Could not remove the probe secret ${this.probeName} from ${targets[i].label}: ${errorText(r.reason)} ` +
            `Delete it by hand: for ${LEASE_MS / 60_000} minutes it makes the next run that writes ${this.name} there stop before it changes anything.`
        )
      }
    })
  }
}

/**
 * Who may read the organization secret after the write, and who may now. The present audience
 * comes only from an answer that states it (see getOrganizationSecretAccess); any other answer
 * stops preflight, unless the `visibility` input states the audience (with `repositories` for
 * `selected`). Then nothing of that answer is used, not even that the secret exists: the write
 * proof is a probe, whose value is no credential, and the live secret reaches the organization
 * only with the real write, for the audience the input asked for.
 */
async function organizationAccess(
  github: GitHubSecretsClient,
  store: StoreSettings,
  destination: SecretDestination
): Promise<Pick<PreparedDestination, 'access' | 'existingAccess'>> {
  const { scope } = store
  if (scope.kind !== 'organization') return {}
  const label = destinationLabel(destination)
  const audienceGiven =
    scope.visibility !== undefined &&
    (scope.visibility !== 'selected' || scope.repositories !== undefined)
  const [existingAccess, selectedRepositoryIds] = await Promise.all([
    github.getOrganizationSecretAccess(destination, store.secretName).catch((error: unknown) => {
      if (error instanceof UnstatedAudienceError) {
        if (audienceGiven) {
          core.warning(
            `GitHub did not say who may read ${store.secretName} of ${label} (${errorText(error)}). The visibility input sets it: the write proof uses a probe secret, and the new secret gets visibility ${scope.visibility}.`
          )
          return undefined
        }
        throw new Error(
          `Preflight could not tell who may read ${store.secretName} of ${label}: ${errorText(error)}. ` +
            `Set the visibility input (all, private, or selected with repositories) to state who may read it, and the run can proceed. The key's secret was NOT changed.`,
          { cause: error }
        )
      }
      throw new Error(
        `Preflight could not read ${store.secretName} of ${label}: ${errorText(error)} The key's secret was NOT changed.`,
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
