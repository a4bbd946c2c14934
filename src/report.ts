import * as core from '@actions/core'
import { isoDate, relative } from './dates.js'
import type { OperationResult } from './result.js'
import type { Key } from './platforms/key-platform.js'
import { bidiVisible, redact } from './redaction.js'
import type { Operation } from './settings.js'

/** The `result` output: one JSON object describing the run, never a secret. */
function resultJson(result: OperationResult, error?: string): string {
  const { key } = result
  const json = JSON.stringify({
    operation: result.operation,
    dryRun: result.dryRun,
    changed: result.changed,
    ...(key && {
      key: { id: key.id, name: key.name, roleId: key.role.id, active: key.active }
    }),
    ...(result.previousKey && {
      previousKey: { id: result.previousKey.id, name: result.previousKey.name }
    }),
    ...(result.role && { role: { id: result.role.id, name: result.role.name } }),
    changes: result.changes,
    ...(result.secretName !== undefined && {
      secretName: result.secretName,
      secretsUpdated: result.secretsUpdated,
      verified: result.verified ?? false,
      destinations: (result.destinations ?? []).map(({ label, ...rest }) => ({
        destination: label,
        ...rest
      }))
    }),
    ...(result.audit && {
      keysAudited: result.audit.keys.length,
      flagged: result.audit.flaggedKeyIds.length
    }),
    timings: result.timings,
    ...(error !== undefined && { error })
  })
  return redact(json)
}

