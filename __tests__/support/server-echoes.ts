/**
 * Servers that echo the run's secrets and forge workflow commands, for safety/leaks.test.ts and
 * safety/server-text.test.ts: the secrets a test chooses ({@link World}), the server text that
 * carries a secret in every encoding a server might use ({@link echoes}), and what a run must
 * never show ({@link problemsOf}): 8 or more consecutive characters of any secret in any of
 * those encodings in the log (the `::add-mask::` commands aside), the outputs or the summary; a
 * workflow command it did not write; a live link or image in the summary.
 */
import { randomBytes } from 'node:crypto'
import type { SeededEmulators } from '../../emulators/seed.js'
import type { ActionRun, Inputs } from './action.js'

/** The GitHub secret a rotation writes. */
export const SECRET = 'WS_KEY'
const FRAGMENT = 8

/** A manager secret `<id>:<base64>` whose random part needs URL-encoding (`+` and `/`). */
function managerSecret(id: number): string {
  for (;;) {
    const secret = `${id}:${randomBytes(24).toString('base64')}`
    if (secret.includes('+') && secret.includes('/')) return secret
  }
}

/** The forms a server might echo a secret in, as a whole. */
function encodedForms(secret: string): string[] {
  const url = encodeURIComponent(secret)
  const forms = [secret, url, url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())]
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad, 'x'), Buffer.from(secret)]).toString('base64')
    const inner = b64.slice(pad === 0 ? 0 : 4, -4)
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return forms
}

/** A secret echoed in every way: a label and the server text that carries it. */
export function echoes(secret: string): { label: string; text: string }[] {
  const list: { label: string; text: string }[] = [
    { label: 'raw', text: `The key ${secret} was refused` },
    { label: 'url upper', text: `GET /x?key=${encodeURIComponent(secret)}&y=1 failed` },
    {
      label: 'url lower',
      text: `GET /x?key=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())} failed`
    }
  ]
  for (let pad = 0; pad < 3; pad++) {
    const inside = Buffer.from(`${'p'.repeat(pad)}user:${secret}:and more text after it`)
    const b64 = inside.toString('base64')
    list.push(
      { label: `base64 offset ${pad}`, text: `Authorization: Basic ${b64} refused` },
      { label: `base64url offset ${pad}`, text: `token=${inside.toString('base64url')} refused` }
    )
  }
  const half = Math.floor(secret.length / 2)
  list.push(
    {
      label: 'split by a newline',
      text: `bad key ${secret.slice(0, half)}\n${secret.slice(half)}`
    },
    {
      label: 'split by CRLF',
      text: `bad key ${secret.slice(0, half)}\r\n  ${secret.slice(half)} end`
    }
  )
  for (let offset = 490; offset <= 510; offset++)
    list.push({ label: `at ${offset}`, text: `${'x'.repeat(offset)}${secret} and the rest` })
  return list
}

/**
 * Every run of {@link FRAGMENT} characters of any form of any secret (and of a manager
 * secret's random part) in the log outside `::add-mask::` lines, the outputs or the summary.
 */
function fragmentLeaks(run: ActionRun, secrets: string[]): string[] {
  const windows = new Set<string>()
  for (const secret of secrets) {
    const parts = [secret, secret.slice(secret.indexOf(':') + 1)]
    for (const form of parts.flatMap(encodedForms))
      for (let i = 0; i + FRAGMENT <= form.length; i++) windows.add(form.slice(i, i + FRAGMENT))
  }
  const found: string[] = []
  const scan = (where: string, text: string): void => {
    for (let i = 0; i + FRAGMENT <= text.length; i++) {
      if (windows.has(text.slice(i, i + FRAGMENT))) {
        found.push(`${where}: …${text.slice(Math.max(0, i - 20), i + 30)}…`)
        return
      }
    }
  }
  run.log.split('\n').forEach((line, i) => {
    if (!/^::add-mask::/.test(line.trim())) scan(`log line ${i + 1}`, line)
  })
  for (const [name, value] of Object.entries(run.outputs)) scan(`output ${name}`, value)
  scan('summary', run.summary)
  return found
}

