import * as core from '@actions/core'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { durationText, isoDate, relative } from './dates.js'
import { isStored } from './github/holders.js'
import { CancelledError } from './cancellation.js'
import { HttpError, TLS_CODE } from './http/http-error.js'
import {
  RunFailure,
  type AuditReport,
  type OperationResult,
  type RecoveryStep,
  type RunState
} from './result.js'
import type { Key } from './platforms/key-platform.js'
import { bidiVisible, errorText, logSafe, redact } from './redaction.js'
import type { Operation } from './settings.js'

/*
 * GitHub's limits hold for any number of keys: a job's outputs together at most 1 MB (so a job
 * that forwards them all stays inside), a job summary at most 1 MiB, a matrix at most 256
 * entries. What does not fit is cut, most urgent first, with a warning; `findings-file` holds
 * every finding.
 */
const OUTPUTS_LIMIT_BYTES = 1_000_000
const SUMMARY_LIMIT_BYTES = 1024 * 1024
/** Left for the rest of the summary after the audit table: what changed, totals, the failure. */
const SUMMARY_TAIL_BYTES = 64 * 1024
const MATRIX_LIMIT = 256
/** What each output costs in the output file beside its value (name, delimiters). */
const OUTPUT_OVERHEAD_BYTES = 128

/** How a run failed: its state, what happened, and what to do, in order. */
export interface Failure {
  state: RunState
  /** What happened, who holds what, what was checked; safe for the log. */
  message: string
  recovery: RecoveryStep[]
}

/** Where a token that can write the secret comes from, for the replay commands. */
const WRITER_TOKEN_SOURCE =
  "WRITER_TOKEN: a token that can write the secret, such as this workflow's github-token (never its GITHUB_TOKEN); " +
  'with a GitHub App token, mint one in a one-off workflow with actions/create-github-app-token, or use `gh auth token` of an organization admin'

/**
 * The failure a run reports for `error`: the state (the error's own, else what the result
 * says), and the recovery (the error's own, else the one that follows from the state: re-run
 * when nothing changed, replay the sealed copies where a new secret is missing).
 */
export function failureOf(error: unknown, result: OperationResult | undefined): Failure {
  const message = errorText(error)
  const state = (error instanceof RunFailure && error.state) || result?.state || 'unchanged'
  const recovery =
    error instanceof RunFailure && error.recovery.length > 0
      ? error.recovery
      : defaultRecovery(state, result, error)
  // First: a probe left behind stops the next run that writes the secret there.
  const probes = (result?.leftProbes ?? []).map(({ name, label }): RecoveryStep => ({
    kind: 'delete-secret',
    name,
    label,
    why: 'this run wrote it as its lease on the destination and did not see it removed; until it is deleted (or 10 minutes have passed) a run that writes the secret there stops before it changes anything.'
  }))
  return { state, message, recovery: [...probes, ...recovery] }
}

/**
 * Whether the cause of a failure may pass by itself (no answer, a 5xx, a rate limit, a
 * cancellation), so that the same run, started again, may succeed. A refusal (4xx) or a check
 * of this action's fails again until someone fixes its cause.
 */
function passing(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof AggregateError) return e.errors.length > 0 && e.errors.every(passing)
    if (e instanceof CancelledError) return true
    if (e instanceof HttpError) {
      // An answer cut off or never sent (but a TLS mismatch, which is set-up) may pass.
      const network = (e.unclear || e.notSent) && !TLS_CODE.test(e.code ?? '')
      return network || e.rateLimited || e.status === 408
    }
  }
  return false
}

function defaultRecovery(
  state: RunState,
  result: OperationResult | undefined,
  error: unknown
): RecoveryStep[] {
  if (!result) {
    // The inputs (or the job's environment) were refused before anything was read.
    return [
      {
        kind: 'manual',
        text: 'Fix the inputs (or the environment) as the message says, then run again: nothing was changed.'
      }
    ]
  }
  if (state === 'unchanged') {
    return [
      passing(error)
        ? { kind: 'rerun', why: 'nothing was changed, and the cause above may have passed' }
        : { kind: 'manual', text: 'Fix the cause above, then run again: nothing was changed.' }
    ]
  }
  const missing = (result.destinations ?? []).filter((d) => d.status !== 'planned' && !isStored(d))
  if (missing.length > 0 && result.replays?.length && !result.replayVoid)
    return [{ kind: 'replay', labels: missing.map((d) => d.label) }]
  if (state === 'unknown' && ['lock', 'unlock', 'set-role'].includes(result.operation)) {
    return [
      {
        kind: 'rerun',
        why: 'it reads the key again and changes it only when it is not as asked'
      }
    ]
  }
  return []
}

