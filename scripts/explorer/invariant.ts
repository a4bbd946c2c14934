/**
 * The invariant the fault explorer checks after every run (`check`); what a failed run says is
 * checked apart, by following it (advice.ts).
 *
 * INVARIANT, checked after every run (for both platforms; "secret" is a Vision One token too):
 * 1. No loss. Every destination holds a working secret (one that authenticates as a key of the
 *    run now), or holds what it held before while that still works, or never held anything
 *    and still does not; otherwise the log holds a sealed copy for it, sealed for its current
 *    public key, that opens to a working secret. The one loss allowed: the platform acted on a
 *    request that issues a secret and its answer never reached the run (lost, or still open at
 *    SIGTERM), and the run said so ("unclear" / "outcome unknown" / "never sent twice"). On
 *    Vision One that excuses only a destination the run did not write: `replace` deletes a key
 *    whose token was lost, so the destinations must still hold the old, working token.
 * 2. A report. Unless SIGKILLed, the run wrote a job summary and the `result` output, printed
 *    `::error::` exactly when it failed, and ended within 2.5 s of SIGTERM.
 * 3. A green run means what it says: every destination holds the key's new secret, which
 *    works; a green delete means the key is gone. Vision One: every destination holds the token
 *    of the key now named `<name>` (or, when the run warned that the rename failed, of its
 *    `<name>-next-*` key), which works, and no key the run replaced (by ID) exists any more
 *    (but for one `alternate` keeps, saying so, because a destination may hold it); a
 *    destination a concurrent run wrote later may hold that run's key, if that run failed
 *    naming it.
 * 4. Nothing else changed: every key but the one the run names keeps its secret, role, state
 *    and expiry (the live key of a pair included), and no key disappears but that one. Vision
 *    One: the keys the run names are `<name>` and its `<name>-next-*` keys (for `alternate`,
 *    those of the idle key); every other key also keeps its name.
 * 5. Nothing leaked: no secret any key ever had, nor the GitHub token, in the log (but for
 *    `::add-mask::`), the outputs or the summary.
 * 6. No change after the first signal: no secret write and no request that issues a secret
 *    (a regeneration, a creation) arrives after the run said it received SIGINT.
 * 7. No probe secret is left behind, unless the run warned about it (or its recovery deletes it)
 *    or was SIGKILLed.
 * 8. No wider audience: an organization secret is never written with a visibility other than
 *    the one asked for (its probe aside).
 * 9. Zero downtime (`alternate`): every secret the destinations held when the run started
 *    still works when it ends; the next run (a follow-up without faults) keeps that too. Two
 *    runs of one pair, the second after the first took over, may replace the key held before
 *    the first only when both were green and a run warned that jobs lose their credential.
 * 10. No stray key (Vision One, Cloud One): every key the run(s) created is held by some
 *    destination, or a run's `::error::` / `::warning::` names it (its ID or its name), unless a
 *    run was SIGKILLed.
 * 11. No wider reach (Cloud One): every key whose secret a destination holds at the end, or a
 *    secret write carries when it arrives at GitHub, has the role, description, locale, time
 *    zone, allowed IPs and allowed CIDRs of the key it replaced (the seeded key of its alias):
 *    a new key without the limits is never held by a destination. A secret is `<id>:<secret>`
 *    exactly (checks 1, 3 compare whole values); check 5 looks for both parts of it.

 */
import type { Exchange } from '../../emulators/server.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { replayCommands } from '../run-action.js'
import { encoded, locationOf } from './faults.js'
import { KILL_AFTER_MS, type RunRecord } from './run.js'
import { PROBE, SECRET, type Scenario } from './scenarios.js'
import {
  inGroup,
  locationLabel,
  secretsPathOf,
  SECOND_TOKEN,
  type KeyState,
  type Setup,
  type Snapshot,
  type World
} from './world.js'

