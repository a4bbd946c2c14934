/**
 * The advice oracle. A person acts on what a failed run says, so after every run that fails the
 * explorer carries out the recovery the run printed, literally and in order (the failure-report
 * contract, ../shared/SPEC.md §3 "After a failure: what the run says"). A step's opening says
 * what to do:
 * - `Replay the sealed copies for: <label>; <label>. ...`: for each label, the last command
 *   printed under `Replay for <label> (sealed for its public key <id>):`, run through `bash`
 *   with WRITER_TOKEN set to a token that can write;
 * - `Delete key <id>: ...`: the key is deleted on the platform;
 * - `Delete the secret <NAME> of <label>: ...`: that GitHub secret is deleted;
 * - `Re-run this workflow: re-running is safe ...`: the same run again, without faults; the
 *   claim is checked too: the re-run must keep the invariant and end green, or fail changing
 *   nothing (`unchanged:`, a cause nobody fixed yet: the recovery is then unfinished, as at a
 *   manual step);
 * - any other opening: a manual step, not followed but counted; the steps after it are not
 *   followed either (they assume it was done).
 *
 * ADVICE RULES, checked while and after following it:
 * A. Every destination holds a working secret: one of a key the run manages, or what it held
 *    when the run started while that still works (a destination that held nothing may hold
 *    nothing).
 * B. No step breaks a destination: a replay stores a working secret (never a void copy), and a
 *    `Delete key` never deletes the key a destination holds at that moment (replays come first).
 * C. No stray key: every key the run(s) created, and every key the run manages that a
 *    destination held when the run started (but for `alternate`, whose live key stays by
 *    design), is held by a destination, or the advice deleted it, or (`alternate`) a re-run
 *    kept it saying so (a job may still hold it; the rotation after the next deletes it), or
 *    one of the pair's names stands for it now (a re-run rotated the other key of the pair).
 * D. Nothing else changed: the advice deletes no key the run does not manage (for `alternate`,
 *    the idle key when the run started or when the advice begins), and writes or
 *    deletes nothing on GitHub but the run's secret (or its probe) in the run's destinations,
 *    with the visibility asked for.
 * E. The state word: a failed run's `::error::`
 *    starts with `unchanged:`, `done:`, `partial:` or `unknown:`.
 * F. No wider reach (Cloud One, check 11 of the invariant): no step (a replay) writes, and no
 *    destination holds at the end, a key lacking the settings and network limits of the key it
 *    replaced.
 * G. No downtime (`alternate`): every secret a destination held when the run started still works,
 *    unless a run warned that jobs lose their credential (a re-run that rotates the other key of
 *    the pair right after a take-over).
 * When a run's advice holds manual steps, A and C apply only to what the followed steps broke:
 * the manual ones may be what completes the recovery.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { SecretLocation } from '../../emulators/github.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { ActionRun } from '../run-action.js'
import { replayCommands } from '../run-action.js'
import { check, widerReach } from './invariant.js'
import type { RunRecord } from './run.js'
import { PROBE, SECRET, type Scenario } from './scenarios.js'
import {
  calmDown,
  groupKey,
  locationLabel,
  secretsPathOf,
  snapshot,
  type KeyState,
  type Setup,
  type Snapshot,
  type World
} from './world.js'

const STATE_WORD = ['unchanged', 'done', 'partial', 'unknown']

export type Step =
  | { kind: 'replay'; text: string; labels: string[] }
  | { kind: 'delete-key'; text: string; id: string }
  | { kind: 'delete-secret'; text: string; name: string; label: string }
  | { kind: 'rerun'; text: string }
  | { kind: 'manual'; text: string }

/** The message of a run's last `::error::` line (the one `setFailed` prints), decoded. */
export function failureMessage(log: string): string | undefined {
  const command = /^::error(?: [^:]*)?::/
  const line = log
    .split('\n')
    .filter((l) => command.test(l))
    .at(-1)
  // @actions/core escapes %, CR and LF in a workflow command's message.
  const decoded: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' }
  return line?.replace(command, '').replace(/%(25|0D|0A)/g, (m) => decoded[m])
}

/** The first word of a failure message when it is followed by a colon. */
export function stateWord(message: string): string | undefined {
  return /^(\w+):/.exec(message)?.[1]
}

/** The steps under `To recover, in order:`, or undefined when the message has no such block. */
export function recoverySteps(message: string): Step[] | undefined {
  const lines = message.split(/\r?\n/)
  const at = lines.findIndex((l) => l.trim() === 'To recover, in order:')
  if (at < 0) return undefined
  const steps: Step[] = []
  for (const line of lines.slice(at + 1)) {
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line)
    if (!numbered) break
    steps.push(stepOf(numbered[1].trim()))
  }
  return steps
}

