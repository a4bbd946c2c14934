import * as core from '@actions/core'

/*
 * Secrets never reach the log, an output, the summary or an error message. Every secret is
 * masked the moment it exists (`protectSecret`); text the action did not write itself (a
 * server's message, a key's name) is redacted before it is reported, whatever form the server
 * echoed the secret in: plain, base64 or base64url at any alignment, hex in either case, and
 * any mixture of escapes (percent-encoding of every byte or only some, JSON `\u`, HTML
 * entities), which are decoded before the search. Text that still holds 8 characters in a row of
 * any of those forms is withheld whole.
 */

/** Every protected secret's forms searched as they are. */
const forms = new Set<string>()
/** Every protected secret in lower-case hex, searched in either case. */
const hexForms = new Set<string>()
/** Every run of FRAGMENT characters of those forms: a server text holding one is dropped. */
const fragments = new Set<string>()

/** The shortest run of a secret's characters that counts as a leak. */
const FRAGMENT = 8

/**
 * Masks a secret in the log the moment it exists, and remembers it (and its encoded forms) so
 * that text the action did not write itself can be redacted before it is reported.
 */
export function protectSecret(value: string): void {
  if (!value) return
  core.setSecret(value)
  const remember = (set: Set<string>, form: string): void => {
    if (form.length < FRAGMENT || set.has(form)) return
    set.add(form)
    for (let i = 0; i + FRAGMENT <= form.length; i++) fragments.add(form.slice(i, i + FRAGMENT))
  }
  for (const form of encodedForms(value)) remember(forms, form)
  remember(hexForms, Buffer.from(value, 'utf8').toString('hex'))
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

/** A text with its escapes decoded, and for each decoded character where it came from. */
interface Decoded {
  text: string
  /** Start (inclusive) and end (exclusive) in the original text of each decoded character. */
  from: number[]
  to: number[]
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  colon: ':',
  equals: '=',
  plus: '+'
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
}

const ESCAPE =
  /%([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\(["\\/bfnrt])|&#(\d{1,7});|&#[xX]([0-9A-Fa-f]{1,6});|&([a-zA-Z]+);/y

/** Decodes percent-escapes (ASCII bytes), JSON escapes and HTML character references. */
function decodeEscapes(text: string): Decoded {
  const decoded: Decoded = { text: '', from: [], to: [] }
  const push = (chars: string, start: number, end: number): void => {
    decoded.text += chars
    for (let k = 0; k < chars.length; k++) {
      decoded.from.push(start)
      decoded.to.push(end)
    }
  }
  let i = 0
  while (i < text.length) {
    ESCAPE.lastIndex = i
    const m = text[i] === '%' || text[i] === '\\' || text[i] === '&' ? ESCAPE.exec(text) : null
    let chars: string | undefined
    if (m) {
      const [, percent, unicode, json, decimal, hex, named] = m
      if (percent !== undefined && parseInt(percent, 16) < 0x80)
        chars = String.fromCharCode(parseInt(percent, 16))
      else if (unicode !== undefined) chars = String.fromCharCode(parseInt(unicode, 16))
      else if (json !== undefined) chars = JSON_ESCAPES[json]
      else if (decimal !== undefined || hex !== undefined) {
        const code = decimal !== undefined ? Number(decimal) : parseInt(hex, 16)
        chars = code <= 0x10ffff ? String.fromCodePoint(code) : undefined
      } else if (named !== undefined) chars = NAMED_ENTITIES[named.toLowerCase()]
    }
    if (m && chars !== undefined) {
      push(chars, i, i + m[0].length)
      i += m[0].length
    } else {
      push(text[i], i, i + 1)
      i++
    }
  }
  return decoded
}

/** Hex letters in lower case, nothing else changed (the length stays the same). */
function hexLower(text: string): string {
  return text.replace(/[A-F]/g, (c) => c.toLowerCase())
}

/** Every [start, end) range of `text` where a form occurs. */
function occurrences(text: string, needles: Iterable<string>): [number, number][] {
  const ranges: [number, number][] = []
  for (const needle of needles) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1))
      ranges.push([at, at + needle.length])
  }
  return ranges
}

/** The text with every protected secret, in every known form, replaced by `***`. */
export function redact(text: string): string {
  if (forms.size === 0 || text === '') return text
  const decoded = decodeEscapes(text)
  const ranges = [
    ...occurrences(text, forms),
    ...occurrences(hexLower(text), hexForms),
    ...[...occurrences(decoded.text, forms), ...occurrences(hexLower(decoded.text), hexForms)].map(
      ([start, end]): [number, number] => [decoded.from[start], decoded.to[end - 1]]
    )
  ].sort((a, b) => a[0] - b[0])
  if (ranges.length === 0) return text
  let redacted = ''
  let at = 0
  for (const [start, end] of ranges) {
    if (end <= at) continue
    if (start >= at) redacted += `${text.slice(at, start)}***`
    at = end
  }
  return redacted + text.slice(at)
}

/** True when the text, its escapes decoded and its whitespace removed, holds a run of any secret. */
function holdsFragment(text: string): boolean {
  if (fragments.size === 0) return false
  for (const variant of [text, decodeEscapes(text).text]) {
    const compact = variant.replace(/\s+/g, '')
    for (const candidate of [compact, hexLower(compact)]) {
      for (let i = 0; i + FRAGMENT <= candidate.length; i++) {
        if (fragments.has(candidate.slice(i, i + FRAGMENT))) return true
      }
    }
  }
  return false
}

/** Bidirectional controls, which can make text read otherwise than it is. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g

/** Bidirectional controls as visible escapes (`<U+202E>`). */
export function bidiVisible(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`)
}

/**
 * Text that a server sent, made fit for the log: no line break, no leading `::` and no `##[`
 * can start a workflow command, and bidirectional controls show as escapes. Does not redact;
 * see {@link untrusted}.
 */
export function logSafe(text: string): string {
  return (
    bidiVisible(text)
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
