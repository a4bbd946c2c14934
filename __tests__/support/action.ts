import { readFileSync, writeFileSync } from 'node:fs'
import { WRITE_TOKEN, type SeededEmulators } from '../../emulators/seed.js'
import type { Cancellation } from '../../src/cancellation.js'
import { systemClock, timerDeadline, type Clock } from '../../src/clock.js'
import {
  inputEnv,
  parseOutputFile,
  runnerFiles,
  type ActionRun,
  type Inputs
} from '../../scripts/run-action.js'

export {
  replayCommands,
  runBundled,
  type ActionRun,
  type Inputs
} from '../../scripts/run-action.js'

const inProcessFiles = runnerFiles()

/**
 * A clock for tests: sleeps return at once (or fail at once once their signal aborted, as the
 * system clock's do), and no request deadline is longer than 2 s (the 120 s of a secret
 * regeneration included), unless `clock` says otherwise.
 */
export const testClock: Clock = {
  ...systemClock,
  sleep: (_ms, signal) => (signal.aborted ? Promise.reject(signal.reason) : Promise.resolve()),
  deadline: (ms) => timerDeadline(Math.min(ms, 2000))
}

/**
 * Runs `run()` from the source in this process with {@link testClock}, capturing what it
 * prints. @actions/core caches the summary file path, so every run here shares one file.
 */
export async function runInProcess(
  inputs: Inputs,
  env: Record<string, string> = {},
  clock: Partial<Clock> = {},
  cancellation?: Cancellation
): Promise<ActionRun> {
  const { run } = await import('../../src/main.js')
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  writeFileSync(inProcessFiles.output, '')
  writeFileSync(inProcessFiles.summary, '')
  Object.assign(process.env, {
    GITHUB_OUTPUT: inProcessFiles.output,
    GITHUB_STEP_SUMMARY: inProcessFiles.summary,
    ...env,
    ...inputEnv(inputs)
  })
  let log = ''
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    log += chunk.toString()
    return true
  }) as typeof process.stdout.write
  process.exitCode = undefined
  try {
    await run({ ...testClock, ...clock }, cancellation)
  } finally {
    process.stdout.write = write
    process.env = saved
  }
  const failed = process.exitCode === 1
  process.exitCode = undefined
  return {
    log,
    outputs: parseOutputFile(readFileSync(inProcessFiles.output, 'utf8')),
    summary: readFileSync(inProcessFiles.summary, 'utf8'),
    failed
  }
}

/**
 * Every place a secret shows up in what the run left behind, except the `::add-mask::`
 * command that masks it. Empty when nothing leaked.
 */
export function leaks(run: ActionRun, secrets: string[]): string[] {
  const found: string[] = []
  // A manager secret is `<id>:<random>`: its random part alone is a leak too.
  const needles = secrets
    .flatMap((s) => [s, s.slice(s.indexOf(':') + 1)])
    .filter((s) => s.length >= 8)
  for (const secret of needles) {
    for (const line of run.log.split('\n')) {
      if (line.includes(secret) && !/^::add-mask::/.test(line.trim())) found.push(`log: ${line}`)
    }
    for (const [name, value] of Object.entries(run.outputs)) {
      if (value.includes(secret)) found.push(`output ${name}`)
    }
    if (run.summary.includes(secret)) found.push('summary')
  }
  return found
}

/**
 * The inputs of a rotation against the seeded emulators: `secret` authenticates, the new secret
 * goes to the GitHub secret `secretName` with the seeded write token.
 */
export function rotationInputs(
  world: SeededEmulators,
  secret: string,
  secretName: string,
  extra: Inputs = {}
): Inputs {
  return {
    operation: 'rotate',
    'api-secret-key': secret,
    'api-url': world.ws.url,
    'secret-name': secretName,
    'github-token': WRITE_TOKEN,
    ...extra
  }
}
