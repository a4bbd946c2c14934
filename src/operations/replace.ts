import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { CancelledError } from '../cancellation.js'
import { addMonths, DAY_MS, isoDate } from '../dates.js'
import { prepareDelivery } from '../github/delivery.js'
import { HttpError } from '../http/http-error.js'
import {
  KeyNotFoundError,
  type IssuedKey,
  type IssuedSecret,
  type Key,
  type KeyPlatform
} from '../platforms/key-platform.js'
import { errorText, logSafe } from '../redaction.js'
import type { AlternateSettings, ReplaceSettings } from '../settings.js'
import type { Context, StoreContext } from './context.js'
import { deleteCreatedKey, goneAfter, lostKeyStep } from './create.js'
import { change, phase } from './phase.js'
import { RunFailure, type RecoveryStep } from '../result.js'
import {
  compareKeyIds,
  didYouMean,
  keyLabel,
  lookUpRoleName,
  roleLabel,
  warnRecentTurn
} from './resolve.js'
import { planWrites, storeSecret, writesText } from './store-secret.js'

/*
 * rotate on a platform that cannot issue a new secret for a key (vision-one): a new key takes
 * over (SPEC 6). Until every destination holds the new key's token, the old key is untouched,
 * so every destination holds a working token at every moment: preflight (the keys, every
 * destination writable) changes nothing; the new key is created once and its token sealed,
 * printed and verified before the first write; only when every destination holds it, and it
 * still works, is the old key deleted and the new key given the old name. A run that stopped half
 * way left `<name>-next-<time>` keys (created at that time), which the next run replaces together
 * with `<name>`.
 */

/** The suffix of a new key's name until it takes the old name: `-next-20261129153000`. */
const NEXT_SUFFIX_LENGTH = '-next-'.length + 14
/** The longest key name the platform accepts (UTF-16 code units, as JavaScript counts). */
const MAX_NAME_LENGTH = 128
/** How far a leftover's creation may be from the time in its name (clocks differ a little). */
const STAMP_SLACK_MS = 60 * 60 * 1000

/** The keys one name stands for: the key to replace, and every key the new one replaces. */
interface KeyGroup {
  /** The name the new key takes in the end. */
  name: string
  /** The key whose role and description the new key gets. */
  key: Key
  /** The key itself and the `<name>-next-*` keys earlier runs left. */
  old: Key[]
}

