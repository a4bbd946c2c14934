/**
 * Leaks: both emulators echo every secret the run knows (the api-secret-key, the new secret,
 * the GitHub token) in every encoding a server might use, in every place server text reaches
 * the report: error messages, retry messages, key names and descriptions. No run of 8 or more
 * consecutive characters of any secret, in any of those encodings, may then appear in the log
 * (the `::add-mask::` commands aside), the outputs or the summary. Server text must also never
 * start a workflow command, nor become a live link or image in the summary.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import type { Fault } from '../../emulators/server.js'
import { runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'
import '../support/loopback-only.js'

const emulators = useEmulators()
const SECRET = 'WS_KEY'
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
function echoes(secret: string): { label: string; text: string }[] {
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

interface World {
  /** The api-secret-key (the admin key's secret, made to need URL-encoding). */
  api: string
  token: string
  /** The secret the next regeneration issues. */
  fresh: string
}

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

/** The problems of one run: leaks, forged commands, live markup. */
function problemsOf(label: string, run: ActionRun, w: World): string[] {
  const secrets = [w.api, w.token, w.fresh]
  return [
    ...fragmentLeaks(run, secrets),
    ...forgedCommands(run, secrets).map((l) => `forged command: ${l}`),
    ...liveMarkup(run.summary),
    ...(run.outputs['key-id'] === '31337' ? ['key-id output forged'] : [])
  ].map((p) => `${label}: ${p}`)
}

/** Splits `items` into groups of `size`. */
function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size)
  )
}

const SECRET_NAMES = ['api-secret-key', 'github token'] as const
const pick = (w: World, name: string): string =>
  name === 'api-secret-key' ? w.api : name === 'github token' ? w.token : w.fresh

/** Server text that tries to start workflow commands and plant links in the summary. */
const FORGERIES = [
  'x\n::set-output name=key-id::31337',
  'x\n::add-mask::x',
  'x\r\n::error title=Forged::x',
  'x\n::stop-commands::token',
  '\n::warning::Forged warning',
  '::notice::Forged notice',
  'x\u2028::set-output name=key-id::31337',
  'x\u0085::stop-commands::token',
  '[re-authenticate here](https://evil.example)',
  '![x](https://evil.example/p.png)',
  '<a href="https://evil.example">x</a> <img src=https://evil.example/p.png> www.evil.example'
]

describe('secrets echoed by the manager', () => {
  it.each(SECRET_NAMES)(
    'in the message of an error answer (%s): never reported',
    async (name) => {
      const problems: string[] = []
      const { ws, deployer } = emulators.current
      const w = world()
      for (const echo of echoes(pick(w, name))) {
        ws.inject({
          method: 'GET',
          path: `/apikeys/${deployer.ID}`,
          status: 400,
          body: { message: echo.text }
        })
        const run = await runInProcess(describeInputs(w))
        if (!run.failed) problems.push(`${echo.label}: did not fail`)
        problems.push(...problemsOf(echo.label, run, w))
      }
      expect(problems).toEqual([])
    },
    60_000
  )

  it.each(SECRET_NAMES)(
    'in retry messages, 503 after 503 then success (%s): never reported',
    async (name) => {
      const problems: string[] = []
      const { ws, deployer } = emulators.current
      const w = world()
      for (const group of chunks(echoes(pick(w, name)), 9)) {
        for (const echo of group)
          ws.inject({
            method: 'GET',
            path: `/apikeys/${deployer.ID}`,
            status: 503,
            body: { message: echo.text }
          })
        const run = await runInProcess(describeInputs(w, { 'max-attempts': '10' }))
        const label = group.map((e) => e.label).join(', ')
        if (run.failed) problems.push(`${label}: failed`)
        if ((run.log.match(/retrying/g) ?? []).length !== group.length)
          problems.push(`${label}: not every 503 was retried`)
        problems.push(...problemsOf(label, run, w))
      }
      expect(problems).toEqual([])
    },
    60_000
  )

  it.each(
    (['describe', 'lock'] as const).flatMap((operation) =>
      SECRET_NAMES.map((name) => [operation, name] as const)
    )
  )(
    '%s: in the name and description of a looked-up key (%s): never reported',
    async (operation, name) => {
      const problems: string[] = []
      const { ws, deployer } = emulators.current
      const w = world()
      for (const echo of echoes(pick(w, name))) {
        ws.inject({
          method: 'GET',
          path: `/apikeys/${deployer.ID}`,
          body: {
            ID: deployer.ID,
            keyName: echo.text,
            description: echo.text,
            roleID: deployer.roleID,
            active: operation !== 'lock'
          }
        })
        const run = await runInProcess(describeInputs(w, { operation }))
        problems.push(...problemsOf(echo.label, run, w))
      }
      expect(problems).toEqual([])
    },
    60_000
  )
})

