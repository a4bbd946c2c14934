import { isStored, type DestinationResult } from './github/holders.js'
import type { Key, Role } from './platforms/key-platform.js'
import { errorText } from './redaction.js'
import type { FindingKind, Operation, Platform } from './settings.js'

/**
 * What a run leaves behind, in one word (the summary's first line and the `::error::` start
 * with it): nothing changed; the change happened; some destinations hold the new secret and
 * some do not; or a request that may have acted got no clear answer.
 */
export type RunState = 'unchanged' | 'done' | 'partial' | 'unknown'

/**
 * One step of the recovery a failed run prints, in order. Each kind is rendered with a fixed
 * opening (report.ts), so that a person, and the fault explorer, can follow it literally.
 */
export type RecoveryStep =
  /** Run the replay command printed for each of these destinations. */
  | { kind: 'replay'; labels: string[] }
  /** Delete a key on the platform. */
  | { kind: 'delete-key'; id: string; why: string }
  /** Delete a GitHub secret (a probe secret left behind). */
  | { kind: 'delete-secret'; name: string; label: string; why: string }
  /** Re-run the same workflow: said only when it is safe. */
  | { kind: 'rerun'; why: string }
  /** Anything a person must do by hand. */
  | { kind: 'manual'; text: string }

/**
 * A failure that says what to do about it: its recovery, in order (empty when nothing needs to
 * be done), and the state when the result alone cannot tell it.
 */
export class RunFailure extends Error {
  readonly recovery: RecoveryStep[]
  readonly state?: RunState

  constructor(
    message: string,
    options: { recovery?: RecoveryStep[]; state?: RunState; cause?: unknown } = {}
  ) {
    super(message, { cause: options.cause })
    this.name = 'RunFailure'
    this.recovery = options.recovery ?? []
    this.state = options.state
  }

  /**
   * `error` with `more` said after its message; its recovery and state are kept unless
   * `options` gives others.
   */
  static extend(
    error: unknown,
    more: string,
    options: { recovery?: RecoveryStep[]; state?: RunState } = {}
  ): RunFailure {
    const own = error instanceof RunFailure ? error : undefined
    return new RunFailure(`${errorText(error)} ${more}`, {
      cause: error,
      recovery: options.recovery ?? own?.recovery,
      state: options.state ?? own?.state
    })
  }
}

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
  /**
   * rotate, create: every replay block printed (sealed copies and their commands; safe to show),
   * for the summary.
   */
  replays?: string[]
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
  /**
   * A change that may have acted but got no clear answer, and that nothing checked since (e.g.
   * "the deletion of key 12"): the run's state is `unknown`.
   */
  unclear?: string
  /** Probe secrets this run wrote and could not remove (they block the next run a while). */
  readonly leftProbes: { name: string; label: string }[] = []
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

  /** What the run leaves behind (see {@link RunState}). */
  get state(): RunState {
    if (this.unclear !== undefined || this.underWay !== undefined) return 'unknown'
    if (!this.changed) return 'unchanged'
    const writes = (this.destinations ?? []).filter((d) => d.status !== 'planned')
    return writes.every(isStored) ? 'done' : 'partial'
  }

  /** rotate, create: how many destinations hold the new secret. */
  get secretsUpdated(): number {
    return (this.destinations ?? []).filter(isStored).length
  }
}
