/*
 * rotate on platform vision-one at its edges: a destination whose write may have landed counts
 * as holding the new key (replace keeps that key), and alternate refuses a new key that would
 * expire exactly when the live key does (the next run could not tell them apart). The main
 * cases of replace and alternate: vision-one-rotate; races and lists: safety/vision-one-*.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { VisionOneKey } from '../../emulators/vision-one.js'
import { addMonths } from '../../src/dates.js'
import { runInProcess, type Inputs } from '../support/action.js'
import { useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'

const world = useVisionOne()
const SECRET = 'V1_TOKEN'
const REPOS = ['octo/app', 'octo/api']

function inputs(extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, 'rotate', {
    'key-name': 'deployer-a',
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    repositories: REPOS.join(','),
    ...extra
  })
}

function seedDestinations(key: VisionOneKey): void {
  for (const repository of REPOS)
    world.current.github.seedSecret({ repository }, SECRET, { value: key.secret })
}

function stored(repository: string): string | undefined {
  return world.current.github.secret({ repository }, SECRET)?.value
}

function keysStarting(prefix: string): VisionOneKey[] {
  return [...world.current.v1.keys.values()].filter((k) => k.name.startsWith(prefix))
}

describe('rotate replace, a write whose answer was lost after GitHub stored it', () => {
  it('counts as holding the new key: the new key is kept, and every destination holds a working token', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    // octo/app stores the new token every time, but the answer never arrives; octo/api refuses.
    github.inject({
      method: 'PUT',
      path: `/repos/octo/app/actions/secrets/${SECRET}`,
      drop: 'after',
      times: 20
    })
    github.inject({
      method: 'PUT',
      path: `/repos/octo/api/actions/secrets/${SECRET}`,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const run = await runInProcess(inputs(), visionOneEnv(world.current))
    expect(run.failed).toBe(true)
    const [next] = keysStarting('deployer-a-next-')
    expect(next).toBeDefined()
    expect(github.requests('PUT', `/repos/octo/app/actions/secrets/${SECRET}`)[0].acted).toBe(true)
    expect(stored('octo/app')).toBe(next.secret)
    expect(stored('octo/api')).toBe(deployerA.secret)
    // Neither key is deleted: each one is the only working token of a destination.
    expect(v1.requests('POST', '/v3.0/iam/apiKeys/delete')).toEqual([])
    for (const repository of REPOS)
      expect([repository, v1.tokenState(stored(repository)!)]).toEqual([repository, 'valid'])
  })
})

describe('rotate replace, another rotation of the same name that took over meanwhile', () => {
  it('its key, already named like the old one, stops this run before it deletes or renames anything', async () => {
    const { v1, github, deployerA } = world.current
    seedDestinations(deployerA)
    let theirs: VisionOneKey | undefined
    github.onArrival = (request) => {
      if (theirs || request.method !== 'PUT' || !request.path.endsWith(`/secrets/${SECRET}`)) return
      // The other run has deleted the old key and given its own key the old name.
      v1.keys.delete(deployerA.id)
      theirs = v1.addKey({ name: 'deployer-a', role: deployerA.role, createdDateTime: Date.now() })
    }
    const run = await runInProcess(inputs(), visionOneEnv(world.current))
    expect(run.failed).toBe(true)
    expect(theirs).toBeDefined()
    expect(v1.requests('POST', '/v3.0/iam/apiKeys/delete')).toEqual([])
    expect(v1.requests('PATCH')).toEqual([])
    const [mine] = keysStarting('deployer-a-next-')
    expect(v1.tokenState(mine.secret)).toBe('valid')
    expect(v1.keys.get(theirs!.id)?.name).toBe('deployer-a')
  })
})

describe('rotate alternate, a new key that would expire with the live key', () => {
  it('is refused before anything changes: the next run would take the live key for idle', async () => {
    const { v1, github, deployerA, deployerB } = world.current
    seedDestinations(deployerB)
    // The run's clock stands still at a whole second (Vision One shows times to the second), and
    // the live key expires exactly 12 months (expiry-months) after it.
    const now = Math.floor(Date.now() / 1000) * 1000
    deployerB.expiredDateTime = addMonths(now, 12)
    const run = await runInProcess(
      inputs({
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-b',
        'expiry-months': '12'
      }),
      visionOneEnv(world.current),
      { now: () => now }
    )
    expect(run.failed).toBe(true)
    expect(v1.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(github.log.filter((e) => e.method !== 'GET')).toEqual([])
    expect(v1.keys.get(deployerA.id)?.secret).toBe(deployerA.secret)
    for (const repository of REPOS) expect(stored(repository)).toBe(deployerB.secret)
  })
})
