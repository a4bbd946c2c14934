/**
 * Text from servers is data: a key name, an error or retry message, GitHub's answer after the
 * regeneration can neither start a workflow command in the log nor become a link, an image or
 * HTML in the job summary, and a secret a server echoes is never repeated. Secrets echoed in
 * every encoding: leaks.
 */
import { describe, expect, it } from '@jest/globals'
import type { Fault } from '../../emulators/server.js'
import { leaks, runInProcess, type Inputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'
import { echoingWorld, problemsOf, SECRET, type World } from '../support/server-echoes.js'
import '../support/loopback-only.js'

const emulators = useEmulators()
const { world, describeInputs, issueKnownSecret, rotateInputs, env } = echoingWorld(emulators)

function managerInputs(extra: Inputs, secret = emulators.current.admin.secret): Inputs {
  return { 'api-secret-key': secret, 'api-url': emulators.current.ws.url, ...extra }
}

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

describe('describe', () => {
  it('escapes names from the manager in the job summary', async () => {
    const key = emulators.current.ws.addKey({ keyName: '<img src=x onerror=alert(1)>', roleID: 1 })
    const run = await runInProcess(
      managerInputs({ operation: 'describe', 'key-id': String(key.ID) })
    )
    expect(run.failed).toBe(false)
    expect(run.summary).toContain('&lt;img src=x onerror=alert&#40;1&#41;&gt;')
    expect(run.summary).not.toContain('<img')
  })

  it('escapes a name once, so an apostrophe reads as one, and shows bidirectional controls as escapes in the log and the summary', async () => {
    const key = emulators.current.ws.addKey({
      keyName: "ops' key \u202Egnp.exe",
      roleID: 1
    })
    const run = await runInProcess(
      managerInputs({ operation: 'describe', 'key-id': String(key.ID) })
    )
    expect(run.failed).toBe(false)
    expect(run.summary).toContain('ops&#39; key &lt;U+202E&gt;gnp.exe')
    expect(run.summary).not.toContain('&&#35;39;')
    expect(run.summary).not.toContain('\u202E')
    expect(run.log).toContain('"ops\' key <U+202E>gnp.exe"')
    expect(run.log).not.toContain('\u202E')
  })

  it('never repeats a secret that the server echoes in its error message', async () => {
    const { ws, admin } = emulators.current
    ws.inject({
      path: '/apikeys/1',
      status: 401,
      body: { message: `Invalid API key ${admin.secret}` }
    })
    const run = await runInProcess(managerInputs({ operation: 'describe', 'key-id': '1' }))
    expect(run.failed).toBe(true)
    expect(run.log).toContain('Invalid API key ***')
    expect(leaks(run, [admin.secret])).toEqual([])
  })
})
