import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import { sealForGitHub } from '../../src/github/seal.js'
import { GitHubSecretsClient } from '../../src/github/secrets-client.js'
import { leaks, runInProcess, type Inputs, rotationInputs } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

/*
 * Load: a rotation into 100 repositories under GitHub's secondary limits (npm run test:load).
 */

const emulators = useEmulators()
const SECRET = 'WS_KEY'

function rotate(extra: Inputs, secret: string): Inputs {
  return rotationInputs(emulators.current, secret, SECRET, extra)
}

/**
 * A fake clock shared by the action and the GitHub emulator. A sleep first lets requests
 * already in flight reach the emulator (a few real milliseconds), then moves the clock to the
 * end of the sleep; sleeps that overlap (workers waiting for the same window) overlap here too.
 */
function fakeClock(): {
  now: () => number
  sleep: (ms: number) => Promise<void>
  slept: () => number
} {
  const start = 1_700_000_000_000
  let time = start
  return {
    now: () => time,
    sleep: async (ms) => {
      const until = time + ms
      await new Promise((resolve) => setTimeout(resolve, 20))
      time = Math.max(time, until)
    },
    slept: () => time - start
  }
}

describe("GitHub's secondary limits", () => {
  it('rotates into 100 repositories, all written, pacing writes instead of tripping limits', async () => {
    const { github, ws, deployer } = emulators.current
    const repositories = Array.from({ length: 100 }, (_, i) => `octo/service-${i}`)
    for (const r of repositories) github.addRepository(r)
    const clock = fakeClock()
    github.now = clock.now
    github.latencyMs = 5
    github.secondaryLimits = { maxConcurrent: 100, writesPerMinute: 80, retryAfterSeconds: 60 }
    const old = deployer.secret
    const run = await runInProcess(
      rotate({ repositories: repositories.join('\n') }, old),
      { GITHUB_API_URL: github.url },
      { sleep: clock.sleep, now: clock.now }
    )
    expect(run.failed).toBe(false)
    const fresh = ws.keys.get(deployer.ID)!.secret
    expect(
      repositories.filter((r) => github.secret({ repository: r }, SECRET)?.value !== fresh)
    ).toEqual([])
    expect(run.outputs['secrets-updated']).toBe('100')
    expect(github.limited).toBe(0)
    // 200 writes (preflight and final) at 80 a minute: two waits for the rolling window.
    expect(run.log).toContain('Pacing secret writes under writes-per-minute (80)')
    expect(clock.slept()).toBeGreaterThanOrEqual(120_000)
    expect(clock.slept()).toBeLessThan(200_000)
    expect(leaks(run, [old, fresh, WRITE_TOKEN])).toEqual([])
  })

  it('recovers from limits it could not foresee, honouring retry-after', async () => {
    const { github, deployer } = emulators.current
    const clock = fakeClock()
    github.now = clock.now
    github.secondaryLimits = { maxConcurrent: 100, writesPerMinute: 1, retryAfterSeconds: 61 }
    const run = await runInProcess(
      rotate({ repositories: 'octo/app' }, deployer.secret),
      { GITHUB_API_URL: github.url },
      { sleep: clock.sleep, now: clock.now }
    )
    expect(run.failed).toBe(false)
    expect(github.limited).toBeGreaterThanOrEqual(1)
    expect(run.log).toMatch(/secondary rate limit .*retrying in 61000 ms/)
  })
})

