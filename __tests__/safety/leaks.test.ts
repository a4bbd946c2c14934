/**
 * Leaks: both emulators echo every secret the run knows (the api-secret-key, the new secret,
 * the GitHub token) in every encoding a server might use, in every place server text reaches
 * the report: error messages, retry messages, key names and descriptions. No run of 8 or more
 * consecutive characters of any secret, in any of those encodings, may then appear in the log
 * (the `::add-mask::` commands aside), the outputs or the summary; nor may server text start a
 * workflow command or become a live link or image in the summary (support/server-echoes.ts).
 * Server text that tries nothing but to command the runner or the summary: server-text.
 */
import { describe, expect, it } from '@jest/globals'
import { useEmulators } from '../support/emulators.js'
import { runInProcess } from '../support/action.js'
import {
  chunks,
  echoes,
  echoingWorld,
  pick,
  problemsOf,
  SECRET,
  SECRET_NAMES
} from '../support/server-echoes.js'
import '../support/loopback-only.js'

const emulators = useEmulators()
const { world, describeInputs, issueKnownSecret, rotateInputs, env } = echoingWorld(emulators)

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