/** One step of a recovery, with the fixed opening that says what kind of step it is. */
export function stepText(step: RecoveryStep): string {
  switch (step.kind) {
    case 'replay':
      return (
        `Replay the sealed copies for: ${step.labels.map(logSafe).join('; ')}. ` +
        'Each has a one-line command under "Replay for <destination>" in this step\'s log (group Store and verify) and in the job summary; ' +
        `run it with ${WRITER_TOKEN_SOURCE}. ` +
        'Only until a later run issues a newer secret for this key: its copies are void then, and would replace a working secret.'
      )
    case 'delete-key':
      return `Delete key ${logSafe(step.id)}: ${step.why} (operation delete, key-id ${logSafe(step.id)}).`
    case 'delete-secret':
      return `Delete the secret ${step.name} of ${logSafe(step.label)}: ${step.why}`
    case 'rerun':
      return `Re-run this workflow: re-running is safe (${step.why}).`
    case 'manual':
      return step.text
  }
}

/** The `::error::` text: the state word first, then what happened, then the recovery. */
export function failureText({ state, message, recovery }: Failure): string {
  const steps = recovery.map((step, i) => `${i + 1}. ${stepText(step)}`)
  return [
    `${state}: ${message}`,
    ...(steps.length ? ['To recover, in order:', ...steps] : [])
  ].join('\n')
}

/**
 * The `changed` output, in step with the state word: `unknown` when a request that may have
 * acted got no clear answer, `false` when a failed run left things as they were (a key it made
 * and removed again included).
 */
function changedOf(result: OperationResult, failure?: Failure): boolean | 'unknown' {
  const state = failure?.state ?? result.state
  if (state === 'unknown') return 'unknown'
  return state === 'unchanged' ? false : result.changed
}

