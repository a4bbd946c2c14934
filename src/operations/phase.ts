import * as core from '@actions/core'
import type { Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import type { OperationResult } from '../result.js'

/** Runs one phase of an operation inside a log group and records how long it took. */
export async function phase<T>(
  name: string,
  { result, clock }: { result: OperationResult; clock: Clock },
  work: () => Promise<T>
): Promise<T> {
  const started = clock.now()
  try {
    return await core.group(name, work)
  } finally {
    result.timings[name.toLowerCase()] = clock.now() - started
  }
}

/**
 * Runs one change (a request that alters a key or a secret): refused with a `CancelledError`
 * once the run was cancelled, and recorded as under way until its answer is in.
 */
export async function change<T>(
  { result, cancellation }: { result: OperationResult; cancellation: Cancellation },
  what: string,
  work: () => Promise<T>
): Promise<T> {
  cancellation.throwIfRequested()
  result.underWay = what
  try {
    return await work()
  } finally {
    result.underWay = undefined
  }
}
