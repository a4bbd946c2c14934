import * as core from '@actions/core'
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
