/**
 * What redaction promises, stated on its public functions (first written to kill mutants of
 * src/redaction.ts that the in-process suite left alive): a protected secret never survives
 * into text the action reports, in any form a server might echo it in, and server text can
 * neither start a workflow command nor run on without limit. The same, end to end against
 * echoing servers: leaks.test.ts and server-text.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import {
  bidiVisible,
  errorText,
  logSafe,
  protectSecret,
  redact,
  scrubbed,
  untrusted
} from '../../src/redaction.js'

/** A fresh secret for each test: the module remembers every secret it was given. */
const secret = (): string => `${randomBytes(18).toString('base64')}+/=`

/** `text` embedded at each offset of base64 (the secret's encoding shifts with its offset). */
function base64Echoes(text: string): string[] {
  return [0, 1, 2].flatMap((pad) => {
    const inside = Buffer.from(`${'p'.repeat(pad)}user:${text}:and more`)
    return [inside.toString('base64'), inside.toString('base64url')]
  })
}

describe('protectSecret', () => {
  it('asks the runner to mask the value, and ignores an empty one', () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof write
    const value = secret()
    try {
      protectSecret('')
      protectSecret(value)
    } finally {
      process.stdout.write = write
    }
    expect(written.join('')).toContain(`::add-mask::${value}`)
    expect(written.join('')).not.toMatch(/::add-mask::\s*$/m)
  })
})

describe('redact', () => {
  it('replaces a protected secret in every form a server might echo it in', () => {
    const value = secret()
    protectSecret(value)
    const url = encodeURIComponent(value)
    for (const echo of [value, url, url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())])
      expect(redact(`before ${echo} after`)).toBe('before *** after')
    for (const echo of base64Echoes(value)) {
      const redacted = redact(`Basic ${echo} refused`)
      expect(redacted).toContain('***')
      // The part of the encoding that only the secret's bytes decide is gone.
      const middle = echo.slice(Math.floor(echo.length / 2) - 6, Math.floor(echo.length / 2) + 6)
      expect(redacted).not.toContain(middle)
    }
  })

  it("leaves nothing of the secret's own base64 encoding but its last, padding-dependent group", () => {
    const value = secret()
    protectSecret(value)
    const b64 = Buffer.from(value).toString('base64')
    const redacted = redact(`token=${b64}`)
    expect(redacted.startsWith('token=***')).toBe(true)
    expect(redacted.length).toBeLessThanOrEqual('token=***'.length + 4)
  })

  it('redacts a secret of exactly 8 characters, and leaves other text as it was', () => {
    const value = randomBytes(6).toString('base64') // 8 characters
    protectSecret(value)
    expect(redact(`key ${value} refused`)).toBe('key *** refused')
    expect(redact('nothing secret here')).toBe('nothing secret here')
  })

  it('replaces every occurrence, not only the first', () => {
    const value = secret()
    protectSecret(value)
    expect(redact(`${value} and ${value}`)).toBe('*** and ***')
  })
})

