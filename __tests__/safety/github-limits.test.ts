/**
 * GitHub's limits, kept by the run itself: at most 20 GitHub requests in flight whoever sends
 * them, and no more secret writes than writes-per-minute in any rolling minute, a write holding
 * its place from when it is sent until a minute after its answer (GitHub counts it somewhere in
 * between). The same at scale and under GitHub's own limits: slow/load.test.ts. What the first
 * signal does to these waits: cancellation-waits.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import { sealForGitHub } from '../../src/github/seal.js'
import { GitHubSecretsClient } from '../../src/github/secrets-client.js'
import { rotationInputs, runInProcess } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const SECRET = 'WS_KEY'

describe('at most 20 GitHub requests in flight', () => {
  it.each([
    ['a rotation into 30 repositories', { repositories: 'many' }],
    [
      'an organization secret for 30 selected repositories (30 repository lookups at once)',
      { organization: 'octo', visibility: 'selected', repositories: 'many' }
    ]
  ])('%s', async (_case, extra) => {
    const { github, deployer } = emulators.current
    const repositories = Array.from({ length: 30 }, (_, i) => `octo/many-${i}`)
    for (const repository of repositories) github.addRepository(repository)
    // Every answer takes a while: requests pile up as far as the run lets them.
    github.latencyMs = 100
    const run = await runInProcess(
      rotationInputs(emulators.current, emulators.current.admin.secret, SECRET, {
        'key-id': String(deployer.ID),
        ...extra,
        repositories: repositories.join('\n'),
        // No wait for the rolling minute (the test clock's sleeps would not pass time).
        'writes-per-minute': '1000'
      }),
      { GITHUB_API_URL: github.url }
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(github.maxInFlight).toBe(20)
  })
})

describe('writes-per-minute', () => {
  /**
   * The client's and the emulator's clock: real time plus every sleep, so that a request's
   * real duration counts and a wait for the rolling minute passes at once.
   */
  function fastClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
    let offset = 0
    return {
      now: () => Date.now() + offset,
      sleep: async (ms) => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        offset += ms
      }
    }
  }

  it('the write past the limit waits while the others are in flight, then until a minute after the earliest answer', async () => {
    const { github } = emulators.current
    const clock = fastClock()
    // Answers take 300 ms: a minute counted from a write's sending would end 300 ms too early.
    github.latencyMs = 300
    const sent = new Map<string, number>()
    const answered = new Map<string, number>()
    github.onArrival = (request) => {
      if (request.method === 'PUT') sent.set(request.path, clock.now())
    }
    const contract = github.onExchange
    github.onExchange = (exchange) => {
      if (exchange.method === 'PUT') answered.set(exchange.path, clock.now())
      contract?.(exchange)
    }
    const client = new GitHubSecretsClient({
      token: WRITE_TOKEN,
      baseUrl: github.url,
      request: { maxAttempts: 1, timeoutMs: 5000 },
      clock: { ...systemClock, ...clock },
      cancellation: new Cancellation(),
      writesPerMinute: 2
    })
    const paths = ['octo/app', 'octo/api', 'octo/web'].map((repository) => {
      const destination = { type: 'actions' as const, kind: 'repository' as const, repository }
      return { destination, path: `/repos/${repository}/actions/secrets/${SECRET}` }
    })
    try {
      const keys = await Promise.all(paths.map((p) => client.getPublicKey(p.destination)))
      const copies = await Promise.all(keys.map((key) => sealForGitHub('v', key)))
      // Three writes at once under a limit of two: the third waits, while the first two are in
      // flight and after.
      await Promise.all(paths.map((p, i) => client.putSecret(p.destination, SECRET, copies[i])))
    } finally {
      client.dispose()
    }
    const order = paths.map((p) => p.path).sort((a, b) => sent.get(a)! - sent.get(b)!)
    const [first, second, third] = order
    expect(sent.get(second)! - sent.get(first)!).toBeLessThan(1000)
    // A write in flight holds its place however long it takes; then a minute after its answer.
    const freed = Math.min(answered.get(first)!, answered.get(second)!) + 60_000
    expect(sent.get(third)).toBeGreaterThanOrEqual(freed)
    // Not much later either (time leaps by a second at each look while the writes are in flight).
    expect(sent.get(third)).toBeLessThan(freed + 5000)
  })
})