/**
 * Cloud One: what differs between `key` and the key it replaced (check 11), e.g. `allowedIPs`;
 * empty when nothing does or the key belongs to no pair the run manages.
 */
export function widerReach(world: World, key: KeyState): string[] {
  const expected = world.settingsOf?.(key.name)
  if (!expected) return []
  const [description, locale, timezone, limits] = JSON.parse(key.settings!) as string[]
  const want = JSON.parse(expected.settings) as string[]
  const differs = ['description', 'locale', 'timezone'].filter(
    (_f, i) => [description, locale, timezone][i] !== want[i]
  )
  const [got, asked] = [limits, want[3]].map((l) => JSON.parse(l) as Record<string, string[]>)
  for (const field of ['allowedIPs', 'allowedCIDRs'])
    if (JSON.stringify(got[field]) !== JSON.stringify(asked[field])) differs.push(field)
  if (key.role !== expected.role) differs.push('role')
  return differs
}

/**
 * Cloud One: watches every write of the run's secret as it arrives at GitHub, and records (in
 * `world.widerWrites`, check 11) each that carries a key lacking the settings of the key it
 * replaced at that moment.
 */
export function watchWrites(world: World): void {
  if (!world.c1) return
  const previous = world.github.onArrival
  world.github.onArrival = (request) => {
    previous?.(request)
    if (request.method !== 'PUT' || !request.path.endsWith(`/secrets/${SECRET}`)) return
    const where = locationOf(request.path)
    const sealed = (request.body as { encrypted_value?: string } | undefined)?.encrypted_value
    if (!where || typeof sealed !== 'string') return
    let value: string
    try {
      value = world.github.open(where, sealed)
    } catch {
      return
    }
    const key = world.platform.keys().get(value.slice(0, value.indexOf(':')))
    if (!key || key.secret !== value) return
    const differs = widerReach(world, key)
    if (differs.length > 0)
      world.widerWrites.push(
        `${request.path} was written with key ${key.id} "${key.name}", whose ${differs.join(', ')} differ(s) from the key it replaced`
      )
  }
}

/**
 * How much later than the child's "Received SIG..." line a request of the child may still be
 * seen arriving (the pipe and the socket race).
 */
const SIGNAL_SLACK_MS = 100

/** A run's `::error::` and `::warning::` lines. */
function complaints(log: string, kinds = 'error|warning'): string {
  const line = new RegExp(`^::(${kinds})( [^:]*)?::`)
  return log
    .split('\n')
    .filter((l) => line.test(l))
    .join('\n')
}

