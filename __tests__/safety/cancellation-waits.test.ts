/**
 * Every wait ends at the first signal (SPEC 3, "Waiting, and requests after a change"): write
 * pacing and a rate limit's reset end at once, no secret write is sent after the signal however
 * long it waited for its turn, and the run reports, probe clean-up included, within 2 s (the
 * runner's SIGTERM comes 7.5 s after its SIGINT). A write that was never sent is reported as not
 * sent, never as one that may have landed. In-process on the real clock; the bundle under real
 * signals: cancellation.test.ts. The activation wait of a new Vision One key:
 * operations/vision-one-rotate.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { Cancellation } from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import { runInProcess, type ActionRun, type Inputs } from '../support/action.js'
import { checks, expectReported } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak } = checks(emulators)
const SECRET = 'WS_KEY'
const PROBE = `${SECRET}_ROTATION_PROBE`
/** The real write of the new secret (not the probe) to any repository. */
const REAL_WRITE = new RegExp(`^/repos/octo/[a-z0-9-]+/actions/secrets/${SECRET}$`)
/** What a run may take from the first signal to its report: far less than the runner's 7.5 s. */
const REPORT_MS = 2000

function rotation(repositories: string[], extra: Inputs = {}): Inputs {
  const { ws, admin, deployer } = emulators.current
  return {
    operation: 'rotate',
    'api-secret-key': admin.secret,
    'api-url': ws.url,
    'key-id': String(deployer.ID),
    'secret-name': SECRET,
    repositories: repositories.join('\n'),
    'github-token': WRITE_TOKEN,
    ...extra
  }
}

/** Each destination's status, as the run's `result` output says (`stored`: created or updated). */
function statuses(run: ActionRun): Record<string, string> {
  const { destinations } = JSON.parse(run.outputs.result) as {
    destinations: { destination: string; status: string }[]
  }
  return Object.fromEntries(
    destinations.map((d) => [
      d.destination,
      /^(created|updated)$/.test(d.status) ? 'stored' : d.status
    ])
  )
}

function probesLeft(repositories: string[]): string[] {
  return repositories.filter(
    (repository) => emulators.current.github.secret({ repository }, PROBE) !== undefined
  )
}

/** Runs the rotation on the real clock (real sleeps); `signalled()` is when SIGINT came. */
async function runCancelled(
  inputs: Inputs,
  cancellation: Cancellation,
  signalled: () => number
): Promise<{ run: ActionRun; reportMs: number }> {
  const run = await runInProcess(
    inputs,
    { GITHUB_API_URL: emulators.current.github.url },
    { sleep: systemClock.sleep },
    cancellation
  )
  return { run, reportMs: performance.now() - signalled() }
}

