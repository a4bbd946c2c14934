import * as core from '@actions/core'
import { DAY_MS, relative } from '../dates.js'
import type { Key, KeyPlatform, Role } from '../platforms/key-platform.js'
import { errorText } from '../redaction.js'
import type { AuditSettings, FindingKind } from '../settings.js'
import type { Context } from './context.js'
import { compareKeyIds, keyLabel, roleLabel } from './resolve.js'
import type { AuditRow, Finding } from '../result.js'
import { phase } from './phase.js'

/*
 * audit: read-only. Three reads whatever the number of keys (every key, every role, the
 * authenticating key), then each key's findings. The authenticating key is reported, never
 * flagged: locking it would cut off the audit itself.
 */

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

export async function audit(settings: AuditSettings, context: Context): Promise<void> {
  const { platform, clock, result } = context
  const [keys, roles, authenticatingKey] = await phase('Read', context, () =>
    Promise.all([
      platform.listKeys(),
      platform.listRoles().catch((error: unknown) => {
        core.warning(
          `The roles could not be read (${errorText(error)}): role names and the full-access finding are left out.`
        )
        return undefined
      }),
      platform.getAuthenticatingKey()
    ])
  )
  const at = clock.now()
  // A platform whose keys name their role (vision-one) needs no list of roles.
  const roleOf = (key: Key): Role | undefined =>
    roles?.find((r) =>
      key.role.id !== undefined ? r.id === key.role.id : r.name === key.role.name
    ) ?? (key.role.name === undefined ? undefined : { ...key.role, name: key.role.name })
  const rows: AuditRow[] = keys.map((key) => {
    const role = roleOf(key)
    const findings = findingsOf(key, role, at, settings, platform)
    const authenticating = key.id === authenticatingKey?.id
    const flagged =
      !authenticating && findings.some((f) => !f.unflagged && settings.flag.includes(f.kind))
    return { key, role, findings, flagged, authenticating }
  })
  rows.sort(
    (a, b) =>
      urgency(a) - urgency(b) ||
      (a.key.expiresAt ?? Infinity) - (b.key.expiresAt ?? Infinity) ||
      compareKeyIds(a.key.id, b.key.id)
  )
  result.audit = {
    keys: rows,
    flaggedKeyIds: rows.filter((r) => r.flagged).map((r) => r.key.id),
    at,
    ...(platform.keysNeverExpire && { keysNeverExpire: true })
  }
  if (platform.keysNeverExpire)
    core.info("Keys of this platform never expire: rotation is the only limit on a secret's life")
  for (const row of rows) {
    if (row.findings.length === 0) continue
    core.info(
      `${keyLabel(row.key)}: ${row.findings.map((f) => f.kind).join(', ')}${row.flagged ? ' (flagged)' : ''}${row.authenticating ? ' (the key this action authenticates with: never flagged)' : ''}`
    )
  }
  core.info(
    `Audited ${keys.length} key(s); ${result.audit.flaggedKeyIds.length} flagged (${settings.flag.join(', ') || 'none'})`
  )
}

function urgency(row: AuditRow): number {
  const best = Math.min(...row.findings.map((f) => URGENCY.indexOf(f.kind)), URGENCY.length)
  return (row.flagged ? 0 : URGENCY.length + 1) + best
}

/** What is worth knowing about one key at `at`. */
function findingsOf(
  key: Key,
  role: Role | undefined,
  at: number,
  settings: Pick<AuditSettings, 'warnDays' | 'staleDays'>,
  { allPowerfulRole, keysNeverExpire }: Pick<KeyPlatform, 'allPowerfulRole' | 'keysNeverExpire'>
): Finding[] {
  const findings: Finding[] = []
  const add = (kind: FindingKind, detail: string, unflagged?: true): void => {
    findings.push({ kind, detail, ...(unflagged && { unflagged }) })
  }
  if (keysNeverExpire) {
    // No key of the platform has an expiry: the summary says so once, not per key.
  } else if (key.expiresAt === undefined) add('no-expiry', 'the key never expires')
  else if (key.expiresAt <= at) add('expired', `expired ${relative(key.expiresAt, at)}`)
  else if (key.expiresAt - at <= settings.warnDays * DAY_MS)
    add('expiring', `expires ${relative(key.expiresAt, at)}`)
  const staleMs = settings.staleDays * DAY_MS
  if (key.lastUsedAt === undefined) {
    // A key whose age is unknown may have been made a minute ago: reported, never flagged.
    if (key.createdAt === undefined) add('never-used', 'never signed in; age unknown', true)
    else if (at - key.createdAt >= staleMs)
      add('never-used', `never signed in; created ${relative(key.createdAt, at)}`)
  } else if (at - key.lastUsedAt >= staleMs) {
    add('stale', `last signed in ${relative(key.lastUsedAt, at)}`)
  }
  if (!key.active) add('locked', 'active: false')
  if ((key.failedSignIns ?? 0) > 0)
    add('failed-sign-ins', `${key.failedSignIns} unsuccessful sign-in attempt(s)`)
  // The all-powerful role by name, or by ID where roles have IDs that say it.
  if (role?.name === allPowerfulRole || key.role.id === allPowerfulRole)
    add('full-access', `role ${roleLabel(role ?? key.role)}`)
  return findings
}
