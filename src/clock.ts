/** Time as the action sees it: injected by tests so that retries and pacing never wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  sleep(ms: number): Promise<void>
  /** A number in [0, 1), for backoff jitter. */
  random(): number
  /** A signal that aborts after `ms`: the deadline of one request. */
  timeout(ms: number): AbortSignal
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  timeout: (ms) => AbortSignal.timeout(ms)
}