/** Sets every output of the run. */
export function setOutputs(result: OperationResult, error?: string): void {
  const { key } = result
  if (key) {
    core.setOutput('key-id', key.id)
    core.setOutput('key-name', key.name)
    core.setOutput('role-id', key.role.id ?? '')
    core.setOutput('active', String(key.active))
  }
  core.setOutput('changed', String(result.changed))
  if (result.secretName !== undefined)
    core.setOutput('secrets-updated', String(result.secretsUpdated))
  if (result.previousKey) core.setOutput('previous-key-id', result.previousKey.id)
  if (result.expirySet !== undefined) core.setOutput('expiry-date', isoDate(result.expirySet))
  if (result.operation === 'describe' && key) {
    core.setOutput('created', isoDate(key.createdAt))
    core.setOutput('last-sign-in', isoDate(key.lastUsedAt))
    core.setOutput('expiry-date', isoDate(key.expiresAt))
  }
  if (result.audit) {
    const { audit } = result
    const findings = audit.keys.flatMap(({ key, findings }) =>
      findings.map((f) => ({
        'key-id': key.id,
        'key-name': key.name,
        kind: f.kind,
        detail: f.detail
      }))
    )
    core.setOutput('findings', redact(JSON.stringify(findings)))
    core.setOutput('flagged-count', String(audit.flaggedKeyIds.length))
    core.setOutput(
      'flagged-keys',
      JSON.stringify(audit.flaggedKeyIds.map((id) => ({ 'key-id': id })))
    )
  }
  core.setOutput('result', resultJson(result, error))
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/**
 * Escapes text for the summary, Markdown and HTML alike: names and messages come from servers,
 * and must not become links, images, tables or tags.
 */
export function summaryText(text: string): string {
  return (
    bidiVisible(redact(text))
      // One pass, so that no entity is escaped again (an apostrophe reads as one).
      .replace(/[&<>"'\\`*_{}[\]()#!|~]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`)
      // No autolinks either: a bare address must not become a link.
      .replace(/:\/\//g, '&#58;//')
      .replace(/\b(www)\./gi, '$1&#46;')
      .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')
  )
}

/**
 * A Markdown paragraph of the summary. The blank lines matter: Markdown right after an HTML
 * block (a table) would otherwise stay raw text.
 */
function paragraph(markdown: string): void {
  core.summary.addEOL().addRaw(markdown, true).addEOL()
}

/** A table cell: @actions/core drops the closing tag of an empty one. */
function cellText(text: string): string {
  return text === '' ? '-' : text
}

function keyRows(key: Key, operation: Operation): string[][] {
  const rows = [
    ['Key ID', key.id],
    ['Name', key.name],
    ['Role ID', key.role.id ?? ''],
    ['Active', String(key.active)]
  ]
  if (operation === 'describe') {
    rows.push(['Created', isoDate(key.createdAt)], ['Last sign-in', isoDate(key.lastUsedAt)])
    rows.push(['Expiry date', isoDate(key.expiresAt)])
  }
  return rows
}

/** Writes the job summary: what was asked, the key, what changed, and where the secret went. */
export async function writeSummary(
  operation: Operation | 'invalid input',
  result: OperationResult | undefined,
  error?: string
): Promise<void> {
  const summary = core.summary.addHeading(
    `Workload Security API key: ${operation}${result?.dryRun ? ' (dry run)' : ''}`,
    2
  )
  if (result?.dryRun) paragraph('**Dry run:** nothing was changed anywhere.')
  if (result?.key) {
    const rows = keyRows(result.key, result.operation)
    rows.push(['Changed', String(result.changed)])
    if (result.role) rows.push(['Role', `${result.role.id ?? ''} ${result.role.name}`.trim()])
    if (result.expirySet !== undefined) rows.push(['Expiry set to', isoDate(result.expirySet)])
    if (result.secretName) rows.push(['Secret', result.secretName])
    if (result.verified !== undefined) rows.push(['Verified', String(result.verified)])
    summary.addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.map(([field, value]) => [field, cellText(summaryText(value))])
    ])
  }
  if (result?.previousKey) {
    const pair = [result.key!, result.previousKey]
    summary.addTable([
      ['Key of the pair', 'Name', 'Expiry', 'Destinations hold'].map((data) => ({
        data,
        header: true
      })),
      ...pair.map((k, i) => [
        k.id,
        summaryText(k.name),
        isoDate(k.expiresAt) || 'none',
        i === 0
          ? result.secretsUpdated
            ? 'this key (new secret)'
            : 'not yet'
          : 'no longer (still valid until its expiry)'
      ])
    ])
  }
  if (result?.audit) writeAuditTable(result)
  if (result) {
    paragraph(
      `**What changed:** ${result.changes.length ? summaryText(result.changes.join('; ')) : 'nothing'}`
    )
  }
  if (result?.destinations?.length) {
    summary.addTable([
      [
        { data: 'Destination', header: true },
        { data: 'Result', header: true }
      ],
      ...result.destinations.map((d) => [summaryText(d.label), d.status])
    ])
  }
  if (error) paragraph(`**Failed:** ${summaryText(error)}`)
  await summary.write()
}

function writeAuditTable(result: OperationResult): void {
  const { audit } = result
  if (!audit) return
  const date = (ms: number | undefined): string =>
    ms === undefined ? 'never' : `${isoDate(ms).slice(0, 10)} (${relative(ms, audit.at)})`
  core.summary.addTable([
    ['ID', 'Name', 'Role', 'Active', 'Last sign-in', 'Expiry', 'Findings'].map((data) => ({
      data,
      header: true
    })),
    ...audit.keys.map((row) => [
      row.key.id,
      cellText(summaryText(row.key.name) + (row.authenticating ? ' (this action)' : '')),
      row.role
        ? summaryText(`${row.role.id ?? ''} ${row.role.name}`.trim())
        : cellText(row.key.role.id ?? ''),
      String(row.key.active),
      date(row.key.lastUsedAt),
      row.key.expiresAt === undefined ? 'none' : date(row.key.expiresAt),
      cellText((row.flagged ? '<b>flagged</b>: ' : '') + row.findings.map((f) => f.kind).join(', '))
    ])
  ])
  const totals = new Map<string, number>()
  for (const row of audit.keys)
    for (const f of row.findings) totals.set(f.kind, (totals.get(f.kind) ?? 0) + 1)
  paragraph(
    `**Totals:** ${audit.keys.length} key(s), ${audit.flaggedKeyIds.length} flagged` +
      [...totals].map(([kind, n]) => `; ${kind}: ${n}`).join('')
  )
}
