/**
 * The runner cancels a job with SIGINT, then SIGTERM, then kills it. While a new secret may not
 * be stored everywhere yet, a cancellation must end the run with a report, never silently:
 * {@link unlessCancelled} turns the first signal into a {@link CancelledError} for the work in
 * progress, and every later signal is ignored, so that the report gets written; the entry point
 * then ends the process (requests may still hang).
 */

export class CancelledError extends Error {
  constructor(readonly signal: string) {
    super(`Cancelled (${signal})`)
    this.name = 'CancelledError'
  }
}

let requested: string | undefined

/** The signal that cancelled the run, if one did. */
export function cancellationRequested(): string | undefined {
  return requested
}

/** `work`, or a {@link CancelledError} as soon as the runner cancels the job. */
export async function unlessCancelled<T>(work: Promise<T>): Promise<T> {
  let stopListening = (): void => undefined
  const cancelled = new Promise<never>((_resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (requested) return
      requested = signal
      reject(new CancelledError(signal))
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    stopListening = () => {
      // Once cancelled, later signals stay ignored until the report is written.
      if (requested) return
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  })
  try {
    return await Promise.race([work, cancelled])
  } finally {
    stopListening()
  }
}
