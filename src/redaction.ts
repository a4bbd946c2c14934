import * as core from '@actions/core'

/** Every protected secret in each form a server might echo it in. */
const forms = new Set<string>()
/** Every run of FRAGMENT characters of those forms: a server text holding one is dropped. */
const fragments = new Set<string>()

/** The shortest run of a secret's characters that counts as a leak. */
const FRAGMENT = 8

/**
 * Masks a secret in the log the moment it exists, and remembers it (and its URL-encoded and
 * base64 forms) so that text the action did not write itself (a server's error message, say)
 * can be redacted before it is reported.
 */
export function protectSecret(value: string): void {
  if (!value) return
  core.setSecret(value)
  for (const form of encodedForms(value)) {
    if (form.length < FRAGMENT || forms.has(form)) continue
    forms.add(form)
    for (let i = 0; i + FRAGMENT <= form.length; i++) fragments.add(form.slice(i, i + FRAGMENT))
  }
}

function encodedForms(value: string): string[] {
  const encoded = encodeURIComponent(value)
  const result = [value, encoded, encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())]
  // Base64 of a longer text shifts with the secret's offset: take each of the three alignments,
  // without the groups that depend on the bytes around it.
  const bytes = Buffer.from(value, 'utf8')
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64')
    const inner = b64.slice(pad === 0 ? 0 : 4, -4)
    result.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return result
}

/** The text with every protected secret, in every known form, replaced by `***`. */
export function redact(text: string): string {
  let redacted = text
  for (const form of [...forms].sort((a, b) => b.length - a.length))
    redacted = redacted.split(form).join('***')
  return redacted
}

/** True when the text, with its whitespace removed, holds a run of any protected secret. */
function holdsFragment(text: string): boolean {
  if (fragments.size === 0) return false
  const compact = text.replace(/\s+/g, '')
  for (let i = 0; i + FRAGMENT <= compact.length; i++) {
    if (fragments.has(compact.slice(i, i + FRAGMENT))) return true
  }
  return false
}

/**
 * Text that a server sent, made fit for the log: no line break, no leading `::` and no `##[`
 * can start a workflow command. Does not redact; see {@link untrusted}.
 */
export function logSafe(text: string): string {
  return (
    text
      .replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')
      .replace(/\p{Cc}/gu, ' ')
      // The runner strips leading whitespace before it looks for `::`, and finds the legacy
      // `##[command]` syntax anywhere in a line.
      .replace(/^(\s*)::/, '$1: :')
      .replace(/##\[/g, '## [')
  )
}

/**
 * A value a server sent (a key's name, a description) with every secret redacted, or a
 * placeholder when it still holds a fragment of one. Still needs {@link logSafe} for the log.
 */
export function scrubbed(text: string): string {
  const redacted = redact(text)
  return holdsFragment(redacted) ? '[withheld: it held part of a secret]' : redacted
}

/**
 * A server's message as it may be reported: redacted before it is cut, dropped whole when it
 * still holds a fragment of a secret, and safe for the log.
 */
export function untrusted(text: string, maxLength = 500): string {
  const safe = logSafe(scrubbed(text))
  return safe.length > maxLength ? `${safe.slice(0, maxLength)}…` : safe
}

/** The message of anything thrown, redacted. */
export function errorText(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error))
}
