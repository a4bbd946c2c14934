import { expect } from '@jest/globals'
import { READ_ONLY_TOKEN, WRITE_TOKEN, type SeededEmulators } from '../../emulators/seed.js'
import { leaks, type ActionRun } from './action.js'

/**
 * Checks on what a run left behind and on what the emulators saw, for tests that run the
 * action against {@link useEmulators}:
 *
 *     const emulators = useEmulators()
 *     const { expectNoLeak, managerWrites, githubWrites } = checks(emulators)
 */
export function checks(emulators: { readonly current: SeededEmulators }) {
  /** Every secretKey the manager handed out in the test (regenerations and creations). */
  const issuedSecrets = (): string[] =>
    emulators.current.ws.log.flatMap((e) => {
      const body = e.responseBody as { secretKey?: unknown } | undefined
      return typeof body?.secretKey === 'string' ? [body.secretKey] : []
    })

  return {
    issuedSecrets,

    /**
     * No secret shows in the run's log (`::add-mask::` aside), outputs or summary: not
     * `secrets`, not the secret any key holds now, not one the manager issued in the test, not
     * the seeded GitHub tokens.
     */
    expectNoLeak(run: ActionRun, ...secrets: string[]): void {
      const keySecrets = [...emulators.current.ws.keys.values()].map((k) => k.secret)
      const all = new Set([
        ...secrets,
        ...keySecrets,
        ...issuedSecrets(),
        WRITE_TOKEN,
        READ_ONLY_TOKEN
      ])
      expect(leaks(run, [...all])).toEqual([])
    },

    /** Manager requests that could change something (searches only read), as `METHOD path`. */
    managerWrites(): string[] {
      return emulators.current.ws.log
        .filter((e) => e.method !== 'GET' && !e.path.endsWith('/search'))
        .map((e) => `${e.method} ${e.path}`)
    },

    /** GitHub requests that change something, as `METHOD path`. */
    githubWrites(): string[] {
      return emulators.current.github.log
        .filter((e) => e.method !== 'GET')
        .map((e) => `${e.method} ${e.path}`)
    },

    /** How many secret regenerations reached the manager. */
    regenerations(): number {
      return emulators.current.ws.requests('POST', /secretkey$/).length
    }
  }
}

/** Outputs and summary exist, and the run failed exactly when it printed `::error::`. */
export function expectReported(run: ActionRun): void {
  expect(run.summary).toMatch(
    run.failed
      ? /^<h2>(unchanged|done|partial|unknown): Workload Security API key/
      : /^<h2>Workload Security API key/
  )
  expect(run.outputs.result).toBeDefined()
  expect(run.failed).toBe(/^::error::/m.test(run.log))
}