/** `replace`, or `alternate` on a platform that replaces keys. */
export async function replace(
  settings: ReplaceSettings | AlternateSettings,
  context: StoreContext
): Promise<void> {
  const { platform, github, clock, result } = context
  const { store } = settings
  const months = settings.expiryMonths ?? 3
  result.secretName = store.secretName
  const plan = planWrites(store, false)

  const { group, live, newName, delivery, seen } = await phase('Preflight', context, async () => {
    const [keys, delivery] = await Promise.all([
      platform.listKeys(),
      prepareDelivery(github, store, clock, result.leftProbes, { probes: !settings.dryRun })
    ])
    const now = clock.now()
    const target =
      settings.strategy === 'replace'
        ? { group: groupOf(keys, settings.keyName), live: undefined }
        : choosePair(settings, keys, now, addMonths(now, months), platform.keysNeverExpire)
    checkReplaceable(target.group.key, platform)
    const newName = nextName(target.group.name, now)
    const taken = keys.find((k) => k.name.toLowerCase() === newName.toLowerCase())
    if (taken) {
      throw new Error(
        `The new key's name "${logSafe(newName)}" is taken (${keyLabel(taken)}): another rotation of this key runs at the same time? Nothing was changed.`
      )
    }
    const { old } = target.group
    core.info(
      `Replacing ${old.map(keyLabel).join(' and ')} with a new key "${logSafe(newName)}" (role ${roleLabel(target.group.key.role)}${settings.expiryMonths === undefined ? '' : `, ${months} month(s)`})` +
        `${target.live ? ` (idle key of the pair; ${keyLabel(target.live)} is live and stays untouched)` : ''}` +
        ` whose token goes to ${delivery.labels.length} destination(s) as ${store.secretName}`
    )
    return { ...target, newName, delivery, seen: new Set(keys.map((k) => k.id)) }
  })
  result.key = group.key
  result.previousKey = live ?? group.key
  const roleNamed = lookUpRoleName(context, group.key)
  if (!live) result.previousDeleted = false

  if (settings.dryRun) {
    result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }))
    result.note(
      `would create key "${logSafe(newName)}", write its token to ${delivery.labels.length} secret(s) (${writesText(plan)}), ` +
        `then delete ${group.old.map((k) => `key ${k.id}`).join(' and ')} and rename the new key to "${logSafe(group.name)}"`
    )
    core.info('Dry run: every destination is readable; nothing was written and no key was created')
    return roleNamed
  }

  await phase('Preflight write', context, async () => {
    context.cancellation.throwIfRequested()
    await delivery.proveWriteAccess(undefined)
  })

  let issued: IssuedKey
  try {
    issued = await phase('Create', context, () =>
      change(context, `the creation of key "${logSafe(newName)}"`, () =>
        createNext(context, group, newName, months, store.verify)
      )
    )
  } catch (error) {
    await delivery.abort()
    throw error
  }
  const created = issued.key
  result.key = created
  result.expirySet = created.expiresAt
  result.change(
    `created ${keyLabel(created)} to take over from ${group.old.map(keyLabel).join(' and ')}`
  )

  // Whether the new key has the old key's network limits (where the platform has them).
  let limited = !platform.restrictLike
  let probesRemoved: Promise<void>
  try {
    // The probes go beside the take-over's first round trip (they are no longer needed once
    // every destination confirmed its write).
    ;({ probesRemoved } = await storeSecret(
      context,
      delivery,
      issued,
      store.verify,
      true,
      () =>
        restrictLikeOld(context, created, group.key).then(() => {
          limited = true
        }),
      true
    ))
  } catch (error) {
    const writes = result.destinations ?? []
    const untouched = `${group.old.map(keyLabel).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} untouched and keep${group.old.length === 1 ? 's' : ''} working.`
    if (writes.some((w) => w.status !== 'failed' && w.status !== 'skipped')) {
      // Some destination holds (or may hold) the new token: the new key stays, and every
      // destination holds a working token (the new one, or the old one, untouched).
      throw new RunFailure(
        `${errorText(error)} ${untouched} The destinations without the new token still hold the old one, which works; the new ${keyLabel(created)} is kept while a destination may hold it.`,
        {
          cause: error,
          recovery: [
            {
              kind: 'rerun',
              why: live
                ? `every destination holds a working token; a re-run stores a fresh key everywhere and keeps ${keyLabel(created)}, which a destination may hold, until the live key has replaced it everywhere`
                : `every destination holds a working token; a re-run creates a fresh key, stores it everywhere, then deletes ${[...group.old, created].map((k) => `key ${k.id}`).join(' and ')}`
            }
          ]
        }
      )
    }
    // No destination holds the new token: nothing depends on the new key, so it goes (also
    // after a first signal: it is this run's own clean-up).
    const cleanup = await deleteCreatedKey(context, created, newName)
    const lacks = limited
      ? ''
      : ` The new ${keyLabel(created)} lacks the network limits of ${keyLabel(group.key)}.`
    throw new RunFailure(`${errorText(error)}${lacks} ${cleanup.text} ${untouched}`, {
      cause: error,
      ...(cleanup.deleted && result.unclear === undefined && { state: 'unchanged' as const }),
      recovery: [
        ...cleanup.steps,
        {
          kind: 'rerun',
          why: `every destination holds the old, working token of ${keyLabel(group.key)}`
        }
      ]
    })
  }
  try {
    // In before the old key (maybe the authenticating one) is deleted.
    await roleNamed
    await phase('Take over', context, () => takeOver(context, group, issued, seen, store.verify))
  } finally {
    await probesRemoved
  }
}

