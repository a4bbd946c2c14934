import * as core from '@actions/core'
import type { Operation } from './inputs.js'
import type { OperationResult } from './operations/result.js'
import { redact } from './secrets.js'

/** ISO 8601 UTC of a manager timestamp (ms since epoch); empty when absent. */
function isoDate(ms: number | undefined): string {
  return ms === undefined || ms === null ? '' : new Date(ms).toISOString()
}

/** The `result` output: one JSON object describing the run, never a secret. */
function resultJson(result: OperationResult, error?: string): string {
  const json = JSON.stringify({
    operation: result.operation,
    dryRun: result.dryRun,
    changed: result.changed,
    key: {
      id: result.key.ID,
      name: result.key.keyName,
      roleId: result.key.roleID,
      active: result.key.active
    },
    ...(result.role && { role: { id: result.role.ID, name: result.role.name } }),
    changes: result.changes,
    ...(result.secretName !== undefined && {
      secretName: result.secretName,
      secretsUpdated: result.secretsUpdated ?? 0,
      verified: result.verified ?? false,
      destinations: result.destinations ?? []
    }),
    timings: result.timings,
    ...(error !== undefined && { error })
  })
  return redact(json)
}

/** Sets every output of the run. */
export function setOutputs(result: OperationResult, error?: string): void {
  const { key } = result
  core.setOutput('key-id', String(key.ID))
  core.setOutput('key-name', key.keyName)
  core.setOutput('role-id', key.roleID ? String(key.roleID) : '')
  core.setOutput('active', String(key.active))
  core.setOutput('changed', String(result.changed))
  if (result.operation === 'rotate')
    core.setOutput('secrets-updated', String(result.secretsUpdated ?? 0))
  if (result.operation === 'describe') {
    core.setOutput('created', isoDate(key.created))
    core.setOutput('last-sign-in', isoDate(key.lastSignIn))
    core.setOutput('expiry-date', isoDate(key.expiryDate))
  }
  core.setOutput('result', resultJson(result, error))
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** Escapes text for the summary, whose tables are HTML: names come from the manager. */
function cell(text: string): string {
  return redact(text)
    .replace(/[&<>"']/g, (c) => HTML_ENTITIES[c])
    .replace(/\r?\n/g, ' ')
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
  if (result?.dryRun) summary.addRaw('**Dry run:** nothing was changed anywhere.', true)
  if (result) {
    const { key } = result
    const rows = [
      ['Key ID', String(key.ID)],
      ['Name', key.keyName],
      ['Role ID', key.roleID ? String(key.roleID) : ''],
      ['Active', String(key.active)],
      ['Changed', String(result.changed)]
    ]
    if (result.role) rows.push(['Role', `${result.role.ID} ${result.role.name}`])
    if (operation === 'describe') {
      rows.push(['Created', isoDate(key.created)], ['Last sign-in', isoDate(key.lastSignIn)])
      rows.push(['Expiry date', isoDate(key.expiryDate)])
    }
    if (result.secretName) rows.push(['Secret', result.secretName])
    if (result.verified !== undefined) rows.push(['Verified', String(result.verified)])
    summary.addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.map(([field, value]) => [field, cell(value)])
    ])
    summary.addRaw('**What changed:** ', false)
    summary.addRaw(result.changes.length ? cell(result.changes.join('; ')) : 'nothing', true)
    if (result.destinations?.length) {
      summary.addTable([
        [
          { data: 'Destination', header: true },
          { data: 'Result', header: true }
        ],
        ...result.destinations.map((d) => [cell(d.destination), d.status])
      ])
    }
  }
  if (error) summary.addRaw(`**Failed:** ${cell(error)}`, true)
  await summary.write()
}