function stepOf(text: string): Step {
  const replay = /^Replay the sealed copies for: (.*)$/.exec(text)
  if (replay) {
    // The labels end at the first sentence end (a repository name has no ". " in it).
    const end = replay[1].search(/\.(\s|$)/)
    const list = end < 0 ? replay[1] : replay[1].slice(0, end)
    const labels = list
      .split(';')
      .map((l) => l.trim())
      .filter(Boolean)
    return { kind: 'replay', text, labels }
  }
  const key = /^Delete key ([^\s:]+):/.exec(text)
  if (key) return { kind: 'delete-key', text, id: key[1] }
  const secret = /^Delete the secret (\S+) of (.+?):(\s|$)/.exec(text)
  if (secret) return { kind: 'delete-secret', text, name: secret[1], label: secret[2] }
  if (text.startsWith('Re-run this workflow: re-running is safe')) return { kind: 'rerun', text }
  return { kind: 'manual', text }
}

/** A destination as the action names it (its `destinationLabel`), to match the advice's labels. */
export function labelOf(where: SecretLocation): string {
  const type = { actions: '', dependabot: 'Dependabot ', codespaces: 'Codespaces ' }[
    where.type ?? 'actions'
  ]
  if (where.organization) return `${type}organization ${where.organization}`
  if (where.environment !== undefined)
    return `environment "${where.environment}" of ${where.repository}`
  return `${type}repository ${where.repository}`
}

/** Whether two labels name one destination (an environment's name quoted or not). */
function sameLabel(a: string, b: string): boolean {
  return a.replace(/"/g, '') === b.replace(/"/g, '')
}

export interface AdviceContext {
  world: World
  scenario: Scenario
  setup: Setup
  /** The world when the run(s) whose advice is followed started. */
  before: Snapshot
  /** The same run again, without faults (what "re-running is safe" promises). */
  rerun: () => Promise<RunRecord>
  /** The logs of the runs before these (check 7 reads them). */
  earlierLogs: string[]
}

export interface AdviceOutcome {
  violations: string[]
  /** The manual steps, which the explorer does not follow. */
  manual: string[]
  /** The re-runs the advice asked for. */
  reruns: RunRecord[]
}

const run = promisify(execFile)

