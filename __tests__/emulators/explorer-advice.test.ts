/*
 * The explorer's advice oracle (scripts/explorer/advice.ts) has teeth: it follows a failed run's
 * recovery literally against the emulators, and catches advice that, followed, breaks a
 * destination. Synthetic advice here, no bundle: a Vision One `replace` whose new key exists but
 * whose write failed, so the destination still holds the old key's token; on Cloud One, a replay
 * of a new key that lacks the old key's network limits.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { replayBlock } from '../../src/github/replay.js'
import { sealForGitHub, type PublicKey } from '../../src/github/seal.js'
import {
  followAdvice,
  failureMessage,
  recoverySteps,
  stateWord
} from '../../scripts/explorer/advice.js'
import { watchWrites } from '../../scripts/explorer/invariant.js'
import type { Scenario } from '../../scripts/explorer/scenarios.js'
import {
  setUp,
  snapshot,
  startWorld,
  type Setup,
  type Snapshot,
  type World
} from '../../scripts/explorer/world.js'
import { replayCommands } from '../../scripts/run-action.js'

const SCENARIO: Scenario = {
  seed: 0,
  operation: 'v1-replace',
  destinations: 'one-repository',
  secretType: 'actions',
  timeoutSeconds: 1,
  maxAttempts: 1,
  faults: [],
  expiryMonths: 3
}
const URL_PATH = '/repos/octo/app/actions/secrets/EXPLORER_SECRET'

let world: World
let setup: Setup
let before: Snapshot

beforeEach(async () => {
  world = await startWorld(SCENARIO)
  setup = setUp(world, SCENARIO)
  before = snapshot(world, setup.locations)
})
afterEach(() => world.stop())

/** A key the run made, in the group of the key it replaces (`deployer-a`). */
function newKey(): { id: string; secret: string } {
  return world.v1!.v1.addKey({
    name: 'deployer-a-next-20261207150000',
    role: world.v1!.deployerA.role
  })
}

/** GitHub's public key of repository octo/app, as the action reads it. */
async function publicKey(): Promise<PublicKey> {
  const answer = await fetch(`${world.github.url}/repos/octo/app/actions/secrets/public-key`, {
    headers: { authorization: `Bearer ${WRITE_TOKEN}` }
  })
  return (await answer.json()) as PublicKey
}

/** The replay block for repository octo/app with `value` sealed for its public key, one line. */
async function replayFor(value: string): Promise<string> {
  const sealed = await sealForGitHub(value, await publicKey())
  const body = JSON.stringify({ encrypted_value: sealed.encryptedValue, key_id: sealed.keyId })
  return [
    `Replay for repository octo/app (sealed for its public key ${sealed.keyId}):`,
    `  curl -fsS -X PUT -H "Authorization: Bearer $WRITER_TOKEN" -H "Accept: application/vnd.github+json" '${world.github.url}${URL_PATH}' -d '${body}'`
  ].join('\n')
}

/** A failed run's `::error::` with these steps, escaped as @actions/core escapes it. */
function failure(state: string, steps: string[]): string {
  const message = [
    `${state}: the new key exists, and repository octo/app does not hold it (100% sure)`,
    'To recover, in order:',
    ...steps.map((s, i) => `${i + 1}. ${s}`)
  ].join('\n')
  return `::error::${message.replace(/%/g, '%25').replace(/\n/g, '%0A')}`
}

function follow(log: string): ReturnType<typeof followAdvice> {
  return followAdvice(
    {
      world,
      scenario: SCENARIO,
      setup,
      before,
      earlierLogs: [],
      rerun: () => Promise.reject(new Error('no re-run in these cases'))
    },
    [{ run: { log, failed: true } }]
  )
}

const REPLAY = 'Replay the sealed copies for: repository octo/app. Then delete the old key.'