/**
 * Every destination holds the new token: the old keys are deleted and the new key takes the
 * old name. Each of these calls runs with `api-secret-key`, and once more with the new token
 * when that is rejected (the old key may have been the one that authenticates). Whatever stops
 * it, every destination holds the new key's working token, and a re-run finishes the work (it
 * replaces the keys left together), so that is the recovery.
 */
async function takeOver(
  context: Context,
  group: KeyGroup,
  { secret, key: created }: IssuedKey,
  seen: Set<string>,
  verify: boolean
): Promise<void> {
  const { platform, result } = context
  const fallback = platform.withSecret(secret)
  const either = <T>(call: (p: KeyPlatform) => Promise<T>): Promise<T> =>
    call(platform).catch((error: unknown) => {
      if (error instanceof HttpError && (error.status === 401 || error.status === 403))
        return call(fallback)
      throw error
    })
  const holds = `Every destination holds the token of the new ${keyLabel(created)}`
  const kept = `${group.old.map(keyLabel).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} kept and keep${group.old.length === 1 ? 's' : ''} working`
  const rerun = (why: string): RecoveryStep[] => [{ kind: 'rerun', why }]
  const finishes = rerun(
    'every destination holds a working token, and a re-run completes the rotation with a fresh key'
  )

  // The new key may have gone (or been disabled) while its token was written: the old keys are
  // the only working ones then, so they stay. (verify: false skips this as it skips the first.)
  // Both checks only read: they share one round trip, and nothing is deleted unless both pass.
  const [verified, alone] = await Promise.allSettled([
    verify ? platform.verifySecret(secret, created) : Promise.resolve(),
    checkAlone(platform, group, created, seen, kept)
  ])
  if (verified.status === 'rejected') {
    const error: unknown = verified.reason
    const { signal } = context.cancellation
    throw new RunFailure(
      signal
        ? `${holds}. The run was cancelled (${signal}) while checking the new token once more, before deleting anything: ${kept}.`
        : `${holds}, but it no longer authenticates (${errorText(error)}): ${kept}, but no destination holds them. Check the new key (operation describe).`,
      { cause: error, recovery: finishes }
    )
  }
  if (alone.status === 'rejected') {
    const error: unknown = alone.reason
    if (error instanceof RunFailure) throw error
    throw new RunFailure(
      `${holds}. Looking for another rotation of "${logSafe(group.name)}" before deleting anything failed (${errorText(error)}): nothing was deleted; ${kept}.`,
      { cause: error, recovery: finishes }
    )
  }
  // A run stopped half way must leave what a re-run takes for the keys to replace: the key of
  // the name with leftovers beside it, or one leftover alone. So the key of the name goes last,
  // and when no key has the name, the new key takes it before anything is deleted.
  const order = [
    ...group.old.filter((k) => k !== group.key),
    ...group.old.filter((k) => k === group.key)
  ]
  const nameFree = group.key.name !== group.name
  try {
    if (nameFree) await rename(context, either, group, created, order)
    // The rename's first read goes beside the deletions.
    else platform.readAhead?.(created.id)
    for (const [i, old] of order.entries()) {
      try {
        await change(context, `the deletion of the old ${keyLabel(old)}`, () =>
          either((p) => p.deleteKey(old.id))
        )
        result.change(`deleted the old ${keyLabel(old)}`)
        if (old.id === result.previousKey?.id) result.previousDeleted = true
      } catch (error) {
        if (error instanceof KeyNotFoundError) {
          result.note(`the old ${keyLabel(old)} was already gone`)
          if (old.id === result.previousKey?.id) result.previousDeleted = true
          continue
        }
        const left = order.slice(i)
        const cause =
          error instanceof CancelledError
            ? `The run was cancelled (${error.signal}) before the deletion of the old ${keyLabel(old)}`
            : `Deleting the old ${keyLabel(old)} failed (${errorText(error)}${error instanceof HttpError && error.unclear ? '; it may have been deleted' : ''})`
        throw new RunFailure(
          `${holds}. ${cause}: ${left.map(keyLabel).join(' and ')} ${left.length === 1 ? 'is' : 'are'} not deleted yet, and the new key is not renamed to "${logSafe(group.name)}".`,
          { cause: error, recovery: finishes }
        )
      }
    }
    if (!nameFree) await rename(context, either, group, created, [])
  } finally {
    fallback.dispose()
  }
}