/** The `result` output: one JSON object describing the run, never a secret. */
function resultJson(result: OperationResult, failure?: Failure): string {
  const { key } = result
  const json = JSON.stringify({
    operation: result.operation,
    dryRun: result.dryRun,
    state: failure?.state ?? result.state,
    changed: changedOf(result, failure),
    ...(key && {
      key: {
        id: key.id,
        name: key.name,
        roleId: key.role.id,
        roleName: roleNameOf(result),
        active: key.active
      }
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
    ...(failure && {
      error: failure.message,
      recovery: failure.recovery.map(stepText)
    })
  })
  return redact(json)
}

/** Sets every output of the run. */
export function setOutputs(result: OperationResult, failure?: Failure): void {
  const outputs = new Map<string, string>()
  const { key } = result
  if (key) {
    outputs.set('key-id', key.id)
    outputs.set('key-name', key.name)
    outputs.set('role-id', key.role.id ?? '')
    outputs.set('role-name', roleNameOf(result) ?? '')
    outputs.set('active', String(key.active))
  }
  outputs.set('changed', String(changedOf(result, failure)))
  if (result.secretName !== undefined) outputs.set('secrets-updated', String(result.secretsUpdated))
  if (result.previousKey) outputs.set('previous-key-id', result.previousKey.id)
  if (result.expirySet !== undefined) outputs.set('expiry-date', isoDate(result.expirySet))
  if (result.operation === 'describe' && key) {
    outputs.set('created', isoDate(key.createdAt))
    outputs.set('last-sign-in', isoDate(key.lastUsedAt))
    outputs.set('expiry-date', isoDate(key.expiresAt))
  }
  outputs.set('result', resultJson(result, failure))
  if (result.audit) setAuditOutputs(result.audit, outputs)
  for (const [name, value] of outputs) core.setOutput(name, value)
}

/**
 * An audit's outputs within GitHub's limits: every finding in a file (`findings-file`), and
 * as many as fit in `findings` and `flagged-keys`, most urgent first; `flagged-count` is the
 * true count.
 */
function setAuditOutputs(audit: AuditReport, outputs: Map<string, string>): void {
  const all = audit.keys.flatMap(({ key, findings }) =>
    findings.map((f) => ({
      'key-id': key.id,
      'key-name': key.name,
      kind: f.kind,
      detail: f.detail
    }))
  )
  const file = join(process.env.RUNNER_TEMP || tmpdir(), 'workload-security-api-key-findings.json')
  writeFileSync(file, redact(JSON.stringify(all, null, 1)))
  const flagged = audit.flaggedKeyIds.slice(0, MATRIX_LIMIT)
  outputs.set('findings-file', file)
  outputs.set('flagged-count', String(audit.flaggedKeyIds.length))
  outputs.set('flagged-keys', JSON.stringify(flagged.map((id) => ({ 'key-id': id }))))
  // `findings` takes what the other outputs leave.
  let budget = OUTPUTS_LIMIT_BYTES - OUTPUT_OVERHEAD_BYTES * (outputs.size + 1)
  for (const [name, value] of outputs) budget -= Buffer.byteLength(name) + Buffer.byteLength(value)
  const shown: string[] = []
  let size = 2
  for (const finding of all) {
    const item = redact(JSON.stringify(finding))
    size += Buffer.byteLength(item) + 1
    if (size > budget) break
    shown.push(item)
  }
  outputs.set('findings', `[${shown.join(',')}]`)
  const cut = [
    ...(shown.length < all.length
      ? [`findings holds ${shown.length} of ${all.length} findings`]
      : []),
    ...(flagged.length < audit.flaggedKeyIds.length
      ? [
          `flagged-keys holds the ${flagged.length} most urgent of ${audit.flaggedKeyIds.length} flagged keys`
        ]
      : [])
  ]
  if (cut.length > 0) {
    core.warning(
      `${cut.join('; ')} (GitHub allows 1 MB of outputs per job and ${MATRIX_LIMIT} jobs per matrix); flagged-count is the true count, and findings-file (${file}) holds every finding: upload it as an artifact.`
    )
  }
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
 * and must not become links, images, tables or tags. (Secrets are redacted from the whole
 * summary once, when it is written.)
 */
export function summaryText(text: string): string {
  return (
    bidiVisible(text)
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

/** The name of the key's role after the operation, when it is known. */
function roleNameOf({ key, role }: OperationResult): string | undefined {
  return role?.name ?? key?.role.name
}

function keyRows(result: OperationResult, key: Key, operation: Operation): string[][] {
  const name = roleNameOf(result)
  const rows = [
    ['Key ID', key.id],
    ['Name', key.name],
    ['Role', [key.role.id, name === undefined ? undefined : `"${name}"`].filter(Boolean).join(' ')],
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
  failure?: Failure
): Promise<void> {
  const family =
    result?.platform === 'vision-one'
      ? 'Vision One'
      : result?.platform === 'cloud-one'
        ? 'Cloud One'
        : 'Workload Security'
  // A failed run's first line starts with its state (a green run's state is in the table).
  const state = failure ? `${failure.state}: ` : ''
  const summary = core.summary.addHeading(
    `${state}${family} API key: ${operation}${result?.dryRun ? ' (dry run)' : ''}`,
    2
  )
  if (failure) writeFailure(failure)
  if (result?.dryRun) paragraph('**Dry run:** nothing was changed anywhere.')
  if (result?.key) {
    const rows = keyRows(result, result.key, result.operation)
    rows.push(['Changed', String(changedOf(result, failure))])
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
      [
        result.previousDeleted === undefined ? 'Key of the pair' : 'Key',
        'Name',
        'Expiry',
        'Destinations hold'
      ].map((data) => ({
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
          : result.previousDeleted === undefined
            ? 'no longer (still valid until its expiry)'
            : result.previousDeleted
              ? 'no longer (replaced and deleted)'
              : 'where the new one is not stored (still valid)'
      ])
    ])
  }
  if (result?.audit) writeAuditTable(result)
  if (result) {
    const unclear = result.unclear ?? result.underWay
    paragraph(
      `**What changed:** ${result.changes.length ? summaryText(result.changes.join('; ')) : unclear ? 'nothing certain' : 'nothing'}` +
        (unclear ? `; **unknown:** ${summaryText(unclear)} may have happened` : '')
    )
  }
  if (result?.destinations?.length) {
    summary.addTable([
      [
        { data: 'Destination', header: true },
        { data: 'Result', header: true }
      ],
      ...result.destinations.map((d) => [
        summaryText(d.label),
        d.status === 'skipped' ? 'not sent' : d.status
      ])
    ])
  }
  if (result?.replays?.length) writeReplays(result.replays, result.replayVoid === true)
  const timings = Object.entries(result?.timings ?? {})
  if (timings.length)
    paragraph(`**Durations:** ${timings.map(([p, ms]) => `${p} ${durationText(ms)}`).join(', ')}`)
  // One redaction over the whole summary, escapes included (redaction decodes them).
  const text = redact(summary.stringify())
  await summary.emptyBuffer().addRaw(text).write()
}

/** The failure, first: its state and message, then the recovery as an ordered list. */
function writeFailure(failure: Failure): void {
  // A message of several lines (a preflight's list of problems) keeps them: a paragraph each,
  // and a run of `- ` lines one list.
  const [first = '', ...rest] = failure.message
    .split(/[\r\n\u2028\u2029]+/)
    .map((line) => line.trim())
    .filter(Boolean)
  paragraph(`**${failure.state}:** ${summaryText(first)}`)
  let items: string[] = []
  const flush = (): void => {
    if (items.length > 0) core.summary.addList(items.map(summaryText))
    items = []
  }
  for (const line of rest) {
    if (line.startsWith('- ')) items.push(line.slice(2))
    else {
      flush()
      paragraph(summaryText(line))
    }
  }
  flush()
  if (failure.recovery.length === 0) return
  paragraph('**To recover, in order:**')
  core.summary.addList(
    failure.recovery.map((step) => summaryText(stepText(step))),
    true
  )
}

/**
 * The replay block (sealed values only: safe to show), collapsed: the same commands as in the
 * log, for a reader who has only the summary. Void copies are said to be void.
 */
function writeReplays(replays: string[], void_: boolean): void {
  const title = void_
    ? 'Sealed copies of the new secret: void (their key was deleted; do not replay them)'
    : 'Sealed copies of the new secret and the one-line command that stores each'
  // Rendered as plain text (copied, it is the command as printed), never as a link.
  const pre = replays
    .join('\n')
    .replace(/[&<>]/g, (c) => ESCAPES[c])
    .replace(/:\/\//g, '&#58;//')
  core.summary.addRaw(`<details><summary>${title}</summary>\n\n<pre>${pre}</pre>\n</details>`, true)
}

/** An HTML table row; every cell closed, even an empty one. */
function tableRow(cells: string[], tag = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`
}

/**
 * The audit table, one row per key, most urgent first, within the summary's 1 MiB: rows that
 * do not fit are counted, not shown (the totals count every key).
 */
function writeAuditTable(result: OperationResult): void {
  const { audit } = result
  if (!audit) return
  const date = (ms: number | undefined): string =>
    ms === undefined ? 'never' : `${isoDate(ms).slice(0, 10)} (${relative(ms, audit.at)})`
  let room = SUMMARY_LIMIT_BYTES - SUMMARY_TAIL_BYTES - Buffer.byteLength(core.summary.stringify())
  const rows = [
    tableRow(['ID', 'Name', 'Role', 'Active', 'Last sign-in', 'Expiry', 'Findings'], 'th')
  ]
  let shown = 0
  for (const row of audit.keys) {
    const html = tableRow([
      summaryText(row.key.id),
      cellText(summaryText(row.key.name) + (row.authenticating ? ' (this action)' : '')),
      row.role
        ? summaryText(`${row.role.id ?? ''} ${row.role.name}`.trim())
        : cellText(summaryText(row.key.role.id ?? '')),
      String(row.key.active),
      date(row.key.lastUsedAt),
      row.key.expiresAt === undefined ? 'none' : date(row.key.expiresAt),
      cellText((row.flagged ? '<b>flagged</b>: ' : '') + row.findings.map((f) => f.kind).join(', '))
    ])
    room -= Buffer.byteLength(html)
    if (room < 0) break
    rows.push(html)
    shown++
  }
  core.summary.addRaw(`<table>${rows.join('')}</table>`).addEOL()
  if (shown < audit.keys.length) {
    paragraph(
      `**${audit.keys.length - shown} more key(s) not shown:** a job summary holds at most 1 MiB. The rows above are the most urgent; the totals count every key, and the findings-file output holds every finding.`
    )
  }
  const totals = new Map<string, number>()
  for (const row of audit.keys)
    for (const f of row.findings) totals.set(f.kind, (totals.get(f.kind) ?? 0) + 1)
  if (audit.keysNeverExpire)
    paragraph(
      "**Expiry:** keys of this platform never expire: rotation is the only limit on a secret's life."
    )
  paragraph(
    `**Totals:** ${audit.keys.length} key(s), ${audit.flaggedKeyIds.length} flagged` +
      [...totals].map(([kind, n]) => `; ${kind}: ${n}`).join('')
  )
}
