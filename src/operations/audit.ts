import * as core from '@actions/core'
import { errorText } from '../redaction.js'
import type { AuditSettings, FindingKind } from '../settings.js'
import type { ApiKey, Role } from '../workload-security/models.js'
import type { Clients } from './clients.js'
import { keyLabel } from './resolve.js'
import { phase, type AuditReport, type Finding, type OperationResult } from './result.js'

/*
 * audit: read-only. Three GETs whatever the number of keys (every key, every role, the
 * authenticating key), then each key's findings. The authenticating key is reported, never
 * flagged: locking it would cut off the audit itself.
 */

const DAY_MS = 86_400_000

/** Most urgent first: the order of the summary's rows. */
const URGENCY: FindingKind[] = [
  'expired',
  'expiring',
  'locked',
  'never-used',
  'stale',
  'failed-sign-ins',
  'full-access',
  'no-expiry'
]

/** The role every key with it may do anything with. */
const FULL_ACCESS_ROLE = 'Full Access'

export async function audit(
  settings: AuditSettings,
  { ws, clock }: Clients
): Promise<OperationResult> {
  const timings: Record<string, number> = {}
  const [keys, roles, current] = await phase('Read', timings, clock, () =>
    Promise.all([
      ws.listKeys(),
      ws.listRoles().catch((error: unknown) => {
        core.warning(
          `The roles could not be read (${errorText(error)}): role names and the full-access finding are left out.`
        )
        return undefined
      }),
      ws.getCurrentKey()
    ])
  )
  const at = clock.now()
  const roleById = new Map((roles ?? []).map((r) => [r.ID, r]))
  const rows = keys.map((key) => {
    const role = roleById.get(key.roleID)
    const findings = findingsOf(key, role, at, settings)
    const isSelf = key.ID === current.ID
    const flagged = !isSelf && findings.some((f) => settings.flag.includes(f.kind))
    return { key, role, findings, flagged, isSelf }
  })
  rows.sort(
    (a, b) =>
      urgency(a) - urgency(b) ||
      (a.key.expiryDate ?? Infinity) - (b.key.expiryDate ?? Infinity) ||
      a.key.ID - b.key.ID
  )
  const report: AuditReport = {
    keys: rows,
    flaggedKeyIds: rows.filter((r) => r.flagged).map((r) => r.key.ID),
    at
  }
  for (const row of rows) {
    if (row.findings.length === 0) continue
    core.info(
      `${keyLabel(row.key)}: ${row.findings.map((f) => f.kind).join(', ')}${row.flagged ? ' (flagged)' : ''}${row.isSelf ? ' (the key this action authenticates with: never flagged)' : ''}`
    )
  }
  core.info(
    `Audited ${keys.length} key(s); ${report.flaggedKeyIds.length} flagged (${settings.flag.join(', ') || 'none'})`
  )
  return {
    operation: 'audit',
    dryRun: settings.dryRun,
    changed: false,
    changes: [],
    audit: report,
    timings
  }
}

function urgency(row: { findings: Finding[]; flagged: boolean }): number {
  const best = Math.min(...row.findings.map((f) => URGENCY.indexOf(f.kind)), URGENCY.length)
  return (row.flagged ? 0 : URGENCY.length + 1) + best
}

/** What is worth knowing about one key at `at`. */
function findingsOf(
  key: ApiKey,
  role: Role | undefined,
  at: number,
  settings: Pick<AuditSettings, 'warnDays' | 'staleDays'>
): Finding[] {
  const findings: Finding[] = []
  const add = (kind: FindingKind, detail: string): void => {
    findings.push({ keyId: key.ID, keyName: key.keyName, kind, detail })
  }
  if (key.expiryDate === undefined) add('no-expiry', 'the key never expires')
  else if (key.expiryDate <= at) add('expired', `expired ${relative(key.expiryDate, at)}`)
  else if (key.expiryDate - at <= settings.warnDays * DAY_MS)
    add('expiring', `expires ${relative(key.expiryDate, at)}`)
  const staleMs = settings.staleDays * DAY_MS
  if (key.lastSignIn === undefined) {
    if (key.created !== undefined && at - key.created >= staleMs)
      add('never-used', `never signed in; created ${relative(key.created, at)}`)
  } else if (at - key.lastSignIn >= staleMs) {
    add('stale', `last signed in ${relative(key.lastSignIn, at)}`)
  }
  if (!key.active) add('locked', 'active: false')
  if ((key.unsuccessfulSignInAttempts ?? 0) > 0)
    add('failed-sign-ins', `${key.unsuccessfulSignInAttempts} unsuccessful sign-in attempt(s)`)
  if (role?.name === FULL_ACCESS_ROLE) add('full-access', `role ${role.ID} "${FULL_ACCESS_ROLE}"`)
  return findings
}

/** "in 12 days", "41 days ago", "today". */
export function relative(time: number, at: number): string {
  const days = Math.floor(Math.abs(time - at) / DAY_MS)
  if (days === 0) return 'today'
  const span = `${days} day${days === 1 ? '' : 's'}`
  return time > at ? `in ${span}` : `${span} ago`
}
