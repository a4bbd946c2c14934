import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
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
    expect(run.log).toContain("Pacing secret writes under GitHub's limit of 80 a minute")
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
