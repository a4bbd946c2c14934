import * as core from '@actions/core'
import { CancelledError, unlessCancelled } from '../cancellation.js'
import {
  holdersReport,
  isStored,
  type DestinationResult,
  type SecretDelivery
} from '../github/delivery.js'
import type { IssuedSecret, KeyPlatform } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import type { Context } from './context.js'
import { keyLabel } from './resolve.js'
import { phase } from './phase.js'

/*
 * Storing a secret the platform just issued, the same for rotate and create: seal it for every
 * destination and print the replay block, then write every destination while the platform
 * verifies the secret, then remove the probes. A cancellation before every destination
 * answered ends the storing at once, with what is known.
 */

type Verification = { ok: true; skipped: boolean } | { ok: false; message: string }

/** Stores `issued` through `delivery`; throws when a destination or the verification failed. */
export async function storeSecret(
  context: Context,
  delivery: SecretDelivery,
  issued: Required<IssuedSecret>,
  verify: boolean
): Promise<void> {
  const { result } = context
  const writes = delivery.labels.map((label): DestinationResult => ({ label, status: 'unclear' }))
  const { verification, cancelled } = await phase('Store and verify', context, async () => {
    const copies = await delivery.seal(issued.secret)
    result.destinations = writes
    try {
      const [, verification] = await unlessCancelled(
        Promise.all([
          delivery.write(copies, (i, outcome) => (writes[i] = outcome)),
          verifySecret(context.platform, issued, verify)
        ])
      )
      await delivery.abort()
      return { verification }
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error
      return { verification: { ok: false, message: '' } as Verification, cancelled: error }
    }
  })
  result.verified = verification.ok && !verification.skipped
  result.note(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`)
  if (cancelled) {
    throw new Error(
      `Cancelled (${cancelled.signal}) while storing the new secret of ${keyLabel(issued.key)}. ${holdersReport(writes)} ` +
        'Store it in every destination that does not hold it with the commands printed above (the ciphertext can only be opened by GitHub).',
      { cause: cancelled }
    )
  }
  const unstored = writes.filter((w) => !isStored(w))
  if (unstored.length > 0) {
    const report = holdersReport(writes)
    core.error(report)
    throw new Error(
      `The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
        `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`
    )
  }
  if (!verification.ok) {
    throw new Error(
      `${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`
    )
  }
}

/** Proves that the new secret authenticates as its key. */
async function verifySecret(
  platform: KeyPlatform,
  { secret, key }: Required<IssuedSecret>,
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
    await platform.verifySecret(secret, key)
    core.info(`Verified: the new secret authenticates as key ${key.id}`)
    return { ok: true, skipped: false }
  } catch (error) {
    return {
      ok: false,
      message: `Verification failed: the new secret did not authenticate as key ${key.id} (${errorText(error)}); check the key on the manager before relying on it.`
    }
  }
}
