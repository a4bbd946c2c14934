/**
 * The fault explorer: seeded, replayable runs of the committed bundle (dist/index.js) against
 * the emulators, each with a random fault at a random request, sometimes a runner-style
 * cancellation (SIGINT, SIGTERM later, SIGKILL 2.5 s after that) at a random moment, and
 * sometimes a second run writing the same destination at the same time. About a quarter of the
 * seeds rotate Vision One platform keys (`platform: vision-one`, `replace` and `alternate`)
 * instead of Workload Security keys; faults there include failed items of the 207 batch answers.
 * About a fifth rotate Cloud One account API keys (`platform: cloud-one`, `replace` of a key
 * limited to other networks and `alternate`), with the emulator answering each point the
 * reference leaves open one way or the other.
 *
 * The invariant, checked after every run, is written at the top of invariant.ts; after a failed
 * run, advice.ts follows the recovery it printed and checks the end state.
 *
 * The folder, in the order a newcomer reads it:
 * - scenarios.ts: what a seed turns into (operation, destinations, faults, cancellation, ...);
 * - world.ts: the emulators of a scenario, the keys and destinations it starts from, snapshots;
 * - faults.ts: arming a scenario's faults on the emulators;
 * - run.ts: one run of the committed bundle, cancelled as a runner would;
 * - invariant.ts: the checks after every run;
 * - advice.ts: the advice oracle (follows a failed run's recovery, checks the end state);
 * - index.ts (this file): `explore(seed)` and the command line.
 *
 * `npm run explore -- --seeds 200` runs seeds 1..200; `--seed N` runs one and prints its logs;
 * `--from K` starts elsewhere. A failing seed prints its scenario, what broke, and the command
 * that replays it.
 */
import sodium from 'libsodium-wrappers'
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { armFault } from './faults.js'
import { followAdvice } from './advice.js'
import { check, watchWrites } from './invariant.js'
import { startRun, type RunRecord } from './run.js'
import { scenarioOf, type Scenario } from './scenarios.js'
import { calmDown, setUp, snapshot, startWorld, SECOND_TOKEN } from './world.js'

export { scenarioOf, type Scenario } from './scenarios.js'
export { exchanges } from './invariant.js'

export interface Outcome {
  scenario: Scenario
  violations: string[]
  /** What is worth knowing but breaks no invariant. */
  notes: string[]
  /** The manual steps of the advice (not followed: a tool cannot). */
  manual: string[]
  runs: RunRecord[]
  /** One line: the scenario and how its run(s) ended. */
  line: string
}

/** Runs one scenario (one or two bundle runs) and checks the invariant. */
export async function explore(seed: number): Promise<Outcome> {
  const scenario = scenarioOf(seed)
  const world = await startWorld(scenario)
  try {
    await sodium.ready
    const setup = setUp(world, scenario)
    const before = snapshot(world, setup.locations)
    watchWrites(world)
    for (const spec of scenario.faults) armFault(world, scenario, spec)
    const env: Record<string, string> = {
      GITHUB_API_URL: world.github.url,
      GITHUB_REPOSITORY: 'octo/app',
      ...(scenario.gc && {
        NODE_OPTIONS: `--expose-gc --import=data:text/javascript,setInterval(()=>globalThis.gc(),50).unref()`
      })
    }
    const started = [startRun(world, setup.inputs, env, scenario.cancel)]
    if (scenario.concurrent) {
      await new Promise((resolve) => setTimeout(resolve, scenario.concurrent!.delayMs))
      // The second run has credentials of its own, so that each request can be told apart.
      world.github.addToken(SECOND_TOKEN, { write: true })
      const secondAdmin = world.platform.addAdmin()
      world.ownKeys.add(secondAdmin.id)
      const second = {
        ...setup.inputs,
        'github-token': SECOND_TOKEN,
        ...(setup.inputs['api-secret-key'] === world.adminSecret && {
          'api-secret-key': secondAdmin.secret
        })
      }
      started.push(startRun(world, second, env, undefined))
    }
    const runs = await Promise.all(started)
    const adviceContext = {
      world,
      scenario,
      setup,
      rerun: () => startRun(world, setup.inputs, env, undefined)
    }
    const violations = check(world, scenario, setup, before, runs, [])
    // A person follows the advice of a failed run before the next schedule.
    const advised = await followAdvice({ ...adviceContext, before, earlierLogs: [] }, runs)
    violations.push(...advised.violations.map((v) => `advice: ${v}`))
    const manual = [...advised.manual]
    runs.push(...advised.reruns)
    let reruns = advised.reruns.length
    if (scenario.followUp) {
      await calmDown(world, true)
      const between = snapshot(world, setup.locations)
      const next = await startRun(world, setup.inputs, env, undefined)
      const earlier = runs.map((r) => r.run.log)
      runs.push(next)
      const clean = { ...scenario, faults: [], cancel: undefined }
      const found = check(world, clean, setup, between, [next], earlier)
      violations.push(...found.map((v) => `follow-up run: ${v}`))
      const after = await followAdvice(
        { ...adviceContext, before: between, earlierLogs: earlier },
        [next]
      )
      violations.push(...after.violations.map((v) => `follow-up run's advice: ${v}`))
      manual.push(...after.manual)
      runs.push(...after.reruns)
      reruns += after.reruns.length
    }
    const ends = runs
      .map((r) => (r.signals.sigkill ? 'killed' : r.run.failed ? 'failed' : 'green'))
      .join('+')
    const notes = runs.flatMap((r, i) =>
      r.killedAtExit
        ? [
            `run ${i + 1} ended ${r.run.failed ? 'failed' : 'green'}, then ${r.killedAtExit} killed it as it exited (Node had released its signal handlers): the runner sees a signal's exit`
          ]
        : []
    )
    const line =
      `seed ${seed}: ${scenario.operation} to ${scenario.destinations}` +
      (scenario.leftover ? ` (next key left ${scenario.leftover})` : '') +
      (scenario.operation === 'v1-alternate' && scenario.expiryMonths !== 12
        ? ` (expiry-months ${scenario.expiryMonths})`
        : '') +
      (scenario.cloudOne
        ? ` (create ${scenario.cloudOne.createStatus}, secret ${scenario.cloudOne.secretForm}, delete ${scenario.cloudOne.deleteStatus}, change answered ${scenario.cloudOne.modifyAnswersKey ? 'with the key' : '204'})`
        : '') +
      scenario.faults.map((f) => `, ${f.kind} at ${f.target}#${f.nth}`).join('') +
      (scenario.gc ? ', gc' : '') +
      (scenario.cancel ? `, cancel at ${scenario.cancel.at}#${scenario.cancel.nth}` : '') +
      (scenario.concurrent ? ', concurrent' : '') +
      (scenario.followUp ? ', then again' : '') +
      ` -> ${ends}` +
      (reruns > 0
        ? ` (${reruns} of them re-run${reruns > 1 ? 's' : ''} the advice called safe)`
        : '')
    return { scenario, violations, notes, manual, runs, line }
  } finally {
    await world.stop()
  }
}

