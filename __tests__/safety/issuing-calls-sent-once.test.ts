/*
 * A call that issues a secret (a Workload Security regeneration, a Vision One create) is sent
 * once, whatever answer it gets that leaves open whether the platform acted: 500, 502, 503, 504,
 * or a connection reset after the request was sent. A second request would issue a second
 * secret and kill the first (SPEC 3, "never a second secret"). Counted on what the emulators
 * received, over real HTTP. The client-level retry rules: clients/workload-security-client; the
 * reports after such an answer: operations/rotate-regeneration-answers.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { Fault } from '../../emulators/server.js'
import { runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators, useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'
import { rotationHelpers } from '../support/rotation.js'

/** Answers that leave open whether the platform acted; each time it did act. */
const UNCLEAR: [string, Partial<Fault>][] = [
  ['500', { status: 500, act: true }],
  ['502', { status: 502, act: true }],
  ['503', { status: 503, act: true }],
  ['504', { status: 504, act: true }],
  ['a reset after sending', { drop: 'after' }]
]

describe('a Workload Security regeneration', () => {
  const emulators = useEmulators()
  const { expectNoLeak, regenerations } = checks(emulators)
  const SECRET = 'WS_API_KEY'
  const { rotateInputs, env, stored, secretOf } = rotationHelpers(emulators, SECRET)

  it.each(UNCLEAR)(
    'answered %s is never sent again: one secret issued, no destination changed',
    async (_name, fault) => {
      const { ws, github, deployer } = emulators.current
      const old = deployer.secret
      github.seedSecret({ repository: 'octo/app' }, SECRET, { value: old })
      // Only the first regeneration meets the fault: a retry would succeed and issue a second.
      ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, ...fault })
      const run = await runInProcess(
        rotateInputs({ 'key-id': String(deployer.ID), 'max-attempts': '5' }),
        env()
      )
      expect(run.failed).toBe(true)
      expect(regenerations()).toBe(1)
      expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)[0].acted).toBe(true)
      // The manager issued one secret, which this run never saw: nothing was stored.
      expect(ws.authenticates(old)).toBe(false)
      expect(stored('octo/app')).toBe(old)
      expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)).toEqual([])
      expectNoLeak(run, old, secretOf(deployer.ID))
    }
  )
})

describe('a Vision One create', () => {
  const world = useVisionOne()
  const SECRET = 'V1_TOKEN'
  const CREATE = '/v3.0/iam/apiKeys'

  it.each(UNCLEAR)(
    'answered %s is never sent again: one token issued, the old key and every destination untouched',
    async (_name, fault) => {
      const { v1, github, deployerA } = world.current
      github.seedSecret({ repository: 'octo/app' }, SECRET, { value: deployerA.secret })
      const seeded = v1.secretsIssued.length
      v1.inject({ method: 'POST', path: CREATE, ...fault })
      const run = await runInProcess(
        visionOneInputs(world.current, 'rotate', {
          'key-name': 'deployer-a',
          'secret-name': SECRET,
          'github-token': WRITE_TOKEN,
          repositories: 'octo/app',
          'max-attempts': '5'
        }),
        visionOneEnv(world.current)
      )
      expect(run.failed).toBe(true)
      expect(v1.requests('POST', CREATE)).toHaveLength(1)
      expect(v1.secretsIssued).toHaveLength(seeded + 1)
      expect(v1.keys.get(deployerA.id)?.secret).toBe(deployerA.secret)
      expect(github.secret({ repository: 'octo/app' }, SECRET)?.value).toBe(deployerA.secret)
      expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)).toEqual([])
    }
  )
})
