import * as core from '@actions/core'
import type { SecretDelivery } from '../github/delivery.js'
import { destinationsOf } from '../github/destination.js'
import { holdersReport, isStored, type DestinationResult } from '../github/holders.js'
import type { IssuedKey, KeyPlatform } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import { RunFailure } from '../result.js'
import type { StoreSettings } from '../settings.js'
import type { Context } from './context.js'
import { phase } from './phase.js'
import { keyLabel } from './resolve.js'

/*
 * Storing a secret the platform just issued, the same for rotate and create: seal it for every
 * destination and print the replay block (always first, whatever happens next), then write every
 * destination while the platform verifies the secret, then remove the probes. After a
 * cancellation no write starts; the run fails saying who holds the new secret, and the printed
 * copies store it everywhere else.
 */

type Verification = { ok: true; skipped: boolean } | { ok: false; message: string }

/**
 * Stores `issued` through `delivery`; throws when a destination or the verification failed.
 * With `verifyFirst` (a new key that can simply be deleted again), the secret is verified
 * before the first write, and nothing is written when it does not authenticate. `beforeWrite`
 * (with `verifyFirst`) runs after the verification and before the first write; when it fails,
 * nothing is written either. Once every destination holds the secret, the probe removal is
 * awaited here, or, with `removeProbesBeside`, returned still running so that the caller's next
 * round trip goes out beside it (the caller awaits it).
 */
export async function storeSecret(
  context: Context,
  delivery: SecretDelivery,
  issued: IssuedKey,
  verify: boolean,
  verifyFirst = false,
  beforeWrite?: () => Promise<void>,
  removeProbesBeside = false
): Promise<{ probesRemoved: Promise<void> }> {
  const { result, cancellation } = context
  const writes = delivery.labels.map((label): DestinationResult => ({
    label,
    status: 'skipped',
    error: 'not sent'
  }))
  const verification = await phase('Store and verify', context, async () => {
    const copies = await delivery.seal(issued.secret)
    result.replays = delivery.replays
    result.destinations = writes
    if (cancellation.signal) return undefined
    if (verifyFirst) {
      let verification = await verifySecret(context, issued, verify)
      if (verification.ok && beforeWrite && !cancellation.signal)
        verification = await beforeWrite().then(
          () => verification,
          (error: unknown): Verification => ({ ok: false, message: errorText(error) })
        )
      if (verification.ok && !cancellation.signal)
        await delivery.write(copies, (i, outcome) => (writes[i] = outcome))
      return verification
    }
    const [, verification] = await Promise.all([
      delivery.write(copies, (i, outcome) => (writes[i] = outcome)),
      verifySecret(context, issued, verify)
    ])
    return verification
  })
  const probesRemoved = delivery.abort()
  // Every failure below waits for the probes to go first, as it did before this run ends.
  const failed = async (error: Error): Promise<never> => {
    await probesRemoved
    throw error
  }
  result.verified = verification?.ok === true && !verification.skipped
  result.note(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`)
  if (verifyFirst && verification && !verification.ok)
    return failed(new Error(`${verification.message} No destination was written.`))
  if (verifyFirst && cancellation.signal && writes.every((w) => w.status === 'skipped')) {
    // Cancelled before the new secret was proven: its copies are not to be stored anywhere.
    return failed(
      new Error(
        `Cancelled (${cancellation.signal}) before the new secret of ${keyLabel(issued.key)} was proven to work. No destination was written.`
      )
    )
  }
  const unstored = writes.filter((w) => !isStored(w))
  const report = holdersReport(writes)
  if (cancellation.signal) {
    return failed(
      new Error(
        `Cancelled (${cancellation.signal}) after the new secret of ${keyLabel(issued.key)} was issued. ${report}`
      )
    )
  }
  if (unstored.length > 0) {
    return failed(
      new Error(
        `The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ${report}`
      )
    )
  }
  if (verification && !verification.ok) {
    return failed(
      new RunFailure(
        `${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`,
        {
          recovery: [
            {
              kind: 'manual',
              text: `Check ${keyLabel(issued.key)} (operation describe): it must be active, and its role must allow reading API keys. Once it is, run this workflow again.`
            }
          ]
        }
      )
    )
  }
  if (!removeProbesBeside) await probesRemoved
  return { probesRemoved }
}

/** Proves that the new secret authenticates as its key (unless the platform did at creation). */
async function verifySecret(
  { platform, cancellation }: { platform: KeyPlatform } & Pick<Context, 'cancellation'>,
  { secret, key, proven }: IssuedKey,
  verify: boolean
): Promise<Verification> {
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
  try {
    // Proven beside the key's lookup, where the platform did that; otherwise now.
    if (!proven) await platform.verifySecret(secret, key)
    core.info(`Verified: the new secret of key ${key.id} authenticates`)
    return { ok: true, skipped: false }
  } catch (error) {
    if (cancellation.signal) return { ok: true, skipped: true }
    return {
      ok: false,
      message: `Verification failed: the new secret did not authenticate as key ${key.id} (${errorText(error)}); check the key on the platform before relying on it.`
    }
  }
}

/** What storing a secret costs in GitHub writes, and how long that takes under the budgets. */
export interface WritePlan {
  writes: number
  minutes: number
}

/**
 * The GitHub writes a delivery needs at most (per destination: a write proof, either a probe and
 * its removal or a re-write of the current value, then the write itself), checked against
 * writes-per-hour before preflight: a plan that cannot fit fails before anything changes.
 * Logged with the minutes it takes at writes-per-minute, and advice past ten minutes.
 */
export function planWrites(store: StoreSettings, rewrite: boolean): WritePlan {
  const destinations = destinationsOf(store.scope, store.secretType).length
  const writes = destinations * (rewrite ? 2 : 3)
  // Each write holds its place in the rolling minute: the last batch starts this many minutes in.
  const minutes = Math.ceil(writes / store.writesPerMinute) - 1
  const fanOut =
    store.scope.kind === 'organization'
      ? ''
      : ` An organization secret with visibility: selected for these ${destinations} repositories needs 3 writes in all.`
  if (writes > store.writesPerHour) {
    throw new Error(
      `This run needs up to ${writes} GitHub writes (a write proof, the write and, for a probe, its removal, for each of ${destinations} destination(s)); writes-per-hour allows ${store.writesPerHour}.${fanOut} ` +
        `Or write the repositories in batches of at most ${Math.floor(store.writesPerHour / (rewrite ? 2 : 3))}. Nothing was changed.`
    )
  }
  // Only a long fan-out is worth a line in a normal run (the notice below); the plan is for debugging.
  core.debug(
    `GitHub writes for ${destinations} destination(s): ${writesText({ writes, minutes })} at writes-per-minute ${store.writesPerMinute}`
  )
  if (minutes > 10 && fanOut) core.notice(`This fan-out takes about ${minutes} minutes.${fanOut}`)
  return { writes, minutes }
}

/** "up to 300 GitHub writes, about 3 minute(s)". */
export function writesText({ writes, minutes }: WritePlan): string {
  return `up to ${writes} GitHub writes, ${minutes < 1 ? 'within a minute' : `about ${minutes} minute(s)`}`
}
