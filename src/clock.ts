/** Time as the action sees it: injected by tests so that retries and pacing never wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  sleep(ms: number): Promise<void>
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

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  deadline: timerDeadline
}
