import * as core from '@actions/core'
import { setMaxListeners } from 'node:events'

/*
 * The runner cancels a job with SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after
 * that. Invariant: from the start of the run to its end, no signal kills the process before it
 * reported. The first SIGINT asks the run to stop: no change starts after it (requests in
 * flight, a secret regeneration among them, may finish, and a secret they return is sealed and
 * printed first). SIGTERM, or any second signal, is urgent: every request still open is
 * abandoned and the run reports at once, before the SIGKILL.
 */

/** The run was cancelled before this change could start; nothing of it happened. */
export class CancelledError extends Error {
  constructor(readonly signal: string) {
    super(`Cancelled (${signal})`)
    this.name = 'CancelledError'
  }
}

/** How long the run may take, after the urgent signal, to finish reporting (SIGKILL comes at 2.5 s). */
export const URGENT_REPORT_MS = 1_000

/** The cancellation state of one run. */
export class Cancellation {
  private first?: string
  private readonly stop = new AbortController()
  private readonly abandon = new AbortController()

  constructor() {
    // Every request in flight listens: many at once is normal, not a leak.
    setMaxListeners(0, this.stop.signal, this.abandon.signal)
  }

  /** The signal that asked the run to stop, if one did. */
  get signal(): string | undefined {
    return this.first
  }

  /** Aborts at the first signal: nothing new may change. */
  get requested(): AbortSignal {
    return this.stop.signal
  }

  /** Aborts at SIGTERM or the second signal: requests in flight are abandoned. */
  get urgent(): AbortSignal {
    return this.abandon.signal
  }

  /** Throws a {@link CancelledError} when a signal came: call before a change starts. */
  throwIfRequested(): void {
    if (this.first) throw new CancelledError(this.first)
  }

  /** Records a signal (what the process handlers call; tests call it directly). */
  receive(signal: string): void {
    if (!this.first) {
      this.first = signal
      this.stop.abort(new CancelledError(signal))
      if (signal !== 'SIGTERM') {
        core.info(`Received ${signal}: no change starts from now on; the run reports what it did`)
        return
      }
    }
    if (this.abandon.signal.aborted) return
    core.info(`Received ${signal}: abandoning every request still open, and reporting now`)
    this.abandon.abort(new CancelledError(this.first))
  }

  /** Handles SIGINT and SIGTERM of this process from now on: they no longer kill it. */
  listen(): void {
    const onSignal = (signal: NodeJS.Signals): void => this.receive(signal)
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
}