/** Follows the advice of every failed run among `runs`, in order, then checks the end state. */
export async function followAdvice(
  context: AdviceContext,
  runs: { run: Pick<ActionRun, 'log' | 'failed'> }[]
): Promise<AdviceOutcome> {
  const { world, setup, before } = context
  const { platform, github } = world
  const outcome: AdviceOutcome = { violations: [], manual: [], reruns: [] }
  const violation = (text: string): void => void outcome.violations.push(text)
  const failed = runs
    .map(({ run }, i) => ({ log: run.log, name: runs.length > 1 ? `run ${i + 1}` : 'the run' }))
    .filter((_r, i) => runs[i].run.failed)
  const advised: { log: string; name: string; steps: Step[] }[] = []
  for (const { log, name } of failed) {
    const message = failureMessage(log)
    const word = message === undefined ? undefined : stateWord(message)
    if (!STATE_WORD.includes(word ?? ''))
      violation(
        `E. ${name}'s ::error:: starts with ${word === undefined ? 'no state word' : `"${word}"`}, not one of ${STATE_WORD.join(', ')}`
      )
    const steps = message === undefined ? undefined : recoverySteps(message)
    advised.push({ log, name, steps: steps ?? [] })
  }
  if (advised.length === 0) return outcome

  // What a person meets: GitHub and the platform as they are, without the scenario's faults.
  await calmDown(world, false)
  const works = (where: SecretLocation, value: string | undefined): boolean =>
    value !== undefined &&
    platform.authenticates(value) &&
    (setup.holders().some((k) => k.secret === value) ||
      value === before.stored.get(locationLabel(where)))
  const holdsWorking = (where: SecretLocation): boolean => {
    const value = github.secret(where, SECRET)?.value
    return (
      works(where, value) ||
      (value === undefined && before.stored.get(locationLabel(where)) === undefined)
    )
  }
  const whereOf = (label: string): SecretLocation | undefined =>
    setup.locations.find((where) => sameLabel(labelOf(where), label))
  const workedAtAdvice = new Map(setup.locations.map((w) => [locationLabel(w), holdsWorking(w)]))
  const keysAtAdvice = platform.keys()
  /**
   * Whether the run manages `key`: for `alternate`, the idle key when it started, or when the
   * advice begins (a concurrent run that took over since made the other key idle, and the
   * re-run rotates that one).
   */
  const manages = (key: KeyState): boolean =>
    setup.mayChange(key, before.keys) || setup.mayChange(key, keysAtAdvice)
  const deleted = new Set<string>()
  const scratch = mkdtempSync(join(tmpdir(), 'explorer-advice-'))

  /** GitHub writes a step sent: only the run's secret (or probe) in its destinations. */
  const checkWrites = (from: number, step: string): void => {
    const allowed = setup.locations.flatMap((where) =>
      [SECRET, PROBE].map((name) => `${secretsPathOf(where)}/${name}`)
    )
    for (const e of github.log.slice(from)) {
      if (e.method === 'GET') continue
      if (!allowed.includes(e.path))
        violation(`D. ${step} sent ${e.method} ${e.path}, not the run's secret in its destinations`)
      const visibility = (e.body as { visibility?: string } | undefined)?.visibility
      if (setup.visibility && e.method === 'PUT' && visibility !== setup.visibility)
        violation(`D. ${step} wrote the organization secret with visibility ${visibility}`)
    }
  }

  try {
    for (const { log, name, steps } of advised) {
      const printed = replayCommands(log)
      // A manual step is not followed, so no later step is either: they assume it was done.
      steps: for (const [n, step] of steps.entries()) {
        const at = `${name}'s step ${n + 1} ("${step.text.slice(0, 60)}")`
        const from = github.log.length
        switch (step.kind) {
          case 'replay':
            for (const label of step.labels) {
              const where = whereOf(label)
              const command = printed.filter((c) => sameLabel(c.label, label)).at(-1)
              if (!where || !command) {
                violation(
                  `A. ${at} names ${label}, ${where ? 'for which no replay command was printed' : 'not a destination of the run'}`
                )
                continue
              }
              // Never anywhere but the emulator (and it is where the run was told GitHub is).
              if (!command.url.startsWith(`${github.url}/`)) {
                violation(`A. ${at}: the replay command for ${label} writes to ${command.url}`)
                continue
              }
              try {
                await run('bash', ['-c', command.command], {
                  cwd: scratch,
                  env: { PATH: process.env.PATH, WRITER_TOKEN: WRITE_TOKEN },
                  timeout: 15_000
                })
              } catch (error) {
                const stderr = (error as { stderr?: string }).stderr?.trim()
                violation(`A. ${at}: the replay command for ${label} failed: ${stderr || error}`)
                continue
              }
              if (!works(where, github.secret(where, SECRET)?.value))
                violation(`B. ${at} stores a void copy in ${label}: its secret does not work`)
            }
            break
          case 'delete-key': {
            const key = platform.keys().get(step.id)
            if (!key) {
              violation(`D. ${at} deletes key ${step.id}, which does not exist`)
              break
            }
            const holders = setup.locations.filter(
              (where) => github.secret(where, SECRET)?.value === key.secret
            )
            if (holders.length > 0 && platform.authenticates(key.secret))
              violation(
                `B. ${at} deletes key ${step.id}, which ${holders.map(labelOf).join(', ')} still hold(s)`
              )
            if (!manages(key) && before.keys.has(step.id))
              violation(
                `D. ${at} deletes key ${step.id} "${key.name}", which the run does not manage`
              )
            platform.deleteKey(step.id)
            deleted.add(step.id)
            break
          }
          case 'delete-secret': {
            const where = whereOf(step.label)
            if (!where || (step.name !== SECRET && step.name !== PROBE)) {
              violation(
                `D. ${at} deletes a secret that is not the run's in one of its destinations`
              )
              break
            }
            const answer = await fetch(`${github.url}${secretsPathOf(where)}/${step.name}`, {
              method: 'DELETE',
              headers: { authorization: `Bearer ${WRITE_TOKEN}` }
            })
            if (!answer.ok && answer.status !== 404)
              violation(`A. ${at}: GitHub answered the delete with ${answer.status}`)
            break
          }
          case 'rerun': {
            await calmDown(world, true)
            const between = snapshot(world, setup.locations)
            const again = await context.rerun()
            outcome.reruns.push(again)
            // Safe is not the same as green: a re-run may stop on a cause nobody fixed yet (a
            // check, a setting) as long as it changed nothing; the rules below then judge what
            // is left. A re-run that changed something and failed is a broken promise.
            const said = failureMessage(again.run.log)
            if (again.run.failed && stateWord(said ?? '') !== 'unchanged')
              violation(
                `${at} calls re-running safe, but the re-run failed: ${said?.split('\n')[0]}`
              )
            // Stopped on a cause nobody fixed: the rest of the recovery is that re-run once it
            // is, which the explorer cannot do (like a manual step).
            const unfinished = again.run.failed
              ? [`the re-run, once this is fixed: ${said?.split('\n')[0]}`]
              : []
            const clean = { ...context.scenario, faults: [], cancel: undefined }
            const logs = [...context.earlierLogs, ...runs.map((r) => r.run.log)]
            for (const v of check(world, clean, setup, between, [again], logs))
              violation(`the re-run ${at} asked for: ${v}`)
            if (unfinished.length > 0) {
              outcome.manual.push(...unfinished)
              break steps
            }
            continue
          }
          case 'manual':
            outcome.manual.push(...steps.slice(n).map((later) => later.text))
            break steps
        }
        checkWrites(from, at)
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }

  const partly = outcome.manual.length > 0
  // A. Every destination holds a working secret.
  for (const where of setup.locations) {
    if (holdsWorking(where)) continue
    if (partly && !workedAtAdvice.get(locationLabel(where))) continue
    const value = github.secret(where, SECRET)?.value
    violation(
      `A. after following the advice, ${labelOf(where)} holds ${value === undefined ? 'nothing' : 'a dead secret'}`
    )
  }
  // C. No stray key.
  const held = new Set(setup.locations.map((where) => github.secret(where, SECRET)?.value))
  const heldAtStart = new Set(before.stored.values())
  const pairKeeps = context.scenario.operation.endsWith('alternate')
  // alternate keeps, saying so, a key an earlier run left that a destination may hold (check 3
  // of the invariant): the rotation after the next one of that key deletes it.
  const kept = [...runs, ...outcome.reruns]
    .flatMap((r) => r.run.log.split('\n'))
    .filter((l) => l.startsWith('::notice::') && l.includes('kept this time'))
    .join('\n')
  const keysNow = [...platform.keys().values()]
  const names = setup.replaces?.(platform.keys())
  const pairNow = names ? [names.name, names.live ?? ''] : []
  for (const key of keysNow) {
    const was = before.keys.get(key.id)
    const created = !was && !world.ownKeys.has(key.id)
    const managed =
      was !== undefined &&
      !pairKeeps &&
      heldAtStart.has(was.secret) &&
      setup.mayChange(was, before.keys)
    if ((!created && !managed) || held.has(key.secret) || partly) continue
    if (pairKeeps && kept.includes(key.id)) continue
    // A key a run made that one of the pair's names stands for now (it took over, renamed or
    // not) is a key of the pair: no destination holding the idle one is by design.
    if (pairKeeps && pairNow.some((name) => groupKey(keysNow, name)?.id === key.id)) continue
    violation(
      `C. after following the advice, key ${key.id} "${key.name}" is held by no destination and the advice does not delete it`
    )
  }
  // D. The keys the run does not manage are as they were when the advice began.
  for (const [id, was] of keysAtAdvice) {
    if (manages(was) || !before.keys.has(id) || deleted.has(id)) continue
    const key = platform.keys().get(id)
    const changed = (['secret', 'role', 'active', 'expiry', 'name', 'settings'] as const).filter(
      (f) => key?.[f] !== was[f]
    )
    if (changed.length > 0)
      violation(`D. following the advice changed key ${id} "${was.name}": ${changed.join(', ')}`)
  }
  // G. alternate: no downtime. A re-run right after a run that took over (or a concurrent one
  // that did) rotates the other key of the pair, which jobs that read it before still hold:
  // allowed only when a run warned that they lose it (check 9 of the invariant).
  const warnedLoss = [...runs, ...outcome.reruns].some((r) =>
    /^::warning::.*lose their credential now/m.test(r.run.log)
  )
  if (pairKeeps && !warnedLoss) {
    for (const where of setup.locations) {
      const was = before.stored.get(locationLabel(where))
      const held = [...before.keys.values()].some((k) => k.secret === was)
      if (was !== undefined && held && !platform.authenticates(was))
        violation(
          `G. after following the advice, the secret ${labelOf(where)} held when the run started (the live key's) no longer works, and no run warned that jobs lose it`
        )
    }
  }
  // F. Cloud One: no wider reach.
  if (world.c1) {
    for (const where of setup.locations) {
      const value = github.secret(where, SECRET)?.value
      const key = [...platform.keys().values()].find((k) => k.secret === value)
      const differs = key ? widerReach(world, key) : []
      if (differs.length > 0)
        violation(
          `F. after following the advice, ${labelOf(where)} holds key ${key!.id} "${key!.name}", whose ${differs.join(', ')} differ(s) from the key it replaced`
        )
    }
    for (const write of world.widerWrites.splice(0)) violation(`F. ${write}`)
  }
  return { ...outcome, violations: [...new Set(outcome.violations)] }
}
