import * as core from '@actions/core'
import type { Operation } from '../inputs.js'
import type { ApiKey, Role } from '../workload-security/models.js'

/**
 * `unconfirmed`: no answer ever arrived, so the write may have landed; `failed`: GitHub
 * answered that it did not.
 */
export type DestinationStatus = 'planned' | 'created' | 'updated' | 'unconfirmed' | 'failed'

export interface DestinationResult {
  /** e.g. `repository octo/app`. */
  destination: string
  status: DestinationStatus
  /** Why it failed; never a secret. */
  error?: string
}

/** What an operation did; the reporting module turns it into outputs and the job summary. */
export interface OperationResult {
  operation: Operation
  dryRun: boolean
  /** The key after the operation (before it, for delete). */
  key: ApiKey
  /** True when something changed (never in a dry run). */
  changed: boolean
  /** Human-readable lines: what changed, or what would change in a dry run. */
  changes: string[]
  role?: Role
  /** rotate only. */
  secretName?: string
  destinations?: DestinationResult[]
  /** rotate only: how many GitHub secrets now hold the new secret. */
  secretsUpdated?: number
  /** rotate only: whether the new secret was proven to authenticate. */
  verified?: boolean
  /** Milliseconds per phase. */
  timings: Record<string, number>
}

/** A failure that still has a result worth reporting (which destinations hold what). */
export class OperationFailedError extends Error {
  constructor(
    message: string,
    readonly result: OperationResult
  ) {
    super(message)
    this.name = 'OperationFailedError'
  }
}

/** Runs one phase of an operation inside a log group and records how long it took. */
export async function phase<T>(
  name: string,
  timings: Record<string, number>,
  work: () => Promise<T>
): Promise<T> {
  const started = Date.now()
  try {
    return await core.group(name, work)
  } finally {
    timings[name.toLowerCase()] = Date.now() - started
  }
}
