import * as core from '@actions/core'
import type { Clock } from '../clock.js'
import type { FindingKind, Operation } from '../settings.js'
import type { ApiKey, Role } from '../workload-security/models.js'

/**
 * `planned`: a dry run's; `unconfirmed`: no answer ever arrived, so the write may have landed;
 * `failed`: GitHub answered that it did not.
 */
export type DestinationStatus = 'planned' | 'created' | 'updated' | 'unconfirmed' | 'failed'

/** What happened at one destination of the new secret. */
export interface DestinationResult {
  /** e.g. `repository octo/app`. */
  label: string
  status: DestinationStatus
  /** Why it failed; never a secret. */
  error?: string
}

/** One thing an audit found about one key. */
export interface Finding {
  keyId: number
  keyName: string
  kind: FindingKind
  detail: string
}

/** An audit's report: every key with its findings, and which keys are flagged. */
export interface AuditReport {
  keys: { key: ApiKey; role?: Role; findings: Finding[]; flagged: boolean; isSelf: boolean }[]
  flaggedKeyIds: number[]
  /** When the audit looked (findings are relative to it). */
  at: number
}

/** What an operation did; the reporting module turns it into outputs and the job summary. */
export interface OperationResult {
  operation: Operation
  dryRun: boolean
  /** The key after the operation (before it, for delete); absent for audit. */
  key?: ApiKey
  /** True when something changed (never in a dry run). */
  changed: boolean
  /** Human-readable lines: what changed, or what would change in a dry run. */
  changes: string[]
  role?: Role
  /** rotate with strategy alternate: the other key of the pair, left alone. */
  previousKey?: ApiKey
  /** rotate, create: the GitHub secret's name. */
  secretName?: string
  destinations?: DestinationResult[]
  /** rotate, create: how many GitHub secrets now hold the new secret. */
  secretsUpdated?: number
  /** rotate, create: whether the new secret was proven to authenticate. */
  verified?: boolean
  /** rotate, create: the expiry this run set. */
  expirySet?: number
  audit?: AuditReport
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
  clock: Clock,
  work: () => Promise<T>
): Promise<T> {
  const started = clock.now()
  try {
    return await core.group(name, work)
  } finally {
    timings[name.toLowerCase()] = clock.now() - started
  }
}