describe("the explorer's advice oracle", () => {
  it('reads a failed run: the decoded ::error::, its state word, its steps, the one-line replay', async () => {
    const old = world.v1!.deployerA.id
    const log = `${await replayFor('x')}\n${failure('partial', [REPLAY, `Delete key ${old}: no destination holds it (50% of jobs)`, 'Ask your admin.'])}`
    const message = failureMessage(log)!
    expect(stateWord(message)).toBe('partial')
    expect(message).toContain('(100% sure)')
    expect(recoverySteps(message)).toEqual([
      { kind: 'replay', text: REPLAY, labels: ['repository octo/app'] },
      { kind: 'delete-key', text: expect.any(String), id: old },
      { kind: 'manual', text: 'Ask your admin.' }
    ])
    const [command] = replayCommands(log)
    expect(command).toMatchObject({
      label: 'repository octo/app',
      url: `${world.github.url}${URL_PATH}`
    })
    expect(JSON.parse(command.body)).toHaveProperty('encrypted_value')
  })

  it('follows advice in the right order to a working end state, and finds nothing', async () => {
    const next = newKey()
    const old = world.v1!.deployerA.id
    const log = `${await replayFor(next.secret)}\n${failure('partial', [REPLAY, `Delete key ${old}: no destination holds it any more`])}`
    const outcome = await follow(log)
    expect(outcome.violations).toEqual([])
    expect(world.github.secret(setup.locations[0], 'EXPLORER_SECRET')?.value).toBe(next.secret)
    expect(world.v1!.v1.keys.has(old)).toBe(false)
  })

  it('follows the replay block as the action prints it', async () => {
    const next = newKey()
    const sealed = await sealForGitHub(next.secret, await publicKey())
    const block = replayBlock(world.github.url, 'EXPLORER_SECRET', [
      { destination: { kind: 'repository', repository: 'octo/app', type: 'actions' }, sealed }
    ])
    const old = world.v1!.deployerA.id
    const outcome = await follow(
      `${block}\n${failure('partial', [REPLAY, `Delete key ${old}: no destination holds it any more`])}`
    )
    expect(outcome.violations).toEqual([])
    expect(world.github.secret(setup.locations[0], 'EXPLORER_SECRET')?.value).toBe(next.secret)
  })

  it('catches two steps swapped: the key the destination holds deleted before the replay', async () => {
    const next = newKey()
    const old = world.v1!.deployerA.id
    const log = `${await replayFor(next.secret)}\n${failure('partial', [`Delete key ${old}: replaced`, REPLAY])}`
    const outcome = await follow(log)
    expect(outcome.violations).toEqual([
      expect.stringMatching(
        /^B\. the run's step 1 .* deletes key .*, which repository octo\/app still hold/
      )
    ])
  })

  it('catches a void copy offered for replay: a sealed copy of a key that was deleted', async () => {
    const gone = newKey()
    world.v1!.v1.keys.delete(gone.id)
    const log = `${await replayFor(gone.secret)}\n${failure('done', [REPLAY])}`
    const outcome = await follow(log)
    expect(outcome.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^B\. .* stores a void copy in repository octo\/app/),
        'A. after following the advice, repository octo/app holds a dead secret'
      ])
    )
  })

  it('catches advice that leaves a key no destination holds, and a replay never printed', async () => {
    const next = newKey()
    const log = failure('unknown', [REPLAY])
    const outcome = await follow(log)
    expect(outcome.violations).toEqual([
      expect.stringMatching(/names repository octo\/app, for which no replay command was printed/),
      `C. after following the advice, key ${next.id} "deployer-a-next-20261207150000" is held by no destination and the advice does not delete it`
    ])
  })

  it('runs no replay command that writes anywhere but the GitHub API the run was given', async () => {
    const elsewhere = (await replayFor('x')).replace(world.github.url, 'http://127.0.0.1:9')
    const outcome = await follow(`${elsewhere}\n${failure('partial', [REPLAY])}`)
    expect(outcome.violations).toEqual([
      expect.stringMatching(
        /the replay command for repository octo\/app writes to http:\/\/127\.0\.0\.1:9\//
      )
    ])
  })

  it('counts manual steps without following them, and then blames only what the followed steps broke', async () => {
    newKey()
    const outcome = await follow(failure('unknown', ['Look for a key named deployer-a-next-*.']))
    expect(outcome).toMatchObject({
      violations: [],
      manual: ['Look for a key named deployer-a-next-*.']
    })
  })

  it('requires the state word first', async () => {
    const log = '::error::Something failed%0ATo recover, in order:%0A1. Wait.'
    expect((await follow(log)).violations).toEqual([
      `E. the run's ::error:: starts with no state word, not one of unchanged, done, partial, unknown`
    ])
    expect((await follow('::error::done: all written')).violations).toEqual([])
  })
})

describe("the explorer's advice oracle on Cloud One", () => {
  const C1_SCENARIO: Scenario = { ...SCENARIO, operation: 'c1-replace', expiryMonths: undefined }

  beforeEach(async () => {
    await world.stop()
    world = await startWorld(C1_SCENARIO)
    setup = setUp(world, C1_SCENARIO)
    before = snapshot(world, setup.locations)
    watchWrites(world)
  })

  /** A key the run made to replace `deployer-a` (limited to other networks), with `limits` or not. */
  function newCloudOneKey(limits: boolean): string {
    const old = world.c1!.deployerA
    const key = world.c1!.c1.addKey({
      alias: 'deployer-a-next-20261207150000',
      roleID: old.roleID,
      description: old.description,
      locale: old.locale,
      timezone: old.timezone,
      ...(limits && { allowedIPs: old.allowedIPs, allowedCIDRs: old.allowedCIDRs })
    })
    return `${key.id}:${key.secret}`
  }

  const adviceOf = async (value: string): Promise<string> => {
    const old = world.c1!.deployerA.id
    return `${await replayFor(value)}\n${failure('partial', [REPLAY, `Delete key ${old}: no destination holds it any more`])}`
  }

  it('finds nothing when the replayed key has the limits of the key it replaces', async () => {
    const value = newCloudOneKey(true)
    const outcome = await follow(await adviceOf(value))
    expect(outcome.violations).toEqual([])
    expect(world.github.secret(setup.locations[0], 'EXPLORER_SECRET')?.value).toBe(value)
  })

  it('catches a replay of a new key without the network limits of the key it replaces (rule F)', async () => {
    newCloudOneKey(false)
    const value = [...world.c1!.c1.keys.values()].find((k) => k.alias.includes('-next-'))!
    const outcome = await follow(await adviceOf(`${value.id}:${value.secret}`))
    expect(outcome.violations).toEqual([
      `F. after following the advice, repository octo/app holds key ${value.id} "deployer-a-next-20261207150000", whose allowedIPs, allowedCIDRs differ(s) from the key it replaced`,
      `F. ${URL_PATH} was written with key ${value.id} "deployer-a-next-20261207150000", whose allowedIPs, allowedCIDRs differ(s) from the key it replaced`
    ])
  })
})