describe('secrets echoed during a rotation', () => {
  it.each(['new secret', ...SECRET_NAMES])(
    'in the message of a GitHub 502 on the real write, retried until it gives up (%s): never reported',
    async (name) => {
      const problems: string[] = []
      const { ws, github, deployer } = emulators.current
      const groups = chunks(echoes('placeholder'), 10).length
      for (let g = 0; g < groups; g++) {
        const w = world()
        const texts = chunks(echoes(pick(w, name)), 10)[g]
        issueKnownSecret(w)
        for (const echo of texts)
          github.inject({
            method: 'PUT',
            path: `/repos/octo/app/actions/secrets/${SECRET}`,
            status: 502,
            body: { message: echo.text }
          })
        const run = await runInProcess(rotateInputs(w), env())
        const label = texts.map((e) => e.label).join(', ')
        if (ws.keys.get(deployer.ID)!.secret !== w.fresh) problems.push(`${label}: not issued`)
        problems.push(...problemsOf(label, run, w))
        github.clearFaults()
        ws.clearFaults()
      }
      expect(problems).toEqual([])
    },
    60_000
  )

  it.each(['new secret', ...SECRET_NAMES])(
    'in the name and description the regeneration answer carries (%s): never reported',
    async (name) => {
      const problems: string[] = []
      for (const [i] of echoes('placeholder').entries()) {
        const w = world()
        const echo = echoes(pick(w, name))[i]
        issueKnownSecret(w, { keyName: echo.text, description: echo.text })
        const run = await runInProcess(rotateInputs(w), env())
        if (run.failed) problems.push(`${echo.label}: failed`)
        problems.push(...problemsOf(echo.label, run, w))
      }
      expect(problems).toEqual([])
    },
    60_000
  )
})

describe('server text that tries to command the runner or the summary', () => {
  const places: [string, (w: World, text: string) => { inputs: Inputs; faults: Fault[] }][] = [
    [
      'an error message',
      (w, text) => ({
        inputs: describeInputs(w),
        faults: [
          {
            method: 'GET',
            path: `/apikeys/${emulators.current.deployer.ID}`,
            status: 400,
            body: { message: text }
          }
        ]
      })
    ],
    [
      'a retry message',
      (w, text) => ({
        inputs: describeInputs(w, { 'max-attempts': '3' }),
        faults: [
          {
            method: 'GET',
            path: `/apikeys/${emulators.current.deployer.ID}`,
            status: 503,
            body: { message: text }
          }
        ]
      })
    ],
    [
      'a key name',
      (w, text) => ({
        inputs: describeInputs(w),
        faults: [
          {
            method: 'GET',
            path: `/apikeys/${emulators.current.deployer.ID}`,
            body: {
              ID: emulators.current.deployer.ID,
              keyName: text,
              description: text,
              roleID: 3,
              active: true
            }
          }
        ]
      })
    ],
    [
      'a GitHub error message after the regeneration',
      (w, text) => ({
        inputs: rotateInputs(w, { 'max-attempts': '2' }),
        faults: [
          {
            method: 'PUT',
            path: `/repos/octo/app/actions/secrets/${SECRET}`,
            status: 422,
            body: { message: text }
          }
        ]
      })
    ]
  ]

  it.each(places)('in %s', async (_place, build) => {
    const problems: string[] = []
    for (const text of FORGERIES) {
      const w = world()
      emulators.current.ws.clearFaults()
      emulators.current.github.clearFaults()
      const { inputs, faults } = build(w, text)
      if (inputs.operation === 'rotate') issueKnownSecret(w)
      for (const fault of faults)
        (fault.path!.toString().startsWith('/repos')
          ? emulators.current.github
          : emulators.current.ws
        ).inject(fault)
      const run = await runInProcess(inputs, env())
      problems.push(...problemsOf(JSON.stringify(text), run, w))
      if (run.log.split('\n').some((l) => /^::(set-output|stop-commands|error title=)/.test(l)))
        problems.push(`${JSON.stringify(text)}: a forged command starts a line`)
    }
    expect(problems).toEqual([])
  })
})
