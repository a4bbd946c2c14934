/**
 * A run of the committed bundle in a scenario, with the runner's cancellation: SIGINT at the
 * arrival of a request (or once the replay block is printed), SIGTERM later, SIGKILL
 * `KILL_AFTER_MS` after that.
 */
import { performance } from 'node:perf_hooks'
import { startBundled, type ActionRun, type Inputs } from '../run-action.js'
import { TARGETS, type Scenario } from './scenarios.js'
import { emulatorOf, type World } from './world.js'

/** The runner's SIGKILL after SIGTERM. */
export const KILL_AFTER_MS = 2_500
/**
 * No run may take longer (hangs are cut at timeout-seconds; a wait at 120 s is a finding). Above
 * the minute GitHub asks a client to wait after a secondary rate limit (a 429 without
 * Retry-After), which a run may spend once.
 */
const RUN_LIMIT_MS = 90_000

interface Signals {
  sigint?: number
  /** When the child's log said it received the signal. */
  handled?: number
  sigterm?: number
  sigkill?: boolean
}

export interface RunRecord {
  run: ActionRun
  code: number | null
  endedAt: number
  signals: Signals
  /** The credentials it sent: its requests are those that carry them. */
  inputs: Inputs
  /** The signal that killed the run as it exited, after its report (see startRun). */
  killedAtExit?: string
}

export function startRun(
  world: World,
  inputs: Inputs,
  env: Record<string, string>,
  cancel: Scenario['cancel']
): Promise<RunRecord> {
  const bundled = startBundled(inputs, env)
  const signals: Signals = {}
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, act: () => void): void => void timers.push(setTimeout(act, ms))
  void bundled.waitFor('Received SIG').then(() => (signals.handled ??= performance.now()))
  const cancelNow = (): void => {
    later(cancel!.delayMs, () => {
      signals.sigint = performance.now()
      bundled.child.kill('SIGINT')
      later(cancel!.termAfterMs, () => {
        signals.sigterm = performance.now()
        bundled.child.kill('SIGTERM')
        later(KILL_AFTER_MS, () => {
          signals.sigkill = true
          bundled.child.kill('SIGKILL')
        })
      })
    })
  }
  if (cancel) {
    if (cancel.at === 'replay')
      void bundled.waitFor('Sealed copies of the new secret').then(cancelNow)
    else {
      const target = TARGETS.find((t) => t.name === cancel.at)!
      const emulator = emulatorOf(world, target)
      let seen = 0
      const previous = emulator.onArrival
      emulator.onArrival = (request) => {
        previous?.(request)
        if (
          request.method === target.method &&
          target.path.test(request.path) &&
          ++seen === cancel.nth
        )
          cancelNow()
      }
    }
  }
  later(RUN_LIMIT_MS, () => bundled.child.kill('SIGKILL'))
  return bundled.done.then((run) => {
    for (const timer of timers) clearTimeout(timer)
    const signal = bundled.child.signalCode
    // While Node exits, its signal handlers are gone and a signal's default action applies: a
    // run that ended (its report complete) is killed by a signal it never saw. It counts as
    // what its report says; the outcome notes it.
    const atExit =
      (signal === 'SIGINT' || signal === 'SIGTERM') &&
      !run.log.includes('Received SIG') &&
      /<h2>/.test(run.summary) &&
      run.outputs.result !== undefined
    return {
      run: atExit ? { ...run, failed: /^::error::/m.test(run.log) } : run,
      code: bundled.child.exitCode,
      endedAt: performance.now(),
      signals,
      inputs,
      ...(atExit && { killedAtExit: signal })
    }
  })
}