describe('every wait ends at the first signal', () => {
  const REPOSITORIES = ['octo/app', 'octo/api', 'octo/web']

  it("SIGINT while a write waits for GitHub's rate limit to reset (10 minutes): reported within 2 s as not written, probes removed", async () => {
    const { github, ws, deployer } = emulators.current
    github.inject({
      method: 'PUT',
      path: `/repos/octo/web/actions/secrets/${SECRET}`,
      status: 429,
      retryAfter: '600'
    })
    const cancellation = new Cancellation()
    let signalledAt = Infinity
    github.onArrival = (request) => {
      if (request.method === 'PUT' && request.path === `/repos/octo/web/actions/secrets/${SECRET}`)
        // Once the refusal arrived and the wait began.
        setTimeout(() => {
          signalledAt = performance.now()
          cancellation.receive('SIGINT')
        }, 300)
    }
    const { run, reportMs } = await runCancelled(
      rotation(REPOSITORIES),
      cancellation,
      () => signalledAt
    )
    expect(run.failed).toBe(true)
    expect(reportMs).toBeLessThan(REPORT_MS)
    expect(run.log).toContain('retrying in 600000 ms')
    // The retry was never sent: the refused write is not written, not "may have landed".
    expect(github.requests('PUT', `/repos/octo/web/actions/secrets/${SECRET}`)).toHaveLength(1)
    expect(statuses(run)).toEqual({
      'repository octo/app': 'stored',
      'repository octo/api': 'stored',
      'repository octo/web': 'failed'
    })
    expect(probesLeft(REPOSITORIES)).toEqual([])
    expectReported(run)
    expectNoLeak(run, ws.keys.get(deployer.ID)!.secret)
  })

  it('SIGINT, then SIGTERM while a probe removal waits for its answer: the report a second later names the probe to delete (explorer seed 9592)', async () => {
    const { github } = emulators.current
    // The regeneration takes 3 s; SIGINT comes during it, SIGTERM a second later, and the
    // probe's removal then waits 5 s for its answer (a delete is not abandoned at SIGTERM).
    emulators.current.ws.inject({ method: 'POST', path: /\/secretkey$/, delayMs: 3000 })
    github.inject({
      method: 'DELETE',
      path: `/repos/octo/app/actions/secrets/${PROBE}`,
      delayMs: 5000
    })
    const cancellation = new Cancellation()
    let signalledAt = Infinity
    emulators.current.ws.onArrival = (request) => {
      if (request.method === 'POST' && request.path.endsWith('/secretkey')) {
        setTimeout(() => {
          signalledAt = performance.now()
          cancellation.receive('SIGINT')
        }, 200)
        setTimeout(() => cancellation.receive('SIGTERM'), 1200)
      }
    }
    const { run, reportMs } = await runCancelled(
      rotation(['octo/app'], { 'timeout-seconds': '10' }),
      cancellation,
      () => signalledAt
    )
    expect(run.failed).toBe(true)
    expect(reportMs).toBeLessThan(3000)
    const error = run.log.split('\n').find((l) => l.startsWith('::error::'))!
    // The removal had no answer when the run reported: the probe comes first in the recovery.
    expect(error).toContain(
      `%0ATo recover, in order:%0A1. Delete the secret ${PROBE} of repository octo/app: this run wrote it as its lease on the destination and did not see it removed`
    )
    expectReported(run)
  })

  it('SIGINT while writes wait for their turn under writes-per-minute: not sent, reported as such within 2 s, probes removed', async () => {
    const { github, ws, deployer } = emulators.current
    // Three probes and the first real write fill the minute; the other two writes wait.
    const cancellation = new Cancellation()
    let signalledAt = Infinity
    github.onArrival = (request) => {
      if (request.method === 'PUT' && REAL_WRITE.test(request.path) && !cancellation.signal) {
        signalledAt = performance.now()
        cancellation.receive('SIGINT')
      }
    }
    const { run, reportMs } = await runCancelled(
      rotation(REPOSITORIES, { 'writes-per-minute': '4' }),
      cancellation,
      () => signalledAt
    )
    expect(run.failed).toBe(true)
    expect(reportMs).toBeLessThan(REPORT_MS)
    expect(run.log).toContain('Pacing secret writes under writes-per-minute (4)')
    expect(github.requests('PUT').filter((e) => REAL_WRITE.test(e.path))).toHaveLength(1)
    expect(Object.values(statuses(run)).sort()).toEqual(['skipped', 'skipped', 'stored'])
    // The probe removals after the signal did not wait for the minute either.
    expect(github.requests('DELETE')).toHaveLength(3)
    expect(probesLeft(REPOSITORIES)).toEqual([])
    expectReported(run)
    expectNoLeak(run, ws.keys.get(deployer.ID)!.secret)
  })

  it('SIGINT while writes are queued behind the 20 in flight: none of them is sent', async () => {
    const { github } = emulators.current
    const repositories = Array.from({ length: 30 }, (_, i) => `octo/queued-${i}`)
    for (const repository of repositories) github.addRepository(repository)
    // Every answer takes a while, so that 20 writes are in flight and 10 wait for a place.
    github.latencyMs = 150
    const cancellation = new Cancellation()
    let sentBefore = 0
    let sentAfter = 0
    github.onArrival = (request) => {
      if (request.method !== 'PUT' || !REAL_WRITE.test(request.path)) return
      if (cancellation.signal) sentAfter++
      // The 20th write fills the last place: the signal comes with the other 10 queued.
      else if (++sentBefore === 20) cancellation.receive('SIGINT')
    }
    const run = await runInProcess(
      rotation(repositories),
      { GITHUB_API_URL: github.url },
      {},
      cancellation
    )
    expect(run.failed).toBe(true)
    expect(sentAfter).toBe(0)
    const results = Object.values(statuses(run))
    expect(results.filter((s) => s === 'stored')).toHaveLength(20)
    expect(results.filter((s) => s === 'skipped')).toHaveLength(10)
    expect(probesLeft(repositories)).toEqual([])
    expectReported(run)
  })
})