/** A seed's report: what it ran, what broke, the command that replays it, and with `logs` every log. */
function report(outcome: Outcome, logs: boolean): string {
  const lines = [
    `scenario: ${JSON.stringify(outcome.scenario)}`,
    ...outcome.violations.map((v) => `- ${v}`),
    `replay: npm run explore -- --seed ${outcome.scenario.seed}`
  ]
  return [...lines, ...(logs ? [logsOf(outcome)] : [])].join('\n')
}

/** Every run's log and summary, re-runs and follow-up included. */
function logsOf(outcome: Outcome): string {
  return outcome.runs
    .map(
      (r, i) =>
        `\n--- log of run ${i + 1} (exit ${r.code}) ---\n${r.run.log}\n` +
        `--- summary of run ${i + 1} ---\n${r.run.summary}`
    )
    .join('\n')
}

/**
 * `--seed N` (one seed, with its logs), or `--seeds COUNT --from K` (with `--platform cloud-one`,
 * `vision-one` or `workload-security`: only the seeds of that platform among them); `--out DIR` writes
 * `DIR/failing-seeds.txt` (one seed a line) and `DIR/seed-N.log` (its report and every log) for
 * each failing seed.
 */
async function main(argv: string[]): Promise<void> {
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const one = option('seed') === undefined ? undefined : Number(option('seed'))
  const from = Number(option('from') ?? 1)
  let seeds =
    one !== undefined
      ? [one]
      : Array.from({ length: Number(option('seeds') ?? 50) }, (_v, i) => from + i)
  // `--platform cloud-one` (or `vision-one`, `workload-security`): only that platform's seeds.
  const platform = option('platform')
  const prefix = { 'cloud-one': 'c1-', 'vision-one': 'v1-' }[platform ?? '']
  if (platform) {
    const on = (seed: number): boolean => {
      const operation = scenarioOf(seed).operation
      return prefix ? operation.startsWith(prefix) : !/^(c1|v1)-/.test(operation)
    }
    seeds = seeds.filter(on)
  }
  const out = option('out')
  if (out) {
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'failing-seeds.txt'), '')
  }
  let failed = 0
  let withManualSteps = 0
  for (const seed of seeds) {
    let outcome: Outcome
    try {
      outcome = await explore(seed)
    } catch (error) {
      // One broken seed (an emulator that would not start) must not end a long run.
      outcome = {
        scenario: scenarioOf(seed),
        violations: [`the explorer failed: ${(error as Error).stack ?? String(error)}`],
        notes: [],
        manual: [],
        runs: [],
        line: `seed ${seed}`
      }
    }
    console.log(`${outcome.violations.length ? 'FAIL' : 'ok  '} ${outcome.line}`)
    for (const note of outcome.notes) console.log(`  note: ${note}`)
    for (const step of outcome.manual) console.log(`  manual step: ${step}`)
    if (outcome.manual.length > 0) withManualSteps++
    if (outcome.violations.length) {
      failed++
      console.log(report(outcome, false).replace(/^/gm, '  '))
      if (out) {
        appendFileSync(join(out, 'failing-seeds.txt'), `${seed}\n`)
        writeFileSync(join(out, `seed-${seed}.log`), `${outcome.line}\n${report(outcome, true)}\n`)
      }
    }
    if (one !== undefined) console.log(logsOf(outcome))
  }
  console.log(`\n${seeds.length - failed} of ${seeds.length} seed(s) kept the invariant`)
  console.log(`${withManualSteps} seed(s) had manual steps in their advice (not followed)`)
  process.exitCode = failed ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2))