/**
 * A step of a take-over: the new key takes the old name (last, or first when no key has it). A failure is a warning (the key
 * works under its present name, and the next rotation takes it for the key to replace), unless
 * the run was cancelled: a cancelled run never ends green.
 */
async function rename(
  context: Context,
  either: <T>(call: (p: KeyPlatform) => Promise<T>) => Promise<T>,
  group: KeyGroup,
  created: Key,
  /** The old keys not deleted yet (the rename comes first when no key has the name). */
  left: Key[]
): Promise<void> {
  const { result, cancellation } = context
  const holds = `Every destination holds the token of ${keyLabel(created)}${left.length ? '' : ' and the old key is deleted'}`
  try {
    const renamed = await change(context, `the rename of ${keyLabel(created)}`, () =>
      either((p) => p.updateKey(created.id, { name: group.name }))
    )
    result.key = renamed
    result.change(`renamed key ${created.id} to "${logSafe(group.name)}"`)
    core.info(`${keyLabel(renamed)} took over; every destination holds its token`)
  } catch (error) {
    const maybe = error instanceof HttpError && error.unclear
    const what = maybe
      ? `renaming it to "${logSafe(group.name)}" got no clear answer (${errorText(error)}): it may or may not be renamed`
      : error instanceof CancelledError
        ? `the run was cancelled (${error.signal}) before renaming it to "${logSafe(group.name)}"`
        : `renaming it to "${logSafe(group.name)}" failed (${errorText(error)})`
    const next = `The key works under either name; the next rotation of "${logSafe(group.name)}" takes it for the key to replace.`
    if (cancellation.signal) {
      // The old keys, which no destination holds, go first: a re-run then finds the new key
      // as the one to replace, under either name.
      throw new RunFailure(`${holds}; ${what}. ${next}`, {
        cause: error,
        recovery: [
          ...left.map((old): RecoveryStep => ({
            kind: 'delete-key',
            id: old.id,
            why: `every destination holds the token of ${keyLabel(created)}, which replaces it`
          })),
          {
            kind: 'rerun',
            why: `it takes ${keyLabel(created)} for the key to replace, under either name`
          }
        ]
      })
    }
    // The rename is cosmetic and its outcome is told: the rotation itself is done.
    result.unclear = undefined
    core.warning(`${holds}, but ${what}. ${next}`)
  }
}

/**
 * Before anything is deleted: no other rotation of the same name may have begun meanwhile (a
 * key of that name, or a `-next-` key of this time, that was not there at preflight and is not
 * this run's). Two rotations that take over at once could leave the destinations with a key the
 * other one deletes.
 */
async function checkAlone(
  platform: KeyPlatform,
  group: KeyGroup,
  created: Key,
  seen: Set<string>,
  kept: string
): Promise<void> {
  const prefix = `${baseName(group.name)}-next-`
  const others = (await platform.listKeys()).filter(
    (k) =>
      k.id !== created.id &&
      !seen.has(k.id) &&
      (k.name === group.name || (k.name.startsWith(prefix) && madeAt(k, prefix.length)))
  )
  if (others.length === 0) return
  throw new RunFailure(
    `Another rotation of "${logSafe(group.name)}" seems to run at the same time: ${others.map(keyLabel).join(', ')} appeared while this run wrote the token of ${keyLabel(created)}. ` +
      `This run stops before deleting anything: ${kept}, and every key the destinations may hold works.`,
    {
      recovery: [
        {
          kind: 'rerun',
          why: 'once the other run has ended (runs of one secret share a concurrency group in the reusable workflow): it replaces the keys left together'
        }
      ]
    }
  )
}