describe('redact, when a server escapes what it echoes', () => {
  const bytes = (value: string): number[] => [...Buffer.from(value, 'utf8')]
  const forms: [string, (value: string) => string][] = [
    ['hex', (v) => Buffer.from(v).toString('hex')],
    ['HEX', (v) => Buffer.from(v).toString('hex').toUpperCase()],
    [
      'mixed-case hex',
      (v) =>
        Buffer.from(v)
          .toString('hex')
          .replace(/[a-f]/g, (c, i) => (i % 2 ? c.toUpperCase() : c))
    ],
    [
      'every byte percent-encoded',
      (v) =>
        bytes(v)
          .map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`)
          .join('')
    ],
    [
      'every byte percent-encoded, lower case',
      (v) =>
        bytes(v)
          .map((b) => `%${b.toString(16).padStart(2, '0')}`)
          .join('')
    ],
    [
      'some bytes percent-encoded',
      (v) => [...v].map((c, i) => (i % 3 ? c : `%${c.charCodeAt(0).toString(16)}`)).join('')
    ],
    [
      'JSON \\u escapes',
      (v) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    ],
    ['JSON with \\/', (v) => v.replace(/\//g, '\\/')],
    ['HTML decimal entities', (v) => [...v].map((c) => `&#${c.charCodeAt(0)};`).join('')],
    ['HTML hex entities', (v) => [...v].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')],
    [
      'HTML named entities for some characters',
      (v) => v.replace(/\+/g, '&plus;').replace(/\//g, '&sol;').replace(/=/g, '&equals;')
    ],
    [
      'a mixture of all of them',
      (v) =>
        [...v]
          .map(
            (c, i) =>
              [
                c,
                `%${c.charCodeAt(0).toString(16)}`,
                `\\u00${c.charCodeAt(0).toString(16)}`,
                `&#${c.charCodeAt(0)};`
              ][i % 4]
          )
          .join('')
    ]
  ]

  it.each(forms)('redacts a secret echoed as %s, and keeps the text around it', (_name, encode) => {
    const value = secret()
    protectSecret(value)
    const echoed = `denied for [${encode(value)}] today`
    expect(redact(echoed)).toBe('denied for [***] today')
    expect(untrusted(echoed)).toBe('denied for [***] today')
  })
})

describe('bidirectional controls', () => {
  it('are shown as visible escapes in the log and wherever server text goes', () => {
    const name = 'deploy\u202Etxt.exe\u2066x\u2069'
    expect(bidiVisible(name)).toBe('deploy<U+202E>txt.exe<U+2066>x<U+2069>')
    expect(logSafe(name)).toBe('deploy<U+202E>txt.exe<U+2066>x<U+2069>')
    expect(untrusted(name)).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
  })
})

describe('untrusted', () => {
  it('withholds server text that still holds 8 characters of a secret, even split by whitespace', () => {
    const value = secret()
    protectSecret(value)
    const piece = value.slice(3, 11)
    expect(untrusted(`the key starts ${piece} ok`)).toBe('[withheld: it held part of a secret]')
    expect(untrusted(`split ${piece.slice(0, 4)}\n ${piece.slice(4)} ok`)).toBe(
      '[withheld: it held part of a secret]'
    )
    // Quoted, because whitespace does not separate (a split secret still counts): in
    // `only X here`, "y" + X or X + "h" is 8 characters of the secret when its neighbour is one.
    const seven = `only "${value.slice(3, 10)}" here`
    expect(untrusted(seven)).toBe(seven)
    // The last 8 characters count as much as any others, also at the very end of the text.
    expect(untrusted(`the key ends ${value.slice(-8)}`)).toBe(
      '[withheld: it held part of a secret]'
    )
  })

  it('redacts before it cuts: a secret across the cut never shows a piece', () => {
    const value = secret()
    protectSecret(value)
    for (let offset = 490; offset <= 500; offset++) {
      const text = untrusted(`${'x'.repeat(offset)}${value} tail`)
      expect(text).not.toContain(value.slice(0, 8))
      expect(text.length).toBeLessThanOrEqual(501)
    }
  })

  it('cuts text longer than the limit with an ellipsis, and keeps text at the limit whole', () => {
    expect(untrusted('a'.repeat(500))).toBe('a'.repeat(500))
    expect(untrusted('a'.repeat(501))).toBe(`${'a'.repeat(500)}…`)
    expect(untrusted('abcdef', 3)).toBe('abc…')
  })

  it('can neither break a line nor start a workflow command', () => {
    for (const text of [
      'x\n::set-output name=a::b',
      'x\r\n::error::y',
      'x\u0085::warning::y',
      'x\u2028::notice::y',
      'x\u2029::debug::y',
      '::add-mask::x',
      '  ::stop-commands::t',
      'x\u0000\u001b[31m::error::y'
    ]) {
      const safe = untrusted(text)
      expect(safe).not.toMatch(/[\r\n\u0085\u2028\u2029\p{Cc}]/u)
      expect(safe).not.toMatch(/^::/)
    }
  })
})

describe('logSafe', () => {
  it('turns every line break into one space and defuses a leading ::', () => {
    expect(logSafe('a\r\n\nb')).toBe('a b')
    expect(logSafe('a\u0085b\u2028c\u2029d')).toBe('a b c d')
    expect(logSafe('a::b')).toBe('a::b')
    expect(logSafe('tab\there')).toBe('tab here')
  })

  it('leaves no line the runner would read as a command, even after it strips leading whitespace', () => {
    const forged = [
      '::error::x',
      '  ::set-output name=key-id::31337',
      '\n::add-mask::x',
      '\t::stop-commands::token',
      'x ##[set-output name=key-id;]31337',
      '##[error]forged'
    ]
    for (const text of forged) {
      const line = logSafe(text).trimStart()
      expect(line.startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
    }
  })
})

describe('scrubbed', () => {
  it('redacts a whole secret and withholds text with a piece of one', () => {
    const value = secret()
    protectSecret(value)
    expect(scrubbed(`name ${value}`)).toBe('name ***')
    expect(scrubbed(`name ${value.slice(0, 9)}`)).toBe('[withheld: it held part of a secret]')
    expect(scrubbed('ci-deployer')).toBe('ci-deployer')
  })
})

describe('errorText', () => {
  it('is the redacted message of an Error, or of anything else thrown', () => {
    const value = secret()
    protectSecret(value)
    expect(errorText(new Error(`refused ${value}`))).toBe('refused ***')
    expect(errorText(`refused ${value}`)).toBe('refused ***')
    expect(errorText(42)).toBe('42')
  })
})