describe("GitHub's limits across jobs and at scale", () => {
  it('two runs with writes-per-minute 40 never send more than 80 writes a minute together', async () => {
    const { github } = emulators.current
    const clock = fakeClock()
    github.now = clock.now
    // GitHub's 80 a minute for the token the two runs share: every write beyond is refused.
    github.secondaryLimits = { maxConcurrent: 100, writesPerMinute: 80, retryAfterSeconds: 60 }
    const repositories = Array.from({ length: 50 }, (_, i) => `octo/shared-${i}`)
    for (const r of repositories) github.addRepository(r)
    const client = (): GitHubSecretsClient =>
      new GitHubSecretsClient({
        token: WRITE_TOKEN,
        baseUrl: github.url,
        request: { maxAttempts: 1, timeoutMs: 5000 },
        clock: { ...systemClock, now: clock.now, sleep: clock.sleep },
        cancellation: new Cancellation(),
        writesPerMinute: 40
      })
    const write = async (c: GitHubSecretsClient, name: string): Promise<void> => {
      await Promise.all(
        repositories.map(async (repository) => {
          const destination = { type: 'actions' as const, kind: 'repository' as const, repository }
          const key = await c.getPublicKey(destination)
          await c.putSecret(destination, name, await sealForGitHub('v', key))
        })
      )
    }
    const [a, b] = [client(), client()]
    await Promise.all([write(a, 'FIRST'), write(b, 'SECOND')])
    a.dispose()
    b.dispose()
    // 100 writes, 40 a minute each: never refused, and they took their minutes.
    expect(github.limited).toBe(0)
    expect(github.requests('PUT')).toHaveLength(100)
    expect(clock.slept()).toBeGreaterThanOrEqual(60_000)
  })

  it('500 repositories that may read an organization secret: never more than 20 GitHub requests at once', async () => {
    const { github, deployer, ws } = emulators.current
    const repositories = Array.from({ length: 500 }, (_, i) => `octo/many-${i}`)
    for (const r of repositories) github.addRepository(r)
    github.latencyMs = 5
    github.secondaryLimits = { maxConcurrent: 20, writesPerMinute: 80, retryAfterSeconds: 60 }
    const run = await runInProcess(
      rotate(
        {
          'key-id': String(deployer.ID),
          organization: 'octo',
          visibility: 'selected',
          repositories: repositories.join('\n')
        },
        emulators.current.admin.secret
      ),
      { GITHUB_API_URL: github.url }
    )
    expect(run.failed ? run.log : '').toBe('')
    expect(github.requests('GET', /^\/repos\/octo\/many-\d+$/)).toHaveLength(500)
    expect(github.maxInFlight).toBeLessThanOrEqual(20)
    expect(github.limited).toBe(0)
    const stored = github.secret({ organization: 'octo' }, SECRET)!
    expect(stored.value).toBe(ws.keys.get(deployer.ID)!.secret)
    expect(stored.selectedRepositoryIds).toHaveLength(500)
  })

  it('an audit of 10,000 keys stays inside every GitHub limit, and findings-file holds every finding', async () => {
    const { ws, admin } = emulators.current
    const now = Date.now()
    for (let i = 0; i < 10_000; i++)
      ws.addKey({
        keyName: `service-key-${i}`,
        roleID: 3,
        description: 'a key of one of many services',
        created: now - 400 * 86_400_000,
        ...(i % 2 === 0 && { expiryDate: now - 86_400_000 })
      })
    const files = mkdtempSync(join(tmpdir(), 'audit-'))
    try {
      const run = await runInProcess(
        { operation: 'audit', 'api-secret-key': admin.secret, 'api-url': ws.url },
        { RUNNER_TEMP: files }
      )
      expect(run.failed ? run.log : '').toBe('')
      // Every output together within 1 MB, the summary within 1 MiB, the matrix within 256.
      const outputBytes = Object.entries(run.outputs).reduce(
        (n, [name, value]) => n + Buffer.byteLength(name) + Buffer.byteLength(value) + 128,
        0
      )
      expect(outputBytes).toBeLessThanOrEqual(1_000_000)
      expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024)
      const flagged = JSON.parse(run.outputs['flagged-keys']) as unknown[]
      expect(flagged).toHaveLength(256)
      // Every added key is never-used (created 400 days ago, never signed in), half expired too.
      expect(run.outputs['flagged-count']).toBe('10000')
      const all = JSON.parse(readFileSync(run.outputs['findings-file'], 'utf8')) as unknown[]
      const shown = JSON.parse(run.outputs.findings) as unknown[]
      expect(all.length).toBeGreaterThan(shown.length)
      expect(all.length).toBeGreaterThanOrEqual(20_000)
      expect(run.log).toMatch(
        /::warning::findings holds \d+ of \d+ findings; flagged-keys holds the 256 most urgent of 10000 flagged keys/
      )
      expect(run.summary).toMatch(
        /\*\*\d+ more key\(s\) not shown:\*\* a job summary holds at most 1 MiB/
      )
      expect(run.summary).toContain('**Totals:** 10005 key(s), 10000 flagged')
      // The most urgent come first: expired keys before the others.
      const first = shown.slice(0, 100) as { kind: string; 'key-name': string }[]
      expect(first[0].kind).toBe('expired')
      expect(first.every((f) => Number(f['key-name'].split('-').pop()) % 2 === 0)).toBe(true)
    } finally {
      rmSync(files, { recursive: true, force: true })
    }
  }, 120_000)
})