/** Creates the new key once; an unclear answer is never retried, and a key it made is removed. */
async function createNext(
  context: Context,
  group: KeyGroup,
  name: string,
  months: number,
  proveBeside: boolean
): Promise<IssuedKey> {
  const { platform, cancellation, result } = context
  const untouched = `${group.old.map(keyLabel).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} untouched and no GitHub secret was changed.`
  const rerun: RecoveryStep = {
    kind: 'rerun',
    why: `every destination holds the old, working token; a re-run replaces a key named "${logSafe(name)}" together with the old key`
  }
  let issued: IssuedSecret
  try {
    issued = await platform.createKey({
      name,
      description: group.key.description ?? '',
      role: { ...group.key.role, name: group.key.role.name ?? '' },
      lifetimeMonths: months,
      replacing: group.key,
      proveBeside
    })
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    if (!error.unclear)
      throw new Error(`${error.message} No key was created; ${untouched}`, { cause: error })
    if (cancellation.urgent.aborted) {
      throw new RunFailure(
        `Cancelled (${cancellation.signal}) while the platform was creating key "${logSafe(name)}": outcome unknown; ${untouched} ` +
          `If a key named "${logSafe(name)}" exists, its token is lost.`,
        { cause: error, recovery: [lostKeyStep(name), rerun] }
      )
    }
    const lost = await removeLost(context, name)
    throw new RunFailure(
      `The answer to creating key "${logSafe(name)}" was unclear (${error.message}); it is never sent twice. ${lost.text} ${untouched}`,
      {
        cause: error,
        // Nothing changed once no key of the name is left (a key left is a change).
        ...(result.unclear === undefined &&
          lost.steps.length === 0 && { state: 'unchanged' as const }),
        recovery: [...lost.steps, rerun]
      }
    )
  }
  const key = issued.key ?? (await platform.findKeyByName(name).catch(() => undefined))
  if (!key) {
    throw new RunFailure(
      `The platform answered with a token but no key, and no key named "${logSafe(name)}" could be found: the token was not stored. ${untouched}`,
      { recovery: [lostKeyStep(name), rerun] }
    )
  }
  core.info(`Created ${keyLabel(key)}; its token is masked`)
  return { secret: issued.secret, key, proven: issued.proven }
}

/**
 * After an unclear create: the key, if it exists, holds a token nobody has; it goes. Clears the
 * create's unclear outcome when the lookup settles it.
 */
async function removeLost(
  { platform, result }: Context,
  name: string
): Promise<{ text: string; steps: RecoveryStep[] }> {
  let found: Key | undefined
  try {
    found = await platform.findKeyByName(name)
  } catch (error) {
    return {
      text: `Whether key "${logSafe(name)}" was created could not be checked (${errorText(error)}).`,
      steps: [lostKeyStep(name)]
    }
  }
  if (!found) {
    return {
      text: `No key named "${logSafe(name)}" exists now, but a slow platform may still create it.`,
      steps: [lostKeyStep(name)]
    }
  }
  try {
    await platform.deleteKey(found.id)
    result.unclear = undefined
    return {
      text: `${keyLabel(found)} had been created, but its token never reached this run: it was deleted.`,
      steps: []
    }
  } catch (error) {
    result.unclear = undefined
    if (await goneAfter(platform, found.id, error)) {
      return {
        text: `${keyLabel(found)} had been created, but its token never reached this run: it was deleted (its delete got no clear answer, and it can no longer be read).`,
        steps: []
      }
    }
    result.change(`created ${keyLabel(found)}, whose token never reached this run`)
    return {
      text: `${keyLabel(found)} had been created, but its token never reached this run, and deleting it failed (${errorText(error)}).`,
      steps: [
        {
          kind: 'delete-key',
          id: found.id,
          why: 'its token never reached this run, so nothing holds it'
        }
      ]
    }
  }
}

