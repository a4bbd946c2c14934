/*
 * A piece of a secret (8 to 15 characters, too short to be any whole form redaction replaces)
 * that a server echoes escaped, every character as a JSON \u escape, a percent-escape, an HTML
 * character reference or hex: the text that holds it never reaches the log, the outputs or the
 * summary, in redaction's functions and end to end. Whole secrets in every encoding: redaction
 * and leaks.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { protectSecret, scrubbed, untrusted } from '../../src/redaction.js'
import { runInProcess } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const code = (c: string): number => c.charCodeAt(0)

/** Ways a server escapes every character of what it echoes. */
const ESCAPES: [string, (piece: string) => string][] = [
  [
    'JSON \\u escapes',
    (p) => [...p].map((c) => `\\u${code(c).toString(16).padStart(4, '0')}`).join('')
  ],
  ['percent-escapes', (p) => [...p].map((c) => `%${code(c).toString(16).toUpperCase()}`).join('')],
  ['lower-case percent-escapes', (p) => [...p].map((c) => `%${code(c).toString(16)}`).join('')],
  ['HTML decimal references', (p) => [...p].map((c) => `&#${code(c)};`).join('')],
  ['HTML hex references', (p) => [...p].map((c) => `&#x${code(c).toString(16)};`).join('')],
  ['hex', (p) => Buffer.from(p).toString('hex')],
  [
    'a mixture',
    (p) =>
      [...p]
        .map(
          (c, i) =>
            [`%${code(c).toString(16)}`, `\\u00${code(c).toString(16)}`, `&#${code(c)};`][i % 3]
        )
        .join('')
  ]
]

/** Pieces of `secret` of 8, 11 and 15 characters, from its start, middle and end. */
function pieces(secret: string): string[] {
  return [secret.slice(0, 8), secret.slice(5, 16), secret.slice(-15)]
}

describe('an escaped piece of a secret in server text', () => {
  it.each(ESCAPES)('as %s is withheld by untrusted and scrubbed', (_name, escape) => {
    const secret = randomBytes(24).toString('base64')
    protectSecret(secret)
    for (const piece of pieces(secret)) {
      const echoed = `denied for [${escape(piece)}] today`
      expect(untrusted(echoed)).not.toContain(escape(piece))
      expect(scrubbed(echoed)).not.toContain(escape(piece))
    }
  })
})

describe('end to end: the manager echoes an escaped piece of the api-secret-key', () => {
  const emulators = useEmulators()
  const inputs = () => ({
    operation: 'describe',
    'api-secret-key': emulators.current.admin.secret,
    'api-url': emulators.current.ws.url,
    'key-id': String(emulators.current.deployer.ID)
  })
  /** The random part of the admin key's `<id>:<base64>` secret. */
  const random = (): string => {
    const secret = emulators.current.admin.secret
    return secret.slice(secret.indexOf(':') + 1)
  }
  /**
   * What a run shows: its log as the runner displays it (a workflow command's `%25`, `%0D` and
   * `%0A` decoded), its outputs and its summary.
   */
  const shown = (run: Awaited<ReturnType<typeof runInProcess>>): string =>
    [
      ...run.log
        .split('\n')
        .map((line) =>
          line.startsWith('::')
            ? line.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
            : line
        ),
      ...Object.values(run.outputs),
      run.summary
    ].join('\n')

  it.each(ESCAPES)('in an error message, as %s: never shown', async (_name, escape) => {
    const { ws, deployer } = emulators.current
    for (const piece of pieces(random())) {
      ws.inject({
        method: 'GET',
        path: `/apikeys/${deployer.ID}`,
        status: 400,
        body: { message: `no such key [${escape(piece)}]` }
      })
      const run = await runInProcess(inputs())
      expect(run.failed).toBe(true)
      expect(ws.requests('GET', `/apikeys/${deployer.ID}`).at(-1)?.status).toBe(400)
      expect(shown(run)).not.toContain(escape(piece))
    }
  })

  it.each(ESCAPES)("in a key's name, as %s: never shown", async (_name, escape) => {
    const { ws, deployer } = emulators.current
    for (const piece of pieces(random())) {
      ws.keys.get(deployer.ID)!.keyName = `deployer [${escape(piece)}]`
      const run = await runInProcess(inputs())
      expect(run.failed).toBe(false)
      expect(run.outputs['key-id']).toBe(String(deployer.ID))
      expect(shown(run)).not.toContain(escape(piece))
    }
  })
})