export function check(
  world: World,
  scenario: Scenario,
  setup: Setup,
  before: Snapshot,
  runs: RunRecord[],
  earlierLogs: string[]
): string[] {
  const { platform, github } = world
  const violations: string[] = []
  const works = (value: string | undefined): boolean =>
    value !== undefined &&
    setup.holders().some((k) => k.secret === value && platform.authenticates(value))
  const logs = runs.map((r) => r.run.log)
  const failures = runs.map((r) =>
    r.run.log
      .split('\n')
      .filter((l) => l.startsWith('::error::'))
      .join('\n')
  )

  // 1. No loss.
  const sigterms = runs.flatMap((r) => (r.signals.sigterm === undefined ? [] : [r.signals.sigterm]))
  // An answer the emulator sent about when SIGTERM came reached a run that was abandoning it.
  const openAtSigterm = (e: Exchange): boolean =>
    e.answeredAt !== undefined && sigterms.some((t) => e.answeredAt! >= t - SIGNAL_SLACK_MS)
  const lostAnswer =
    (world.itemLostToken ||
      platform.emulator.log.some(
        (e) =>
          e.acted &&
          platform.issuing(e) &&
          // An answer cut off after the whole secret arrived still delivered the secret.
          (e.status === undefined ||
            (e.fault !== undefined && !e.fault.rawBodyFor) ||
            openAtSigterm(e))
      )) &&
    failures.some((f) =>
      /unclear|outcome unknown|may have issued|may still create|never sent twice/i.test(f)
    )
  for (const where of setup.locations) {
    const now = github.secret(where, SECRET)?.value
    const was = before.stored.get(locationLabel(where))
    if (works(now)) continue
    if (now === undefined && was === undefined) continue
    if (now === was && was !== undefined && platform.authenticates(was)) continue
    // A secret that was dead already when the run started is not this run's loss.
    if (was !== undefined && before.dead.has(was)) continue
    const path = `${github.url}${secretsPathOf(where)}/${SECRET}`
    const keyId = github.keyId(where)
    const copies = logs.flatMap(replayCommands).filter((r) => r.url === path && r.keyId === keyId)
    const opened = copies.some((r) => {
      try {
        const body = JSON.parse(r.body) as { encrypted_value: string; key_id: string }
        return body.key_id === keyId && works(github.open(where, body.encrypted_value))
      } catch {
        return false
      }
    })
    if (opened) continue
    // Vision One deletes a key whose token was lost: only a destination no run wrote (which
    // then holds the old token, which must still work) could be excused, so hardly ever.
    if (lostAnswer && (platform.kind === 'ws' || now === was)) continue
    violations.push(
      `1. ${locationLabel(where)} holds ${now === undefined ? 'nothing' : 'a dead secret'} and no printed copy for its current public key opens to a working secret`
    )
  }

  runs.forEach((record, i) => {
    const name = runs.length > 1 ? `run ${i + 1}` : 'the run'
    const { run, signals } = record
    // 2. A report.
    if (!signals.sigkill) {
      if (!/<h2>/.test(run.summary)) violations.push(`2. ${name} wrote no job summary`)
      try {
        JSON.parse(run.outputs.result ?? '')
      } catch {
        violations.push(`2. ${name} set no result output`)
      }
      const errors = run.log.split('\n').filter((l) => l.startsWith('::error::')).length
      if (run.failed !== errors > 0)
        violations.push(
          `2. ${name} ${run.failed ? 'failed without' : 'succeeded with'} an ::error:: line`
        )
    } else
      violations.push(
        `2. ${name} was SIGKILLed: it did not end within ${KILL_AFTER_MS} ms of SIGTERM (or hung)`
      )
    if (signals.sigterm !== undefined && record.endedAt - signals.sigterm > KILL_AFTER_MS)
      violations.push(
        `2. ${name} ended ${Math.round(record.endedAt - signals.sigterm)} ms after SIGTERM`
      )

    // 3. A green run means what it says.
    if (!run.failed) {
      if (scenario.operation === 'delete') {
        const id = setup.inputs['key-id']
        if (platform.keys().has(id))
          violations.push(`3. ${name} is green but key ${id} still exists`)
      } else if (setup.replaces) {
        // Vision One: the new key took the old name (or kept its next name, with a warning),
        // every destination holds its token, and the keys it replaced are gone.
        const target = setup.replaces(before.keys).name
        const renameFailed = /^::warning::.*renaming it to/m.test(run.log)
        const keys = [...platform.keys().values()]
        const takers = keys.filter(
          (k) => k.name === target || (renameFailed && inGroup(k.name, target))
        )
        // Another run of the same key that wrote later, then failed naming its own new key,
        // leaves the destinations with that key's (working) token: this run's claim held when
        // it was made.
        const otherErrors = runs
          .filter((other) => other !== record && other.run.failed)
          .flatMap((other) => other.run.log.split('\n').filter((l) => l.startsWith('::error::')))
          .join('\n')
        const namedByLaterFailure = (value: string | undefined): boolean =>
          works(value) && keys.some((k) => k.secret === value && otherErrors.includes(k.id))
        for (const where of setup.locations) {
          const value = github.secret(where, SECRET)?.value
          if (namedByLaterFailure(value)) continue
          if (!takers.some((k) => k.secret === value) || !works(value))
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} does not hold a working token of the key now named "${target}"`
            )
        }
        // alternate keeps, saying so, a key an earlier run left that a destination may hold.
        const kept = run.log
          .split('\n')
          .filter((l) => l.startsWith('::notice::') && l.includes('kept this time'))
          .join('\n')
        const left = [...before.keys.values()].filter(
          (k) => inGroup(k.name, target) && platform.keys().has(k.id) && !kept.includes(k.id)
        )
        if (left.length > 0)
          violations.push(
            `3. ${name} is green but the key(s) it replaced still exist: ${left.map((k) => `${k.id} "${k.name}"`).join(', ')}`
          )
      } else {
        for (const where of setup.locations) {
          const value = github.secret(where, SECRET)?.value
          if (!works(value))
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} does not hold a working secret`
            )
          if (
            value !== undefined &&
            value === before.stored.get(locationLabel(where)) &&
            runs.length === 1
          )
            violations.push(
              `3. ${name} is green but ${locationLabel(where)} still holds the old secret`
            )
        }
      }
    }

    // 6. No change after the first signal.
    if (signals.sigint !== undefined) {
      // From the moment the child says it received the signal (it may take a while under load).
      const after = (signals.handled ?? record.endedAt) + SIGNAL_SLACK_MS
      // This run's requests: those with its credentials (when no other run shares them).
      const shared = (input: string): boolean =>
        runs.some((r) => r !== record && r.inputs[input] === record.inputs[input])
      const token = record.inputs['github-token']
      const secret = record.inputs['api-secret-key']
      const late = [
        ...github.log.filter(
          (e) =>
            e.method === 'PUT' &&
            e.path.endsWith(`/secrets/${SECRET}`) &&
            e.at > after &&
            !shared('github-token') &&
            String(e.headers.authorization).endsWith(` ${token}`)
        ),
        ...platform.emulator.log.filter(
          (e) =>
            platform.issuing(e) &&
            e.at > after &&
            !shared('api-secret-key') &&
            platform.credential(e.headers) === secret
        )
      ]
      if (late.length > 0)
        violations.push(
          `6. ${late.map((e) => `${e.method} ${e.path}`).join(', ')} arrived after SIGINT`
        )
    }
  })

  // 4. Nothing else changed.
  const keysNow = platform.keys()
  for (const [id, was] of before.keys) {
    const key = keysNow.get(id)
    if (setup.mayChange(was, before.keys)) continue
    if (!key) {
      violations.push(`4. key ${id} "${was.name}" was deleted`)
      continue
    }
    const changed = (['secret', 'role', 'active', 'expiry', 'name', 'settings'] as const).filter(
      (f) => key[f] !== was[f]
    )
    if (changed.length) violations.push(`4. key ${id} "${was.name}" changed: ${changed.join(', ')}`)
  }

  // 5. Nothing leaked.
  const secrets = [...new Set([...platform.secretsIssued(), WRITE_TOKEN, SECOND_TOKEN])]
  // In every form a server might echo it in, as the action must never print it either.
  const needles = secrets
    .flatMap((s) => [s, s.slice(s.indexOf(':') + 1)])
    .filter((s) => s.length >= 8)
    .flatMap((s) =>
      ['plain', 'hex', 'HEX', 'u-escape', 'percent', 'html'].map((e) => encoded(s, e))
    )
  runs.forEach(({ run }, i) => {
    const name = runs.length > 1 ? `run ${i + 1}` : 'the run'
    for (const needle of needles) {
      if (run.log.split('\n').some((l) => l.includes(needle) && !l.startsWith('::add-mask::')))
        violations.push(`5. a secret is in ${name}'s log`)
      if (Object.values(run.outputs).some((v) => v.includes(needle)))
        violations.push(`5. a secret is in ${name}'s outputs`)
      if (run.summary.includes(needle)) violations.push(`5. a secret is in ${name}'s summary`)
    }
    if (/^::stop-commands::/m.test(run.log))
      violations.push(`5. ${name}'s log holds a forged ::stop-commands::`)
  })

  // 7. No probe left behind.
  // A probe an earlier run could not remove (and said so: a warning, or its recovery's step
  // `Delete the secret <PROBE> of ...` when the report came before the removal's answer) holds
  // the destination for a while.
  const warned = [...logs, ...earlierLogs].some(
    (l) =>
      /Could not remove the probe secret/.test(l) || l.includes(`Delete the secret ${PROBE} of `)
  )
  const killed = runs.some((r) => r.signals.sigkill)
  for (const where of setup.locations) {
    if (github.secret(where, PROBE) && !warned && !killed)
      violations.push(`7. ${locationLabel(where)} still holds ${PROBE}`)
  }

  // 9. alternate: the key the destinations hold is never touched, so every secret they held at
  // the start still works at the end.
  // Two green runs of one pair in a row (the second after the first took over) replace the key
  // the destinations held before the first: allowed when a run warned that jobs lose it. (A
  // failed run must never make the next one do that: no excuse then.)
  const warnedLoss =
    runs.length > 1 &&
    runs.every((r) => !r.run.failed) &&
    runs.some((r) => /^::warning::.*lose their credential now/m.test(r.run.log))
  if (scenario.operation.endsWith('alternate') && !warnedLoss) {
    for (const where of setup.locations) {
      const was = before.stored.get(locationLabel(where))
      const heldKey = [...before.keys.values()].some((k) => k.secret === was)
      if (was !== undefined && heldKey && !platform.authenticates(was))
        violations.push(
          `9. the secret ${locationLabel(where)} held at the start (the live key's) no longer works`
        )
    }
  }

  // 8. No wider audience.
  if (setup.visibility) {
    const wider = github.log.filter(
      (e) =>
        e.method === 'PUT' &&
        e.path.endsWith(`/secrets/${SECRET}`) &&
        (e.body as { visibility?: string } | undefined)?.visibility !== setup.visibility
    )
    if (wider.length > 0)
      violations.push(
        `8. the organization secret was written with visibility ${(wider[0].body as { visibility?: string }).visibility}`
      )
  }

  // 10. Vision One, Cloud One: no stray key. A key the run(s) made that no destination holds is
  // one nobody will ever use or delete, unless a run names it.
  if (platform.kind !== 'ws' && !killed) {
    const held = new Set(setup.locations.map((where) => github.secret(where, SECRET)?.value))
    const said = logs.map((l) => complaints(l)).join('\n')
    for (const key of keysNow.values()) {
      if (before.keys.has(key.id) || world.ownKeys.has(key.id) || held.has(key.secret)) continue
      if (said.includes(key.id) || said.includes(key.name)) continue
      violations.push(
        `10. key ${key.id} "${key.name}" was created, no destination holds it and no run names it`
      )
    }
  }
  // 11. Cloud One: no wider reach, in what the destinations hold and in every write on the way.
  if (world.c1) {
    for (const where of setup.locations) {
      const value = github.secret(where, SECRET)?.value
      const key = [...keysNow.values()].find((k) => k.secret === value)
      const differs = key ? widerReach(world, key) : []
      if (differs.length > 0)
        violations.push(
          `11. ${locationLabel(where)} holds key ${key!.id} "${key!.name}", whose ${differs.join(', ')} differ(s) from the key it replaced`
        )
    }
    violations.push(...world.widerWrites.splice(0).map((w) => `11. ${w}`))
  }
  return [...new Set(violations)]
}

/** Every exchange of both emulators, in the order the requests arrived (for --seed output). */
export function exchanges(world: World): Exchange[] {
  return [...world.platform.emulator.log, ...world.github.log].sort((a, b) => a.at - b.at)
}