/**
 * The keys `name` stands for: the key of that name with the `<name>-next-*` keys an earlier run
 * left, or, when no key has the name, the one `<name>-next-*` key that took over without being
 * renamed. A leftover is a key whose name carries the time it was created at (an hour either
 * way); the keys named in `others` (the other key of a pair) never are.
 */
function groupOf(keys: Key[], name: string, others: string[] = []): KeyGroup {
  const prefix = `${baseName(name)}-next-`
  const left = keys.filter(
    (k) => k.name.startsWith(prefix) && !others.includes(k.name) && madeAt(k, prefix.length)
  )
  const [named, ...twins] = keys.filter((k) => k.name === name)
  if (twins.length > 0) {
    throw new Error(
      `Several API keys are named "${logSafe(name)}" (${[named, ...twins].map(keyLabel).join(', ')}): which one the destinations hold is not known. Rename or delete the others, then run the rotation again. Nothing was changed.`
    )
  }
  if (named) {
    if (left.length > 0)
      core.notice(
        `An earlier rotation left ${left.map(keyLabel).join(', ')}: the new key replaces them together with ${keyLabel(named)}.`
      )
    return { name, key: named, old: [named, ...left] }
  }
  if (left.length === 1) {
    core.notice(
      `No key is named "${logSafe(name)}", but ${keyLabel(left[0])} is left from an earlier rotation: it is the key to replace.`
    )
    return { name, key: left[0], old: left }
  }
  throw new Error(
    left.length === 0
      ? `No API key named "${logSafe(name)}" exists (key-name); nothing was changed.${didYouMean(
          name,
          keys.map((k) => k.name)
        )}`
      : `No API key is named "${logSafe(name)}", and earlier rotations left several keys in its place (${left.map(keyLabel).join(', ')}): ` +
          'delete the ones no destination holds (operation delete), then run the rotation again. Nothing was changed.'
  )
}

/** True when `key`'s name ends (after `at` characters) in the time the key was created. */
function madeAt(key: Key, at: number): boolean {
  const stamp = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key.name.slice(at))
  if (!stamp || key.createdAt === undefined) return false
  const [, y, mo, d, h, mi, s] = stamp.map(Number)
  return Math.abs(Date.UTC(y, mo - 1, d, h, mi, s) - key.createdAt) <= STAMP_SLACK_MS
}

/** The key must be enabled, and its role one the platform still gives to a new key. */
function checkReplaceable(key: Key, platform: KeyPlatform): void {
  if (!key.active) {
    throw new Error(
      `${keyLabel(key)} is disabled: somebody locked it on purpose, and a key replacing it would not be. Unlock it (operation unlock) first. Nothing was changed.`
    )
  }
  if (!key.role.name && !key.role.id) {
    throw new Error(
      `The role of ${keyLabel(key)} is not known, so no key can take over with the same role. Nothing was changed.`
    )
  }
  if (key.role.name === platform.allPowerfulRole) {
    throw new Error(
      `${keyLabel(key)} has the role "${platform.allPowerfulRole}", which Vision One no longer gives to a new key: no key could replace it with the same role. ` +
        'Give it the role its users need (operation set-role), then rotate it. Nothing was changed.'
    )
  }
}

/**
 * `alternate`: the idle key (earlier expiry; none counts as earliest; a tie goes to the lower
 * ID) is replaced under its own name; the live key is never touched. Refused when the new key
 * would not expire later than the live key: the next run would take the live key for idle.
 */
