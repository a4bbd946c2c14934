import * as core from '@actions/core'
import type { Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import { durationText } from '../dates.js'
import { HttpError } from '../http/http-error.js'
import type { OperationResult } from '../result.js'

/**
 * Runs one phase of an operation inside a log group, and records how long it took (in the
 * result, and as the group's last line).
 */
export async function phase<T>(
  name: string,
  { result, clock }: { result: OperationResult; clock: Clock },
  work: () => Promise<T>
): Promise<T> {
  const started = clock.now()
  return core.group(name, async () => {
    try {
      return await work()
    } finally {
      const took = clock.now() - started
      result.timings[name.toLowerCase()] = took
      core.info(`${name} took ${durationText(took)}`)
    }
  })
}

/**
 * Runs one change (a request that alters a key or a secret): refused with a `CancelledError`
 * once the run was cancelled (but for a clean-up: removing what this run made and nothing
 * holds), and recorded as under way until its answer is in. An unclear answer leaves it
 * recorded as `unclear` (the run's state is then `unknown`) until the caller checks what
 * happened and clears it.
 */
export async function change<T>(
  { result, cancellation }: { result: OperationResult; cancellation: Cancellation },
  what: string,
  work: () => Promise<T>,
  { cleanUp = false } = {}
): Promise<T> {
  if (!cleanUp) cancellation.throwIfRequested()
  result.underWay = what
  try {
    return await work()
  } catch (error) {
    if (error instanceof HttpError && error.unclear) result.unclear = what
    throw error
  } finally {
    result.underWay = undefined
  }
}