/** Workflow commands the action itself writes. */
const OWN_COMMAND = /^::(group|endgroup|debug|error|warning|notice)::/

/** Lines that start a workflow command the action did not write; masks of non-secrets. */
function forgedCommands(run: ActionRun, secrets: string[]): string[] {
  return run.log.split(/\r?\n/).filter((line) => {
    if (!line.startsWith('::')) return false
    const mask = /^::add-mask::(.*)$/.exec(line)
    if (mask) return !secrets.includes(mask[1])
    return !OWN_COMMAND.test(line)
  })
}

/** What a live link, image or tag in the summary would need. */
function liveMarkup(summary: string): string[] {
  return [/\]\(/, /https?:\/\//i, /\bwww\./i, /<a\s/i, /<img/i].flatMap((pattern) =>
    pattern.test(summary) ? [`summary matches ${pattern}`] : []
  )
}

export interface World {
  /** The api-secret-key (the admin key's secret, made to need URL-encoding). */
  api: string
  token: string
  /** The secret the next regeneration issues. */
  fresh: string
}

/**
 * The world of one test file: `const { world, describeInputs, ... } = echoingWorld(emulators)`
 * with the holder `useEmulators()` returned.
 */
export function echoingWorld(emulators: { readonly current: SeededEmulators }) {
  /** Chosen secrets: the admin's secret, a GitHub token, and the secret regeneration issues. */
  function world(): World {
    const { ws, github, admin, deployer } = emulators.current
    const api = managerSecret(admin.ID)
    ws.keys.get(admin.ID)!.secret = api
    const token = `ghs_${randomBytes(27).toString('base64url')}`
    github.addToken(token, { write: true })
    return { api, token, fresh: managerSecret(deployer.ID) }
  }

  const describeInputs = (w: World, extra: Inputs = {}): Inputs => ({
    operation: 'describe',
    'api-secret-key': w.api,
    'api-url': emulators.current.ws.url,
    'key-id': String(emulators.current.deployer.ID),
    // Ignored by describe, with a warning; still a secret that must never show.
    'github-token': w.token,
    ...extra
  })

  /**
   * Makes the next regeneration of the deployer's secret issue `w.fresh` (the emulator cannot
   * compute an answer from its state, so the fault's `when` does the manager's part), answered
   * with `key` merged into the key's fields.
   */
  function issueKnownSecret(w: World, key: Record<string, unknown> = {}): void {
    const { ws, deployer } = emulators.current
    const current = ws.keys.get(deployer.ID)!
    ws.inject({
      method: 'POST',
      path: `/apikeys/${deployer.ID}/secretkey`,
      when: () => {
        current.secret = w.fresh
        return true
      },
      status: 200,
      body: {
        ID: current.ID,
        keyName: current.keyName,
        roleID: current.roleID,
        active: true,
        ...key,
        secretKey: w.fresh
      }
    })
  }

  const rotateInputs = (w: World, extra: Inputs = {}): Inputs => ({
    operation: 'rotate',
    'api-secret-key': w.api,
    'api-url': emulators.current.ws.url,
    'key-id': String(emulators.current.deployer.ID),
    'secret-name': SECRET,
    repositories: 'octo/app',
    'github-token': w.token,
    'max-attempts': '10',
    ...extra
  })

  const env = (): Record<string, string> => ({ GITHUB_API_URL: emulators.current.github.url })

  return { world, describeInputs, issueKnownSecret, rotateInputs, env }
}

/** The problems of one run: leaks, forged commands, live markup. */
export function problemsOf(label: string, run: ActionRun, w: World): string[] {
  const secrets = [w.api, w.token, w.fresh]
  return [
    ...fragmentLeaks(run, secrets),
    ...forgedCommands(run, secrets).map((l) => `forged command: ${l}`),
    ...liveMarkup(run.summary),
    ...(run.outputs['key-id'] === '31337' ? ['key-id output forged'] : [])
  ].map((p) => `${label}: ${p}`)
}

/** Splits `items` into groups of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size)
  )
}

export const SECRET_NAMES = ['api-secret-key', 'github token'] as const
export const pick = (w: World, name: string): string =>
  name === 'api-secret-key' ? w.api : name === 'github token' ? w.token : w.fresh
