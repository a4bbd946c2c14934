import { isStored, type DestinationResult } from './github/holders.js'
import type { Key, Role } from './platforms/key-platform.js'
import type { FindingKind, Operation, Platform } from './settings.js'

/** One thing an audit found about a key. */
export interface Finding {
  kind: FindingKind
  detail: string
  /** Reported, but never flags the key (e.g. `never-used` of a key whose age is unknown). */
  unflagged?: true
}

/** One key of an audit, with its findings. */
export interface AuditRow {
  key: Key
  role?: Role
  findings: Finding[]
  flagged: boolean
  /** The key `api-secret-key` belongs to: reported, never flagged. */
  authenticating: boolean
}

/** An audit's report: every key with its findings, and which keys are flagged. */
export interface AuditReport {
  keys: AuditRow[]
  flaggedKeyIds: string[]
  /** When the audit looked (findings are relative to it). */
  at: number
  /** No key of the platform has an expiry (cloud-one): the summary says so once. */
  keysNeverExpire?: true
}

/**
 * What a run did, filled in by the operation as it goes, so that whatever ends the run
 * (success, a failure, a cancellation) is reported with everything known at that moment.
 * Created once per run, by main.ts; the reporting module turns it into outputs and the summary.
 */
export class OperationResult {
  /** The key after the operation (before it, for delete); absent for audit. */
  key?: Key
  /**
   * rotate: the key whose secret the destinations held before (`alternate`: the live key, left
   * alone).
   */
  previousKey?: Key
  /**
   * rotate `replace`: whether `previousKey`, replaced by `key`, was deleted yet (undefined for
   * the live key of a pair, which stays).
   */
  previousDeleted?: boolean
  /** set-role and create: the role the key has now. */
  role?: Role
  /** rotate, create: the GitHub secret's name. */
  secretName?: string
  /** rotate, create: each destination's outcome (`planned` in a dry run). */
  destinations?: DestinationResult[]
  /** rotate, create: whether the new secret was proven to authenticate. */
  verified?: boolean
  /**
   * rotate, create: the new secret was withdrawn (its new key deleted) before any destination
   * held it, so the printed sealed copies must not be replayed.
   */
  replayVoid?: boolean
  /** rotate, create: the expiry this run set. */
  expirySet?: number
  audit?: AuditReport
  /** True when something changed (never in a dry run). */
  changed = false
  /** Human-readable lines: what changed, or what would change in a dry run. */
  readonly changes: string[] = []
  /**
   * A change whose request is under way, so whose outcome is not known yet (e.g. "the
   * regeneration of key 12's secret"): what a run cut short must report as unclear.
   */
  underWay?: string
  /** Milliseconds per phase. */
  readonly timings: Record<string, number> = {}

  constructor(
    readonly operation: Operation,
    readonly dryRun: boolean,
    readonly platform: Platform = 'workload-security'
  ) {}

  /** Records a change that happened. */
  change(what: string): void {
    this.changed = true
    this.changes.push(what)
  }

  /** Records what a dry run would have done, or what is known without a change. */
  note(what: string): void {
    this.changes.push(what)
  }

  /** rotate, create: how many destinations hold the new secret. */
  get secretsUpdated(): number {
    return (this.destinations ?? []).filter(isStored).length
  }
}