function choosePair(
  settings: AlternateSettings,
  keys: Key[],
  now: number,
  newExpiry: number,
  neverExpire = false
): { group: KeyGroup; live: Key } {
  const names = settings.pair.map((selector) => {
    if (selector.by !== 'name') throw new Error('strategy alternate names its keys with key-name')
    return selector.name
  })
  const [first, second] = names.map((name) => groupOf(keys, name, names))
  if (first.key.id === second.key.id) {
    throw new Error(
      `strategy alternate needs two different keys; both name ${keyLabel(first.key)}. Nothing was changed.`
    )
  }
  // Where no key expires, the key replaced longer ago (created earlier) is idle.
  const expiry = (k: Key): number => (neverExpire ? k.createdAt : k.expiresAt) ?? -Infinity
  const [idle, live] =
    expiry(first.key) < expiry(second.key) ||
    (expiry(first.key) === expiry(second.key) && compareKeyIds(first.key.id, second.key.id) < 0)
      ? [first, second]
      : [second, first]
  if (!neverExpire && newExpiry <= expiry(live.key)) {
    throw new Error(
      `The key replacing the idle ${keyLabel(idle.key)} would expire on ${isoDate(newExpiry)}, not later than the live ${keyLabel(live.key)} (${isoDate(live.key.expiresAt)}): ` +
        'the next run would then take the live key for idle and replace the key the destinations hold. Raise expiry-months. Nothing was changed.'
    )
  }
  if (live.old.length > 1)
    core.notice(
      `${live.old.slice(1).map(keyLabel).join(', ')} are left from an earlier rotation of the live key: they are not touched.`
    )
  // A key an earlier run of the idle key left may be held by a destination (or a running job):
  // it goes only once the live key, which took its name after it, has replaced it everywhere.
  const liveTookOver = live.key.name === names[idle === first ? 1 : 0]
  const held = idle.old.filter(
    (k) =>
      k !== idle.key &&
      !(liveTookOver && (live.key.createdAt ?? -Infinity) > (k.createdAt ?? Infinity))
  )
  if (held.length > 0) {
    core.notice(
      `${held.map(keyLabel).join(', ')} ${held.length === 1 ? 'is' : 'are'} left from an earlier rotation of the idle key, which may have stored ${held.length === 1 ? 'its token' : 'their tokens'}: kept this time, so that no job holding ${held.length === 1 ? 'it' : 'them'} fails; a later rotation deletes ${held.length === 1 ? 'it' : 'them'} once the live key has replaced ${held.length === 1 ? 'it' : 'them'} everywhere.`
    )
  }
  core.info(
    `Pair: ${keyLabel(idle.key)} is idle (expiry ${isoDate(idle.key.expiresAt) || 'none'}), ${keyLabel(live.key)} is live (expiry ${isoDate(live.key.expiresAt) || 'none'})`
  )
  // A replaced key goes to the destinations when it is created.
  warnRecentTurn(idle.key, live.key, (k) => (k.createdAt ?? -Infinity) > now - DAY_MS, now)
  return { group: { ...idle, old: idle.old.filter((k) => !held.includes(k)) }, live: live.key }
}

/** `<name>-next-<UTC yyyymmddHHMMss>`, within 128 characters. */
function nextName(name: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14)
  return `${baseName(name)}-next-${stamp}`
}

/**
 * `name`, or when it is too long for the suffix, its start and 8 hex digits of its SHA-256: two
 * long names that share their start keep apart (never a surrogate pair cut in half).
 */
function baseName(name: string): string {
  const room = MAX_NAME_LENGTH - NEXT_SUFFIX_LENGTH
  if (name.length <= room) return name
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
  let start = ''
  for (const char of name) {
    if (start.length + char.length > room - hash.length - 1) break
    start += char
  }
  return `${start}-${hash}`
}

/**
 * The new key (proven, held by no destination yet) gets the network limits of the key it
 * replaces, where the platform has them: a key in use never reaches further than the one before
 * it. It was made without them because a key limited to other addresses cannot be proven from
 * the runner. A failure leaves it held by no destination, so the caller deletes it.
 */
async function restrictLikeOld(context: Context, created: Key, old: Key): Promise<void> {
  const { platform } = context
  if (!platform.restrictLike) return
  try {
    await change(context, `the network limits of ${keyLabel(created)}`, () =>
      platform.restrictLike!(created, old)
    )
  } catch (error) {
    throw new Error(
      `Giving the new ${keyLabel(created)} the network limits of ${keyLabel(old)} failed (${errorText(error)}): the new key lacks them, so its secret was written nowhere.`,
      { cause: error }
    )
  }
}
