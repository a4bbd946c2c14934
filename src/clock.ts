/** Time as the action sees it: injected by tests so that retries and pacing never wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /**
   * Waits `ms`, or less: when `signal` aborts (the run's first signal), the wait ends at once,
   * rejecting with the signal's reason. Every wait of a run listens, so that a cancelled run
   * reports within moments instead of sleeping through the runner's grace.
   */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /** A number in [0, 1), for backoff jitter. */
  random(): number
  /** The deadline of one request: its signal aborts after `ms` unless cleared first. */
  deadline(ms: number): Deadline
}

export interface Deadline {
  signal: AbortSignal
  /** Stops the timer once the request settled. */
  clear(): void
}

/**
 * A deadline held by a plain timer. `AbortSignal.timeout` combined with `AbortSignal.any` can be
 * garbage-collected while a request still waits on it, and then never fires (nodejs/node#57736):
 * the timer here keeps its controller alive until it fires or is cleared.
 */
export function timerDeadline(ms: number): Deadline {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${ms / 1000} s`, 'TimeoutError')),
    ms
  )
  return { signal: controller.signal, clear: () => clearTimeout(timer) }
}

/** A sleep held by a plain timer that the signal cuts short (see {@link Clock.sleep}). */
export function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error)
    const stop = (): void => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    signal.addEventListener('abort', stop, { once: true })
  })
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: timerSleep,
  random: () => Math.random(),
  deadline: timerDeadline
}
